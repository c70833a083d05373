"""The report as a PDF, through WeasyPrint: A4, CJK font, page numbers, firm and date."""

from django.conf import settings
from django.http import HttpRequest
from django.template.loader import render_to_string

from diagnosis.reports.context import Report


def render_report_pdf(report: Report, request: HttpRequest | None = None) -> bytes:
    """Return the PDF bytes of a report, in the active language."""
    from weasyprint import HTML  # imported here: loading it costs ~0.3 s at start-up

    html = render_to_string("diagnosis/report/pdf.html", {"report": report}, request=request)
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()
