"""Refreshing the peer benchmarks: every BenchmarkCell recomputed from the stored scores.

The inputs are one assessment per firm: its latest signed-off one with its validated scores
(with PEER_INCLUDE_SUBMITTED, its latest submitted one: validated scores if signed off,
else self-assessed, counted as such). Its overall index counts for its own questionnaire
version; each dimension score counts for every version of the same questionnaire that has
a dimension of the same comparison key (FORMAT.md `compares_as`, by default the code;
README "Peer benchmarks": a dimension that keeps its code but changes meaning gets a new
key, so v1's SEC never counts for v2's SEC).

PostgreSQL computes every cell in one INSERT … SELECT: percentile_cont over GROUPING SETS of
the four segment levels. SQLite has no percentile function: the scores come sorted from the
database, one row at a time, and are interpolated here exactly as percentile_cont does
(queries/quantiles.py), so both give the same figures. The old cells are replaced in one
transaction: a refresh that fails keeps them, logs why and records it on BenchmarkRefresh.

After each sign-off a refresh is queued (debounced); `manage.py refresh_benchmarks` runs
one nightly.
"""

import logging
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import groupby
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.tasks import task
from django.utils import timezone

from diagnosis.models import (
    Assessment,
    BenchmarkCell,
    BenchmarkRefresh,
    Dimension,
    DimensionScore,
    Firm,
    QuestionnaireVersion,
    ScoreResult,
)
from diagnosis.models.benchmark import OVERALL, PERCENTILE_STEPS
from diagnosis.queries.quantiles import percentile_cont
from diagnosis.services.result_figures import refresh_result_figures

logger = logging.getLogger("diagnosis.benchmarks")

FRACTIONS = [step / PERCENTILE_STEPS for step in range(PERCENTILE_STEPS + 1)]
Segment = BenchmarkCell.Segment
# A queued refresh that has not started after this long is taken as lost: queue another.
QUEUED_TOO_LONG = timedelta(hours=1)
# Serialises refreshes on PostgreSQL (pg_advisory_xact_lock); any constant of ours.
REFRESH_LOCK = 7_413_001


class BenchmarkRefreshFailed(Exception):
    """A refresh failed; the previous cells are kept (the message says why)."""


@dataclass(frozen=True)
class RefreshOutcome:
    succeeded: bool
    cells: int
    seconds: float
    error: str = ""


def refresh_benchmarks() -> RefreshOutcome:
    """Recompute every benchmark cell in one transaction. Never raises: a failure keeps the
    previous cells, is logged and recorded on BenchmarkRefresh, and returned."""
    started = timezone.now()
    clock = time.perf_counter()
    _record(started_at=started)
    try:
        with transaction.atomic():
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_advisory_xact_lock(%s)", [REFRESH_LOCK])
            BenchmarkCell.objects.all().delete()
            cells = _write_cells(started, settings.PEER_MIN_COUNT)
    except Exception as error:
        seconds = time.perf_counter() - clock
        logger.exception("Peer benchmark refresh failed; the previous cells are kept")
        _record(finished_at=timezone.now(), succeeded=False, error=repr(error), seconds=seconds)
        return RefreshOutcome(False, 0, seconds, repr(error))
    seconds = time.perf_counter() - clock
    _record(finished_at=timezone.now(), succeeded=True, error="", cells=cells, seconds=seconds)
    logger.info("Peer benchmarks refreshed: %d cells in %.1f s", cells, seconds)
    return RefreshOutcome(True, cells, seconds)


def _record(**fields: Any) -> None:
    """Note the refresh's progress on the BenchmarkRefresh row (its own statement)."""
    try:
        if not BenchmarkRefresh.objects.filter(pk=1).update(**fields):
            BenchmarkRefresh.objects.create(pk=1, **fields)
    except Exception:
        logger.exception("Could not record the benchmark refresh's state")


def _write_cells(now: datetime, minimum: int) -> int:
    if connection.vendor == "postgresql":
        return _write_cells_in_database(now, minimum)
    cells = list(_cells_in_python(now, minimum))
    BenchmarkCell.objects.bulk_create(cells, batch_size=500)
    return len(cells)


def _tables() -> dict[str, str]:
    models: dict[str, Any] = {
        "assessment": Assessment,
        "firm": Firm,
        "result": ScoreResult,
        "score": DimensionScore,
        "dimension": Dimension,
        "version": QuestionnaireVersion,
        "cell": BenchmarkCell,
    }
    return {name: connection.ops.quote_name(model._meta.db_table) for name, model in models.items()}


