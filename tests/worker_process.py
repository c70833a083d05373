"""A real task worker for tests: `manage.py db_worker` in a process of its own, on the test
database of this test process (SQLite file or PostgreSQL database, whichever the suite runs
on; each pytest-xdist worker has its own), with the database task backend, file-based email
and the test's media folder. The test must commit what the worker is to see
(`transactional_db`) and queue on the same backend (the `database_tasks` fixture)."""

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent
DATABASE_BACKEND = "django_tasks_db.DatabaseBackend"
DATABASE_TASKS = {"default": {"BACKEND": DATABASE_BACKEND, "QUEUES": ["default"]}}
WAIT_SECONDS = 90  # generous: the machine is shared and a PDF takes a second or two


def database_url() -> str:
    """The URL of the test database this process uses, for the worker's DATABASE_URL."""
    database = connection.settings_dict
    if database["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{Path(database['NAME']).resolve()}"
    user = quote(database["USER"] or "")
    password = f":{quote(database['PASSWORD'])}" if database["PASSWORD"] else ""
    host = database["HOST"] or "localhost"
    port = f":{database['PORT']}" if database["PORT"] else ""
    return f"postgres://{user}{password}@{host}{port}/{quote(database['NAME'])}"


@dataclass
class Worker:
    process: subprocess.Popen
    log: Path

    def output(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""

    def kill(self) -> None:
        """SIGKILL: no clean-up of any kind, as when a machine or the OOM killer stops it."""
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=30)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.kill()


def worker_environment(folder: Path) -> dict[str, str]:
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DJANGO_ALLOW_ASYNC_UNSAFE", "PYTEST_XDIST_WORKER"}
    }
    environment.update(
        DATABASE_URL=database_url(),
        DATABASE_CONN_MAX_AGE="0",
        TASKS_BACKEND=DATABASE_BACKEND,
        EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
        EMAIL_FILE_PATH=str(folder / "mail"),
        MEDIA_ROOT=str(settings.MEDIA_ROOT),
        WORKER_HEARTBEAT_SECONDS="0.3",
        TASK_RETRY_DELAY_SECONDS="0.2",
        SEND_NOTIFICATIONS="true",
        PYTHONUNBUFFERED="1",
    )
    return environment


@contextmanager
def running_worker(folder: Path, name: str = "worker") -> Iterator[Worker]:
    """Start a worker; stop it (SIGTERM, as systemd does) when the block ends."""
    log = folder / f"{name}.log"
    with log.open("ab") as output:
        process = subprocess.Popen(
            [
                *(sys.executable, "manage.py", "db_worker", "--no-reload", "--no-startup-delay"),
                *("--interval", "0.1", "--worker-id", f"{name}-{os.getpid()}", "-v", "2"),
            ],
            cwd=ROOT,
            env=worker_environment(folder),
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    worker = Worker(process, log)
    try:
        yield worker
    finally:
        worker.stop()


def wait_until(condition: Callable[[], object], worker: Worker, what: str) -> object:
    """Poll `condition` until it is true (returning it); fail with the worker's log."""
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        if worker.process.poll() is not None:
            raise AssertionError(f"the worker exited before {what}:\n{worker.output()}")
        time.sleep(0.1)
    raise AssertionError(f"no {what} within {WAIT_SECONDS} s; worker log:\n{worker.output()}")
