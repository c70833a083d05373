"""Reads on the target population: each firm's programme status and the filters on it.

Everything is done by the database: the status is an SQL expression over the firm's
latest assessment, the filters are WHERE clauses, the counts one GROUP BY.
"""

from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, TypedDict

from django.db import models
from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from diagnosis.models import Assessment, OutreachCampaign, OutreachMessage, PopulationFirm

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations


class _StatusAnnotations(TypedDict):
    latest_status: str | None
    started_at: datetime | None
    status: str


class _CampaignCounts(TypedDict):
    sent: int
    reached: int
    registered: int
    started: int


# A population firm as population_with_status annotates it, a campaign as
# campaigns_with_counts does (types only: django_stubs_ext is a development requirement).
type PopulationFirmWithStatus = WithAnnotations[PopulationFirm, _StatusAnnotations]
type CampaignWithCounts = WithAnnotations[OutreachCampaign, _CampaignCounts]


class PopulationStatus(models.TextChoices):
    """Where a population firm stands: registered or not, then its latest assessment's status."""

    NOT_REGISTERED = "not_registered", _("Not registered")
    REGISTERED = "registered", _("Registered, not started")
    STARTED = "started", _("In progress")
    SUBMITTED = "submitted", _("Submitted")
    IN_REVIEW = "in_review", _("In review")
    RETURNED = "returned", _("Returned to the firm")
    SIGNED_OFF = "signed_off", _("Signed off")


_FROM_ASSESSMENT = {
    Assessment.Status.DRAFT: PopulationStatus.STARTED,
    Assessment.Status.SUBMITTED: PopulationStatus.SUBMITTED,
    Assessment.Status.IN_REVIEW: PopulationStatus.IN_REVIEW,
    Assessment.Status.RETURNED: PopulationStatus.RETURNED,
    Assessment.Status.VALIDATED: PopulationStatus.SIGNED_OFF,
}
# The same, value to value, for code that reads assessments in Python (the exports).
STATUS_OF_ASSESSMENT = {str(key.value): str(value.value) for key, value in _FROM_ASSESSMENT.items()}


