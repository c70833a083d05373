"""Coverage of the target population: how many firms are at each stage of the programme,
by district, industry division and size class, against the district quotas.

One grouped statement counts the firms by (district, division, size class, registered,
latest assessment status), whatever the number of firms; the three breakdowns and the
totals are sums of its rows (at most a few thousand groups). The latest assessment is read
by one correlated subquery per firm, in the order population_with_status uses, and its
status is mapped to a stage in Python (STATUS_OF_ASSESSMENT), so both agree.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db.models import (
    BooleanField,
    Count,
    ExpressionWrapper,
    F,
    Q,
    QuerySet,
)

from diagnosis.firmdata import District, Industry, SizeClass
from diagnosis.models import DistrictQuota, PopulationFirm
from diagnosis.queries.population import (
    STATUS_OF_ASSESSMENT,
    PopulationFilters,
    PopulationStatus,
)

# Every stage in the funnel's order: each firm is at exactly one of them.
STAGES: tuple[str, ...] = tuple(status.value for status in PopulationStatus)
# The funnel's cumulative steps: the firms that reached a step are those now at one of these
# stages (a returned firm has been submitted; a signed-off one may or may not have been
# returned, which its current stage does not say, so "returned" is no step of its own).
REACHED: dict[str, tuple[str, ...]] = {
    "population": STAGES,
    "registered": STAGES[1:],
    "started": STAGES[2:],
    "submitted": STAGES[3:],
    "signed_off": (PopulationStatus.SIGNED_OFF.value,),
}


@dataclass
class CoverageRow:
    """The firms of one group (a district, a division, a size class, or everyone) by stage."""

    key: str  # the directory's query value: district value, division code, size class
    label: str
    stages: dict[str, int] = field(default_factory=lambda: dict.fromkeys(STAGES, 0))
    quota: int | None = None

    @property
    def population(self) -> int:
        return sum(self.stages.values())

    def reached(self, step: str) -> int:
        return sum(self.stages[stage] for stage in REACHED[step])

    @property
    def signed_off(self) -> int:
        return self.stages[PopulationStatus.SIGNED_OFF.value]

    @property
    def quota_share(self) -> float | None:
        """Signed-off firms as a share of the quota (may pass 1), None without a quota."""
        if not self.quota:
            return None
        return self.signed_off / self.quota


@dataclass
class Coverage:
    total: CoverageRow
    districts: list[CoverageRow]
    divisions: list[CoverageRow]
    sizes: list[CoverageRow]


# district, division, size class, registered, latest assessment's status, firms
type _Group = tuple[str, int, str, bool, str | None, int]


def _grouped(queryset: QuerySet[PopulationFirm]) -> Iterable[_Group]:
    return (
        queryset.order_by()
        .annotate(
            registered=ExpressionWrapper(Q(firm__isnull=False), output_field=BooleanField()),
            latest_status=F("firm__current__status"),  # diagnosis.current keeps it
        )
        .values_list("district", "industry", "size_class", "registered", "latest_status")
        .annotate(firms=Count("pk"))
        .values_list("district", "industry", "size_class", "registered", "latest_status", "firms")
    )


def _stage(registered: bool, latest_status: str | None) -> str:
    if not registered:
        return PopulationStatus.NOT_REGISTERED.value
    if latest_status is None:
        return PopulationStatus.REGISTERED.value
    return STATUS_OF_ASSESSMENT[latest_status]


def _rows[K](
    counts: dict[K, dict[str, int]], order: Iterable[K], label: Callable[[K], str]
) -> list[CoverageRow]:
    return [
        CoverageRow(key=str(key), label=label(key), stages=counts[key])
        for key in order
        if key in counts
    ]


def coverage(queryset: QuerySet[PopulationFirm], *, with_quotas: Iterable[str] = ()) -> Coverage:
    """The firms of `queryset` (scoped and filtered) by stage: in total, by district (with
    the quota of each district; every district of `with_quotas` gets a row even without
    firms), by division and by size class. Two statements."""
    total = CoverageRow(key="", label="")
    by: dict[str, dict] = {"district": {}, "division": {}, "size": {}}
    for district, industry, size, registered, latest_status, firms in _grouped(queryset):
        stage = _stage(registered, latest_status)
        total.stages[stage] += firms
        for name, key in (("district", district), ("division", industry), ("size", size)):
            by[name].setdefault(key, dict.fromkeys(STAGES, 0))[stage] += firms
    quotas = dict(DistrictQuota.objects.values_list("district", "target"))
    wanted = set(with_quotas)
    for district in wanted & set(quotas):
        by["district"].setdefault(district, dict.fromkeys(STAGES, 0))
    districts = _rows(by["district"], District.values, lambda key: str(District(key).label))
    for row in districts:
        row.quota = quotas.get(row.key) if row.key in wanted else None
    return Coverage(
        total=total,
        districts=districts,
        divisions=_rows(by["division"], Industry.values, lambda key: str(Industry(key).label)),
        sizes=_rows(by["size"], SizeClass.values, lambda key: str(SizeClass(key).label)),
    )


def segment_population(
    queryset: QuerySet[PopulationFirm], segment: PopulationFilters
) -> QuerySet[PopulationFirm]:
    """`queryset` narrowed to the segment's districts, divisions and size classes."""
    conditions = Q()
    if segment.districts:
        conditions &= Q(district__in=segment.districts)
    if segment.industries:
        conditions &= Q(industry__in=segment.industries)
    if segment.size_classes:
        conditions &= Q(size_class__in=segment.size_classes)
    return queryset.filter(conditions)
