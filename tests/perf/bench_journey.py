"""Benchmark answering as browsers do it: two colleagues walk the questionnaire over HTTP.

Run from the repository root: ``python tests/perf/bench_journey.py``. Works on a throwaway
SQLite database (tests/perf/benchkit.py) served by gunicorn with 2 sync workers and DEBUG
off. Two logged-in colleagues of one firm each run in a thread of their own and, like a
browser with htmx, GET a dimension page, autosave every visible answer it shows with the
revision the page carried (the CSRF token from the page, ``HX-Request``), then go to the
next dimension, round and round, for ``JOURNEY_SECONDS``. Rounds alternate with rounds in
which the same client GETs a database-free page of the same size (the ceiling,
tests/perf/ceiling_settings.py), so a change in the machine's speed weighs on both alike.

Prints ``journey_page_p50_ms``/``p90`` and ``journey_autosave_p50_ms``/``p90`` (latency
as the client saw it), ``journey_rps`` (requests of the journey per second, pages and
autosaves), ``journey_ceiling_rps`` and ``journey_vs_ceiling``. Any response other than
200 (an autosave refused, a redirect to the login page) stops the benchmark.

The script uses only the app's HTML and URLs, so it runs unchanged against older
revisions of the code (copy it into their checkout) for before/after figures.
"""

from __future__ import annotations

import functools
import http.client
import random
import re
import statistics
import threading
import time
import urllib.parse
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from http.cookies import SimpleCookie

from bench_respond import load_average, start_gunicorn
from benchkit import comment, emit, throwaway_site

JOURNEY_SECONDS = 6
ROUNDS = 3
COLLEAGUES = 2
LOCK = threading.Lock()  # the two colleagues' threads add to one Timings

CARD = re.compile(
    r'data-testid="question-(?P<code>[^"]+)" data-visible="(?P<visible>true|false)"'
    r'.*?hx-post="(?P<url>[^"]+)"',
    re.DOTALL,
)
REVISION = re.compile(r'name="q-(?P<code>[^"]+)-rev" value="(?P<rev>\d+)"')
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="(?P<token>[^"]+)"')


@dataclass
class Timings:
    pages: list[float] = field(default_factory=list)
    autosaves: list[float] = field(default_factory=list)
    requests: int = 0
    rates: list[float] = field(default_factory=list)
    failure: str = ""


class Browser:
    """One colleague's browser: a session cookie, the CSRF cookie, fresh connections."""

    def __init__(self, port: int, session_id: str) -> None:
        self.port = port
        self.cookies = {"sessionid": session_id}

    def request(self, method: str, path: str, body: bytes = b"", headers=None):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            cookie = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
            all_headers = {"Cookie": cookie, "Accept-Language": "zh-hans", **(headers or {})}
            connection.request(method, path, body=body, headers=all_headers)
            response = connection.getresponse()
            content = response.read()
            jar = SimpleCookie()
            for header in response.msg.get_all("Set-Cookie") or []:
                jar.load(header)
            self.cookies.update({name: morsel.value for name, morsel in jar.items()})
            return response.status, content
        finally:
            connection.close()


def main() -> None:
    with throwaway_site() as directory:
        from django.db import connections
        from django.test import Client

        definition, pages, sessions = colleagues_with_assessment(Client)
        connections.close_all()  # leave the SQLite file to the gunicorn workers
        app = start_gunicorn(directory, "journey", {})
        servers = [app]
        try:
            status, page = Browser(app.port, sessions[0]).request("GET", pages[0])
            if status != 200 or b'data-testid="question-' not in page:
                raise SystemExit(f"GET {pages[0]} answered {status} without questions")
            page_file = directory / "ceiling-page.html"
            page_file.write_bytes(page)
            ceiling = start_gunicorn(
                directory,
                "ceiling",
                {
                    "DJANGO_SETTINGS_MODULE": "tests.perf.ceiling_settings",
                    "CEILING_PAGE": str(page_file),
                },
            )
            servers.append(ceiling)
            journey, ceilings = Timings(), []
            for number in range(ROUNDS):
                run_journey(app.port, definition, pages, sessions, journey, seed=number)
                ceilings.append(run_ceiling(ceiling.port, pages[0], sessions))
        finally:
            for server in servers:
                server.stop()
    report(journey, ceilings, len(page))


def colleagues_with_assessment(client_class) -> tuple[object, list[str], list[str]]:
    """A firm with two members and an open assessment; their session ids and the pages."""
    from django.urls import reverse

    from diagnosis.models import Assessment, Membership
    from tests.factories import make_firm, make_member

    firm = make_firm(name="上海甲精密制造有限公司")
    owner = make_member(firm, Membership.Role.OWNER, email="owner@firm-a.example", name="王芳")
    colleague = make_member(firm, email="colleague@firm-a.example", name="李强")
    sessions = []
    for number, user in enumerate((owner, colleague)):
        client = client_class()
        client.force_login(user)
        if number == 0:
            response = client.post(reverse("assessment_new"))
            assert response.status_code == 302, response.status_code
        sessions.append(client.cookies["sessionid"].value)
    assessment = Assessment.objects.filter(firm=firm).latest("pk")
    definition = assessment.questionnaire.definition
    pages = [reverse("section", args=[assessment.pk, d.code]) for d in definition.dimensions]
    return definition, pages, sessions


