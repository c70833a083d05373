"""The programme office and provider managers: assignments and questionnaire versions."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from diagnosis.forms.directory import BulkConsultantForm, ManagerFilterForm
from diagnosis.forms.programme import ConsultantAssignmentForm, ProviderAssignmentForm
from diagnosis.http import AuthenticatedHttpRequest
from diagnosis.models import Assignment, Firm, QuestionnaireVersion
from diagnosis.permissions import (
    get_managed_assignment,
    require_programme_admin,
    require_provider_manager,
)
from diagnosis.services.assignments import (
    AssignmentError,
    assignments_set_consultant,
    assignments_set_provider,
)
from diagnosis.services.questionnaires import questionnaire_publish


@login_required
@require_GET
def programme(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_programme_admin(request.user)
    # The population's firms are in the directory (views/directory.py); here only the
    # registered firms that are not in the imported list, paged.
    outside = Paginator(
        Firm.objects.filter(population_entry__isnull=True)
        .select_related("assignment__provider", "assignment__consultant")
        .order_by("name", "pk"),
        50,
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "diagnosis/programme/programme.html",
        {
            "outside": [(firm, ProviderAssignmentForm(firm=firm)) for firm in outside],
            "outside_page": outside,
            "versions": QuestionnaireVersion.objects.defer("snapshot").order_by("code", "-version"),
        },
    )


@login_required
@require_POST
def assign_provider(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    require_programme_admin(request.user)
    firm = get_object_or_404(Firm, pk=pk)
    form = ProviderAssignmentForm(request.POST, firm=firm)
    if form.is_valid():
        assignments_set_provider(
            firm_ids=[firm.pk], provider=form.cleaned_data["provider"], actor=request.user
        )
        messages.success(request, _("%(firm)s assigned.") % {"firm": firm.name})
    else:
        messages.error(request, _("Choose a provider."))
    return redirect("programme")


@login_required
@require_POST
def publish_version(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    require_programme_admin(request.user)
    version = get_object_or_404(QuestionnaireVersion, pk=pk)
    if version.status != QuestionnaireVersion.Status.DRAFT:
        messages.error(request, _("Only a draft can be published."))
    else:
        questionnaire_publish(version=version, actor=request.user)
        messages.success(request, _("%(version)s published.") % {"version": version})
    return redirect("programme")


@login_required
@require_GET
def provider(request: AuthenticatedHttpRequest) -> HttpResponse:
    providers = require_provider_manager(request.user)
    assignments = (
        Assignment.objects.filter(provider_id__in=providers)
        .select_related("firm", "consultant", "provider")
        .order_by("firm__name")
    )
    filters = ManagerFilterForm(request.GET or None, provider_ids=providers)
    return render(
        request,
        "diagnosis/programme/provider.html",
        {
            "assignments": [(a, ConsultantAssignmentForm(assignment=a)) for a in assignments],
            "filter_form": filters,
            "bulk_form": BulkConsultantForm(provider_ids=providers),
        },
    )


@login_required
@require_POST
def assign_consultant(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    assignment = get_managed_assignment(request.user, pk)
    form = ConsultantAssignmentForm(request.POST, assignment=assignment)
    if form.is_valid():
        try:
            assignments_set_consultant(
                firm_ids=[assignment.firm_id],
                provider_ids=[assignment.provider_id],
                consultant=form.cleaned_data["consultant"],
                actor=request.user,
            )
        except AssignmentError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("%(firm)s assigned.") % {"firm": assignment.firm.name})
    else:
        messages.error(request, _("Choose one of your consultants."))
    return redirect("provider")
