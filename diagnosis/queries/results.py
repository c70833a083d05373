"""The programme's results: maturity levels, dimension scores by quartile for the reference
set (the city, or a district officer's districts) and a segment of it, the weakest
dimensions per district, division or size class, and the change between a firm's previous
and current assessment.

A firm's result is its latest submitted assessment's score card: validated if signed off,
else self-assessed; the previous assessment's likewise (`current_results`). The figures are
read from the pre-aggregated result cells (models/figures.py, refreshed by
services/result_figures.py): each statement sums the cells of one measure over a segment,
grouped by dimension and value, and the quartiles are read off those counts exactly as
percentile_cont would compute them from the scores. A fixed number of statements, whose cost
depends on the number of distinct values, not of firms. Every figure carries the number of
firms it covers; `minimum` (settings.PEER_MIN_COUNT for anyone outside the programme office)
turns a figure covering fewer firms into None, the same as no figure at all.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db.models import Case, Exists, OuterRef, Q, QuerySet, Sum, Value, When

from diagnosis.models import Assessment, Dimension, ResultCell, ResultRefresh, ScoreResult
from diagnosis.queries.directory import DimensionColumn
from diagnosis.queries.population import PopulationFilters
from diagnosis.queries.quantiles import Quartiles, quartiles_of_counts

Level = ResultCell.Level
Measure = ResultCell.Measure

LEVELS = range(0, 6)
WEAKEST = 3  # dimensions named per segment
# The firm's field for each breakdown of the weakest dimensions (the directory's names).
BREAKDOWN_FIELDS = {"district": "district", "division": "industry", "size": "size_class"}


def kind_of(assessment: str) -> Case:
    """The kind of result to read of the assessment reached through `assessment`: validated
    if it was signed off (sign-off stores that result in the same transaction), else
    self-assessed. A condition on the row, so that results are read by joins."""
    return Case(
        When(**{f"{assessment}__status": Assessment.Status.VALIDATED}, then=Value("validated")),
        default=Value("self"),
    )


def current_results(districts: Iterable[str] | None) -> QuerySet[ScoreResult]:
    """The result of each firm (of `districts`; None: every district): its latest submitted
    assessment's. Latest in the order population_with_status uses (created, then id): no
    later submitted assessment of the firm exists, an anti-join rather than a subquery per
    firm."""
    later = Assessment.objects.filter(
        Q(created_at__gt=OuterRef("assessment__created_at"))
        | Q(created_at=OuterRef("assessment__created_at"), pk__gt=OuterRef("assessment_id")),
        firm=OuterRef("assessment__firm_id"),
        submitted_at__isnull=False,
    )
    results = ScoreResult.objects.filter(
        ~Exists(later), assessment__submitted_at__isnull=False, kind=kind_of("assessment")
    )
    if districts is not None:
        results = results.filter(assessment__firm__district__in=sorted(districts))
    return results


def comparison_columns() -> list[DimensionColumn]:
    """Every comparison key (FORMAT.md `compares_as`) of every questionnaire version, once,
    in questionnaire order, newest version first: the dimensions the figures compare across
    versions, each named by the newest version that has it. One query."""
    newest: dict[str, int] = {}
    seen: dict[str, DimensionColumn] = {}
    for questionnaire, version, key, zh, en in Dimension.objects.order_by(
        "questionnaire__code", "-questionnaire__version", "position"
    ).values_list(
        "questionnaire__code", "questionnaire__version", "compares_as", "name_zh_hans", "name_en"
    ):
        newest.setdefault(questionnaire, version)
        older = None if version == newest[questionnaire] else version
        seen.setdefault(key, DimensionColumn(key, zh, en, older_version=older))
    return list(seen.values())


def _shown(count: int, minimum: int) -> bool:
    return count >= max(minimum, 1)


@dataclass
class LevelDistribution:
    """Firms per maturity level, for the reference set and the segment; None if suppressed."""

    reference: dict[int, int] | None
    segment: dict[int, int] | None

    @staticmethod
    def share(counts: dict[int, int] | None) -> dict[int, float] | None:
        total = sum(counts.values()) if counts else 0
        return {level: n / total for level, n in counts.items()} if counts and total else None


@dataclass
class DimensionFigures:
    dimension: DimensionColumn
    reference: Quartiles | None = None
    segment: Quartiles | None = None
    change_reference: Quartiles | None = None
    change_segment: Quartiles | None = None


@dataclass
class WeakestRow:
    key: str  # the breakdown's value (district value, division code, size class)
    firms: int
    weakest: list[tuple[DimensionColumn, float]] = field(default_factory=list)


@dataclass
class LevelChange:
    firms: int
    moved_up: int

    @property
    def share(self) -> float:
        return self.moved_up / self.firms


@dataclass
class Results:
    levels: LevelDistribution  # of the newest questionnaire version with results
    levels_version: int | None
    older_levels: list[tuple[int, LevelDistribution]]  # older versions', newest first
    dimensions: list[DimensionFigures]
    weakest: list[WeakestRow]
    change_reference: LevelChange | None
    change_segment: LevelChange | None
    computed_at: datetime | None  # of the cells; None: never computed yet


# The cells' fields of each part of a segment, and the level that keeps only that part.
FIELDS = {"districts": "district", "industries": "industry", "size_classes": "size_class"}
LEVEL_OF = {"district": Level.DISTRICT, "industry": Level.INDUSTRY, "size_class": Level.SIZE}

type Conditions = dict[str, tuple[Any, ...]]


def _conditions(districts: Iterable[str] | None, segment: PopulationFilters | None) -> Conditions:
    """The reference set (`districts`; None: the city), narrowed to `segment` if given, as
    {cell field: allowed values}."""
    conditions: Conditions = {}
    if districts is not None:
        conditions["district"] = tuple(sorted(districts))
    for attribute, name in FIELDS.items():
        values = getattr(segment, attribute) if segment else ()
        if values:
            conditions[name] = tuple(values)
    return conditions


def _cells(measure: str, conditions: Conditions, group: str | None = None) -> QuerySet[Any]:
    """The cells of `measure` that add up to the segment of `conditions`: those of the
    level that keeps exactly the fields it names (and `group`), else the base cells."""
    needed = set(conditions) | ({group} if group else set())
    if not needed:
        level = Level.ALL
    elif len(needed) == 1:
        level = LEVEL_OF[next(iter(needed))]
    else:
        level = Level.BASE
    filters = {f"{name}__in": values for name, values in conditions.items()}
    return ResultCell.objects.filter(level=level, measure=measure, **filters)


def _histograms(
    measure: str, conditions: Conditions, group: str | None = None
) -> dict[tuple[Any, str], list[tuple[int, int]]]:
    """{(group value or None, dimension): [(value, firms), …] by value}: one statement."""
    keys = ([group] if group else []) + ["dimension", "value"]
    rows = (
        _cells(measure, conditions, group)
        .values_list(*keys)
        .annotate(total=Sum("firms"))
        .order_by(*keys)
    )
    found: dict[tuple[Any, str], list[tuple[int, int]]] = {}
    for row in rows:
        key = (row[0] if group else None, row[-3])
        found.setdefault(key, []).append((row[-2], row[-1]))
    return found


def _quartiles(measure: str, conditions: Conditions, minimum: int) -> dict[str, Quartiles | None]:
    return {
        code: quartiles_of_counts([(value / 10, firms) for value, firms in counts]).at_least(
            minimum
        )
        for (_group, code), counts in _histograms(measure, conditions).items()
    }


def _counts(measure: str, conditions: Conditions) -> dict[int, int]:
    return {value: firms for value, firms in _histograms(measure, conditions).get((None, ""), [])}


def _levels(conditions: Conditions, minimum: int) -> dict[int, dict[int, int] | None]:
    """Firms per level, by questionnaire version (levels differ between versions)."""
    by_version = {}
    for (_group, code), found in _histograms(Measure.LEVEL, conditions).items():
        counts = dict.fromkeys(LEVELS, 0) | dict(found)
        # 0: cells of a refresh from before levels were kept by version
        version = int(code) if code.isdigit() else 0
        by_version[version] = counts if _shown(sum(counts.values()), minimum) else None
    return by_version


def _level_change(conditions: Conditions, minimum: int) -> LevelChange | None:
    counts = _counts(Measure.MOVED, conditions)
    change = LevelChange(sum(counts.values()), counts.get(1, 0))
    return change if _shown(change.firms, minimum) else None


def _weakest(
    conditions: Conditions, by: str, columns: dict[str, DimensionColumn], minimum: int
) -> list[WeakestRow]:
    group = BREAKDOWN_FIELDS[by]
    rows: dict[str, WeakestRow] = {}
    for (key, code), counts in _histograms(Measure.SCORE, conditions, group).items():
        row = rows.setdefault(str(key), WeakestRow(key=str(key), firms=0))
        quartiles = quartiles_of_counts([(value / 10, firms) for value, firms in counts])
        shown = quartiles.at_least(minimum)
        if shown is not None and shown.median is not None and code in columns:
            row.weakest.append((columns[code], shown.median))
        row.firms = max(row.firms, quartiles.count)
    for row in rows.values():
        row.weakest = sorted(row.weakest, key=lambda item: (item[1], item[0].code))[:WEAKEST]
    # A segment with too few firms is left out, as one with none is.
    return [row for row in rows.values() if _shown(row.firms or 0, minimum) and row.weakest]


def programme_results(
    districts: Iterable[str] | None, segment: PopulationFilters, *, by: str, minimum: int
) -> Results:
    """The results of the firms of `districts` (None: the city), the reference set, and of
    its `segment`; the weakest dimensions per `by` (a BREAKDOWN_FIELDS key) within the
    segment. From the last refresh of the result cells."""
    reference = _conditions(districts, None)
    narrowed = _conditions(districts, segment)
    same = narrowed == reference  # no segment chosen: its figures are the reference's
    columns = {column.code: column for column in comparison_columns()}
    scores = _quartiles(Measure.SCORE, reference, minimum)
    changes = _quartiles(Measure.CHANGE, reference, minimum)
    segment_scores = scores if same else _quartiles(Measure.SCORE, narrowed, minimum)
    segment_changes = changes if same else _quartiles(Measure.CHANGE, narrowed, minimum)
    dimensions = [  # every dimension, with figures or without
        DimensionFigures(
            dimension=column,
            reference=scores.get(code),
            segment=segment_scores.get(code),
            change_reference=changes.get(code),
            change_segment=segment_changes.get(code),
        )
        for code, column in columns.items()
    ]
    levels = _levels(reference, minimum)
    segment_levels = levels if same else _levels(narrowed, minimum)
    distributions: list[tuple[int | None, LevelDistribution]] = [
        (version, LevelDistribution(levels.get(version), segment_levels.get(version)))
        for version in sorted(levels.keys() | segment_levels.keys(), reverse=True)
    ] or [(None, LevelDistribution(None, None))]
    change = _level_change(reference, minimum)
    refresh = ResultRefresh.objects.filter(pk=1).values_list("computed_at", flat=True).first()
    return Results(
        levels=distributions[0][1],
        levels_version=distributions[0][0],
        older_levels=[(v, d) for v, d in distributions[1:] if v],
        dimensions=dimensions,
        weakest=_weakest(narrowed, by, columns, minimum),
        change_reference=change,
        change_segment=change if same else _level_change(narrowed, minimum),
        computed_at=refresh,
    )
