"""The provider table: per provider (and per consultant) firms assigned, waiting for review,
median days from submission to sign-off, share returned at least once, share of answers
the consultants changed, and cases overdue. A fixed number of grouped statements whatever
the number of providers, firms or assessments.

For the programme office and the providers' managers (every district) the history columns
come from ReviewFigure, recomputed with the result figures after each submission, return,
sign-off and assignment (debounced) and nightly; the page says when. A district officer's
rows count only their districts' firms and are computed live.

Assessments count for the provider (and consultant) their firm is assigned to now.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from diagnosis.models import (
    AnswerValidation,
    Assessment,
    Assignment,
    Provider,
    ResultRefresh,
    ReviewComment,
    ReviewFigure,
    User,
)
from diagnosis.queries.quantiles import SecondsBetween, grouped_quartiles

WAITING = (Assessment.Status.SUBMITTED, Assessment.Status.IN_REVIEW)


@dataclass(frozen=True)
class TableScope:
    """Which rows a user sees: `provider_ids` None for every provider; `districts` None for
    every district (firms of other districts are left out of the figures)."""

    provider_ids: frozenset[int] | None
    districts: frozenset[str] | None
    with_consultants: bool


@dataclass
class PerformanceRow:
    key: int
    name: str
    provider_name: str = ""
    firms_assigned: int = 0
    waiting: int = 0
    submitted: int = 0
    returned: int = 0
    answers_validated: int = 0
    answers_changed: int = 0
    overdue: int = 0
    median_days: float | None = None

    @property
    def returned_share(self) -> float | None:
        return self.returned / self.submitted if self.submitted else None

    @property
    def changed_share(self) -> float | None:
        return self.answers_changed / self.answers_validated if self.answers_validated else None


def _scoped[M: (Assignment, Assessment, AnswerValidation, ReviewComment)](
    queryset: QuerySet[M], firm: str, scope: TableScope
) -> QuerySet[M]:
    if scope.provider_ids is not None:
        queryset = queryset.filter(**{f"{firm}assignment__provider_id__in": scope.provider_ids})
    else:
        queryset = queryset.filter(**{f"{firm}assignment__isnull": False})
    if scope.districts is not None:
        queryset = queryset.filter(**{f"{firm}district__in": scope.districts})
    return queryset


Rows = dict[int, PerformanceRow]


def _row(rows: Rows, key: int | None) -> PerformanceRow | None:
    if key is None:
        return None
    return rows.setdefault(key, PerformanceRow(key=key, name=""))


def _live(rows: Rows, scope: TableScope, group: str) -> None:
    """Firms assigned now, assessments waiting for review and overdue: counted on every
    request (the waiting ones through the status index, a small share of all)."""
    key = f"assignment__{group}_id"
    assignments = Assignment.objects.filter(**{f"{group}__isnull": False})
    if scope.provider_ids is not None:
        assignments = assignments.filter(provider_id__in=scope.provider_ids)
    if scope.districts is not None:
        assignments = assignments.filter(firm__district__in=scope.districts)
    for k, n in assignments.values_list(f"{group}_id").annotate(n=Count("pk")).order_by():
        if (r := _row(rows, k)) is not None:
            r.firms_assigned = n
    due = timezone.now() - timedelta(days=settings.REVIEW_DUE_DAYS)
    waiting = _scoped(Assessment.objects.filter(status__in=WAITING), "firm__", scope)
    for k, count, overdue in (
        waiting.values_list(f"firm__{key}")
        .annotate(waiting=Count("pk"), overdue=Count("pk", filter=Q(submitted_at__lt=due)))
        .values_list(f"firm__{key}", "waiting", "overdue")
        .order_by()
    ):
        if (r := _row(rows, k)) is not None:
            r.waiting, r.overdue = count, overdue


def review_history(scope: TableScope, group: str) -> Rows:
    """Assessments submitted and returned at least once, answers validated and changed,
    median days from submission to sign-off, grouped by `group` ("provider" or
    "consultant" of the firm's assignment now). Scans every assessment of the scope: the
    refresh stores the city-wide figures (ReviewFigure) and district scopes run it live."""
    rows: Rows = {}
    key = f"assignment__{group}_id"
    assessments = _scoped(Assessment.objects.filter(submitted_at__isnull=False), "firm__", scope)
    for k, submitted in assessments.values_list(f"firm__{key}").annotate(n=Count("pk")).order_by():
        if (r := _row(rows, k)) is not None:
            r.submitted = submitted
    # Assessments returned at least once: those with a return reason, counted from the
    # (far fewer) return reasons rather than probed once per assessment.
    reasons = _scoped(
        ReviewComment.objects.filter(is_return_reason=True), "assessment__firm__", scope
    )
    for k, was_returned in (
        reasons.values_list(f"assessment__firm__{key}")
        .annotate(returned=Count("assessment_id", distinct=True))
        .order_by()
    ):
        if (r := _row(rows, k)) is not None:
            r.returned = was_returned
    validations = _scoped(AnswerValidation.objects.all(), "answer__assessment__firm__", scope)
    for k, validated, changed in (
        validations.values_list(f"answer__assessment__firm__{key}")
        .annotate(total=Count("pk"), changed=Count("pk", filter=Q(confirmed=False)))
        .values_list(f"answer__assessment__firm__{key}", "total", "changed")
        .order_by()
    ):
        if (r := _row(rows, k)) is not None:
            r.answers_validated, r.answers_changed = validated, changed
    signed_off = assessments.filter(status=Assessment.Status.VALIDATED, validated_at__isnull=False)
    # The median in the database on PostgreSQL (percentile_cont), from sorted values
    # streamed to Python on SQLite (queries/quantiles.py).
    found = grouped_quartiles(
        signed_off, [f"firm__{key}"], SecondsBetween("submitted_at", "validated_at"), {"all": None}
    )
    for (k,), figures in found.items():
        middle = figures["all"].median
        if middle is not None and (r := _row(rows, k)) is not None:
            r.median_days = middle / 86400
    return rows


HISTORY_FIELDS = ("submitted", "returned", "answers_validated", "answers_changed", "median_days")


def _stored_history(rows: Rows, group: str) -> None:
    """The city-wide history figures of the last refresh, one statement."""
    for figure in ReviewFigure.objects.filter(group=group):
        r = _row(rows, figure.key)
        assert r is not None
        for name in HISTORY_FIELDS:
            setattr(r, name, getattr(figure, name))


def _figures(scope: TableScope, group: str) -> Rows:
    """The figures grouped by `group` ("provider" or "consultant" of the assignment)."""
    rows: Rows = {}
    if scope.districts is None:
        _stored_history(rows, group)
    else:
        for k, history in review_history(scope, group).items():
            rows[k] = history
    _live(rows, scope, group)
    return rows


def history_computed_at(scope: TableScope) -> datetime | None:
    """When the history columns the scope reads were computed: None when they are live (a
    district scope) or have never been computed."""
    if scope.districts is not None:
        return None
    return ResultRefresh.objects.filter(pk=1).values_list("computed_at", flat=True).first()


def provider_table(scope: TableScope) -> tuple[list[PerformanceRow], list[PerformanceRow]]:
    """The providers' rows (every provider in scope, even one with no firm yet) and, when
    the scope asks for them, the consultants' rows; both sorted by name."""
    figures = _figures(scope, "provider")
    providers = Provider.objects.order_by("name")
    if scope.provider_ids is not None:
        providers = providers.filter(pk__in=scope.provider_ids)
    provider_rows = []
    for provider in providers:
        row = figures.get(provider.pk) or PerformanceRow(key=provider.pk, name="")
        row.name = provider.name
        provider_rows.append(row)
    if not scope.with_consultants:
        return provider_rows, []
    by_consultant = _figures(scope, "consultant")
    consultants = User.objects.filter(
        provider_memberships__role="consultant",
        **(
            {"provider_memberships__provider_id__in": scope.provider_ids}
            if scope.provider_ids is not None
            else {}
        ),
    ).values_list("pk", "name", "email", "provider_memberships__provider__name")
    consultant_rows = []
    for pk, name, email, provider_name in consultants.order_by("name", "email"):
        row = by_consultant.get(pk) or PerformanceRow(key=pk, name="")
        row.name, row.provider_name = name or email, provider_name
        consultant_rows.append(row)
    return provider_rows, consultant_rows
