"""Fuzz every POST view over real HTTP and count the server errors.

Run from the repository root: ``python tests/perf/fuzz_forms.py`` (a throwaway SQLite
database) or ``python tests/perf/fuzz_forms.py --postgres postgres://postgres@127.0.0.1:5432``
(a throwaway PostgreSQL database, `fuzz_forms_<pid>` or `--database-name`, dropped at the
end). It builds the
permission matrix's world (tests/matrix_world.py), starts gunicorn (2 sync workers,
production-like settings) on ``--port`` and sends ``--requests`` fuzzed form POSTs
(tests/fuzzing.py) to every URL that takes a POST, each as a persona picked at random,
with a valid CSRF token so the bodies reach the views. Prints:

- ``fuzz_requests``: requests sent;
- ``fuzz_5xx``: answers with a 5xx status (target 0), with the first few listed.
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import subprocess
import sys
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from benchkit import REPO_ROOT, comment, emit, throwaway_directory

SEED = 11


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=12_000)
    parser.add_argument("--port", type=int, default=8121)
    parser.add_argument("--postgres", default="", help="server URL, without a database name")
    parser.add_argument("--database-name", default=f"fuzz_forms_{os.getpid()}")
    arguments = parser.parse_args()
    with throwaway_directory() as directory:
        database_url = f"sqlite:///{directory / 'db.sqlite3'}"
        name = arguments.database_name
        if arguments.postgres:
            database_url = f"{arguments.postgres.rstrip('/')}/{name}"
            _admin_sql(arguments.postgres, f'CREATE DATABASE "{name}"')
        try:
            run(directory, database_url, arguments.port, arguments.requests)
        finally:
            if arguments.postgres:
                _admin_sql(arguments.postgres, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _admin_sql(server: str, statement: str) -> None:
    import psycopg

    with psycopg.connect(f"{server.rstrip('/')}/postgres", autocommit=True) as connection:
        connection.execute(statement)


def run(directory: Path, database_url: str, port: int, count: int) -> None:
    from benchkit import site_environment

    os.environ.update(site_environment(directory))
    os.environ["DATABASE_URL"] = database_url
    targets, sessions = build(directory)
    comment(f"{len(targets)} POST URLs, {count} requests, database {database_url.split(':')[0]}")
    server = start_gunicorn(directory, port)
    try:
        csrf = csrf_token(port)
        rng = random.Random(SEED)
        plan = [
            (rng.choice(targets), rng.choice(list(sessions.values())), rng.randrange(1 << 30))
            for _ in range(count)
        ]
        started = time.monotonic()
        with ThreadPoolExecutor(max_workers=4) as pool:
            results = list(pool.map(lambda item: send(port, csrf, *item), plan))
        elapsed = time.monotonic() - started
    finally:
        server.terminate()
        server.wait(timeout=30)
    statuses = Counter(status for status, _url, _ctype in results)
    errors = [(status, url, ctype) for status, url, ctype in results if status >= 500]
    comment(
        f"{elapsed:.0f} s; statuses: " + ", ".join(f"{s}×{n}" for s, n in sorted(statuses.items()))
    )
    for status, url, ctype in errors[:10]:
        comment(f"{status} POST {url} ({ctype})")
    if errors:
        log = (directory / "gunicorn.log").read_text(errors="replace")
        comment("last error logged: " + log[-2500:].replace("\n", "\n# "))
    emit("fuzz_requests", len(results), "requests")
    emit("fuzz_5xx", len(errors), "responses")


def build(directory: Path) -> tuple[list[tuple[str, dict[str, str]]], dict[str, str]]:
    """The matrix world on the throwaway database; every POST URL with its form fields."""
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", interactive=False, verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    from django.db import connections
    from django.urls import reverse

    from diagnosis.definitions.loader import read_definition_data
    from tests.fuzzing import form_fields
    from tests.matrix_world import BUNDLED, build_world
    from tests.test_access_matrix import MATRIX

    world = build_world(read_definition_data(BUNDLED))
    targets = [
        (reverse(name, args=row.args(world)) + row.query, form_fields(row.data(world)))
        for name, row in MATRIX.items()
        if row.post is not None
    ]
    sessions = dict(world.sessions)
    connections.close_all()  # leave the database to the gunicorn workers
    return targets, sessions


def start_gunicorn(directory: Path, port: int) -> subprocess.Popen:
    log = directory / "gunicorn.log"
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "diagnosis.wsgi:application",
        "--workers=2",
        f"--bind=127.0.0.1:{port}",
        f"--chdir={REPO_ROOT}",
        f"--error-logfile={log}",
        "--log-level=warning",
    ]
    environment = {**os.environ, "ALLOWED_HOSTS": "127.0.0.1", "LOG_LEVEL": "ERROR"}
    process = subprocess.Popen(
        command,
        cwd=REPO_ROOT,
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=log.open("ab"),
        stdin=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and process.poll() is None:
        try:
            request(port, "GET", "/accounts/login/", b"", {})
            return process
        except OSError:
            time.sleep(0.3)
    process.terminate()
    raise SystemExit(f"gunicorn did not start:\n{log.read_text()[-3000:]}")


def request(
    port: int, method: str, path: str, body: bytes, headers: dict[str, str]
) -> tuple[int, http.client.HTTPMessage]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        response.read()
        return response.status, response.msg
    finally:
        connection.close()


def csrf_token(port: int) -> str:
    """A CSRF cookie from the login page; sent back as cookie and header with every POST."""
    _status, headers = request(port, "GET", "/accounts/login/", b"", {})
    for header in headers.get_all("Set-Cookie") or []:
        if header.startswith("csrftoken="):
            return header.split(";", 1)[0].split("=", 1)[1]
    raise SystemExit("the login page set no CSRF cookie")


def send(port: int, csrf: str, target: tuple[str, dict[str, str]], session: str, seed: int):
    from tests.fuzzing import fuzzed_body

    url, fields = target
    content_type, body = fuzzed_body(random.Random(seed), fields)
    headers = {
        "Content-Type": content_type,
        "Cookie": f"csrftoken={csrf}; sessionid={session}",
        "X-CSRFToken": csrf,
        "Referer": f"http://127.0.0.1:{port}/",
        "Accept-Language": random.Random(seed).choice(["zh-hans", "en"]),
    }
    if seed % 3 == 0:
        headers["HX-Request"] = "true"
    try:
        status, _headers = request(port, "POST", url, body, headers)
    except (OSError, http.client.HTTPException):
        status = 599  # the server dropped the connection
    return status, url, content_type


if __name__ == "__main__":
    main()
