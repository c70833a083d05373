"""Benchmark the firm directory's exports: 100,000 population firms (80,000 registered, with
assessments in every status, stored scores and dimension scores) exported as CSV and XLSX
through the view, on a throwaway database.

Run from the repository root: ``python tests/perf/bench_export.py``. SQLite by default; with
``BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432`` also on a PostgreSQL database
created for the run (``directory_bench_<pid>``) and dropped after. The firms are written in
bulk by one process; each export then runs in its own process, so its peak memory is its
own. Prints:

- ``directory_export_<format>_<database>_s``: the whole response read, wall time (< 30 s);
- ``directory_export_<format>_<database>_peak_mb``: the process's peak resident memory,
  Django included (< 300 MB);
- ``directory_page_<database>_ms``: a directory page sorted by overall index, page 1 and
  page 1,500 (median of 5).
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchkit import BUNDLED, REPO_ROOT, comment, emit, site_environment

FIRMS = 100_000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--prepare", metavar="DATABASE_URL")
    parser.add_argument("--one", nargs=2, metavar=("FORMAT", "DATABASE_URL"))
    parser.add_argument("--directory")
    parser.add_argument("--firms", type=int, default=FIRMS)
    arguments = parser.parse_args()
    if arguments.prepare:
        prepare(arguments.prepare, Path(arguments.directory), arguments.firms)
        return
    if arguments.one:
        measure(*arguments.one, directory=Path(arguments.directory), firms=arguments.firms)
        return
    targets = [("sqlite", "")]
    server = os.environ.get("BENCH_DATABASE_URL", "").rstrip("/")
    if server:
        targets.append(("postgres", server))
    for database, url in targets:
        run_database(database, url, arguments.firms)


def run_database(database: str, server: str, firms: int) -> None:
    name = f"directory_bench_{os.getpid()}"
    directory = Path(tempfile.mkdtemp(prefix="directory-bench-"))
    if database == "postgres":
        _admin_sql(server, f'CREATE DATABASE "{name}"')
    url = f"{server}/{name}" if database == "postgres" else "sqlite"
    common = ["--directory", str(directory), "--firms", str(firms)]
    try:
        _child(["--prepare", url, *common])
        for file_format in ("csv", "xlsx"):
            _child(["--one", file_format, url, *common])
    finally:
        if database == "postgres":
            _admin_sql(server, f'DROP DATABASE IF EXISTS "{name}"')
        shutil.rmtree(directory, ignore_errors=True)


def _child(arguments: list[str]) -> None:
    subprocess.run([sys.executable, __file__, *arguments], check=True, cwd=REPO_ROOT)


def _admin_sql(server: str, statement: str) -> None:
    import psycopg

    with psycopg.connect(f"{server}/postgres", autocommit=True) as connection:
        connection.execute(statement)


def _setup(url: str, directory: Path) -> None:
    os.environ.update(site_environment(directory))
    if url != "sqlite":
        os.environ["DATABASE_URL"] = url
    import django

    django.setup()


def prepare(url: str, directory: Path, firms: int) -> None:
    _setup(url, directory)
    from django.core.management import call_command

    from diagnosis.models import Provider, QuestionnaireVersion, User
    from diagnosis.services.questionnaires import questionnaire_load
    from tests.directory_data import make_directory_firms

    call_command("migrate", interactive=False, verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    questionnaire_load(path=BUNDLED, publish=True)
    User.objects.create_user(email="bench@programme.example", is_programme_admin=True)
    provider = Provider.objects.create(name="基准诊断服务商")
    started = time.perf_counter()
    make_directory_firms(
        firms, questionnaire=QuestionnaireVersion.objects.get(), provider=provider, batch=5000
    )
    comment(f"{firms} firms written in bulk in {time.perf_counter() - started:.0f} s")
    if url != "sqlite":
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def measure(file_format: str, url: str, *, directory: Path, firms: int) -> None:
    _setup(url, directory)
    from django.test import Client
    from django.urls import reverse

    from diagnosis.models import User

    database = "sqlite" if url == "sqlite" else "postgres"
    client = Client()
    client.force_login(User.objects.get(email="bench@programme.example"))
    started = time.perf_counter()
    response = client.get(reverse("directory_export", args=[file_format]))
    assert response.status_code == 200, response.status_code
    size = 0
    lines = 0
    for chunk in response.streaming_content:  # type: ignore[attr-defined]
        size += len(chunk)
        lines += chunk.count(b"\n")
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    if file_format == "csv":
        assert lines == firms + 1, lines
    comment(f"{file_format}: {size / 1e6:.1f} MB")
    emit(f"directory_export_{file_format}_{database}_s", seconds, "s", decimals=1)
    emit(f"directory_export_{file_format}_{database}_peak_mb", peak, "MB")
    if file_format == "csv":
        for page in (1, 1500):
            timings = []
            for _ in range(5):
                started = time.perf_counter()
                page_response = client.get(reverse("directory"), {"sort": "-overall", "page": page})
                timings.append((time.perf_counter() - started) * 1000)
                assert page_response.status_code == 200
            emit(f"directory_page_{page}_{database}_ms", statistics.median(timings), "ms")


if __name__ == "__main__":
    main()
