"""Invitations and reminders by filter: a preview of how many firms, then one click queues them."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Page, Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from diagnosis.forms.population import OutreachForm, PopulationFilterForm
from diagnosis.http import AuthenticatedHttpRequest
from diagnosis.models import OutreachCampaign, PopulationFirm
from diagnosis.permissions import ProgrammeScope, programme_scope_for, require_citywide
from diagnosis.queries.population import (
    CampaignWithCounts,
    campaigns_with_counts,
    population_filter,
)
from diagnosis.services.outreach import candidates, outreach_campaign_create
from diagnosis.views.population import scope_context

CAMPAIGNS_PAGE_SIZE = 20


@login_required
def outreach(request: AuthenticatedHttpRequest) -> HttpResponse:
    """GET: the filter, how many firms it selects and how many would be written to now, and
    the campaigns so far. POST: queue the campaign (district officers: reminders only)."""
    scope = programme_scope_for(request.user)
    data = request.POST if request.method == "POST" else request.GET
    filter_form = PopulationFilterForm(data, districts=scope.districts)
    bound = request.method == "POST" or "kind" in data
    outreach_form = OutreachForm(data if bound else None, initial=_initial(scope))
    valid = filter_form.is_valid() and (not bound or outreach_form.is_valid())
    if valid and bound and outreach_form.cleaned_data["kind"] == OutreachCampaign.Kind.INVITATION:
        require_citywide(scope)
    if request.method == "POST" and valid:
        kind = outreach_form.cleaned_data["kind"]
        campaign = outreach_campaign_create(
            kind=kind,
            filters=filter_form.filters(),
            districts=scope.districts,
            reminder_days=outreach_form.cleaned_data.get("reminder_days"),
            actor=request.user,
        )
        messages.success(
            request,
            _("Queued: %(count)s firms will be written to.") % {"count": campaign.firms_count},
        )
        return redirect(f"{request.path}?{request.POST.urlencode()}")
    context = {
        "filter_form": filter_form,
        "outreach_form": outreach_form,
        **scope_context(scope),
        "interval_days": settings.OUTREACH_INTERVAL_DAYS,
        "campaigns": _campaigns(request, scope),
    }
    if valid:
        context.update(_preview(scope, filter_form, outreach_form))
    return render(
        request, "diagnosis/outreach/outreach.html", context, status=200 if valid else 400
    )


def _initial(scope: ProgrammeScope) -> dict:
    kind = OutreachCampaign.Kind.INVITATION if scope.is_citywide else OutreachCampaign.Kind.REMINDER
    return {"kind": kind, "reminder_days": 14}


def _preview(
    scope: ProgrammeScope, filter_form: PopulationFilterForm, outreach_form: OutreachForm
) -> dict:
    """How many firms the filter selects, and how many the campaign would write to now."""
    chosen = outreach_form.cleaned_data if outreach_form.is_bound else outreach_form.initial
    kind, days = chosen["kind"], chosen.get("reminder_days") or 14
    firms = scope.filter(PopulationFirm.objects.all())
    filters = filter_form.filters()
    return {
        "selected": population_filter(firms, filters).count(),
        "eligible": candidates(firms, kind=kind, filters=filters, reminder_days=days).count(),
        "preview_kind": OutreachCampaign.Kind(kind),
        "preview_days": days,
    }


def _campaigns(
    request: AuthenticatedHttpRequest, scope: ProgrammeScope
) -> Page[CampaignWithCounts]:
    """The campaigns the user may follow: all for the programme office, their own for an officer."""
    campaigns = OutreachCampaign.objects.select_related("created_by")
    if not scope.is_citywide:
        campaigns = campaigns.filter(created_by=request.user)
    return Paginator(campaigns_with_counts(campaigns), CAMPAIGNS_PAGE_SIZE).get_page(
        request.GET.get("campaigns")
    )
