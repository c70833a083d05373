"""The programme's results: maturity levels, dimension scores by quartile for the reference
set (the city, or a district officer's districts) and a segment of it, the weakest
dimensions per district, division or size class, and the change between a firm's previous
and current assessment.

A firm's result is its latest submitted assessment's score card: validated if signed off,
else self-assessed; the previous assessment's likewise. Both are read by joins and an
anti-join (no subquery per firm). Six statements whatever the number of firms (quartiles:
queries/quantiles.py). Every figure carries the number of firms it covers;
`minimum` (settings.PEER_MIN_COUNT for anyone outside the programme office) turns a figure
covering fewer firms into None, the same as no figure at all.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import (
    Case,
    Count,
    Exists,
    Expression,
    F,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)

from diagnosis.models import Assessment, DimensionScore, ScoreResult
from diagnosis.queries.directory import DimensionColumn, dimension_columns
from diagnosis.queries.population import PopulationFilters
from diagnosis.queries.quantiles import Quartiles, grouped_quartiles

LEVELS = range(0, 6)
WEAKEST = 3  # dimensions named per segment
# The firm's field for each breakdown of the weakest dimensions (the directory's names).
BREAKDOWN_FIELDS = {"district": "district", "division": "industry", "size": "size_class"}


def _kind_of(assessment: str) -> Case:
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
        ~Exists(later), assessment__submitted_at__isnull=False, kind=_kind_of("assessment")
    )
    if districts is not None:
        results = results.filter(assessment__firm__district__in=sorted(districts))
    return results


def segment_condition(segment: PopulationFilters, firm: str) -> Q | None:
    """The segment as a condition on the firm reached through `firm`;
    None when the segment is everything."""
    prefix = f"{firm}__" if firm else ""
    conditions = Q()
    if segment.districts:
        conditions &= Q(**{f"{prefix}district__in": segment.districts})
    if segment.industries:
        conditions &= Q(**{f"{prefix}industry__in": segment.industries})
    if segment.size_classes:
        conditions &= Q(**{f"{prefix}size_class__in": segment.size_classes})
    return conditions or None


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


def level_distribution(
    results: QuerySet[ScoreResult], segment: Q | None, minimum: int
) -> LevelDistribution:
    rows = (
        results.order_by()
        .values("level")
        .annotate(reference=Count("pk"), segment=Count("pk", filter=segment))
    )
    reference = dict.fromkeys(LEVELS, 0)
    in_segment = dict.fromkeys(LEVELS, 0)
    for row in rows:
        reference[row["level"]] = row["reference"]
        in_segment[row["level"]] = row["segment"]
    return LevelDistribution(
        reference=reference if _shown(sum(reference.values()), minimum) else None,
        segment=in_segment if _shown(sum(in_segment.values()), minimum) else None,
    )


@dataclass
class DimensionFigures:
    dimension: DimensionColumn
    reference: Quartiles | None = None
    segment: Quartiles | None = None
    change_reference: Quartiles | None = None
    change_segment: Quartiles | None = None


def _by_dimension(
    scores: QuerySet[DimensionScore], value: Expression | F, segment: Q | None, minimum: int
) -> dict[str, tuple[Quartiles | None, Quartiles | None]]:
    subsets = {"reference": None, "segment": segment}
    found = grouped_quartiles(scores, ["dimension__code"], value, subsets)
    return {
        key[0]: (figures["reference"].at_least(minimum), figures["segment"].at_least(minimum))
        for key, figures in found.items()
    }


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
    levels: LevelDistribution
    dimensions: list[DimensionFigures]
    weakest: list[WeakestRow]
    change_reference: LevelChange | None
    change_segment: LevelChange | None


def _weakest(
    scores: QuerySet[DimensionScore],
    by: str,
    columns: dict[str, DimensionColumn],
    minimum: int,
) -> list[WeakestRow]:
    group = f"result__assessment__firm__{BREAKDOWN_FIELDS[by]}"
    found = grouped_quartiles(scores, [group, "dimension__code"], F("score"), {"all": None})
    rows: dict[str, WeakestRow] = {}
    for (key, code), figures in found.items():
        row = rows.setdefault(str(key), WeakestRow(key=str(key), firms=0))
        quartiles = figures["all"].at_least(minimum)
        if quartiles is not None and quartiles.median is not None and code in columns:
            row.weakest.append((columns[code], quartiles.median))
        row.firms = max(row.firms, figures["all"].count)
    for row in rows.values():
        row.weakest = sorted(row.weakest, key=lambda item: (item[1], item[0].code))[:WEAKEST]
    # A segment with too few firms is left out, as one with none is.
    return [row for row in rows.values() if _shown(row.firms or 0, minimum) and row.weakest]


def _level_change(
    results: QuerySet[ScoreResult], segment: Q | None, minimum: int
) -> tuple[LevelChange | None, LevelChange | None]:
    pairs = results.filter(
        assessment__previous__results__kind=_kind_of("assessment__previous")
    ).annotate(previous_level=F("assessment__previous__results__level"))
    up = Q(level__gt=F("previous_level"))
    figures = pairs.aggregate(
        firms=Count("pk"),
        moved_up=Count("pk", filter=up),
        segment_firms=Count("pk", filter=segment),
        segment_moved_up=Count("pk", filter=up & segment if segment else up),
    )
    reference = LevelChange(figures["firms"], figures["moved_up"])
    in_segment = LevelChange(figures["segment_firms"], figures["segment_moved_up"])
    return (
        reference if _shown(reference.firms, minimum) else None,
        in_segment if _shown(in_segment.firms, minimum) else None,
    )


def programme_results(
    districts: Iterable[str] | None, segment: PopulationFilters, *, by: str, minimum: int
) -> Results:
    """The results of the firms of `districts` (None: the city), the reference set, and of
    its `segment`; the weakest dimensions per `by` (a BREAKDOWN_FIELDS key) within the
    segment."""
    results = current_results(districts)
    in_segment = segment_condition(segment, "assessment__firm")
    scores = DimensionScore.objects.filter(result__in=results)
    score_segment = segment_condition(segment, "result__assessment__firm")
    columns = {column.code: column for column in dimension_columns()}
    quartiles = _by_dimension(scores, F("score"), score_segment, minimum)
    # One filter() call: the previous result and its score of the same dimension (by code:
    # the previous assessment may be of an older questionnaire version) are one join chain.
    previous = "result__assessment__previous__results"
    pairs = scores.filter(
        **{
            f"{previous}__kind": _kind_of("result__assessment__previous"),
            f"{previous}__dimension_scores__dimension__code": F("dimension__code"),
        }
    ).annotate(previous_score=F(f"{previous}__dimension_scores__score"))
    changes = _by_dimension(pairs, F("score") - F("previous_score"), score_segment, minimum)
    dimensions = []
    for code, column in columns.items():  # every dimension, with figures or without
        figures = DimensionFigures(dimension=column)
        figures.reference, figures.segment = quartiles.get(code, (None, None))
        figures.change_reference, figures.change_segment = changes.get(code, (None, None))
        dimensions.append(figures)
    segment_scores = scores.filter(score_segment) if score_segment else scores
    change_reference, change_segment = _level_change(results, in_segment, minimum)
    return Results(
        levels=level_distribution(results, in_segment, minimum),
        dimensions=dimensions,
        weakest=_weakest(segment_scores, by, columns, minimum),
        change_reference=change_reference,
        change_segment=change_segment,
    )
