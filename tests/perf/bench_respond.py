"""Benchmark answering: SQL queries per page and save, and section pages per second.

Run from the repository root: ``python tests/perf/bench_respond.py``. Works on a throwaway
SQLite database in a temporary directory, deleted at the end. Prints:

- ``section_page_queries``: queries for a logged-in respondent's GET of a section page,
  the larger of the largest and the smallest dimension (budget 10);
- ``autosave_queries``: one answer saved through the htmx endpoint (budget 6);
- ``section_page_built_ms``: a section page in process, built afresh (median);
- ``autosave_ms``: one answer autosaved in process with the revision the previous
  response carried, its value alternating between two (median);
- ``section_save_queries``: a whole page of answers in one no-JavaScript POST (budget 8);
- ``section_page_rps``: section pages per second from gunicorn (2 sync workers) under
  ``wrk -t1 -c2 -d4s``; ``ceiling_rps``: the same for a database-free Django view returning
  a page of the same bytes (tests/perf/ceiling_settings.py), measured in alternating rounds
  with the page (medians of three); ``section_page_vs_ceiling``: their ratio (target 0.35
  or more, withdrawn with the page cache; the page is built on every request).

Query counts are taken after a warm-up request, as a long-running worker sees them: the
first request of a process also fills the per-process questionnaire caches.
"""

from __future__ import annotations

import http.client
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from http.cookies import SimpleCookie
from pathlib import Path

from benchkit import (
    REPO_ROOT,
    answer_sections,
    comment,
    count_queries,
    emit,
    explain_queries,
    median_ms,
    respondent_with_assessment,
    throwaway_site,
)

SECTION_PAGE_BUDGET = 10
AUTOSAVE_BUDGET = 6
SECTION_SAVE_BUDGET = 8
WRK = "/usr/bin/wrk"
WRK_SECONDS = 4
WRK_ROUNDS = 3
WARMUP_REQUESTS = 10
START_TIMEOUT_S = 30
# Counts responses other than 200 (wrk itself only counts 4xx and 5xx as errors, so a
# redirect to the login page would otherwise pass unnoticed).
WRK_STATUS_SCRIPT = """
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) not_ok = 0 end
function response(status, headers, body) if status ~= 200 then not_ok = not_ok + 1 end end
function done(summary, latency, requests)
  local total = 0
  for _, thread in ipairs(threads) do total = total + thread:get("not_ok") end
  io.write(string.format("Responses other than 200: %d\\n", total))
end
"""


def main() -> None:
    with throwaway_site() as directory:
        from django.test import Client

        client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
        _user, assessment = respondent_with_assessment(client)
        definition = assessment.questionnaire.definition
        largest = max(definition.dimensions, key=lambda d: len(d.questions))
        smallest = min(definition.dimensions, key=lambda d: len(d.questions))
        measure_query_counts(client, assessment, smallest, largest)
        session_id = client.cookies["sessionid"].value
        measure_throughput(
            directory, f"/assessments/{assessment.pk}/sections/", session_id, largest
        )


def measure_query_counts(client, assessment, smallest, largest) -> None:
    from django.urls import reverse

    # Answers in both pages, so any per-answer query would show as a difference.
    answer_sections(client, assessment, [smallest.code, largest.code])
    counts = {}
    for dimension in (largest, smallest):
        url = reverse("section", args=[assessment.pk, dimension.code])
        client.get(url)  # warm-up: shows the "saved" message, fills per-process caches
        response, queries = count_queries(lambda url=url: client.get(url))
        assert response.status_code == 200, response.status_code
        counts[dimension.code] = len(queries)
        explain_queries(f"section_page_queries[{dimension.code}]", queries, SECTION_PAGE_BUDGET)
    emit("section_page_queries", max(counts.values()), "queries")
    per_dimension = ", ".join(
        f"{d.code}={counts[d.code]} ({len(d.questions)} questions)" for d in (largest, smallest)
    )
    same = "same" if counts[largest.code] == counts[smallest.code] else "DIFFERENT"
    comment(f"queries per dimension: {per_dimension}: {same}")
    measure_page_times(client, reverse("section", args=[assessment.pk, largest.code]))
    measure_autosave(client, assessment, largest)
    measure_autosave_time(client, assessment, largest)
    measure_section_save(client, assessment, largest)


