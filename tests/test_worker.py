"""The worker's housekeeping (diagnosis/worker.py): tasks of dead workers queued again,
periodic jobs queued by one worker, old results pruned."""

import zoneinfo
from datetime import datetime, timedelta

import pytest
from django.tasks import TaskResultStatus
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from diagnosis.models import PeriodicJobRun, WorkerHeartbeat
from diagnosis.worker import (
    PERIODIC_JOBS,
    beat,
    prune_task_results,
    queue_due_jobs,
    requeue_orphaned_tasks,
)
from tests.worker_process import DATABASE_TASKS
from tests.worker_tasks import fail_times

PRUNE = "diagnosis.worker.prune_task_results"
REFRESH = "diagnosis.services.benchmarks.benchmark_refresh_task"


@pytest.fixture
def database_tasks(settings, db):
    settings.TASKS = DATABASE_TASKS
    settings.WORKER_HEARTBEAT_SECONDS = 10
    settings.TASK_MAX_ATTEMPTS = 3


def a_task(status: str, *, started_ago: float = 0, worker_ids=(), finished_ago=None) -> str:
    task_id = str(fail_times.enqueue("/nonexistent", 0).id)
    now = timezone.now()
    DBTaskResult.objects.filter(id=task_id).update(
        status=status,
        started_at=now - timedelta(seconds=started_ago),
        worker_ids=list(worker_ids),
        finished_at=None if finished_ago is None else now - timedelta(days=finished_ago),
    )
    return task_id


def status_of(task_id: str) -> str:
    return DBTaskResult.objects.get(id=task_id).status


def test_it_queues_again_a_task_whose_worker_is_silent(database_tasks):
    beat("dead", timezone.now())
    WorkerHeartbeat.objects.filter(pk="dead").update(seen_at=timezone.now() - timedelta(minutes=1))
    task_id = a_task("RUNNING", started_ago=60, worker_ids=["dead"])

    assert requeue_orphaned_tasks() == 1

    assert status_of(task_id) == TaskResultStatus.READY
    assert DBTaskResult.objects.ready().filter(id=task_id).exists()  # a worker may claim it


def test_it_leaves_the_task_of_a_worker_that_beats(database_tasks):
    beat("alive", timezone.now())
    task_id = a_task("RUNNING", started_ago=600, worker_ids=["alive"])
    assert requeue_orphaned_tasks() == 0
    assert status_of(task_id) == TaskResultStatus.RUNNING


def test_it_leaves_a_task_claimed_moments_ago(database_tasks):
    task_id = a_task("RUNNING", started_ago=1, worker_ids=["unknown"])
    assert requeue_orphaned_tasks() == 0
    assert status_of(task_id) == TaskResultStatus.RUNNING


def test_it_fails_a_task_whose_workers_died_at_every_attempt(database_tasks):
    task_id = a_task("RUNNING", started_ago=60, worker_ids=["a", "b", "c"])
    assert requeue_orphaned_tasks() == 0
    task = DBTaskResult.objects.get(id=task_id)
    assert task.status == TaskResultStatus.FAILED
    assert "died during each of 3 attempts" in task.traceback


def test_it_queues_a_periodic_job_once_until_it_is_due_again(database_tasks):
    assert queue_due_jobs() == ["prune-task-results", "benchmark-refresh"]
    assert queue_due_jobs() == []  # another worker a moment later
    assert DBTaskResult.objects.filter(task_path=PRUNE).count() == 1
    assert DBTaskResult.objects.filter(task_path=REFRESH).count() == 1

    PeriodicJobRun.objects.filter(name="prune-task-results").update(
        due_at=timezone.now() - timedelta(seconds=1)
    )

    assert queue_due_jobs() == ["prune-task-results"]
    assert DBTaskResult.objects.filter(task_path=PRUNE).count() == 2


def test_the_benchmark_refresh_is_next_due_at_night_local_time(database_tasks, settings):
    settings.BENCHMARK_NIGHTLY_HOUR = 2
    job = next(job for job in PERIODIC_JOBS if job.name == "benchmark-refresh")
    shanghai = zoneinfo.ZoneInfo("Asia/Shanghai")
    evening = datetime(2026, 12, 3, 21, 30, tzinfo=shanghai)
    small_hours = datetime(2026, 12, 4, 1, 59, tzinfo=shanghai)
    assert job.next_due(evening) == datetime(2026, 12, 4, 2, 0, tzinfo=shanghai)
    assert job.next_due(small_hours) == datetime(2026, 12, 4, 2, 0, tzinfo=shanghai)
    assert job.next_due(datetime(2026, 12, 4, 2, 0, tzinfo=shanghai)) == datetime(
        2026, 12, 5, 2, 0, tzinfo=shanghai
    )

    queue_due_jobs()
    run = PeriodicJobRun.objects.get(name="benchmark-refresh")
    local = timezone.localtime(run.due_at)
    assert (local.hour, local.minute) == (2, 0)
    assert run.due_at - timezone.now() <= timedelta(days=1)


def test_it_prunes_finished_results_past_the_retention(database_tasks, settings):
    settings.TASK_RESULTS_KEEP_DAYS = 14
    old = a_task("SUCCESSFUL", finished_ago=15)
    old_failure = a_task("FAILED", finished_ago=15)
    recent = a_task("SUCCESSFUL", finished_ago=13)
    waiting = a_task("READY")
    beat("gone", timezone.now())
    WorkerHeartbeat.objects.update(seen_at=timezone.now() - timedelta(days=2))

    prune_task_results.call()

    assert set(DBTaskResult.objects.values_list("id", flat=True)) == {
        DBTaskResult.objects.get(id=recent).id,
        DBTaskResult.objects.get(id=waiting).id,
    }
    assert not DBTaskResult.objects.filter(id__in=[old, old_failure]).exists()
    assert not WorkerHeartbeat.objects.exists()
