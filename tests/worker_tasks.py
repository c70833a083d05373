"""Tasks that only the tests queue: a worker process started by a test imports them from
here (`tests.worker_tasks.<name>`), as it imports the app's own."""

import time
from pathlib import Path

from django.db import transaction

from diagnosis.services.audit import audit_log
from diagnosis.tasks import background_task

WAIT_LIMIT_SECONDS = 120


@background_task(max_attempts=3)
def fail_times(counter_path: str, failures: int) -> int:
    """Count the attempt in the file; the first `failures` attempts raise. Returns the
    attempt that succeeded."""
    counter = Path(counter_path)
    attempt = int(counter.read_text()) + 1 if counter.exists() else 1
    counter.write_text(str(attempt))
    if attempt <= failures:
        raise RuntimeError(f"attempt {attempt} fails on purpose")
    return attempt


@background_task()
def write_twice(started_path: str, release_path: str, label: str) -> None:
    """Write two audit entries in one transaction; between them, touch `started_path` and
    wait until `release_path` exists (so a test can kill the worker half-way)."""
    with transaction.atomic():
        audit_log(f"test.{label}.first")
        Path(started_path).touch()
        deadline = time.monotonic() + WAIT_LIMIT_SECONDS
        while not Path(release_path).exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        audit_log(f"test.{label}.second")
