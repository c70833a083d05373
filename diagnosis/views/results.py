"""The results page: maturity levels, dimension quartiles for the reference set and a
segment, the weakest dimensions per segment, the change between assessments."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from diagnosis.forms.segments import ResultsForm
from diagnosis.http import AuthenticatedHttpRequest
from diagnosis.permissions import programme_scope_for, require_districts_in_scope
from diagnosis.queries.results import programme_results
from diagnosis.reports.results import (
    dimension_name,
    level_chart,
    level_rows,
    quartile_chart,
    weakest_rows,
)
from diagnosis.views.population import scope_context


@login_required
@require_GET
def results_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    scope = programme_scope_for(request.user)
    form = ResultsForm(request.GET, districts=scope.districts)
    context: dict = {"form": form, **scope_context(scope)}
    if not form.is_valid():
        return render(request, "diagnosis/results/results.html", context, status=400)
    segment = form.filters()
    require_districts_in_scope(scope, segment.districts)
    # Outside the programme office no figure covers fewer than PEER_MIN_COUNT firms.
    minimum = 0 if scope.is_citywide else settings.PEER_MIN_COUNT
    by = form.breakdown()
    results = programme_results(scope.districts, segment, by=by, minimum=minimum)
    has_segment = bool(segment.districts or segment.industries or segment.size_classes)
    names = [_("City") if scope.is_citywide else _("Your districts")]
    if has_segment:
        names.append(_("Segment"))
    levels = level_rows(results.levels)
    context.update(
        results=results,
        has_segment=has_segment,
        names=names,
        levels=levels,
        older_levels=[(version, level_rows(found)) for version, found in results.older_levels],
        level_chart=level_chart(levels, names),
        quartile_chart=quartile_chart(results, names),
        dimensions=[(dimension_name(d.dimension), d) for d in results.dimensions],
        weakest=weakest_rows(results.weakest, by),
        by=by,
        minimum=minimum,
    )
    return render(request, "diagnosis/results/results.html", context)