def _scores_sql() -> tuple[str, list[Any]]:
    """A statement (WITH … SELECT) of every score that counts: target questionnaire version,
    the target version's dimension code (OVERALL for the index), score, the firm's division,
    size class and district, and 1 if the score is self-assessed. A dimension score counts
    for the dimension of each target version that has its comparison key."""
    statuses = [Assessment.Status.VALIDATED]
    if settings.PEER_INCLUDE_SUBMITTED:
        statuses += [Assessment.Status.SUBMITTED, Assessment.Status.IN_REVIEW]
    marks = ", ".join(["%s"] * len(statuses))
    sql = """
        WITH latest AS (
            SELECT a.id, a.firm_id, a.questionnaire_id, a.status,
                   ROW_NUMBER() OVER (
                       PARTITION BY a.firm_id ORDER BY a.created_at DESC, a.id DESC
                   ) AS position
            FROM {assessment} a
            WHERE a.status IN ({marks})
        ),
        chosen AS (
            SELECT l.questionnaire_id, f.industry, f.size_class, f.district,
                   r.id AS result_id, r.overall,
                   CASE WHEN r.kind = %s THEN 1 ELSE 0 END AS self_assessed
            FROM latest l
            JOIN {firm} f ON f.id = l.firm_id
            JOIN {result} r ON r.assessment_id = l.id
                AND r.kind = CASE WHEN l.status = %s THEN %s ELSE %s END
            WHERE l.position = 1
        ),
        scores AS (
            SELECT c.questionnaire_id, %s AS dimension, c.overall AS score,
                   c.industry, c.size_class, c.district, c.self_assessed
            FROM chosen c
            UNION ALL
            SELECT target.questionnaire_id, target.code, s.score,
                   c.industry, c.size_class, c.district, c.self_assessed
            FROM chosen c
            JOIN {score} s ON s.result_id = c.result_id
            JOIN {dimension} own ON own.id = s.dimension_id
            JOIN {version} own_version ON own_version.id = own.questionnaire_id
            JOIN {version} target_version ON target_version.code = own_version.code
                AND target_version.status <> %s
            JOIN {dimension} target ON target.questionnaire_id = target_version.id
                AND target.compares_as = own.compares_as
            WHERE s.score IS NOT NULL
        )
    """.format(marks=marks, **_tables())  # noqa: S608 - table names from the models
    parameters: list[Any] = [
        *statuses,
        ScoreResult.Kind.SELF,
        Assessment.Status.VALIDATED,
        ScoreResult.Kind.VALIDATED,
        ScoreResult.Kind.SELF,
        OVERALL,
        QuestionnaireVersion.Status.DRAFT,
    ]
    return sql, parameters


def _write_cells_in_database(now: datetime, minimum: int) -> int:
    """PostgreSQL: every cell in one statement. GROUPING(industry, size_class, district) is
    0, 1, 3 or 7 for the four segment levels (a bit per column left out)."""
    scores, parameters = _scores_sql()
    tables = _tables()
    sql = f"""
        {scores}
        INSERT INTO {tables["cell"]} (questionnaire_id, segment, industry, size_class,
            district, dimension, firms, self_assessed, p25, median, p75, percentiles,
            computed_at)
        SELECT questionnaire_id,
               CASE level WHEN 0 THEN %s WHEN 1 THEN %s WHEN 3 THEN %s ELSE %s END,
               COALESCE(industry, 0), COALESCE(size_class, ''), COALESCE(district, ''),
               dimension, firms, self_assessed,
               percentiles[%s], percentiles[%s], percentiles[%s], to_jsonb(percentiles), %s
        FROM (
            SELECT questionnaire_id, dimension, industry, size_class, district,
                   GROUPING(industry, size_class, district) AS level,
                   COUNT(*) AS firms, SUM(self_assessed) AS self_assessed,
                   PERCENTILE_CONT(%s::float8[]) WITHIN GROUP (ORDER BY score) AS percentiles
            FROM scores
            GROUP BY questionnaire_id, dimension,
                GROUPING SETS ((industry, size_class, district), (industry, size_class),
                               (industry), ())
            HAVING COUNT(*) >= %s
        ) cells
    """  # noqa: S608 - table names from the models, values as parameters
    step = PERCENTILE_STEPS // 4  # PostgreSQL arrays count from 1
    parameters += [
        Segment.DIVISION_SIZE_DISTRICT,
        Segment.DIVISION_SIZE,
        Segment.DIVISION,
        Segment.ALL,
        step + 1,
        2 * step + 1,
        3 * step + 1,
        now,
        FRACTIONS,
        max(minimum, 1),
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, parameters)
        return cursor.rowcount


type SegmentKey = tuple[str, int, str, str]


def _segments(industry: int, size_class: str, district: str) -> tuple[SegmentKey, ...]:
    return (
        (Segment.DIVISION_SIZE_DISTRICT, industry, size_class, district),
        (Segment.DIVISION_SIZE, industry, size_class, ""),
        (Segment.DIVISION, industry, "", ""),
        (Segment.ALL, 0, "", ""),
    )


