"""`manage.py db_worker`: django-tasks-db's worker, with heartbeats, the recovery of tasks
whose worker died and the periodic jobs of diagnosis/worker.py. (This app comes before
django_tasks_db in INSTALLED_APPS, so this command replaces its namesake.)"""

import os
from typing import Any

from django.utils.autoreload import DJANGO_AUTORELOAD_ENV
from django_tasks_db.management.commands import db_worker

from diagnosis.worker import housekeeping


class Command(db_worker.Command):
    help = (
        "Run a database task worker; it also records its heartbeat, queues again the tasks "
        "of workers that died, and queues the periodic jobs (diagnosis/worker.py)."
    )

    def handle(self, *, worker_id: str, reload: bool, batch: bool, **options: Any) -> None:
        if reload and not batch and os.environ.get(DJANGO_AUTORELOAD_ENV) != "true":
            # The reloader's watching process runs no task: its child does.
            super().handle(worker_id=worker_id, reload=reload, batch=batch, **options)
            return
        with housekeeping(worker_id):
            super().handle(worker_id=worker_id, reload=reload, batch=batch, **options)
