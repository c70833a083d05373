"""The firm directory (search, filters, sorting, count-free pages), one firm's page, bulk
assignment to a provider, exports, and the provider table."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import FileResponse, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from diagnosis.exports import directory_csv, directory_xlsx
from diagnosis.firmdata import District
from diagnosis.forms.directory import (
    BulkConsultantForm,
    BulkProviderForm,
    DirectoryFilterForm,
    ManagerFilterForm,
)
from diagnosis.forms.programme import ProviderAssignmentForm
from diagnosis.http import AuthenticatedHttpRequest
from diagnosis.models import PopulationFirm
from diagnosis.permissions import (
    ProgrammeScope,
    get_population_firm_for_user,
    programme_scope_for,
    provider_table_scope_for,
    require_citywide,
    require_districts_in_scope,
    require_provider_manager,
)
from diagnosis.queries.directory import (
    DirectoryFilters,
    directory_ids,
    directory_page,
    directory_rows,
    firm_assessments,
    manager_firm_ids,
)
from diagnosis.queries.population import PopulationStatus
from diagnosis.queries.providers import history_computed_at, provider_table
from diagnosis.services.assignments import (
    AssignmentError,
    assignments_set_consultant,
    assignments_set_provider,
)
from diagnosis.views.population import scope_context

PAGE_SIZE = 50


def _filtered(
    request: AuthenticatedHttpRequest, scope: ProgrammeScope
) -> tuple[DirectoryFilterForm, DirectoryFilters | None]:
    # Another district's firms are hidden (404), as on the coverage and results pages; a
    # district that does not exist is bad input (400, from the form).
    require_districts_in_scope(
        scope, [d for d in request.GET.getlist("district") if d in District.values]
    )
    form = DirectoryFilterForm(request.GET, districts=scope.districts)
    return form, form.filters() if form.is_valid() else None


def _scoped(scope: ProgrammeScope) -> QuerySet[PopulationFirm]:
    return scope.filter(PopulationFirm.objects.all())


@login_required
@require_GET
def directory(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The population firms in the user's districts: filtered, sorted, 50 a page."""
    scope = programme_scope_for(request.user)
    form, filters = _filtered(request, scope)
    context = {"form": form, **scope_context(scope), "statuses": PopulationStatus}
    if filters is None:
        return render(request, "diagnosis/directory/list.html", context, status=400)
    context["page"] = directory_page(
        _scoped(scope), filters, form.page_number, PAGE_SIZE, form.level_names
    )
    if scope.is_citywide:
        context["bulk_form"] = BulkProviderForm()
    return render(request, "diagnosis/directory/list.html", context)