def run_journey(port, definition, pages, sessions, timings: Timings, *, seed: int) -> None:
    """Both colleagues walk the pages for JOURNEY_SECONDS, each from another page."""
    deadline = time.monotonic() + JOURNEY_SECONDS
    started = time.monotonic()
    before = timings.requests
    together(
        functools.partial(
            walk,
            Browser(port, session),
            definition,
            pages,
            number,
            deadline,
            timings,
            rng=random.Random(seed * 10 + number),
        )
        for number, session in enumerate(sessions)
    )
    if timings.failure:
        raise SystemExit(timings.failure)
    elapsed = time.monotonic() - started
    timings.rates.append((timings.requests - before) / elapsed)


def walk(browser: Browser, definition, pages, start: int, deadline: float, timings, *, rng):
    from tests.answering import sample_value

    index = start * len(pages) // COLLEAGUES
    while time.monotonic() < deadline and not timings.failure:
        path = pages[index % len(pages)]
        index += 1
        before = time.perf_counter()
        status, page = browser.request("GET", path)
        elapsed = (time.perf_counter() - before) * 1000
        if status != 200:
            timings.failure = f"GET {path} answered {status}"
            return
        with LOCK:
            timings.pages.append(elapsed)
            timings.requests += 1
        html = page.decode()
        token = CSRF.search(html)
        revisions = {match["code"]: match["rev"] for match in REVISION.finditer(html)}
        for card in CARD.finditer(html):
            if card["visible"] != "true" or time.monotonic() >= deadline:
                continue
            code = card["code"]
            question = definition.questions[code]
            value = sample_value(question, rng, rng.random() < 0.5)
            values = value if isinstance(value, list) else [value]
            fields = [(f"q-{code}-value", str(v)) for v in values]
            fields.append((f"q-{code}-rev", revisions.get(code, "0")))
            body = urllib.parse.urlencode(fields).encode()
            headers = {
                "Content-Type": "application/x-www-form-urlencoded",
                "HX-Request": "true",
                "X-CSRFToken": token["token"] if token else "",
            }
            before = time.perf_counter()
            status, _content = browser.request("POST", card["url"], body, headers)
            elapsed = (time.perf_counter() - before) * 1000
            if status != 200:
                timings.failure = f"autosave {card['url']} answered {status}: {_content[:300]!r}"
                return
            with LOCK:
                timings.autosaves.append(elapsed)
                timings.requests += 1


def run_ceiling(port: int, path: str, sessions: list[str]) -> float:
    """The same client and concurrency GETting the database-free page; requests/s."""
    deadline = time.monotonic() + JOURNEY_SECONDS
    counts = [0] * len(sessions)

    def load(number: int) -> None:
        browser = Browser(port, sessions[number])
        while time.monotonic() < deadline:
            status, _page = browser.request("GET", path)
            if status != 200:
                raise SystemExit(f"ceiling GET {path} answered {status}")
            counts[number] += 1

    started = time.monotonic()
    together(functools.partial(load, number) for number in range(len(sessions)))
    return sum(counts) / (time.monotonic() - started)


def together(calls: Iterable[Callable[[], object]]) -> None:
    """Run the calls at once, one thread each; re-raise the first one's exception (a
    thread's SystemExit would otherwise only be printed)."""
    calls = list(calls)
    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        for future in [pool.submit(call) for call in calls]:
            future.result()


def percentile(values: list[float], share: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[round(share * 100) - 1]


def report(journey: Timings, ceilings: list[float], page_bytes: int) -> None:
    rates = journey.rates
    journey_rps = statistics.median(rates)
    ceiling_rps = statistics.median(ceilings)
    comment(
        f"{COLLEAGUES} colleagues, {ROUNDS} alternating rounds of {JOURNEY_SECONDS}s, "
        f"2 sync gunicorn workers, SQLite; {len(journey.pages)} pages and "
        f"{len(journey.autosaves)} autosaves; first page {page_bytes} bytes"
    )
    comment(
        "rounds (journey/ceiling req/s): "
        + ", ".join(
            f"{rate:.0f}/{ceiling:.0f}" for rate, ceiling in zip(rates, ceilings, strict=True)
        )
    )
    comment(load_average())
    emit("journey_page_p50_ms", statistics.median(journey.pages), "ms", decimals=1)
    emit("journey_page_p90_ms", percentile(journey.pages, 0.9), "ms", decimals=1)
    emit("journey_autosave_p50_ms", statistics.median(journey.autosaves), "ms", decimals=1)
    emit("journey_autosave_p90_ms", percentile(journey.autosaves, 0.9), "ms", decimals=1)
    emit("journey_rps", journey_rps, "req/s", decimals=1)
    emit("journey_ceiling_rps", ceiling_rps, "req/s", decimals=1)
    emit("journey_vs_ceiling", journey_rps / ceiling_rps, "ratio", decimals=2)


if __name__ == "__main__":
    main()