@dataclass(frozen=True)
class PopulationFilters:
    """A selection of population firms; empty tuples and None select everything.

    Made by forms.population.PopulationFilterForm, stored with an outreach campaign (as_json).
    """

    districts: tuple[str, ...] = ()
    industries: tuple[int, ...] = ()
    size_classes: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    above_scale: bool | None = None
    specialised: bool | None = None
    search: str = ""

    def as_json(self) -> dict[str, Any]:
        return {
            key: list(value) if isinstance(value, tuple) else value
            for key, value in asdict(self).items()
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "PopulationFilters":
        fields = cls.__dataclass_fields__
        values: dict[str, Any] = {
            key: tuple(value) if isinstance(value, list) else value
            for key, value in data.items()
            if key in fields
        }
        return cls(**values)


def population_with_status(
    queryset: QuerySet[PopulationFirm] | None = None,
) -> QuerySet[PopulationFirmWithStatus]:
    """The population firms annotated with `status` (a PopulationStatus value) and
    `started_at` (when their latest assessment was started, if any)."""
    queryset = PopulationFirm.objects.all() if queryset is None else queryset
    # The latest assessment as FirmCurrent keeps it (diagnosis.current): a join, not a
    # subquery per firm.
    return queryset.annotate(
        latest_status=F("firm__current__status"),
        started_at=F("firm__current__created_at"),
    ).annotate(
        status=Case(
            When(firm__isnull=True, then=Value(PopulationStatus.NOT_REGISTERED.value)),
            *(
                When(latest_status=assessment.value, then=Value(status.value))
                for assessment, status in _FROM_ASSESSMENT.items()
            ),
            default=Value(PopulationStatus.REGISTERED.value),
            output_field=CharField(),
        )
    )


def population_filter(
    queryset: QuerySet[PopulationFirm], filters: PopulationFilters
) -> QuerySet[PopulationFirmWithStatus]:
    """`queryset` (already scoped to the user's districts) with status and the filters applied."""
    queryset = population_with_status(queryset)
    conditions = Q()
    if filters.districts:
        conditions &= Q(district__in=filters.districts)
    if filters.industries:
        conditions &= Q(industry__in=filters.industries)
    if filters.size_classes:
        conditions &= Q(size_class__in=filters.size_classes)
    if filters.statuses:
        conditions &= Q(status__in=filters.statuses)
    if filters.above_scale is not None:
        conditions &= Q(above_scale=filters.above_scale)
    if filters.specialised is not None:
        conditions &= Q(specialised=filters.specialised)
    if filters.search:
        conditions &= Q(name__icontains=filters.search) | Q(credit_code=filters.search.upper())
    return queryset.filter(conditions)


def status_counts(queryset: QuerySet[PopulationFirmWithStatus]) -> dict[str, int]:
    """How many of the (status-annotated) firms are in each status, every status present."""
    counted = dict(queryset.order_by().values_list("status").annotate(count=Count("pk")))
    return {status.value: counted.get(status.value, 0) for status in PopulationStatus}


def invitable(queryset: QuerySet[PopulationFirm], *, since: datetime) -> QuerySet[PopulationFirm]:
    """Firms an invitation may go to: not registered, with an email, not invited since `since`."""
    return queryset.filter(
        Q(last_invited_at__isnull=True) | Q(last_invited_at__lt=since),
        firm__isnull=True,
    ).exclude(contact_email="")


def remindable(
    queryset: QuerySet[PopulationFirmWithStatus], *, started_before: datetime, since: datetime
) -> QuerySet[PopulationFirmWithStatus]:
    """Firms a reminder may go to: their latest assessment is in progress and was started
    before `started_before`, and no reminder went to them since `since`."""
    return queryset.filter(
        Q(last_reminded_at__isnull=True) | Q(last_reminded_at__lt=since),
        status=PopulationStatus.STARTED.value,
        started_at__lt=started_before,
    )


def outreach_candidates(
    queryset: QuerySet[PopulationFirm],
    *,
    kind: str,
    filters: PopulationFilters,
    now: datetime,
    interval_days: int,
    reminder_days: int | None,
) -> QuerySet[PopulationFirm]:
    """The firms of `queryset` (scoped) that a campaign of `kind` would write to now:
    selected by `filters`, and not written to with the same kind within `interval_days`."""
    selected = population_filter(queryset, filters)
    since = now - timedelta(days=interval_days)
    if kind == OutreachCampaign.Kind.INVITATION:
        return invitable(selected, since=since)
    started_before = now - timedelta(days=reminder_days or 0)
    return remindable(selected, started_before=started_before, since=since)


def campaigns_with_counts(
    queryset: QuerySet[OutreachCampaign],
) -> QuerySet[CampaignWithCounts]:
    """Campaigns annotated with `sent` (emails sent), `reached` (firms written to),
    `registered` and `started` (of those firms, how many have registered / started an
    assessment since): one statement however many campaigns and messages."""
    messages = OutreachMessage.objects.filter(campaign=OuterRef("pk")).order_by()

    def count(subset: QuerySet[OutreachMessage], expression: str = "pk") -> Subquery:
        counted = subset.values("campaign").annotate(n=Count(expression, distinct=True))
        return Coalesce(Subquery(counted.values("n")[:1]), 0)  # type: ignore[return-value]

    started = Assessment.objects.filter(firm=OuterRef("population_firm__firm"))
    return queryset.annotate(
        sent=count(messages.filter(sent_at__isnull=False)),
        reached=count(messages, "population_firm"),
        registered=count(messages.filter(population_firm__firm__isnull=False), "population_firm"),
        started=count(messages.filter(Exists(started)), "population_firm"),
    )
