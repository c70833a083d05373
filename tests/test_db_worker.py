"""A real worker process (`manage.py db_worker`) runs what requests queue, retries what
fails and takes over the tasks of a worker that was killed: on SQLite and on PostgreSQL,
whichever database the suite runs on (tests/worker_process.py)."""

from datetime import timedelta

import pytest
from django.tasks import TaskResultStatus
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from diagnosis.models import AuditEntry, ReportPdf
from tests.worker_process import DATABASE_TASKS, running_worker, wait_until
from tests.worker_tasks import fail_times, write_twice

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def database_tasks(settings, tmp_path):
    """This process queues tasks in the database, for the worker; files go to tmp_path."""
    settings.TASKS = DATABASE_TASKS
    settings.MEDIA_ROOT = tmp_path / "media"


def attempts_of(task_path: str) -> list[DBTaskResult]:
    return list(DBTaskResult.objects.filter(task_path=task_path).order_by("enqueued_at"))


def test_it_sends_the_email_a_request_queued(client, respondent, database_tasks, tmp_path):
    client.force_login(respondent)
    with running_worker(tmp_path) as worker:
        response = client.post(reverse("firm_invite"), {"email": "new@firm-a.example"})
        assert response.status_code == 302
        (queued,) = attempts_of("diagnosis.services.notifications.send_templated_email")
        mails = wait_until(lambda: list((tmp_path / "mail").glob("*.log")), worker, "an email")

    assert "To: new@firm-a.example" in mails[0].read_text()  # type: ignore[index]
    queued.refresh_from_db()
    assert queued.status == TaskResultStatus.SUCCESSFUL


def test_a_task_that_fails_twice_is_retried_later_and_succeeds(database_tasks, tmp_path):
    counter = tmp_path / "attempts"
    path = "tests.worker_tasks.fail_times"
    with running_worker(tmp_path) as worker:
        fail_times.enqueue(str(counter), 2)
        wait_until(
            lambda: any(a.status == TaskResultStatus.SUCCESSFUL for a in attempts_of(path)),
            worker,
            "a successful attempt",
        )

    first, second, third = attempts_of(path)
    assert [a.status for a in (first, second, third)] == ["FAILED", "FAILED", "SUCCESSFUL"]
    assert "attempt 1 fails on purpose" in first.traceback
    assert [a.args_kwargs["kwargs"] for a in (second, third)] == [
        {"retry_attempt": 2},
        {"retry_attempt": 3},
    ]
    assert third.return_value == 3 and counter.read_text() == "3"
    # backoff: 0.2 s ± 20 % after the first failure, twice that after the second
    assert second.run_after - first.started_at >= timedelta(seconds=0.16)
    assert third.run_after - second.started_at >= timedelta(seconds=0.32)


def test_a_killed_workers_task_is_run_again_by_another_and_never_half_done(
    database_tasks, tmp_path
):
    started, release = tmp_path / "started", tmp_path / "release"
    entries = AuditEntry.objects.filter(action__startswith="test.killed.")
    with running_worker(tmp_path, "first") as first:
        queued = write_twice.enqueue(str(started), str(release), "killed")
        wait_until(started.exists, first, "the task to start")
        first.kill()  # between its two writes

    task = DBTaskResult.objects.get(id=queued.id)
    assert task.status == TaskResultStatus.RUNNING  # as django-tasks-db leaves it
    assert not entries.exists()  # the first write went with the transaction

    release.touch()
    with running_worker(tmp_path, "second") as second:
        wait_until(
            lambda: DBTaskResult.objects.get(id=queued.id).status == TaskResultStatus.SUCCESSFUL,
            second,
            "the task to be run again",
        )

    assert sorted(entries.values_list("action", flat=True)) == [
        "test.killed.first",
        "test.killed.second",
    ]
    task.refresh_from_db()
    assert [worker_id.split("-")[0] for worker_id in task.worker_ids] == ["first", "second"]


def test_it_stores_the_pdf_a_download_asked_for_and_the_download_serves_it(
    client, respondent, submitted, database_tasks, tmp_path
):
    client.force_login(respondent)
    url = reverse("report_pdf", args=[submitted.pk])
    with running_worker(tmp_path) as worker:
        pending = client.get(url)
        assert 'data-testid="pdf-pending"' in pending.content.decode()
        wait_until(
            lambda: ReportPdf.objects.filter(assessment=submitted).exclude(file="").exists(),
            worker,
            "a stored PDF",
        )

    response = client.get(url)
    assert response["Content-Type"] == "application/pdf"
    served = response.getvalue()
    pdf = ReportPdf.objects.get(assessment=submitted)
    with pdf.file.open("rb") as stored:
        assert served == stored.read()
    assert served.startswith(b"%PDF-")


def test_a_sign_off_has_the_worker_store_the_signed_pdfs(
    client, consultant, submitted, database_tasks, tmp_path
):
    client.force_login(consultant)
    decide = reverse("review_decide", args=[submitted.pk])
    with running_worker(tmp_path) as worker:
        response = client.post(decide, {"decision": "sign_off", "confirmed": "on"})
        assert response.status_code == 302
        wait_until(
            lambda: ReportPdf.objects.filter(assessment=submitted).exclude(file="").count() == 4,
            worker,
            "four signed PDFs",
        )

    submitted.refresh_from_db()
    stored = ReportPdf.objects.filter(assessment=submitted)
    assert {(pdf.language, pdf.audience) for pdf in stored} == {
        (language, audience) for language in ("zh-hans", "en") for audience in ("firm", "review")
    }
    assert {pdf.version for pdf in stored} == {f"signed-{submitted.report_number}"}
