"""What the task workers record beside the queue itself (django-tasks-db's table)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class WorkerHeartbeat(models.Model):
    """A task worker (`manage.py db_worker`) and when it last said it was alive. A running
    task whose worker has been silent for three beats is put back in the queue."""

    worker_id = models.CharField(max_length=64, primary_key=True)
    hostname = models.CharField(max_length=255)
    pid = models.PositiveIntegerField()
    started_at = models.DateTimeField()
    seen_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = _("task worker")
        verbose_name_plural = _("task workers")

    def __str__(self) -> str:
        return f"{self.worker_id} on {self.hostname} (pid {self.pid})"


class PeriodicJobRun(models.Model):
    """When a periodic job (diagnosis/worker.py) is next due. The worker that moves
    `due_at` on, in one conditional UPDATE, is the one that queues the job's task."""

    name = models.CharField(max_length=64, primary_key=True)
    due_at = models.DateTimeField()
    last_queued_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("periodic job")
        verbose_name_plural = _("periodic jobs")

    def __str__(self) -> str:
        return f"{self.name} due {self.due_at:%Y-%m-%d %H:%M}"