@login_required
@require_GET
def directory_export(request: AuthenticatedHttpRequest, file_format: str) -> HttpResponseBase:
    """The current filter's firms as CSV (streamed) or XLSX."""
    scope = programme_scope_for(request.user)
    _form, filters = _filtered(request, scope)
    if filters is None:
        return HttpResponse(_("The filter is not valid."), status=400, content_type="text/plain")
    language = translation.get_language() or settings.LANGUAGE_CODE
    name = f"firms-{timezone.localdate():%Y%m%d}.{file_format}"
    if file_format == "csv":
        response = StreamingHttpResponse(
            directory_csv(_scoped(scope), filters, language), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
    return FileResponse(
        directory_xlsx(_scoped(scope), filters, language),
        as_attachment=True,
        filename=name,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


@login_required
@require_GET
def directory_firm(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """One firm: its data, status, assessments (report, history) and assignment."""
    entry = get_population_firm_for_user(request.user, pk)
    row = directory_rows([entry.pk])[0]
    firm = row.firm
    context = {
        "entry": row,
        "status": PopulationStatus(row.status),  # type: ignore[attr-defined]
        "assessments": firm_assessments(firm) if firm else [],
        "assignment": getattr(firm, "assignment", None) if firm else None,
        "provider_form": ProviderAssignmentForm(firm=firm)
        if firm is not None and request.user.is_programme_admin
        else None,
    }
    return render(request, "diagnosis/directory/firm.html", context)


@login_required
@require_POST
def directory_firm_provider(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Assign one registered firm to a provider (the programme office)."""
    require_citywide(programme_scope_for(request.user))
    entry = get_population_firm_for_user(request.user, pk)
    if entry.firm is None:
        messages.error(request, _("Only a registered firm can be assigned."))
        return redirect("directory_firm", entry.pk)
    form = ProviderAssignmentForm(request.POST, firm=entry.firm)
    if form.is_valid():
        assignments_set_provider(
            firm_ids=[entry.firm.pk], provider=form.cleaned_data["provider"], actor=request.user
        )
        messages.success(request, _("%(firm)s assigned.") % {"firm": entry.name})
    else:
        messages.error(request, _("Choose a provider."))
    return redirect("directory_firm", entry.pk)


@login_required
@require_POST
def directory_assign(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Assign every registered firm of the filter (in the query string) to one provider:
    first a confirmation with the count, then the assignment once confirmed."""
    scope = programme_scope_for(request.user)
    require_citywide(scope)
    form, filters = _filtered(request, scope)
    bulk = BulkProviderForm(request.POST)
    if filters is None or not bulk.is_valid():
        context = {"form": form, "bulk_form": bulk, **scope_context(scope)}
        return render(request, "diagnosis/directory/confirm.html", context, status=400)
    firm_ids = list(
        directory_ids(_scoped(scope).filter(firm__isnull=False), filters).values_list(
            "firm_id", flat=True
        )
    )
    selected = len(firm_ids)
    if not bulk.cleaned_data["confirmed"] or bulk.cleaned_data["expected"] != selected:
        confirm = BulkProviderForm(
            initial={**bulk.cleaned_data, "confirmed": True, "expected": selected}
        )
        unregistered = directory_ids(_scoped(scope).filter(firm__isnull=True), filters).count()
        context = {
            "bulk_form": confirm,
            "provider": bulk.cleaned_data["provider"],
            "selected": selected,
            "unregistered": unregistered,
            "changed_since": bulk.cleaned_data["confirmed"],
            "query": request.GET.urlencode(),
        }
        return render(request, "diagnosis/directory/confirm.html", context)
    changed = assignments_set_provider(
        firm_ids=firm_ids, provider=bulk.cleaned_data["provider"], actor=request.user
    )
    messages.success(
        request,
        _("%(count)s firms assigned to %(provider)s.")
        % {"count": changed, "provider": bulk.cleaned_data["provider"].name},
    )
    return redirect(reverse("directory") + "?" + request.GET.urlencode())


@login_required
@require_GET
def providers(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The provider table (and the consultants' rows for the programme office and managers)."""
    scope = provider_table_scope_for(request.user)
    provider_rows, consultant_rows = provider_table(scope)
    context = {
        "provider_rows": provider_rows,
        "consultant_rows": consultant_rows,
        "due_days": settings.REVIEW_DUE_DAYS,
        "live": scope.districts is not None,
        "computed_at": history_computed_at(scope),
    }
    return render(request, "diagnosis/directory/providers.html", context)


@login_required
@require_POST
def provider_assign_consultant(request: AuthenticatedHttpRequest) -> HttpResponse:
    """A provider manager gives one consultant every firm of the filter (query string:
    district, division, size, q, consultant=none): a confirmation with the count first."""
    provider_ids = require_provider_manager(request.user)
    form = ManagerFilterForm(request.GET, provider_ids=provider_ids)
    bulk = BulkConsultantForm(request.POST, provider_ids=provider_ids)
    if not form.is_valid() or not bulk.is_valid():
        return render(
            request, "diagnosis/directory/confirm_consultant.html", {"bulk_form": bulk}, status=400
        )
    firm_ids = manager_firm_ids(provider_ids, form.filters())
    if not bulk.cleaned_data["confirmed"] or bulk.cleaned_data["expected"] != len(firm_ids):
        confirm = BulkConsultantForm(
            initial={**bulk.cleaned_data, "confirmed": True, "expected": len(firm_ids)},
            provider_ids=provider_ids,
        )
        context = {
            "bulk_form": confirm,
            "selected": len(firm_ids),
            "changed_since": bulk.cleaned_data["confirmed"],
            "query": request.GET.urlencode(),
        }
        return render(request, "diagnosis/directory/confirm_consultant.html", context)
    consultant = bulk.consultant_user()
    try:
        changed = assignments_set_consultant(
            firm_ids=firm_ids, provider_ids=provider_ids, consultant=consultant, actor=request.user
        )
    except AssignmentError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("%(count)s firms assigned to %(consultant)s.")
            % {"count": changed, "consultant": consultant},
        )
    return redirect(reverse("provider") + "?" + request.GET.urlencode())
