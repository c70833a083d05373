"""Benchmark the peer benchmarks: the full refresh of the cells and one firm's peer block.

Run from the repository root: ``python tests/perf/bench_peers.py``. By default on a
throwaway SQLite database with FIRMS firms, each with a signed-off assessment whose
validated scores are written directly (tests/peers_data.py). With
``BENCH_CITY_DATABASE_URL`` (e.g. ``postgres://postgres@127.0.0.1:5432/city``, a synthetic
city built by ``manage.py generate_city``) on that database as it is: the refresh rewrites
its benchmark cells (nothing else is written). Prints:

- ``benchmark_inputs_assessments``, ``benchmark_inputs_firms``: scored assessments in the
  database, and firms that count (one assessment each, latest signed off);
- ``benchmark_refresh_s``: wall time of a full refresh (median of REFRESH_RUNS; target < 60 s);
- ``benchmark_cells``: the cells it wrote;
- ``peer_block_ms``: median time to read one firm's peer group (the report's one statement
  and the choice of segment) over PEER_FIRMS random signed-off firms (target < 20 ms);
- ``report_queries_with_peers`` and ``report_queries_without_peers``: statements to build
  one report with a peer group, and with none (PEER_MIN_COUNT above every cell): the same.
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import time
from pathlib import Path

from benchkit import (
    answer_sections,
    comment,
    count_queries,
    emit,
    respondent_with_assessment,
    site_environment,
    throwaway_site,
)

FIRMS = int(os.environ.get("BENCH_PEER_FIRMS", 3_000))
REFRESH_RUNS = 3
PEER_FIRMS = 200
REFRESH_TARGET_S = 60
PEER_BLOCK_TARGET_MS = 20


def main() -> None:
    city = os.environ.get("BENCH_CITY_DATABASE_URL")
    if city:
        with existing_site(city):
            measure(report_of=None)
        return
    with throwaway_site():
        comment(f"throwaway SQLite database, {FIRMS} firms with signed-off assessments")
        make_signed_off_firms(FIRMS)
        measure(report_of=submitted_through_the_pages())


class existing_site:
    """Django on an existing database (a synthetic city), production-like settings."""

    def __init__(self, url: str) -> None:
        self.url = url

    def __enter__(self) -> None:
        import tempfile

        directory = Path(tempfile.mkdtemp(prefix="digital-diagnosis-bench-"))
        os.environ.update(site_environment(directory))
        os.environ["DATABASE_URL"] = self.url
        import django

        django.setup()
        from django.core.management import call_command

        call_command("collectstatic", interactive=False, verbosity=0)  # pages render
        comment(f"database {self.url}")

    def __exit__(self, *exc: object) -> None:
        from django.db import connections

        connections.close_all()


def make_signed_off_firms(count: int) -> None:
    from diagnosis.services.questionnaires import current_questionnaire
    from tests.peers_data import peer

    questionnaire = current_questionnaire()
    assert questionnaire is not None
    codes = [dimension.code for dimension in questionnaire.definition.dimensions]
    rng = random.Random(13)
    districts = ["minhang", "pudong", "jiading", "songjiang"]
    for number in range(count):
        overall = rng.uniform(20, 90)
        scores = {code: min(100.0, max(0.0, rng.gauss(overall, 12))) for code in codes}
        peer(
            questionnaire,
            round(overall, 1),
            {code: round(value, 1) for code, value in scores.items()},
            industry=rng.choice([13, 26, 34, 35, 38, 39]),
            size_class=rng.choice(["micro", "small", "medium", "large"]),
            district=rng.choice(districts),
            name=f"基准企业{number}",
        )


def submitted_through_the_pages() -> int:
    """A firm (in the default segment of make_signed_off_firms) that answers every question
    and submits through the pages: its report is a real one."""
    from django.test import Client
    from django.urls import reverse

    client = Client()
    _user, assessment = respondent_with_assessment(client)
    answer_sections(client, assessment)
    response = client.post(reverse("submit", args=[assessment.pk]), {"confirmed": "yes"})
    assert response.status_code == 302, response.status_code
    return assessment.pk


def measure(*, report_of: int | None) -> None:
    from django.conf import settings

    from diagnosis.models import Assessment, BenchmarkCell, ScoreResult
    from diagnosis.permissions import Access
    from diagnosis.queries.benchmarks import peer_group
    from diagnosis.reports.context import build_report
    from diagnosis.services.benchmarks import refresh_benchmarks

    scored = ScoreResult.objects.filter(kind=ScoreResult.Kind.SELF).count()
    signed = Assessment.objects.filter(status="validated")
    firms = signed.values("firm_id").distinct().count()
    emit("benchmark_inputs_assessments", scored, "assessments")
    emit("benchmark_inputs_firms", firms, "firms")

    times = []
    for _ in range(REFRESH_RUNS):
        outcome = refresh_benchmarks()
        if not outcome.succeeded:
            raise SystemExit(f"the refresh failed: {outcome.error}")
        times.append(outcome.seconds)
    refresh_s = statistics.median(times)
    emit("benchmark_refresh_s", refresh_s, "s", decimals=2)
    emit("benchmark_cells", BenchmarkCell.objects.count(), "cells")
    if refresh_s >= REFRESH_TARGET_S:
        comment(f"benchmark_refresh_s over the target of {REFRESH_TARGET_S} s")

    rng = random.Random(5)
    highest = signed.order_by("-pk").values_list("pk", flat=True).first() or 0
    chosen: list[Assessment] = []
    while len(chosen) < PEER_FIRMS:
        found = (
            signed.filter(pk__gte=rng.randint(1, highest)).select_related("firm").order_by("pk")
        ).first()
        if found is not None:
            chosen.append(found)
    for assessment in chosen[:10]:  # warm-up
        peer_group(assessment.firm, assessment.questionnaire_id)
    block_times = []
    grouped = 0
    for assessment in chosen:
        before = time.perf_counter()
        group = peer_group(assessment.firm, assessment.questionnaire_id)
        block_times.append((time.perf_counter() - before) * 1000)
        grouped += group is not None
    peer_ms = statistics.median(block_times)
    comment(f"{grouped} of {len(chosen)} firms have a peer group")
    emit("peer_block_ms", peer_ms, "ms", decimals=2)
    if peer_ms >= PEER_BLOCK_TARGET_MS:
        comment(f"peer_block_ms over the target of {PEER_BLOCK_TARGET_MS} ms")

    if report_of is None:  # the city's: a signed-off one whose result keeps its whole card
        with_cards = signed.filter(
            results__kind=ScoreResult.Kind.VALIDATED,
            results__card__has_key="definition_code",
        ).select_related("firm")
        report_of = next(a.pk for a in with_cards[:50] if peer_group(a.firm, a.questionnaire_id))
    access = Access(False, False, False, False, True)
    report, with_peers = count_queries(
        lambda: build_report(Assessment.objects.get(pk=report_of), access)
    )
    assert report is not None and report.peers and report.peers.group is not None
    minimum = settings.PEER_MIN_COUNT
    settings.PEER_MIN_COUNT = 10**9
    try:
        report, without_peers = count_queries(
            lambda: build_report(Assessment.objects.get(pk=report_of), access)
        )
        assert report is not None and report.peers and report.peers.group is None
    finally:
        settings.PEER_MIN_COUNT = minimum
    emit("report_queries_with_peers", len(with_peers), "queries")
    emit("report_queries_without_peers", len(without_peers), "queries")
    if len(with_peers) != len(without_peers):
        sys.exit("the peer block changed the report's query count")


if __name__ == "__main__":
    main()
