"""Refreshing the programme's result figures: every ResultCell recomputed from the stored
results (models/figures.py says what a cell holds).

Which result counts is queries/results.py's `current_results`: each firm's latest submitted
assessment, validated if signed off, else self-assessed. The base cells (district × division
× size class) are counted by the database in one grouped INSERT … SELECT per measure; the
district, division, size-class and city cells are then summed from the base cells, also in
the database. The same statements run on SQLite and PostgreSQL. The old cells are replaced
in one transaction: a refresh that fails keeps them, logs why and records it. The same
transaction rewrites the provider table's city-wide review history (ReviewFigure).

The results page therefore shows the figures of the last refresh (it says when): one is
queued with the peer benchmarks' after each submission, return, sign-off and assignment
(debounced) and the
worker runs one nightly (services/benchmarks.py, diagnosis/worker.py).
"""

import logging
import time
from typing import Any

from django.db import connection, transaction
from django.db.models import Case, CharField, Count, F, IntegerField, QuerySet, Value, When
from django.db.models.functions import Cast, Round
from django.utils import timezone

from diagnosis.models import DimensionScore, ResultCell, ResultRefresh, ReviewFigure
from diagnosis.queries.providers import HISTORY_FIELDS, TableScope, review_history
from diagnosis.queries.results import current_results, kind_of

logger = logging.getLogger("diagnosis.results")

Level = ResultCell.Level
Measure = ResultCell.Measure
# The fields of the segment (the firm's) of each level above the base.
ROLLUPS = {
    Level.DISTRICT: ("district",),
    Level.INDUSTRY: ("industry",),
    Level.SIZE: ("size_class",),
    Level.ALL: (),
}
SEGMENT = ("district", "industry", "size_class")


def refresh_review_figures() -> None:
    """Rewrite the providers' and consultants' city-wide review history (ReviewFigure);
    part of refresh_result_figures' transaction."""
    ReviewFigure.objects.all().delete()
    city = TableScope(provider_ids=None, districts=None, with_consultants=True)
    figures = [
        ReviewFigure(group=group, key=key, **{name: getattr(row, name) for name in HISTORY_FIELDS})
        for group in ReviewFigure.Group.values
        for key, row in review_history(city, group).items()
    ]
    ReviewFigure.objects.bulk_create(figures)


def refresh_result_figures() -> bool:
    """Recompute every result cell in one transaction. Never raises: a failure keeps the
    previous cells, is logged and recorded on ResultRefresh; returns whether it succeeded."""
    clock = time.perf_counter()
    try:
        with transaction.atomic():
            ResultCell.objects.all().delete()
            for measure, rows in _base_rows().items():
                _insert_base(measure, rows)
            for level, fields in ROLLUPS.items():
                _insert_rollup(level, fields)
            refresh_review_figures()
    except Exception as error:
        logger.exception("Result figures refresh failed; the previous cells are kept")
        _record(failed_at=timezone.now(), error=repr(error))
        return False
    seconds = time.perf_counter() - clock
    _record(computed_at=timezone.now(), seconds=seconds, error="")
    logger.info("Result figures refreshed in %.1f s", seconds)
    return True


def _record(**fields: Any) -> None:
    if not ResultRefresh.objects.filter(pk=1).update(**fields):
        ResultRefresh.objects.create(pk=1, **fields)


def _tenths(expression: Any) -> Cast:
    return Cast(Round(expression * 10), IntegerField())


def _base_rows() -> dict[str, QuerySet[Any]]:
    """Per measure, a grouped query of (district, industry, size_class, dimension, value,
    firms) over the current results."""
    results = current_results(None)
    firm = "assessment__firm__"
    scores = DimensionScore.objects.filter(result__in=results, score__isnull=False)
    previous = "result__assessment__previous__results"
    # One filter() call: the previous result and its score of the same dimension are one
    # join chain. "Same" by comparison key (FORMAT.md `compares_as`), not by code: the
    # previous assessment may be of an older questionnaire version, where a code can have
    # had another meaning (v1's SEC held safe production, v2's does not).
    pairs = scores.filter(
        **{
            f"{previous}__kind": kind_of("result__assessment__previous"),
            f"{previous}__dimension_scores__dimension__compares_as": F("dimension__compares_as"),
            f"{previous}__dimension_scores__score__isnull": False,
        }
    )
    # Levels are compared only within one questionnaire version: a new version recalibrates
    # them (v2's D1–D5 are not v1's levels), while dimensions compare by comparison key.
    with_previous = results.filter(
        assessment__previous__results__kind=kind_of("assessment__previous"),
        assessment__previous__questionnaire=F("assessment__questionnaire"),
    )
    through_result = {name: F(f"result__{firm}{name}") for name in SEGMENT}
    of_result = {name: F(f"{firm}{name}") for name in SEGMENT}
    return {
        # Scores and changes count by comparison key: v1's and v2's SEC are two figures.
        Measure.SCORE: scores.values(
            **through_result, code=F("dimension__compares_as"), tenths=_tenths(F("score"))
        ),
        Measure.CHANGE: pairs.values(
            **through_result,
            code=F("dimension__compares_as"),
            tenths=_tenths(F("score")) - _tenths(F(f"{previous}__dimension_scores__score")),
        ),
        # A level counts for its questionnaire version (the cell's "dimension"): each
        # version has its own levels.
        Measure.LEVEL: results.values(
            **of_result,
            code=Cast(F("assessment__questionnaire__version"), CharField()),
            tenths=F("level"),
        ),
        Measure.MOVED: with_previous.values(
            **of_result,
            code=Value(""),
            tenths=Case(
                When(level__gt=F("assessment__previous__results__level"), then=Value(1)),
                default=Value(0),
            ),
        ),
    }


def _insert_base(measure: str, rows: QuerySet[Any]) -> None:
    grouped = rows.annotate(firms=Count("pk")).order_by()
    sql, parameters = grouped.query.sql_with_params()
    table = ResultCell._meta.db_table
    statement = f"""
        INSERT INTO {table} (level, measure, district, industry, size_class, dimension, value,
                             firms)
        SELECT %s, %s, q.district, q.industry, q.size_class, q.code, q.tenths, q.firms
        FROM ({sql}) q
    """  # noqa: S608 - the table from the model, the inner query Django's, values parameters
    with connection.cursor() as cursor:
        cursor.execute(statement, [Level.BASE, measure, *parameters])


def _insert_rollup(level: str, fields: tuple[str, ...]) -> None:
    """The cells of `level`, summed from the base cells; the fields it leaves out hold
    "" or 0."""
    table = ResultCell._meta.db_table
    kept = {name: name for name in fields}
    district = kept.get("district", "''")
    industry = kept.get("industry", "0")
    size_class = kept.get("size_class", "''")
    group = ", ".join(["measure", *fields, "dimension", "value"])
    statement = f"""
        INSERT INTO {table} (level, measure, district, industry, size_class, dimension, value,
                             firms)
        SELECT %s, measure, {district}, {industry}, {size_class}, dimension, value, SUM(firms)
        FROM {table} WHERE level = %s GROUP BY {group}
    """  # noqa: S608 - names from this module, values as parameters
    with connection.cursor() as cursor:
        cursor.execute(statement, [level, Level.BASE])
