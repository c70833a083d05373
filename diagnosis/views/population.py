"""The programme's target population: the list, one firm, imports, quotas, the invitation link."""

from collections.abc import Iterator

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils import translation
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from diagnosis.firmdata import District
from diagnosis.forms.population import (
    DistrictQuotaForm,
    ImportConfirmForm,
    PopulationFilterForm,
    PopulationUploadForm,
)
from diagnosis.http import AuthenticatedHttpRequest
from diagnosis.models import DistrictQuota, PopulationFirm, PopulationImport
from diagnosis.permissions import (
    ProgrammeScope,
    get_population_firm_for_user,
    programme_scope_for,
    require_programme_admin,
)
from diagnosis.population.columns import column_label
from diagnosis.population.problems import NOTES, messages_in, problem_message
from diagnosis.population.template import template_response
from diagnosis.queries.population import (
    PopulationStatus,
    population_filter,
    population_with_status,
    status_counts,
)
from diagnosis.reports.spreadsheet import csv_lines
from diagnosis.services import population as population_services
from diagnosis.services.outreach import invitation_token, population_for_token

PAGE_SIZE = 50
PROBLEMS_PAGE_SIZE = 100


def scope_context(scope: ProgrammeScope) -> dict:
    """The scope, and a district officer's districts by name, for _scope.html."""
    labels = [District(value).label for value in sorted(scope.districts or ())]
    return {"scope": scope, "scope_districts": labels}


