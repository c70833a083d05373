"""Report PDFs: rendered once per report version, language and audience by a background
task, stored through Django's storage API and then served as files.

The version of a signed report is its report number: its PDFs are rendered at sign-off and
never change afterwards, whatever is re-scored later. Before signing, the version follows
what the report shows: the stored results (each recomputed result gets a new
`computed_at`), the assessment's status, the must-resolve warnings resolved so far (the
report counts those still open) and PDF_LAYOUT_VERSION.
"""

import hashlib
import logging
from datetime import timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone, translation

from diagnosis.models import Assessment, ReportPdf, ScoreResult, WarningResolution
from diagnosis.permissions import Access
from diagnosis.reports.context import build_report
from diagnosis.reports.pdf import pdf_filename, render_report_pdf
from diagnosis.tasks import background_task, enqueue_on_commit

logger = logging.getLogger(__name__)

PDF_LAYOUT_VERSION = 2  # raise it when pdf.html changes: reports not signed are rendered again
# A PDF still not stored this long after it was asked for is queued again on the next
# request (its task may have been lost); so is one whose rendering failed for good.
RENDER_AGAIN_AFTER = timedelta(minutes=15)


def report_pdf_version(assessment: Assessment, results: list[ScoreResult]) -> str:
    if assessment.status == Assessment.Status.VALIDATED and assessment.report_number:
        return f"signed-{assessment.report_number}"
    shown = [str(PDF_LAYOUT_VERSION), assessment.status] + [
        f"{result.kind}:{result.computed_at.isoformat()}:{result.scoring_version}"
        for result in sorted(results, key=lambda result: result.kind)
    ]
    resolutions = WarningResolution.objects.filter(assessment=assessment).order_by("code")
    shown += [
        f"{code}:{at.isoformat()}" for code, at in resolutions.values_list("code", "resolved_at")
    ]
    return hashlib.sha256("|".join(shown).encode()).hexdigest()[:32]


def pdf_audience(access: Access) -> str:
    """Consultants, managers and administrators get the report with consistency details."""
    return ReportPdf.Audience.REVIEW if access.sees_everything else ReportPdf.Audience.FIRM


def report_pdf_request(*, assessment: Assessment, language: str, audience: str) -> ReportPdf | None:
    """The PDF of the assessment's current report: stored, or a row waiting for the task
    that renders it (queued after commit when the row is new, or stale). None when the
    assessment has no report yet."""
    results = list(ScoreResult.objects.filter(assessment=assessment))
    if not any(result.kind == ScoreResult.Kind.SELF for result in results):
        return None
    now = timezone.now()
    pdf, created = ReportPdf.objects.get_or_create(
        assessment=assessment,
        language=language,
        audience=audience,
        version=report_pdf_version(assessment, results),
        defaults={"requested_at": now},
    )
    queue = created
    if not created and not pdf.is_ready:
        stale = (pdf.failed_at or pdf.requested_at) < now - RENDER_AGAIN_AFTER
        if stale:
            ReportPdf.objects.filter(pk=pdf.pk).update(requested_at=now, failed_at=None)
            pdf.requested_at, pdf.failed_at, queue = now, None, True
    if queue:
        enqueue_on_commit(render_report_pdf_file, pdf.pk)
    return pdf


@background_task()
def prepare_report_pdfs(assessment_id: int) -> None:
    """Queue the PDFs of the report in every language for every audience (at sign-off, so
    that a signed report's PDFs show it as signed). Idempotent: a PDF asked for already
    is not queued again."""
    assessment = Assessment.objects.filter(pk=assessment_id).first()
    if assessment is None:
        return
    for language, _name in settings.LANGUAGES:
        for audience in ReportPdf.Audience:
            report_pdf_request(assessment=assessment, language=language, audience=audience)


def _mark_failed(pdf_id: int) -> None:
    ReportPdf.objects.filter(pk=pdf_id, file="").update(failed_at=timezone.now())


@background_task(on_give_up=_mark_failed)
def render_report_pdf_file(pdf_id: int) -> bool:
    """Render the row's PDF and store it; returns whether this run stored it. Idempotent:
    a row already stored, gone, or no longer the report's current version is left alone;
    of two runs at once, the second to finish deletes its file."""
    pdf = ReportPdf.objects.select_related("assessment").filter(pk=pdf_id).first()
    if pdf is None or pdf.is_ready:
        return False
    assessment = pdf.assessment
    results = list(ScoreResult.objects.filter(assessment=assessment))
    if report_pdf_version(assessment, results) != pdf.version:
        return False  # the report changed meanwhile: the next request asks for the new one
    with translation.override(pdf.language):
        report = build_report(assessment, _access(pdf.audience))
        assert report is not None  # it has results: its version says so
        content = render_report_pdf(report)
        download_name = pdf_filename(report, pdf.language)
    return _store(pdf, content, download_name)


def _access(audience: str) -> Access:
    review = audience == ReportPdf.Audience.REVIEW
    return Access(
        is_member=not review,
        is_owner=False,
        is_consultant=False,
        is_manager=False,
        is_administrator=review,
    )


def _store(pdf: ReportPdf, content: bytes, download_name: str) -> bool:
    """Save the file, then point the row at it in one UPDATE (a worker killed in between
    leaves the row waiting, to be rendered again)."""
    storage = pdf.file.storage
    name = storage.save(
        f"reports/{pdf.assessment_id}/{pdf.language}-{pdf.audience}-{pdf.version}.pdf",
        ContentFile(content),
    )
    with transaction.atomic():
        stored = ReportPdf.objects.filter(pk=pdf.pk, file="").update(
            file=name, download_name=download_name, rendered_at=timezone.now(), failed_at=None
        )
    if not stored:
        storage.delete(name)
        return False
    _remove_superseded(pdf)
    return True


def _remove_superseded(pdf: ReportPdf) -> None:
    """Delete the older renderings of the same report, language and audience; a signed
    report's PDF is never deleted."""
    older = (
        ReportPdf.objects.filter(
            assessment_id=pdf.assessment_id, language=pdf.language, audience=pdf.audience
        )
        .exclude(pk=pdf.pk)
        .exclude(version__startswith="signed-")
    )
    for stale in older:
        if stale.file:
            stale.file.delete(save=False)
        stale.delete()
