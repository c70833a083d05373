"""Shared set-up for the Django benchmarks in tests/perf: a throwaway site and small helpers.

A benchmark calls `throwaway_site()` before importing anything that reads settings: it
points VAR_DIR and DATABASE_URL at a fresh temporary directory (never var/db.sqlite3),
runs production-like settings (DEBUG off), migrates, collects static files, loads and
publishes the bundled questionnaire, and deletes the directory on exit.
"""

from __future__ import annotations

import os
import secrets
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parents[2]
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

BUNDLED = REPO_ROOT / "diagnosis/definitions/smart-manufacturing-v1.yaml"
PRODUCTION_DATABASE = (REPO_ROOT / "var" / "db.sqlite3").resolve()
# The test client's host, and the address gunicorn serves on.
ALLOWED_HOSTS = "127.0.0.1,testserver"


def emit(name: str, value: float, unit: str, *, decimals: int = 0) -> None:
    """Print one figure as the single line `make bench` collects."""
    print(f"BENCH {name} {value:.{decimals}f} {unit}", flush=True)


def comment(text: str) -> None:
    print(f"# {text}", flush=True)


def site_environment(directory: Path) -> dict[str, str]:
    """Environment variables of a production-like site whose state lives in `directory`."""
    return {
        "DJANGO_SETTINGS_MODULE": "diagnosis.settings",
        "VAR_DIR": str(directory),
        "DATABASE_URL": f"sqlite:///{directory / 'db.sqlite3'}",
        "MEDIA_ROOT": str(directory / "media"),
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": ALLOWED_HOSTS,
        "SECURE_SSL_REDIRECT": "false",
        "SESSION_COOKIE_SECURE": "false",
        "CSRF_COOKIE_SECURE": "false",
        "SECURE_HSTS_SECONDS": "0",
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "STORAGE_BACKEND": "django.core.files.storage.FileSystemStorage",
        "TASKS_BACKEND": "django.tasks.backends.immediate.ImmediateBackend",
        "LOG_LEVEL": "WARNING",
    }


@contextmanager
def throwaway_directory() -> Iterator[Path]:
    """A temporary directory for a site's state, deleted on exit."""
    directory = Path(tempfile.mkdtemp(prefix="digital-diagnosis-bench-"))
    try:
        yield directory
    finally:
        _close_connections()
        shutil.rmtree(directory, ignore_errors=True)


@contextmanager
def throwaway_site() -> Iterator[Path]:
    """Set up Django on a temporary database with the questionnaire published; clean up."""
    directory = Path(tempfile.mkdtemp(prefix="digital-diagnosis-bench-"))
    try:
        os.environ.update(site_environment(directory))
        _setup_django(directory)
        yield directory
    finally:
        _close_connections()
        shutil.rmtree(directory, ignore_errors=True)


def _setup_django(directory: Path) -> None:
    import django
    from django.conf import settings
    from django.core.management import call_command

    django.setup()
    database = Path(settings.DATABASES["default"]["NAME"]).resolve()
    if database == PRODUCTION_DATABASE or directory.resolve() not in database.parents:
        raise SystemExit(f"refusing to benchmark on {database}: not a throwaway database")
    call_command("migrate", interactive=False, verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)

    from diagnosis.services.questionnaires import questionnaire_load

    questionnaire_load(path=BUNDLED, publish=True)


def _close_connections() -> None:
    if "django.db" in sys.modules:
        from django.db import connections

        connections.close_all()


def respondent_with_assessment(client) -> tuple[Any, Any]:
    """A firm owner logged in on `client`, and the assessment they just started."""
    from django.urls import reverse

    from diagnosis.models import Assessment, Membership
    from tests.factories import make_firm, make_member

    firm = make_firm(name="上海甲精密制造有限公司")
    user = make_member(firm, Membership.Role.OWNER, email="owner@firm-a.example", name="王芳")
    client.force_login(user)
    response = client.post(reverse("assessment_new"))
    assert response.status_code == 302, response.status_code
    return user, Assessment.objects.filter(firm=firm).latest("pk")


def answer_sections(client, assessment, codes=None, *, seed: int = 7, high=None) -> None:
    """Answer the given sections (default: all) through the no-JavaScript page form.

    Two passes, so questions revealed by the first pass's answers are answered too.
    """
    import random

    from django.urls import reverse

    from tests.answering import answer_post_data, goal_post_data

    definition = assessment.questionnaire.definition
    dimensions = [d for d in definition.dimensions if codes is None or d.code in codes]
    rng = random.Random(seed)
    for _round in range(2):
        for dimension in dimensions:
            data = answer_post_data(definition, [q.code for q in dimension.questions], rng, high)
            data.update(goal_post_data(definition))
            url = reverse("section", args=[assessment.pk, dimension.code])
            response = client.post(url, data)
            assert response.status_code == 302, response.content.decode()[:2000]


def count_queries(action: Callable[[], Any]) -> tuple[Any, list[str]]:
    """Run `action`; return its result and the SQL it sent."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        result = action()
    return result, [query["sql"] for query in captured.captured_queries]


def explain_queries(name: str, queries: list[str], budget: int) -> None:
    """When over budget, list the SQL on stderr so the reader sees where queries go."""
    if len(queries) <= budget:
        return
    comment(f"{name}: {len(queries)} queries, over the budget of {budget} (SQL on stderr)")
    for number, sql in enumerate(queries, 1):
        print(f"{name} query {number}: {sql[:300]}", file=sys.stderr)


def median_ms(action: Callable[[], Any], *, runs: int, warmup: int, limit_s: float) -> float:
    """Median wall time of `action` in milliseconds, stopping early after `limit_s` seconds."""
    for _ in range(warmup):
        action()
    times = []
    started = time.perf_counter()
    for _ in range(runs):
        before = time.perf_counter()
        action()
        times.append((time.perf_counter() - before) * 1000)
        if time.perf_counter() - started > limit_s:
            break
    return statistics.median(times)