def _sorted_scores() -> Iterator[tuple[Any, ...]]:
    """Every score that counts, by version, dimension and score, streamed."""
    scores, parameters = _scores_sql()
    sql = f"""{scores}
        SELECT questionnaire_id, dimension, score, industry, size_class, district,
               self_assessed
        FROM scores ORDER BY questionnaire_id, dimension, score"""  # noqa: S608 - as above
    with connection.cursor() as cursor:
        cursor.execute(sql, parameters)
        while rows := cursor.fetchmany(5000):
            yield from rows


def _cells_in_python(now: datetime, minimum: int) -> Iterator[BenchmarkCell]:
    """The cells from the sorted scores, one (version, dimension) at a time: each score goes
    to its four segments, whose lists stay sorted."""
    for (questionnaire_id, dimension), rows in groupby(_sorted_scores(), lambda r: r[:2]):
        values: dict[SegmentKey, list[float]] = {}
        self_assessed: dict[SegmentKey, int] = {}
        for _version, _dimension, score, industry, size_class, district, is_self in rows:
            for key in _segments(industry, size_class, district):
                values.setdefault(key, []).append(score)
                self_assessed[key] = self_assessed.get(key, 0) + is_self
        for key, ordered in values.items():
            if len(ordered) >= max(minimum, 1):
                yield _cell(questionnaire_id, dimension, key, ordered, self_assessed[key], now)


def _cell(
    questionnaire_id: int,
    dimension: str,
    key: SegmentKey,
    ordered: Sequence[float],
    self_assessed: int,
    now: datetime,
) -> BenchmarkCell:
    percentiles = [_at(ordered, fraction) for fraction in FRACTIONS]
    step = PERCENTILE_STEPS // 4
    segment, industry, size_class, district = key
    return BenchmarkCell(
        questionnaire_id=questionnaire_id,
        segment=segment,
        industry=industry,
        size_class=size_class,
        district=district,
        dimension=dimension,
        firms=len(ordered),
        self_assessed=self_assessed,
        p25=percentiles[step],
        median=percentiles[2 * step],
        p75=percentiles[3 * step],
        percentiles=percentiles,
        computed_at=now,
    )


def _at(ordered: Sequence[float], fraction: float) -> float:
    value = percentile_cont(ordered, fraction)
    assert value is not None  # a cell has at least one score
    return value


def refresh_programme_figures() -> RefreshOutcome:
    """Refresh the programme's result figures, then the peer benchmarks (idempotent: both
    are recomputed from the stored scores). Never raises: a failure of either is logged and
    recorded; the benchmarks' outcome is returned."""
    refresh_result_figures()
    return refresh_benchmarks()


@task
def benchmark_refresh_task() -> int:
    """refresh_programme_figures() as a task; raises when the benchmark refresh failed, so
    the backend records the failure (a failed figures refresh is logged and recorded)."""
    outcome = refresh_programme_figures()
    if not outcome.succeeded:
        raise BenchmarkRefreshFailed(outcome.error)
    return outcome.cells


_HELD: ContextVar[bool] = ContextVar("benchmark_refreshes_held", default=False)


@contextmanager
def benchmark_refreshes_held() -> Iterator[None]:
    """Inside, sign-offs queue no refresh: for bulk work that refreshes once itself at the
    end (the demo seed signs off dozens of assessments, and on the immediate backend each
    would have run a whole refresh)."""
    token = _HELD.set(True)
    try:
        yield
    finally:
        _HELD.reset(token)


def benchmark_refresh_after_commit() -> None:
    """Queue a refresh once the current transaction (a sign-off) commits, debounced: none if
    one is queued and not started yet (it will see this sign-off); otherwise no sooner than
    BENCHMARK_REFRESH_DEBOUNCE_SECONDS after the last one started, where the backend can
    defer tasks (django-tasks-db can; the immediate backend runs it at once). None at all
    inside benchmark_refreshes_held()."""
    if not _HELD.get():
        transaction.on_commit(_queue_refresh)


def _queue_refresh() -> None:
    now = timezone.now()
    with transaction.atomic():
        state, _created = BenchmarkRefresh.objects.select_for_update().get_or_create(pk=1)
        if _waiting(state, now):
            return
        state.queued_at = now
        state.save(update_fields=["queued_at"])
    run_after = None
    debounce = timedelta(seconds=settings.BENCHMARK_REFRESH_DEBOUNCE_SECONDS)
    if state.started_at is not None and now - state.started_at < debounce:
        run_after = state.started_at + debounce
    queued = benchmark_refresh_task
    try:
        if run_after is not None and queued.get_backend().supports_defer:
            queued = queued.using(run_after=run_after)
        queued.enqueue()
    except Exception:
        logger.exception("Could not queue a benchmark refresh; the nightly one will run")
        BenchmarkRefresh.objects.filter(pk=1).update(queued_at=None)


def _waiting(state: BenchmarkRefresh, now: datetime) -> bool:
    """Whether a refresh is queued that has not started yet (and is not lost)."""
    if state.queued_at is None or now - state.queued_at > QUEUED_TOO_LONG:
        return False
    return state.started_at is None or state.started_at < state.queued_at
