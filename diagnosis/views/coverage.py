"""The coverage page: the funnel of the population by district, division and size class,
with the district quotas; every number links to the firm directory's firms behind it."""

from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from diagnosis.firmdata import District
from diagnosis.forms.segments import SegmentForm
from diagnosis.http import AuthenticatedHttpRequest
from diagnosis.models import PopulationFirm
from diagnosis.permissions import (
    ProgrammeScope,
    programme_scope_for,
    require_districts_in_scope,
)
from diagnosis.queries.coverage import (
    REACHED,
    STAGES,
    Coverage,
    CoverageRow,
    coverage,
    segment_population,
)
from diagnosis.queries.directory import ALL_STAGES
from diagnosis.queries.population import PopulationFilters, PopulationStatus
from diagnosis.reports.charts import Label, Series, bar_svg
from diagnosis.views.population import scope_context

STEP_LABELS = {
    "population": gettext_lazy("In the population"),
    "registered": gettext_lazy("Registered"),
    "started": gettext_lazy("Started an assessment"),
    "submitted": gettext_lazy("Submitted"),
    "signed_off": gettext_lazy("Signed off"),
}
# The directory's parameter for each breakdown's key.
BREAKDOWNS = (
    ("district", gettext_lazy("By district")),
    ("division", gettext_lazy("By industry division")),
    ("size", gettext_lazy("By size class")),
)


@dataclass(frozen=True)
class Cell:
    count: int
    href: str
    stage: str = "population"


@dataclass(frozen=True)
class FunnelStep:
    label: str
    cell: Cell
    share: float | None


def directory_link(segment: PopulationFilters, stages: tuple[str, ...], **key: str) -> str:
    """The firm directory filtered to the segment (one parameter replaced by `key`) and to
    firms now at one of `stages` (every stage: the whole population)."""
    query: dict[str, list] = {
        "district": list(segment.districts),
        "division": list(segment.industries),
        "size": list(segment.size_classes),
    }
    query.update({name: [value] for name, value in key.items() if value})
    query["status"] = [ALL_STAGES] if stages == STAGES else list(stages)
    return f"{reverse('directory')}?{urlencode(query, doseq=True)}"


def _table_row(row: CoverageRow, segment: PopulationFilters, parameter: str) -> dict:
    key = {parameter: row.key} if parameter else {}
    return {
        "label": row.label,
        "population": Cell(row.population, directory_link(segment, STAGES, **key)),
        "stages": [
            Cell(row.stages[s], directory_link(segment, (s,), **key), stage=s) for s in STAGES
        ],
        "quota": row.quota,
        "quota_share": row.quota_share,
        "signed_off": row.signed_off,
    }


def _funnel(result: Coverage, segment: PopulationFilters) -> tuple[list[FunnelStep], str]:
    total = result.total
    steps = [
        FunnelStep(
            label=str(STEP_LABELS[step]),
            cell=Cell(total.reached(step), directory_link(segment, REACHED[step])),
            share=total.reached(step) / total.population if total.population else None,
        )
        for step in REACHED
    ]
    chart = bar_svg(
        [step.label for step in steps],
        [Series(_("Share of the population"), tuple(100 * (s.share or 0) for s in steps))],
        unit="%",
        label=Label(
            _("Funnel: share of the population that reached each step"),
            "; ".join(f"{step.label}: {step.cell.count}" for step in steps),
        ),
    )
    return steps, chart


def _quota_districts(scope: ProgrammeScope, segment: PopulationFilters) -> list[str]:
    """The districts whose quota applies: none when the page is narrowed to some divisions
    or sizes (a quota counts every signed-off firm of the district)."""
    if segment.industries or segment.size_classes:
        return []
    districts = segment.districts or District.values
    return [district for district in districts if scope.covers(district)]


@login_required
@require_GET
def coverage_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    scope = programme_scope_for(request.user)
    form = SegmentForm(request.GET, districts=scope.districts)
    context: dict = {"form": form, **scope_context(scope)}
    if not form.is_valid():
        return render(request, "diagnosis/coverage/coverage.html", context, status=400)
    segment = form.filters()
    require_districts_in_scope(scope, segment.districts)
    firms = segment_population(scope.filter(PopulationFirm.objects.all()), segment)
    result = coverage(firms, with_quotas=_quota_districts(scope, segment))
    steps, chart = _funnel(result, segment)
    rows = {"district": result.districts, "division": result.divisions, "size": result.sizes}
    context.update(
        steps=steps,
        funnel_chart=chart,
        stage_labels=[PopulationStatus(stage).label for stage in STAGES],
        tables=[
            {
                "parameter": parameter,
                "title": title,
                "rows": [_table_row(row, segment, parameter) for row in rows[parameter]],
                "total": _table_row(result.total, segment, ""),
                "quotas": parameter == "district" and any(r.quota for r in result.districts),
            }
            for parameter, title in BREAKDOWNS
        ],
    )
    return render(request, "diagnosis/coverage/coverage.html", context)