def measure_page_times(client, url: str) -> None:
    """In-process time of a section page (built on every request: there is no page cache)."""
    built = median_ms(lambda: client.get(url), runs=200, warmup=5, limit_s=4)
    emit("section_page_built_ms", built, "ms", decimals=2)


def measure_autosave(client, assessment, dimension) -> None:
    """One answer saved twice: first as a new answer, then as a change to it."""
    from django.urls import reverse

    from diagnosis.models import Answer

    question = next(q for q in dimension.questions if q.depends_on is None)
    url = reverse("answer_autosave", args=[assessment.pk, question.code])
    Answer.objects.filter(assessment=assessment, question__code=question.code).delete()
    counts, last = [], []
    for revision, value in enumerate(_two_values(question)):
        data = {f"q-{question.code}-value": value, f"q-{question.code}-rev": str(revision)}
        response, queries = count_queries(
            lambda data=data: client.post(url, data, HTTP_HX_REQUEST="true")
        )
        assert response.status_code == 200, response.content.decode()[:2000]
        explain_queries(f"autosave_queries[rev {revision}]", queries, AUTOSAVE_BUDGET)
        counts.append(len(queries))
        last = queries
    emit("autosave_queries", max(counts), "queries")
    comment(
        f"autosave: new answer {counts[0]}, changed answer {counts[1]}, "
        f"of which transaction control: {transaction_statements(last)}"
    )


def measure_autosave_time(client, assessment, dimension) -> None:
    """In-process time of one autosave POST, as htmx sends it: each carries the revision
    the previous response showed, so every save changes the answer and none is refused."""
    from django.urls import reverse

    question = next(q for q in dimension.questions if q.depends_on is None)
    url = reverse("answer_autosave", args=[assessment.pk, question.code])
    values = _two_values(question)
    revision_field = re.compile(rf'name="q-{re.escape(question.code)}-rev" value="(\d+)"'.encode())
    page = client.get(reverse("section", args=[assessment.pk, dimension.code])).content
    shown = revision_field.search(page)
    assert shown is not None, "the section page shows no revision"
    carried = [shown.group(1).decode()]  # the revision the last response showed
    saves = [0]

    def autosave() -> None:
        saves[0] += 1
        data = {
            f"q-{question.code}-value": values[saves[0] % 2],
            f"q-{question.code}-rev": carried[0],
        }
        response = client.post(url, data, HTTP_HX_REQUEST="true")
        assert response.status_code == 200, response.content.decode()[:2000]
        found = revision_field.search(response.content)
        assert found is not None and found.group(1).decode() != carried[0]
        carried[0] = found.group(1).decode()

    emit("autosave_ms", median_ms(autosave, runs=200, warmup=5, limit_s=4), "ms", decimals=2)


def _two_values(question) -> list[str]:
    from tests.answering import sample_value

    rng = random.Random(3)
    return [str(sample_value(question, rng, False)), str(sample_value(question, rng, True))]


