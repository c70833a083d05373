from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from diagnosis.firmdata import normalise_credit_code
from diagnosis.forms.firms import FirmForm, FirmProfileForm, InviteForm
from diagnosis.http import AuthenticatedHttpRequest
from diagnosis.models import Assessment, Firm, JoinRequest, Membership, PopulationFirm
from diagnosis.permissions import (
    get_firm_for_user,
    get_firm_invitation,
    membership_for,
    require_possible_respondent,
)
from diagnosis.queries.firms import invitations_pending
from diagnosis.services import firms as firm_services
from diagnosis.services.assessments import AssessmentError, assessment_start
from diagnosis.services.outreach import population_for_token


@login_required
def firm_register(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_possible_respondent(request.user)
    if membership_for(request.user):
        return redirect("firm_detail")
    entry, invited = _population_entry(request)
    form = FirmForm(request.POST or None, initial=population_initial(entry, invited=invited))
    if request.method == "POST" and form.is_valid():
        try:
            outcome = firm_services.firm_register_or_join(user=request.user, **form.cleaned_data)
        except firm_services.FirmError as error:
            form.add_error(None, str(error))
        else:
            if isinstance(outcome, JoinRequest):
                # The firm's name is not shown: a credit code alone must not reveal it to
                # someone its owners have not let in.
                messages.info(
                    request,
                    _(
                        "A firm with this credit code is already registered. We have asked its "
                        "owners to let you join; you will see the firm once they approve."
                    ),
                )
                return redirect("home")
            messages.success(request, _("Your firm is registered. You can start the assessment."))
            return redirect("firm_detail")
    return render(request, "diagnosis/firms/register.html", {"form": form, "entry": entry})


def _population_entry(request: HttpRequest) -> tuple[PopulationFirm | None, bool]:
    """The programme list's entry for the firm being registered (only while it is not
    registered), and whether it came from an invitation link rather than a code looked up."""
    token = request.GET.get("invitation", "")
    entry = population_for_token(token) if token else None
    invited = entry is not None
    code = normalise_credit_code(request.GET.get("code", ""))[:18]
    if entry is None and code:
        entry = PopulationFirm.objects.filter(credit_code=code).first()
    if entry is None or entry.firm_id is not None:
        return None, False
    return entry, invited


def population_initial(entry: PopulationFirm | None, *, invited: bool) -> dict:
    """The registration form's initial values from a population entry. A code looked up
    fills in only what the business registry publishes anyway (not employees, revenue)."""
    if entry is None:
        return {}
    initial = {
        "name": entry.name,
        "credit_code": entry.credit_code,
        "industry": entry.industry,
        "district": entry.district,
    }
    if invited:
        initial.update(employees=entry.employees, revenue=entry.revenue)
    return initial


@login_required
def firm_detail(request: AuthenticatedHttpRequest) -> HttpResponse:
    firm, membership = get_firm_for_user(request.user)
    return _firm_page(request, firm, membership, InviteForm())


def _firm_page(
    request: AuthenticatedHttpRequest,
    firm: Firm,
    membership: Membership,
    invite_form: InviteForm,
    *,
    status: int = 200,
) -> HttpResponse:
    is_owner = membership.role == Membership.Role.OWNER
    context = {
        "firm": firm,
        "membership": membership,
        "is_owner": is_owner,
        "members": firm.memberships.select_related("user").order_by("created_at"),
        "assessments": Assessment.objects.filter(firm=firm).select_related("questionnaire"),
        "open_assessment": Assessment.objects.filter(
            firm=firm, status__in=Assessment.OPEN_STATUSES
        ).first(),
        "join_requests": firm.join_requests.filter(
            status=JoinRequest.Status.PENDING
        ).select_related("user")
        if is_owner
        else [],
        "invitations": invitations_pending(firm) if is_owner else [],
        "invite_form": invite_form,
    }
    return render(request, "diagnosis/firms/detail.html", context, status=status)


@login_required
@require_POST
def firm_invite(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Invite a colleague; a refused address comes back in the form with the reason."""
    firm, membership = get_firm_for_user(request.user, owner=True)
    form = InviteForm(request.POST)
    if form.is_valid():
        email = form.cleaned_data["email"]
        try:
            firm_services.invitation_create(firm=firm, owner=request.user, email=email)
        except firm_services.FirmError as error:
            form.add_error("email", str(error))
        else:
            messages.success(request, _("Invitation sent to %(email)s.") % {"email": email})
            return redirect("firm_detail")
    return _firm_page(request, firm, membership, form, status=400)


@login_required
def firm_edit(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The owner changes the firm's profile (audited by the service)."""
    firm, _membership = get_firm_for_user(request.user, owner=True)
    initial = {name: getattr(firm, name) for name in firm_services.PROFILE_FIELDS}
    form = FirmProfileForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        firm_services.firm_update(firm=firm, owner=request.user, **form.cleaned_data)
        messages.success(request, _("The firm's profile is saved."))
        return redirect("firm_detail")
    status = 400 if request.method == "POST" else 200
    context = {"firm": firm, "form": form}
    return render(request, "diagnosis/firms/edit.html", context, status=status)


@login_required
@require_POST
def invitation_resend(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    invitation = get_firm_invitation(request.user, pk)
    try:
        firm_services.invitation_resend(invitation=invitation, owner=request.user)
    except firm_services.FirmError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request, _("Invitation sent again to %(email)s.") % {"email": invitation.email}
        )
    return redirect("firm_detail")


@login_required
@require_POST
def invitation_revoke(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    invitation = get_firm_invitation(request.user, pk)
    try:
        firm_services.invitation_revoke(invitation=invitation, owner=request.user)
    except firm_services.FirmError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("The invitation to %(email)s is withdrawn; its link no longer works.")
            % {"email": invitation.email},
        )
    return redirect("firm_detail")


@login_required
@require_POST
def member_remove(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    firm, _membership = get_firm_for_user(request.user, owner=True)
    membership = get_object_or_404(Membership.objects.select_related("user"), pk=pk, firm=firm)
    if request.POST.get("confirmed") != "yes":  # the button on the firm page asks first
        context = {"firm": firm, "member": membership}
        return render(request, "diagnosis/firms/confirm_remove.html", context)
    try:
        firm_services.member_remove(membership=membership, owner=request.user)
    except firm_services.FirmError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("%(user)s was removed.") % {"user": membership.user})
    return redirect("firm_detail")


@login_required
@require_POST
def join_request_decide(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    firm, _membership = get_firm_for_user(request.user, owner=True)
    join_request = get_object_or_404(JoinRequest, pk=pk, firm=firm)
    approve = request.POST.get("decision") == "approve"
    try:
        firm_services.join_request_decide(request=join_request, owner=request.user, approve=approve)
    except firm_services.FirmError as error:
        messages.error(request, str(error))
    return redirect("firm_detail")


def invitation(request: HttpRequest, token: str) -> HttpResponse:
    found = firm_services.invitation_for_token(token)
    if found is None:
        return render(request, "diagnosis/firms/invitation_invalid.html", status=404)
    if request.method == "POST" and request.user.is_authenticated:
        try:
            firm_services.invitation_accept(invitation=found, user=request.user)
        except firm_services.FirmError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Welcome to %(firm)s.") % {"firm": found.firm.name})
            return redirect("firm_detail")
    return render(request, "diagnosis/firms/invitation.html", {"invitation": found})


@login_required
@require_POST
def assessment_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    firm, _membership = get_firm_for_user(request.user)
    try:
        assessment = assessment_start(firm=firm, user=request.user)
    except AssessmentError as error:
        messages.error(request, str(error))
        return redirect("firm_detail")
    return redirect("assessment_resume", assessment.pk)
