"""Reads for the firm directory: the programme's population firms with their status, latest
assessment, provider, consultant and scores; filters, sorting and count-free pages.

A page is two statements whatever the number of firms: the first selects the page's ids
(filters and order only, LIMIT/OFFSET, no COUNT), the second reads those rows with every
annotation. Status, dates and scores come from FirmCurrent (diagnosis.current) by a join.
Exports read the same rows in chunks of ids, four plain statements a chunk (the firms, their
assessments, results and dimension scores), after three for the whole export (the ids, the
dimensions' comparison keys, the questionnaire versions' level names).
"""

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db.models import F, Q, QuerySet
from django.utils.translation import get_language

from diagnosis.models import (
    Assessment,
    Dimension,
    DimensionScore,
    Firm,
    PopulationFirm,
    QuestionnaireVersion,
    ScoreResult,
)
from diagnosis.queries.population import (
    STATUS_OF_ASSESSMENT,
    PopulationFilters,
    PopulationStatus,
    population_filter,
)

# `status=population` (the funnel's first stage) selects the whole population.
ALL_STAGES = "population"
NONE = "none"  # provider=none / consultant=none: firms without one

# Sort keys of the query string → ORDER BY; the primary key breaks ties so pages are stable.
SORTS: dict[str, tuple[str, ...]] = {
    "name": ("name", "pk"),
    "-name": ("-name", "-pk"),
    "credit_code": ("credit_code", "pk"),
    "district": ("district", "name", "pk"),
    "division": ("industry", "name", "pk"),
    "status": ("status", "name", "pk"),
    "submitted": ("latest_submitted_at", "pk"),
    "-submitted": ("-latest_submitted_at", "-pk"),
    "overall": ("overall", "pk"),
    "-overall": ("-overall", "-pk"),
}
DEFAULT_SORT = "name"


@dataclass(frozen=True)
class DirectoryFilters:
    """The population part (shared with outreach and coverage) and the directory's own."""

    population: PopulationFilters = field(default_factory=PopulationFilters)
    providers: tuple[int, ...] = ()
    without_provider: bool = False
    consultants: tuple[int, ...] = ()
    without_consultant: bool = False
    # (questionnaire version, level number): a level means something else in each version
    levels: tuple[tuple[int, int], ...] = ()
    sort: str = DEFAULT_SORT


@dataclass(frozen=True)
class DirectoryPage:
    rows: list[PopulationFirm]
    number: int
    has_next: bool

    @property
    def has_previous(self) -> bool:
        return self.number > 1


def directory_queryset(
    queryset: QuerySet[PopulationFirm], filters: DirectoryFilters
) -> QuerySet[PopulationFirm]:
    """`queryset` (already scoped to the user's districts) annotated and filtered.

    Annotations: `status` (PopulationStatus value), `latest_id`, `latest_submitted_at`,
    `latest_validated_at`, `overall` and `level` (validated if signed off, else self-assessed).
    Annotations that no filter or ordering uses cost nothing in the id query.
    """
    annotated = population_filter(queryset, filters.population).annotate(
        latest_id=F("firm__current__assessment_id"),
        latest_submitted_at=F("firm__current__submitted_at"),
        latest_validated_at=F("firm__current__validated_at"),
        overall=F("firm__current__overall"),
        level=F("firm__current__level"),
    )
    conditions = Q()
    if filters.providers or filters.without_provider:
        chosen = Q(firm__assignment__provider_id__in=filters.providers)
        if filters.without_provider:
            chosen |= Q(firm__assignment__isnull=True)
        conditions &= chosen
    if filters.consultants or filters.without_consultant:
        chosen = Q(firm__assignment__consultant_id__in=filters.consultants)
        if filters.without_consultant:
            chosen |= Q(firm__assignment__consultant__isnull=True)
        conditions &= chosen
    if filters.levels:
        chosen = Q()
        for version, level in filters.levels:
            chosen |= Q(level=level, firm__current__assessment__questionnaire__version=version)
        conditions &= chosen
    return annotated.filter(conditions)


def level_names() -> dict[tuple[int, int], str]:
    """Each level of each published questionnaire version by (version, number), named in
    the active language ("D3 集成互通" in v2, "集成级" in v1), newest version first. One
    small query (questionnaire_levels)."""
    return {
        (levels.version, number): name
        for levels in questionnaire_levels().values()
        if levels.published
        for number, name in levels.names.items()
    }


@dataclass(frozen=True)
class VersionLevels:
    version: int
    published: bool
    names: dict[int, str]  # level number → its name in the version