def measure_section_save(client, assessment, dimension) -> None:
    """A whole page POSTed three times: its first save (no answer, no goal yet), with half
    of the answers autosaved before (no goal yet), and with every answer and the goal
    changed."""
    from django.urls import reverse

    from diagnosis.models import Answer, DimensionGoal
    from tests.answering import answer_post_data, goal_post_data

    definition = assessment.questionnaire.definition
    codes = [q.code for q in dimension.questions]
    url = reverse("section", args=[assessment.pk, dimension.code])
    cases = (("first save", 0), ("half autosaved", len(codes) // 2), ("changed", len(codes)))
    counts: dict[str, list[str]] = {}
    for case, kept in cases:
        Answer.objects.filter(assessment=assessment, question__code__in=codes[kept:]).delete()
        if kept < len(codes):
            DimensionGoal.objects.filter(
                assessment=assessment, dimension__code=dimension.code
            ).delete()
        revisions = dict(
            Answer.objects.filter(assessment=assessment, question__code__in=codes).values_list(
                "question__code", "revision"
            )
        )
        data = answer_post_data(definition, codes, random.Random(len(counts)), case == "changed")
        data.update({f"q-{code}-rev": str(revisions.get(code, 0)) for code in codes})
        data.update(goal_post_data(definition))
        response, queries = count_queries(lambda data=data: client.post(url, data))
        assert response.status_code == 302, response.content.decode()[:2000]
        explain_queries(f"section_save_queries[{case}]", queries, SECTION_SAVE_BUDGET)
        counts[case] = queries
    emit("section_save_queries", max(len(q) for q in counts.values()), "queries")
    summary = ", ".join(f"{case} {len(queries)}" for case, queries in counts.items())
    control = "/".join(str(transaction_statements(queries)) for queries in counts.values())
    comment(f"section save, {len(codes)} answers: {summary}; transaction control {control}")


def transaction_statements(queries: list[str]) -> int:
    """How many of the statements are BEGIN, COMMIT or savepoints (logged as queries)."""
    control = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE SAVEPOINT")
    return sum(query.upper().startswith(control) for query in queries)


@dataclass
class Server:
    process: subprocess.Popen
    port: int
    log: Path

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, 9)
                self.process.wait(timeout=5)


def measure_throughput(directory: Path, prefix: str, session_id: str, dimension) -> None:
    """The section page and the ceiling, each loaded by wrk in alternating rounds, so a
    change in the machine's speed during the run weighs on both alike; medians reported."""
    from django.db import connections

    connections.close_all()  # leave the SQLite file to the gunicorn workers
    path = f"{prefix}{dimension.code}/"
    section_server = start_gunicorn(directory, "section", {})
    servers = [section_server]
    try:
        cookie, page = warm_up(section_server, path, f"sessionid={session_id}")
        if f'data-testid="question-{dimension.questions[0].code}"'.encode() not in page:
            raise SystemExit(f"the section page at {path} shows no questions")
        page_file = directory / "ceiling-page.html"
        page_file.write_bytes(page)
        ceiling_environment = {
            "DJANGO_SETTINGS_MODULE": "tests.perf.ceiling_settings",
            "CEILING_PAGE": str(page_file),
        }
        ceiling_server = start_gunicorn(directory, "ceiling", ceiling_environment)
        servers.append(ceiling_server)
        _cookie, ceiling_page = warm_up(ceiling_server, path, cookie)
        if len(ceiling_page) != len(page):
            raise SystemExit(f"ceiling page is {len(ceiling_page)} bytes, not {len(page)}")
        rounds = [
            (run_wrk(section_server.port, path, cookie), run_wrk(ceiling_server.port, path, cookie))
            for _ in range(WRK_ROUNDS)
        ]
    finally:
        for server in servers:
            server.stop()
    section_rps = statistics.median(section for section, _ceiling in rounds)
    ceiling_rps = statistics.median(ceiling for _section, ceiling in rounds)
    comment(
        f"page {path}: {len(page)} bytes; wrk -t1 -c2 -d{WRK_SECONDS}s, 2 sync workers, "
        f"{WRK_ROUNDS} alternating rounds (page/ceiling req/s): "
        + ", ".join(f"{section:.0f}/{ceiling:.0f}" for section, ceiling in rounds)
    )
    comment(load_average())
    emit("section_page_rps", section_rps, "req/s", decimals=1)
    emit("ceiling_rps", ceiling_rps, "req/s", decimals=1)
    emit("section_page_vs_ceiling", section_rps / ceiling_rps, "ratio", decimals=2)
    comment("the page is built on every request: there is no page cache")


def load_average() -> str:
    """The machine's load, which the requests per second depend on."""
    one, five, _fifteen = os.getloadavg()
    return f"load average {one:.1f} (1 min), {five:.1f} (5 min) on {os.cpu_count()} CPUs"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_gunicorn(directory: Path, name: str, extra_environment: dict[str, str]) -> Server:
    """Start gunicorn on a free local port and wait until it answers."""
    port = free_port()
    log = directory / f"gunicorn-{name}.log"
    environment = {**os.environ, "ALLOWED_HOSTS": "127.0.0.1", **extra_environment}
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "diagnosis.wsgi:application",
        "--workers=2",
        "--worker-class=sync",
        f"--bind=127.0.0.1:{port}",
        f"--chdir={REPO_ROOT}",
        f"--error-logfile={log}",
        "--log-level=warning",
    ]
    with log.open("ab") as output:
        process = subprocess.Popen(
            command,
            cwd=REPO_ROOT,
            env=environment,
            stdout=output,
            stderr=output,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
    server = Server(process, port, log)
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            break
        try:
            get(port, "/accounts/login/", "")
            return server
        except OSError:
            time.sleep(0.2)
    server.stop()
    raise SystemExit(f"gunicorn ({name}) did not start; see its log:\n{log.read_text()[-3000:]}")


def get(port: int, path: str, cookie: str) -> tuple[int, http.client.HTTPMessage, bytes]:
    """One GET over a fresh connection, redirects not followed."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        headers = {"Cookie": cookie, "Accept-Language": "zh-hans"} if cookie else {}
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        return response.status, response.msg, response.read()
    finally:
        connection.close()


def warm_up(server: Server, path: str, cookie: str) -> tuple[str, bytes]:
    """Check the page answers 200 and warm both workers; return the cookie a browser
    would then send (with the CSRF cookie the first response set) and the page."""
    status, headers, page = get(server.port, path, cookie)
    if status != 200:
        raise SystemExit(f"GET {path} answered {status} {headers.get('Location', '')}")
    csrf = SimpleCookie()
    for header in headers.get_all("Set-Cookie") or []:
        csrf.load(header)
    if "csrftoken" in csrf:
        cookie = f"{cookie}; csrftoken={csrf['csrftoken'].value}"
    for _ in range(WARMUP_REQUESTS):
        status, _headers, page = get(server.port, path, cookie)
        if status != 200:
            raise SystemExit(f"warm-up GET {path} answered {status}")
    return cookie, page


def run_wrk(port: int, path: str, cookie: str) -> float:
    """Requests per second that wrk measured; exits non-zero on any error response."""
    script = Path(os.environ["VAR_DIR"]) / "status.lua"
    script.write_text(WRK_STATUS_SCRIPT)
    command = [
        WRK,
        "-t1",
        "-c2",
        f"-d{WRK_SECONDS}s",
        "-s",
        str(script),
        "-H",
        f"Cookie: {cookie}",
        "-H",
        "Accept-Language: zh-hans",
        f"http://127.0.0.1:{port}{path}",
    ]
    output = subprocess.run(
        command, capture_output=True, text=True, timeout=WRK_SECONDS + 30, check=True
    ).stdout
    problems = [
        line.strip()
        for line in output.splitlines()
        if re.match(r"\s*(Non-2xx|Socket errors)", line)
        or re.match(r"Responses other than 200: [1-9]", line)
    ]
    rate = re.search(r"^Requests/sec:\s+([\d.]+)", output, re.MULTILINE)
    if problems or rate is None:
        sys.stderr.write(output)
        raise SystemExit(f"wrk reported errors: {problems or 'no Requests/sec line'}")
    return float(rate.group(1))


if __name__ == "__main__":
    main()
