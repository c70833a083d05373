"""The one place that decides who may see or change what.

Every view and download fetches through these helpers. Lookups are scoped by the
user's firm or assignment: an outsider gets 404 (the object's existence is not
revealed); a user who may see but not change gets 403.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, cast

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, Model, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from diagnosis.models import (
    Assessment,
    Assignment,
    DistrictOfficer,
    Firm,
    Invitation,
    Membership,
    PopulationFirm,
    ProviderMembership,
    QuestionnaireVersion,
    User,
)
from diagnosis.queries.providers import TableScope
from diagnosis.rows import Part, RowQuery

if TYPE_CHECKING:

    class RelatedAssessment(Assessment):
        """An assessment as `assessments_visible_to` annotates it (and `_as_member` sets)."""

        is_member: bool
        is_owner: bool
        is_consultant: bool
        is_manager: bool

else:
    RelatedAssessment = Assessment


@dataclass(frozen=True)
class Access:
    """How a user relates to one assessment."""

    is_member: bool
    is_owner: bool
    is_consultant: bool  # the consultant assigned to the firm
    is_manager: bool  # a manager of the provider the firm is assigned to
    is_administrator: bool

    @property
    def can_review(self) -> bool:
        return self.is_consultant

    @property
    def sees_everything(self) -> bool:
        """Consultants, managers and administrators see consistency details in full."""
        return self.is_consultant or self.is_manager or self.is_administrator


def membership_for(user: User) -> Membership | None:
    if not user.is_authenticated:
        return None
    return Membership.objects.select_related("firm").filter(user=user).first()


def get_firm_for_user(user: User, *, owner: bool = False) -> tuple[Firm, Membership]:
    """The user's firm; 404 if they have none, 403 if `owner` and they are not one."""
    membership = membership_for(user)
    if membership is None:
        raise Http404
    if owner and membership.role != Membership.Role.OWNER:
        raise PermissionDenied(_("Only an owner of the firm can do this."))
    return membership.firm, membership


def get_firm_invitation(user: User, pk: int) -> Invitation:
    """An invitation of the firm the user owns, not yet accepted; 404 for any other (403
    for a member who is not an owner)."""
    firm, _membership = get_firm_for_user(user, owner=True)
    invitation = Invitation.objects.filter(pk=pk, firm=firm, accepted_at__isnull=True).first()
    if invitation is None:
        raise Http404
    invitation.firm = firm
    return invitation


def is_consultant(user: User) -> bool:
    return user.is_authenticated and user.provider_memberships.exists()


def managed_provider_ids(user: User) -> list[int]:
    return list(
        ProviderMembership.objects.filter(
            user=user, role=ProviderMembership.Role.MANAGER
        ).values_list("provider_id", flat=True)
    )


def consultant_assignments(user: User) -> QuerySet[Assignment]:
    """The firms assigned to the user as consultant by a provider they still work for: a
    consultant removed from the provider or moved to another loses its firms at once,
    even before the assignments are released (services/providers.py)."""
    current = ProviderMembership.objects.filter(user=user, provider=OuterRef("provider"))
    return Assignment.objects.filter(Exists(current), consultant=user)


def assessments_visible_to(user: User) -> QuerySet[Assessment]:
    """Assessments the user may read, annotated with how they relate to each."""
    member = Membership.objects.filter(user=user, firm=OuterRef("firm"))
    owner = member.filter(role=Membership.Role.OWNER)
    consultant = consultant_assignments(user).filter(firm=OuterRef("firm"))
    manager = Assignment.objects.filter(
        firm=OuterRef("firm"),
        provider__memberships__user=user,
        provider__memberships__role=ProviderMembership.Role.MANAGER,
    )
    queryset = Assessment.objects.annotate(
        is_member=Exists(member),
        is_owner=Exists(owner),
        is_consultant=Exists(consultant),
        is_manager=Exists(manager),
    )
    if user.is_programme_admin:
        return queryset
    return queryset.filter(Q(is_member=True) | Q(is_consultant=True) | Q(is_manager=True))


