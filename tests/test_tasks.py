"""The task wrapper (diagnosis/tasks.py): retries with backoff, ids only, after commit."""

from datetime import timedelta
from typing import cast

import pytest
from django.tasks import default_task_backend
from django.tasks.backends.dummy import DummyBackend
from django.utils import timezone

from diagnosis.services.notifications import send_templated_email
from diagnosis.tasks import enqueue_on_commit, retry_delay
from tests.committing import committed
from tests.worker_tasks import fail_times

DUMMY = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}


@pytest.fixture
def queued(settings) -> DummyBackend:
    """The tasks queued, not run (a backend that can defer them, as the worker's can)."""
    settings.TASKS = DUMMY
    settings.TASK_RETRY_DELAY_SECONDS = 30
    return cast(DummyBackend, default_task_backend)


def test_it_queues_the_next_attempt_later_when_one_fails(queued, tmp_path):
    counter = str(tmp_path / "count")
    before = timezone.now()

    with pytest.raises(RuntimeError, match="attempt 1 fails"):
        fail_times.call(counter, 5)

    (retry,) = queued.results
    assert list(retry.args) == [counter, 5]
    assert retry.kwargs == {"retry_attempt": 2}
    run_after = retry.task.run_after
    assert run_after is not None
    assert before + timedelta(seconds=24) <= run_after <= timezone.now() + timedelta(seconds=36)


def test_it_waits_twice_as_long_before_each_further_attempt(settings):
    settings.TASK_RETRY_DELAY_SECONDS = 10
    assert 8 <= retry_delay(1) <= 12
    assert 16 <= retry_delay(2) <= 24
    assert 32 <= retry_delay(3) <= 48


def test_it_stops_after_the_last_attempt(queued, tmp_path, caplog):
    counter = tmp_path / "count"
    counter.write_text("2")

    with pytest.raises(RuntimeError, match="attempt 3 fails"):
        fail_times.func(str(counter), 5, retry_attempt=3)  # fail_times has max_attempts=3

    assert queued.results == []
    assert "failed for good at attempt 3" in caplog.text


def test_it_returns_what_the_function_returns_when_an_attempt_succeeds(queued, tmp_path):
    counter = tmp_path / "count"
    counter.write_text("1")
    assert fail_times.func(str(counter), 1, retry_attempt=2) == 2
    assert queued.results == []


def test_it_runs_a_task_once_on_a_backend_that_cannot_defer(tmp_path):
    counter = tmp_path / "count"
    result = fail_times.enqueue(str(counter), 1)  # the immediate backend of the tests
    assert result.status == "FAILED"
    assert counter.read_text() == "1"


def test_it_queues_a_task_only_when_the_transaction_commits(queued, db):
    with committed():
        enqueue_on_commit(send_templated_email, "invitation", "a@example.com", "en", {})
        assert queued.results == []
    (result,) = queued.results
    assert result.task.name == "send_templated_email"


def test_it_refuses_an_argument_that_is_not_a_plain_value(queued, firm):
    with pytest.raises(TypeError, match="takes ids and plain values"):
        enqueue_on_commit(send_templated_email, "invitation", "a@example.com", "en", {"f": firm})