@login_required
@require_GET
def population(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The population firms in the user's districts, filtered, with a count per status."""
    scope = programme_scope_for(request.user)
    form = PopulationFilterForm(request.GET, districts=scope.districts)
    if not form.is_valid():
        context = {"form": form, "statuses": PopulationStatus, **scope_context(scope)}
        return render(request, "diagnosis/population/list.html", context, status=400)
    firms = population_filter(scope.filter(PopulationFirm.objects.all()), form.filters())
    page = Paginator(firms.order_by("name", "pk"), PAGE_SIZE).get_page(request.GET.get("page"))
    counts = status_counts(firms)
    context = {
        "form": form,
        **scope_context(scope),
        "page": page,
        "counts": [(status, counts[status.value]) for status in PopulationStatus],
        "total": sum(counts.values()),
        "statuses": PopulationStatus,
    }
    return render(request, "diagnosis/population/list.html", context)


@login_required
@require_GET
def population_firm(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    entry = get_population_firm_for_user(request.user, pk)
    status = population_with_status(PopulationFirm.objects.filter(pk=entry.pk)).values_list(
        "status", flat=True
    )[0]
    context = {
        "entry": entry,
        "status": PopulationStatus(status),
        "messages_sent": entry.outreach_messages.select_related("campaign").order_by("-pk")[:20],
        "invitation_url": settings.SITE_URL
        + reverse("population_welcome", args=[invitation_token(entry)])
        if request.user.is_programme_admin and entry.firm_id is None
        else "",
    }
    return render(request, "diagnosis/population/firm.html", context)


@login_required
def population_import_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_programme_admin(request.user)
    imports = PopulationImport.objects.select_related("uploaded_by")[:10]
    form = PopulationUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if getattr(request, "upload_too_large", False):
            form = PopulationUploadForm()
            form.add_error(
                "file",
                _("The file is larger than %(limit)s. Split it into smaller files.")
                % {"limit": filesizeformat(settings.POPULATION_IMPORT_MAX_BYTES)},
            )
        elif form.is_valid():
            population_import = population_services.population_import_upload(
                uploaded_file=form.cleaned_data["file"], actor=request.user
            )
            return redirect("population_import", population_import.pk)
        context = {"form": form, "imports": imports}
        return render(request, "diagnosis/population/upload.html", context, status=400)
    return render(request, "diagnosis/population/upload.html", {"form": form, "imports": imports})


@login_required
@require_GET
def population_import(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """An import's report: counts, every problem (paginated) and the confirmation."""
    require_programme_admin(request.user)
    population_import = get_object_or_404(PopulationImport, pk=pk)
    page = Paginator(population_import.problems.all(), PROBLEMS_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    language = translation.get_language() or settings.LANGUAGE_CODE
    problems = [
        {
            "row": problem.row,
            "column": column_label(problem.column, language) if problem.column else "",
            "message": problem_message(problem.code, problem.params),
            "is_note": problem.code in NOTES,
        }
        for problem in page
    ]
    context = {
        "import": population_import,
        "page": page,
        "problems": problems,
        "confirm_form": ImportConfirmForm(),
    }
    return render(request, "diagnosis/population/import.html", context)


@login_required
@require_POST
def population_import_confirm(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    require_programme_admin(request.user)
    population_import = get_object_or_404(PopulationImport, pk=pk)
    form = ImportConfirmForm(request.POST)
    form.is_valid()
    try:
        done = population_services.population_import_confirm(
            population_import=population_import,
            actor=request.user,
            valid_only=form.cleaned_data.get("valid_only", False),
        )
    except population_services.PopulationError as error:
        messages.error(request, str(error))
    else:
        done.refresh_from_db()
        if done.status == PopulationImport.Status.IMPORTED:
            messages.success(
                request,
                _("Imported: %(created)s firms added, %(updated)s updated.")
                % {"created": done.created_count, "updated": done.updated_count},
            )
        else:
            messages.info(request, _("The import has started."))
    return redirect("population_import", pk)


@login_required
@require_GET
def population_import_report(request: AuthenticatedHttpRequest, pk: int) -> StreamingHttpResponse:
    """The problems as CSV: row, column and problem in Chinese and in English."""
    require_programme_admin(request.user)
    population_import = get_object_or_404(PopulationImport, pk=pk)
    response = StreamingHttpResponse(
        csv_lines(_report_rows(population_import)), content_type="text/csv; charset=utf-8"
    )
    filename = f"population-import-{population_import.pk}-report.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _report_rows(population_import: PopulationImport) -> Iterator[list]:
    chinese, english = messages_in("zh-hans"), messages_in("en")
    yield ["行 Row", "列", "Column", "问题", "Problem"]
    problems = population_import.problems.order_by("row", "pk").values_list(
        "row", "column", "code", "params"
    )
    for row, column, code, params in problems.iterator(chunk_size=2000):
        yield [
            row or "",
            column_label(column, "zh-hans") if column else "",
            column_label(column, "en") if column else "",
            chinese[code] % params if params else chinese[code],
            english[code] % params if params else english[code],
        ]


@login_required
@require_GET
def population_template(request: AuthenticatedHttpRequest, file_format: str) -> HttpResponse:
    """An empty population file with the columns named and one example row."""
    require_programme_admin(request.user)
    return template_response(file_format)


@login_required
def district_quotas(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_programme_admin(request.user)
    targets = dict(DistrictQuota.objects.values_list("district", "target"))
    form = DistrictQuotaForm(request.POST or None, targets=targets)
    if request.method == "POST":
        if form.is_valid():
            population_services.district_quotas_set(targets=form.targets(), actor=request.user)
            messages.success(request, _("District quotas saved."))
            return redirect("district_quotas")
        return render(request, "diagnosis/population/quotas.html", {"form": form}, status=400)
    return render(request, "diagnosis/population/quotas.html", {"form": form})


@require_GET
def population_welcome(request: HttpRequest, token: str) -> HttpResponse:
    """Where an invitation's link leads: to the registration form, filled in from the list."""
    entry = population_for_token(token)
    if entry is None:
        return render(request, "diagnosis/population/welcome_invalid.html", status=404)
    register = f"{reverse('firm_register')}?{urlencode({'invitation': token})}"
    if request.user.is_authenticated and entry.firm_id is None:
        return redirect(register)
    context = {
        "entry": entry,
        "signup_url": f"{reverse('signup')}?{urlencode({'next': register})}",
        "login_url": f"{reverse('login')}?{urlencode({'next': register})}",
    }
    return render(request, "diagnosis/population/welcome.html", context)
