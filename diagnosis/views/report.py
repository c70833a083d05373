"""The transformation report: HTML page, PDF download, and the public check of a signed one."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from diagnosis import ratelimit
from diagnosis.forms.review import VerificationForm
from diagnosis.http import AuthenticatedHttpRequest
from diagnosis.permissions import get_assessment_for_user
from diagnosis.queries.review import signed_report
from diagnosis.reports.context import build_report
from diagnosis.services.report_pdfs import pdf_audience, report_pdf_request

PDF_REFRESH_SECONDS = 3


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
@never_cache
def report_pdf(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse | FileResponse:
    """The stored PDF of the report; while a worker renders it, a page that says so and
    reloads itself (a meta refresh: no script, so the Content-Security-Policy holds)."""
    assessment, access = get_assessment_for_user(request.user, pk)
    pdf = report_pdf_request(
        assessment=assessment,
        language=get_language() or settings.LANGUAGE_CODE,
        audience=pdf_audience(access),
    )
    if pdf is None:
        return render(
            request, "diagnosis/report/not_ready.html", {"assessment": assessment}, status=404
        )
    pdf.refresh_from_db()  # an in-process task backend has rendered it meanwhile
    if not pdf.is_ready:
        context = {"assessment": assessment, "pdf": pdf, "refresh_seconds": PDF_REFRESH_SECONDS}
        return render(request, "diagnosis/report/pdf_pending.html", context)
    return FileResponse(
        pdf.file.open("rb"),
        as_attachment=True,
        filename=pdf.download_name,
        content_type="application/pdf",
    )


@require_GET
@never_cache
def report_verify(request: HttpRequest) -> HttpResponse:
    """Public: whether a report with this number and code was signed, for which firm and
    when; nothing else. Checks are counted per client address (VERIFY_CHECKS_PER_HOUR)."""
    form = VerificationForm(request.GET or None)
    context: dict = {"form": form, "checked": False}
    if form.is_bound and form.is_valid():
        if _over_limit(request):
            context["limited"] = True
            return render(request, "diagnosis/report/verify.html", context, status=429)
        context["checked"] = True
        context["facts"] = signed_report(form.cleaned_data["number"], form.cleaned_data["code"])
    status = 400 if form.is_bound and not form.is_valid() else 200
    return render(request, "diagnosis/report/verify.html", context, status=status)


def _over_limit(request: HttpRequest) -> bool:
    """Count one check for the client's address in the current hour; True past the limit."""
    return ratelimit.hit(
        "report-verify",
        ratelimit.client_address(request),
        limit=settings.VERIFY_CHECKS_PER_HOUR,
        window=3600,
    )