def get_assessment_for_user(
    user: User, pk: int, *, write: bool = False
) -> tuple[Assessment, Access]:
    """The assessment and the user's access to it, in one query.

    404 for anyone who may not see it. With `write`, the user must be a member of the
    firm and the assessment must be open for answers, else 403 with the reason.
    """
    if not user.is_authenticated:
        raise Http404
    assessment = _as_member(user, pk) or _as_staff(user, pk)
    if assessment is None:
        raise Http404
    access = Access(
        is_member=assessment.is_member,
        is_owner=assessment.is_owner,
        is_consultant=assessment.is_consultant,
        is_manager=assessment.is_manager,
        is_administrator=user.is_programme_admin,
    )
    if write:
        if not access.is_member:
            raise PermissionDenied(_("Only the firm's respondents can change its answers."))
        if not assessment.is_open:
            raise PermissionDenied(
                _("This assessment has been submitted and can no longer be changed.")
            )
    return assessment, access


_MEMBER = RowQuery(
    [
        Part(Assessment, "a"),
        Part(Firm, "f"),
        Part(QuestionnaireVersion, "q", exclude=("snapshot",)),
    ],
    "FROM {a} a JOIN {f} f ON f.id = a.firm_id JOIN {q} q ON q.id = a.questionnaire_id "
    "JOIN {m} m ON m.firm_id = a.firm_id WHERE a.id = %s AND m.user_id = %s",
    extra=["m.role"],
    tables={"m": Membership},
)


def _as_member(user: User, pk: int) -> RelatedAssessment | None:
    """The assessment if the user answers for its firm: the common case, in one statement
    (it runs on every respondent request; see diagnosis/rows.py)."""
    row = _MEMBER.fetch([pk, user.pk])
    if row is None:
        return None
    assessment, firm, questionnaire, role = row
    assessment.firm = firm
    assessment.questionnaire = questionnaire
    assessment.is_member = True
    assessment.is_owner = role == Membership.Role.OWNER
    assessment.is_consultant = assessment.is_manager = False
    return assessment


def _as_staff(user: User, pk: int) -> RelatedAssessment | None:
    """The assessment if a consultant, provider manager or administrator may see it."""
    assessment = (
        assessments_visible_to(user)
        .select_related("firm", "questionnaire")
        .defer("questionnaire__snapshot")
        .filter(pk=pk)
        .first()
    )
    return cast(RelatedAssessment | None, assessment)


def get_review_for_user(user: User, pk: int) -> Assessment:
    """An assessment the user reviews as the assigned consultant; 404/403 otherwise."""
    assessment, access = get_assessment_for_user(user, pk)
    if not access.can_review:
        raise PermissionDenied(_("Only the assigned consultant can review this assessment."))
    return assessment


def review_queue_for(user: User) -> QuerySet[Assessment]:
    """Submitted-or-later assessments of the firms a consultant is assigned (or a manager's
    provider holds), newest first. 403 for anyone who works for no provider."""
    if not is_consultant(user):
        raise PermissionDenied(_("The review queue is for diagnosis providers' consultants."))
    providers = managed_provider_ids(user)
    scope = Q(Exists(consultant_assignments(user).filter(firm=OuterRef("firm"))))
    if providers:
        scope |= Q(firm__assignment__provider_id__in=providers)
    return (
        Assessment.objects.filter(scope)
        .exclude(status=Assessment.Status.DRAFT)
        .select_related("firm", "firm__assignment__consultant")
        .order_by("-submitted_at")
    )


def require_programme_admin(user: User) -> None:
    """403 unless the user works in the programme office."""
    if not user.is_programme_admin:
        raise PermissionDenied(_("Only the programme office can do this."))


