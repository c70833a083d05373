"""The report as a PDF, through WeasyPrint: A4, one CJK font family, page numbers, firm and date."""

import re
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from diagnosis.reports.charts import FONT_FAMILY
from diagnosis.reports.context import Report

# Characters that file systems or download dialogs refuse or misread.
_UNSAFE_IN_FILENAME = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]+')


def render_report_pdf(report: Report, request: HttpRequest | None = None) -> bytes:
    """Return the PDF bytes of a report, in the active language."""
    return report_document(report, request).write_pdf()


def report_document(report: Report, request: HttpRequest | None = None) -> Any:
    """The report laid out in pages by WeasyPrint (a weasyprint Document)."""
    from weasyprint import HTML  # imported here: loading it costs ~0.3 s at start-up

    context = {"report": report, "font_family": FONT_FAMILY}
    html = render_to_string("diagnosis/report/pdf.html", context, request=request)
    return HTML(string=html, base_url=str(settings.BASE_DIR)).render()


def pdf_filename(report: Report, language: str) -> str:
    """E.g. "上海甲精密制造有限公司-数字化诊断报告-2026-03-01-zh-hans.pdf": the firm's name,
    the kind of report, its date and language; characters a file system refuses become "_"."""
    assessment = report.assessment
    when = assessment.validated_at if report.validated else assessment.submitted_at
    date = timezone.localtime(when).strftime("%Y-%m-%d") if when else ""
    firm = _UNSAFE_IN_FILENAME.sub("_", assessment.firm.name).strip(" ._")[:80] or "report"
    kind = _("digital-diagnosis-report")
    return f"{firm}-{kind}-{date}-{language}.pdf"
