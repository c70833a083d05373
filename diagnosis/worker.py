"""What every task worker does beside running tasks.

`manage.py db_worker` (diagnosis/management/commands/db_worker.py wraps django-tasks-db's)
runs `housekeeping()` around the worker loop: a thread that, every WORKER_HEARTBEAT_SECONDS,

- records the worker's heartbeat (WorkerHeartbeat), the first one before any task is claimed;
- puts back in the queue the tasks left RUNNING by a worker that has missed three beats
  (killed, its machine lost): django-tasks-db would leave them RUNNING for ever
  (django-tasks issue #46). A task whose workers died TASK_MAX_ATTEMPTS times is marked
  failed instead, so one that kills its worker cannot loop;
- queues the periodic jobs that are due (PERIODIC_JOBS); with several workers, one
  conditional UPDATE per job decides which of them queues it.
"""

import logging
import os
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.management import call_command
from django.db import close_old_connections, connections
from django.tasks import DEFAULT_TASK_BACKEND_ALIAS, Task, TaskResultStatus, task_backends
from django.utils import timezone
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.models import DBTaskResult

from diagnosis.models import PeriodicJobRun, WorkerHeartbeat
from diagnosis.services.benchmarks import benchmark_refresh_task
from diagnosis.tasks import background_task

logger = logging.getLogger("diagnosis.worker")

MISSED_BEATS = 3  # silent this many beats: the worker is taken for dead
HEARTBEATS_KEPT = timedelta(days=1)


@background_task()
def prune_task_results() -> None:
    """Delete finished task results older than TASK_RESULTS_KEEP_DAYS (django-tasks-db's
    prune_db_task_results, all queues) and heartbeats of workers gone a day. Idempotent."""
    WorkerHeartbeat.objects.filter(seen_at__lt=timezone.now() - HEARTBEATS_KEPT).delete()
    if not isinstance(task_backends[DEFAULT_TASK_BACKEND_ALIAS], DatabaseBackend):
        return  # results of other backends are not in the database
    call_command(
        "prune_db_task_results",
        queue_name="*",
        min_age_days=settings.TASK_RESULTS_KEEP_DAYS,
        verbosity=0,
    )


@dataclass(frozen=True)
class PeriodicJob:
    """A task queued when due: first when a worker first sees the job, then every `every`,
    or, with `at_hour_setting`, at the next hour of the local day (TIME_ZONE) that this
    setting names — a nightly job runs at night whenever its last run was."""

    name: str
    every: timedelta
    task: Task
    at_hour_setting: str | None = None

    def next_due(self, now: datetime) -> datetime:
        if self.at_hour_setting is None:
            return now + self.every
        hour = getattr(settings, self.at_hour_setting)
        local = timezone.localtime(now)
        due = local.replace(hour=hour, minute=0, second=0, microsecond=0)
        return due if due > local else due + timedelta(days=1)


PERIODIC_JOBS = [
    PeriodicJob("prune-task-results", timedelta(days=1), prune_task_results),
    # The nightly peer benchmark refresh, beside the debounced one after each sign-off.
    PeriodicJob(
        "benchmark-refresh",
        timedelta(days=1),
        benchmark_refresh_task,
        at_hour_setting="BENCHMARK_NIGHTLY_HOUR",
    ),
]


def beat(worker_id: str, started_at: datetime) -> None:
    now = timezone.now()
    WorkerHeartbeat.objects.update_or_create(
        worker_id=worker_id,
        defaults={"seen_at": now},
        create_defaults={
            "seen_at": now,
            "started_at": started_at,
            "hostname": socket.gethostname()[:255],
            "pid": os.getpid(),
        },
    )


def requeue_orphaned_tasks() -> int:
    """Put back in the queue the running tasks whose worker is silent; returns how many."""
    silent_since = timezone.now() - timedelta(
        seconds=MISSED_BEATS * settings.WORKER_HEARTBEAT_SECONDS
    )
    alive = set(
        WorkerHeartbeat.objects.filter(seen_at__gte=silent_since).values_list(
            "worker_id", flat=True
        )
    )
    orphaned = [
        (task_id, len(worker_ids))
        for task_id, worker_ids in DBTaskResult.objects.running()
        .filter(started_at__lt=silent_since)
        .values_list("id", "worker_ids")
        if not worker_ids or worker_ids[-1] not in alive
    ]
    spent = [task_id for task_id, attempts in orphaned if attempts >= settings.TASK_MAX_ATTEMPTS]
    again = [task_id for task_id, attempts in orphaned if attempts < settings.TASK_MAX_ATTEMPTS]
    running = DBTaskResult.objects.running()
    requeued = running.filter(id__in=again).update(status=TaskResultStatus.READY, started_at=None)
    failed = running.filter(id__in=spent).update(
        status=TaskResultStatus.FAILED,
        finished_at=timezone.now(),
        exception_class_path="diagnosis.worker.WorkerDied",
        traceback=f"Its worker died during each of {settings.TASK_MAX_ATTEMPTS} attempts.",
    )
    if requeued or failed:
        logger.warning("Tasks of dead workers: %d queued again, %d failed", requeued, failed)
    return requeued


def queue_due_jobs() -> list[str]:
    """Queue the task of each periodic job that is due; returns their names."""
    now = timezone.now()
    queued = []
    for job in PERIODIC_JOBS:
        PeriodicJobRun.objects.get_or_create(name=job.name, defaults={"due_at": now})
        won = PeriodicJobRun.objects.filter(name=job.name, due_at__lte=now).update(
            due_at=job.next_due(now), last_queued_at=now
        )
        if won:
            job.task.enqueue()
            queued.append(job.name)
    return queued


def housekeep(worker_id: str, started_at: datetime) -> None:
    beat(worker_id, started_at)
    requeue_orphaned_tasks()
    queue_due_jobs()


class Housekeeper(threading.Thread):
    def __init__(self, worker_id: str) -> None:
        super().__init__(name=f"housekeeping-{worker_id}", daemon=True)
        self.worker_id = worker_id
        self.started_at = timezone.now()
        self.stopping = threading.Event()

    def run(self) -> None:
        while not self.stopping.wait(settings.WORKER_HEARTBEAT_SECONDS):
            try:
                housekeep(self.worker_id, self.started_at)
                close_old_connections()
            except Exception:
                logger.exception("Housekeeping of worker %s failed", self.worker_id)
                connections.close_all()  # this thread's: reconnect next time


@contextmanager
def housekeeping(worker_id: str) -> Iterator[None]:
    """Keep the worker's heartbeat, recovery and periodic jobs going while it runs."""
    keeper = Housekeeper(worker_id)
    housekeep(worker_id, keeper.started_at)  # seen alive before it claims a task
    keeper.start()
    try:
        yield
    finally:
        keeper.stopping.set()
        keeper.join(timeout=30)  # a beat under way would write the row again
        try:
            WorkerHeartbeat.objects.filter(worker_id=worker_id).delete()
        except Exception:
            logger.exception("Could not remove the heartbeat of worker %s", worker_id)
