"""The transformation report: HTML page and PDF download."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from diagnosis.http import AuthenticatedHttpRequest
from diagnosis.permissions import get_assessment_for_user
from diagnosis.reports.context import build_report
from diagnosis.reports.pdf import render_report_pdf


@login_required
@require_GET
def report(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    assessment, access = get_assessment_for_user(request.user, pk)
    built = build_report(assessment, access)
    if built is None:
        if access.is_member and assessment.is_open:
            return redirect("assessment_resume", pk)
        return render(request, "diagnosis/report/not_ready.html", {"assessment": assessment})
    return render(request, "diagnosis/report/report.html", {"report": built, "access": access})


@login_required
@require_GET
def report_pdf(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    assessment, access = get_assessment_for_user(request.user, pk)
    built = build_report(assessment, access)
    if built is None:
        return render(
            request, "diagnosis/report/not_ready.html", {"assessment": assessment}, status=404
        )
    response = HttpResponse(render_report_pdf(built, request), content_type="application/pdf")
    filename = f"report-{assessment.pk}-{get_language()}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