def questionnaire_levels(language: str | None = None) -> dict[int, VersionLevels]:
    """Every questionnaire version firms can have answered (published or retired, not a
    draft) by id, newest version first: its version number, whether it is published and its
    levels' names in `language` (else the active one). One small query; the definitions are
    cached per process."""
    language = language or get_language() or "zh-hans"
    versions = QuestionnaireVersion.objects.exclude(status=QuestionnaireVersion.Status.DRAFT)
    return {
        version.pk: VersionLevels(
            version.version,
            version.status == QuestionnaireVersion.Status.PUBLISHED,
            {level.number: level.name.get(language) for level in version.definition.levels},
        )
        for version in versions.defer("snapshot").order_by("-version", "code")
    }


def directory_ids(
    queryset: QuerySet[PopulationFirm], filters: DirectoryFilters
) -> QuerySet[PopulationFirm, int]:
    """The selected firms' ids in the chosen order (one statement when evaluated)."""
    order = SORTS.get(filters.sort, SORTS[DEFAULT_SORT])
    return directory_queryset(queryset, filters).order_by(*order).values_list("pk", flat=True)


def directory_rows(
    ids: Sequence[int], names: dict[tuple[int, int], str] | None = None
) -> list[PopulationFirm]:
    """The firms `ids` names, in that order, with every annotation and related row, and
    `level_name`: the level as its questionnaire version names it (`names`, read with
    `level_names()` when not given)."""
    rows = (
        directory_queryset(PopulationFirm.objects.filter(pk__in=list(ids)), DirectoryFilters())
        .annotate(version=F("firm__current__assessment__questionnaire__version"))
        .select_related("firm__assignment__provider", "firm__assignment__consultant")
        .in_bulk()
    )
    if names is None:
        names = level_names() if rows else {}
    ordered: list[PopulationFirm] = [rows[pk] for pk in ids if pk in rows]
    for row in ordered:
        level: int | None = getattr(row, "level", None)
        version: int = getattr(row, "version", 0) or 0
        row.level_name = (  # type: ignore[attr-defined]
            None if level is None else names.get((version, level), str(level))
        )
    return ordered


def directory_page(
    queryset: QuerySet[PopulationFirm],
    filters: DirectoryFilters,
    number: int,
    size: int,
    names: dict[tuple[int, int], str] | None = None,
) -> DirectoryPage:
    """Page `number` (from 1) without counting the rows: one more id than fits says
    whether a next page exists. A page past the end is empty."""
    start = (number - 1) * size
    ids = list(directory_ids(queryset, filters)[start : start + size + 1])
    rows = directory_rows(ids[:size], names)
    return DirectoryPage(rows=rows, number=number, has_next=len(ids) > size)


@dataclass(frozen=True)
class DimensionColumn:
    code: str  # the comparison key (queries/results.py `comparison_columns`)
    name_zh_hans: str
    name_en: str
    # The results page and the exports: the version of a key that only an older version has
    # (its name can be a newer dimension's, e.g. v1's GRN beside v2's), None for the newest.
    older_version: int | None = None


# The columns export_rows reads for each firm with plain joins; the latest assessment and
# its results are read per chunk and matched in Python (no correlated subquery per row).
EXPORT_FIELDS = (
    "firm_id",
    "credit_code",
    "name",
    "district",
    "industry",
    "size_class",
    "above_scale",
    "specialised",
    "firm__assignment__provider__name",
    "firm__assignment__consultant__name",
    "firm__assignment__consultant__email",
)


@dataclass
class ExportRow:
    # EXPORT_FIELDS, then status, started_at, latest_submitted_at, latest_validated_at,
    # overall and level, as directory_queryset annotates them, and `version` (of the latest
    # assessment's questionnaire) and `level_name` (the level as that version names it: v1's
    # 3 is 集成级, v2's 3 is D3 集成互通).
    values: dict[str, Any]
    # (comparison key, kind) → score: a dimension whose meaning changed (v2's SEC, key
    # SEC-2) is not v1's SEC (key SEC), as on the results page (FORMAT.md `compares_as`)
    scores: dict[tuple[str, str], float | None]


def _latest_assessments(firm_ids: list[int]) -> dict[int, dict[str, Any]]:
    """Each firm's latest assessment (the order population_with_status uses)."""
    latest: dict[int, dict[str, Any]] = {}
    for values in (
        Assessment.objects.filter(firm_id__in=firm_ids)
        .order_by("firm_id", "created_at", "pk")
        .values(
            "firm_id",
            "pk",
            "questionnaire_id",
            "status",
            "created_at",
            "submitted_at",
            "validated_at",
        )
    ):
        latest[values["firm_id"]] = dict(values)  # the last one of each firm wins
    return latest


