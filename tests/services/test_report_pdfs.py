"""Report PDFs are rendered once per report version, language and audience by a task,
stored, and served from storage (diagnosis/services/report_pdfs.py)."""

from datetime import timedelta
from typing import cast

import pytest
from django.tasks import default_task_backend
from django.tasks.backends.dummy import DummyBackend
from django.urls import reverse
from django.utils import timezone

from diagnosis.models import ReportPdf, ScoreResult
from diagnosis.reports.pdf import render_report_pdf
from diagnosis.services import report_pdfs, review
from diagnosis.services.report_pdfs import (
    RENDER_AGAIN_AFTER,
    render_report_pdf_file,
    report_pdf_request,
)
from diagnosis.services.scoring import assessment_score
from tests.report_pdfs import download_pdf

FIRM = ReportPdf.Audience.FIRM


@pytest.fixture
def queued(settings) -> DummyBackend:
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    return cast(DummyBackend, default_task_backend)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def renders(monkeypatch) -> list[int]:
    """The assessments whose PDF was rendered, one entry per rendering."""
    rendered: list[int] = []
    real = render_report_pdf

    def counting(report):
        rendered.append(report.assessment.pk)
        return real(report)

    monkeypatch.setattr(report_pdfs, "render_report_pdf", counting)  # as the task calls it
    return rendered


def request_pdf(assessment, language="zh-hans", audience=FIRM) -> ReportPdf:
    pdf = report_pdf_request(assessment=assessment, language=language, audience=audience)
    assert pdf is not None
    return pdf


def test_it_queues_one_rendering_however_often_the_pdf_is_asked_for(
    submitted, queued, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = request_pdf(submitted)
        second = request_pdf(submitted)

    assert first.pk == second.pk and not first.is_ready
    (task,) = queued.results
    assert task.task.name == "render_report_pdf_file" and list(task.args) == [first.pk]


def test_it_renders_and_stores_the_pdf_once(submitted, queued, renders):
    pdf = request_pdf(submitted)

    assert render_report_pdf_file.call(pdf.pk) is True
    assert render_report_pdf_file.call(pdf.pk) is False  # run again: nothing to do

    pdf.refresh_from_db()
    assert renders == [submitted.pk]
    with pdf.file.open("rb") as stored:
        assert stored.read(5) == b"%PDF-"
    assert pdf.download_name.endswith("-zh-hans.pdf") and pdf.rendered_at is not None


def test_the_download_serves_the_stored_file_without_rendering_again(
    client, respondent, submitted, renders
):
    client.force_login(respondent)
    first = download_pdf(client, submitted.pk).getvalue()
    again = client.get(reverse("report_pdf", args=[submitted.pk]))

    assert again["Content-Type"] == "application/pdf"
    assert again.getvalue() == first
    assert renders == [submitted.pk]


@pytest.mark.parametrize(
    ("language", "text"), [("zh-hans", "正在生成"), ("en", "Your PDF is being prepared")]
)
def test_it_says_the_pdf_is_being_prepared_and_reloads_the_page(
    client, respondent, submitted, language, text
):
    client.cookies["django_language"] = language
    client.force_login(respondent)

    response = client.get(reverse("report_pdf", args=[submitted.pk]))  # its task not yet run

    page = response.content.decode()
    assert response.status_code == 200 and 'data-testid="pdf-pending"' in page
    assert text in page
    assert '<meta http-equiv="refresh" content="3">' in page
    assert "no-cache" in response["Cache-Control"]


def test_a_signed_reports_pdf_never_changes(
    client, respondent, consultant, submitted, renders, django_capture_on_commit_callbacks
):
    review.review_sign_off(assessment=submitted, consultant=consultant)
    client.force_login(respondent)
    signed = download_pdf(client, submitted.pk).getvalue()

    assessment_score(assessment=submitted, kind=ScoreResult.Kind.VALIDATED)  # re-scored
    with django_capture_on_commit_callbacks(execute=True):
        again = client.get(reverse("report_pdf", args=[submitted.pk]))

    assert again["Content-Type"] == "application/pdf" and again.getvalue() == signed
    (pdf,) = ReportPdf.objects.filter(assessment=submitted, audience=FIRM, language="zh-hans")
    assert pdf.version == f"signed-{submitted.report_number}"
    assert renders == [submitted.pk]


def test_a_report_not_signed_is_rendered_again_when_its_scores_are_recomputed(submitted, renders):
    old = request_pdf(submitted)
    render_report_pdf_file.call(old.pk)
    old.refresh_from_db()
    old_file = old.file.name
    assert old_file

    assessment_score(assessment=submitted)  # a new computed_at
    new = request_pdf(submitted)
    assert new.pk != old.pk
    render_report_pdf_file.call(new.pk)

    assert renders == [submitted.pk, submitted.pk]
    assert not ReportPdf.objects.filter(pk=old.pk).exists()  # superseded, file deleted
    assert not old.file.storage.exists(old_file)


def test_it_does_not_render_a_version_the_report_has_left(submitted, renders):
    pdf = request_pdf(submitted)
    assessment_score(assessment=submitted)
    assert render_report_pdf_file.call(pdf.pk) is False
    assert renders == []


def test_the_firm_and_reviewers_get_pdfs_of_their_own(submitted):
    firm = request_pdf(submitted, audience=FIRM)
    reviewers = request_pdf(submitted, audience=ReportPdf.Audience.REVIEW)
    english = request_pdf(submitted, language="en")
    assert len({firm.pk, reviewers.pk, english.pk}) == 3


def test_it_says_so_when_the_pdf_could_not_be_prepared_and_queues_it_again_later(
    client, respondent, submitted, queued
):
    pdf = request_pdf(submitted)
    ReportPdf.objects.filter(pk=pdf.pk).update(failed_at=timezone.now())
    client.force_login(respondent)

    page = client.get(reverse("report_pdf", args=[submitted.pk])).content.decode()

    assert 'data-testid="pdf-failed"' in page and "http-equiv" not in page
    ReportPdf.objects.filter(pk=pdf.pk).update(
        failed_at=timezone.now() - RENDER_AGAIN_AFTER - timedelta(seconds=1)
    )
    queued.clear()
    assert request_pdf(submitted).failed_at is None
    assert len(queued.results) == 0  # queued on commit, which a test never reaches …
    pdf.refresh_from_db()
    assert pdf.failed_at is None  # … but asked for again


def test_a_rendering_that_fails_for_good_marks_the_pdf_failed(submitted, monkeypatch):
    pdf = request_pdf(submitted)

    def broken(report):
        raise OSError("disk full")

    monkeypatch.setattr(report_pdfs, "render_report_pdf", broken)
    with pytest.raises(OSError):
        render_report_pdf_file.call(pdf.pk)  # the immediate backend: a single attempt

    pdf.refresh_from_db()
    assert pdf.failed_at is not None and not pdf.is_ready


def test_signing_off_queues_the_signed_pdfs_on_a_worker(
    submitted, consultant, queued, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        review.review_sign_off(assessment=submitted, consultant=consultant)
    names = [result.task.name for result in queued.results]
    assert "prepare_report_pdfs" in names