def require_provider_manager(user: User) -> list[int]:
    """The ids of the providers the user manages; 403 if none."""
    providers = managed_provider_ids(user)
    if not providers:
        raise PermissionDenied(_("Only a provider manager can do this."))
    return providers


def get_managed_assignment(user: User, firm_pk: int) -> Assignment:
    """An assignment of one of the user's managed providers; 404 for any other firm."""
    providers = require_provider_manager(user)
    assignment = (
        Assignment.objects.select_related("firm", "provider")
        .filter(firm_id=firm_pk, provider_id__in=providers)
        .first()
    )
    if assignment is None:
        raise Http404
    return assignment


def is_district_officer(user: User) -> bool:
    return user.is_authenticated and DistrictOfficer.objects.filter(user=user).exists()


def require_possible_respondent(user: User) -> None:
    """403 for provider staff, the programme office and district officers: they follow
    firms, not answer for one."""
    if is_consultant(user) or user.is_programme_admin or is_district_officer(user):
        raise PermissionDenied(
            _(
                "Diagnosis providers' staff, the programme office and district officers "
                "cannot register a firm."
            )
        )


@dataclass(frozen=True)
class ProgrammeScope:
    """The part of the programme a user may follow: the whole city or some districts."""

    districts: frozenset[str] | None  # None: every district (the programme office)

    @property
    def is_citywide(self) -> bool:
        return self.districts is None

    def covers(self, district: str) -> bool:
        return self.districts is None or district in self.districts

    def filter[M: Model](
        self, queryset: QuerySet[M], district_field: str = "district"
    ) -> QuerySet[M]:
        """The queryset narrowed to the scope's districts (`district_field` names the column)."""
        if self.districts is None:
            return queryset
        return queryset.filter(**{f"{district_field}__in": sorted(self.districts)})


def programme_scope_for(user: User) -> ProgrammeScope:
    """The programme office sees the whole city, a district officer their districts; 403 else."""
    if user.is_authenticated and user.is_programme_admin:
        return ProgrammeScope(districts=None)
    districts = (
        frozenset(DistrictOfficer.objects.filter(user=user).values_list("district", flat=True))
        if user.is_authenticated
        else frozenset()
    )
    if not districts:
        raise PermissionDenied(_("Only the programme office and district officers can see this."))
    return ProgrammeScope(districts=districts)


def require_districts_in_scope(scope: ProgrammeScope, districts: Iterable[str]) -> None:
    """404 when a district officer asks for a district they do not follow: another
    district's figures are as hidden as its firms."""
    if not all(scope.covers(district) for district in districts):
        raise Http404


def require_citywide(scope: ProgrammeScope) -> None:
    """403 unless the scope is the whole city (the programme office): importing the
    population, inviting firms and setting quotas are the programme office's."""
    if not scope.is_citywide:
        raise PermissionDenied(_("Only the programme office can do this."))


def get_population_firm_for_user(user: User, pk: int) -> PopulationFirm:
    """A population firm in the user's programme scope; 403 outside the programme, 404 for
    a firm of another district."""
    scope = programme_scope_for(user)
    entry = scope.filter(PopulationFirm.objects.select_related("firm")).filter(pk=pk).first()
    if entry is None:
        raise Http404
    return entry


def provider_table_scope_for(user: User) -> TableScope:
    """The provider table's rows a user sees: the programme office every provider and
    consultant; a district officer every provider, counting their districts' firms only; a
    provider manager their providers and consultants. 403 for anyone else."""
    if user.is_authenticated and user.is_programme_admin:
        return TableScope(provider_ids=None, districts=None, with_consultants=True)
    managed = managed_provider_ids(user) if user.is_authenticated else []
    if managed:
        return TableScope(provider_ids=frozenset(managed), districts=None, with_consultants=True)
    scope = programme_scope_for(user)
    return TableScope(provider_ids=None, districts=scope.districts, with_consultants=False)