def _export_chunk(
    part: list[int], keys: dict[int, str], levels: dict[int, VersionLevels]
) -> Iterator[ExportRow]:
    """The firms `part` names, in that order: four plain statements. `keys`: each
    dimension's comparison key by id; `levels`: questionnaire_levels()."""
    rows = {
        values[0]: dict(zip(EXPORT_FIELDS, values[1:], strict=True))
        for values in PopulationFirm.objects.filter(pk__in=part).values_list("pk", *EXPORT_FIELDS)
    }
    latest = _latest_assessments([r["firm_id"] for r in rows.values() if r["firm_id"]])
    assessment_ids = [values["pk"] for values in latest.values()]
    results: dict[tuple[int, str], tuple[float, int]] = {}
    scores: dict[int, dict[tuple[str, str], float | None]] = {}
    if assessment_ids:
        result_of: dict[int, tuple[int, str]] = {}
        for result_id, assessment_id, kind, overall, level in ScoreResult.objects.filter(
            assessment_id__in=assessment_ids
        ).values_list("pk", "assessment_id", "kind", "overall", "level"):
            results[(assessment_id, kind)] = (overall, level)
            result_of[result_id] = (assessment_id, kind)
        # By result id, so that PostgreSQL reads the (result, dimension) index rather than
        # joining the whole table of dimension scores once per chunk.
        for result_id, dimension_id, score in DimensionScore.objects.filter(
            result_id__in=list(result_of)
        ).values_list("result_id", "dimension_id", "score"):
            assessment_id, kind = result_of[result_id]
            scores.setdefault(assessment_id, {})[(keys[dimension_id], kind)] = score
    for pk in part:
        if (row := rows.get(pk)) is None:
            continue
        assessment = latest.get(row["firm_id"]) if row["firm_id"] else None
        if row["firm_id"] is None:
            status = PopulationStatus.NOT_REGISTERED.value
        elif assessment is None:
            status = PopulationStatus.REGISTERED.value
        else:
            status = STATUS_OF_ASSESSMENT[assessment["status"]]
        latest_id: int | None = assessment["pk"] if assessment else None
        result = results.get((latest_id or 0, ScoreResult.Kind.VALIDATED)) or results.get(
            (latest_id or 0, ScoreResult.Kind.SELF)
        )
        version = levels.get(assessment["questionnaire_id"]) if assessment else None
        row.update(
            status=status,
            started_at=assessment["created_at"] if assessment else None,
            latest_submitted_at=assessment["submitted_at"] if assessment else None,
            latest_validated_at=assessment["validated_at"] if assessment else None,
            overall=result[0] if result else None,
            level=result[1] if result else None,
            version=version.version if version else None,
            level_name=version.names.get(result[1]) if version and result else None,
        )
        yield ExportRow(values=row, scores=scores.get(latest_id, {}) if latest_id else {})


def export_rows(
    queryset: QuerySet[PopulationFirm],
    filters: DirectoryFilters,
    chunk: int = 2000,
    language: str | None = None,
) -> Iterator[ExportRow]:
    """Every selected firm in order with its latest assessment's questionnaire version,
    dates, status, scores, level (named in `language` as that version names it) and
    dimension scores (self and validated) by comparison key, read `chunk` firms at a time
    (four plain statements each, after three for the ids, the dimensions' keys and the
    versions' levels): memory stays flat however many firms there are."""
    ids = list(directory_ids(queryset, filters))
    if not ids:
        return
    keys = dict(Dimension.objects.values_list("pk", "compares_as"))
    levels = questionnaire_levels(language)
    for start in range(0, len(ids), chunk):
        yield from _export_chunk(ids[start : start + chunk], keys, levels)


def firm_assessments(firm: Firm) -> list[Assessment]:
    """The firm's assessments, newest first, with their stored results (two statements)."""
    return list(
        Assessment.objects.filter(firm=firm)
        .select_related("questionnaire")
        .defer("questionnaire__snapshot")
        .prefetch_related("results")
        .order_by("-created_at", "-pk")
    )


def manager_firm_ids(provider_ids: Sequence[int], filters: DirectoryFilters) -> list[int]:
    """The firms assigned to the manager's providers that the filter selects (district,
    division, size, name or credit code, consultant or none): registered firms, whether in
    the population or not."""
    population = filters.population
    firms = Firm.objects.filter(assignment__provider_id__in=list(provider_ids))
    if population.districts:
        firms = firms.filter(district__in=population.districts)
    if population.industries:
        firms = firms.filter(industry__in=population.industries)
    if population.size_classes:
        firms = firms.filter(size_class__in=population.size_classes)
    if population.search:
        firms = firms.filter(
            Q(name__icontains=population.search) | Q(credit_code=population.search.upper())
        )
    if filters.consultants or filters.without_consultant:
        chosen = Q(assignment__consultant_id__in=filters.consultants)
        if filters.without_consultant:
            chosen |= Q(assignment__consultant__isnull=True)
        firms = firms.filter(chosen)
    return list(firms.order_by("pk").values_list("pk", flat=True))


def format_date(value: datetime | None) -> str:
    return value.date().isoformat() if value else ""
