"""Benchmark the programme office's pages on a synthetic city: coverage, results, the
provider table and a deep page of the firm directory (filtered and sorted), as a programme
administrator sees them through the Django test client with DEBUG off.

Run from the repository root: ``python tests/perf/bench_programme.py``. By default on a
throwaway SQLite database holding a city of BENCH_CITY_FIRMS firms and
BENCH_CITY_ASSESSMENTS assessments built by generate_city. With
``BENCH_CITY_DATABASE_URL`` (e.g. ``postgres://postgres@127.0.0.1:5432/city``, built by
``manage.py generate_city --firms 100000 --assessments 1000000``) on that database as it
is; the only write is the benchmark's administrator account. Prints, for each page:

- ``programme_<page>_ms``: median wall time of the request (targets on a city of a million
  assessments: coverage, results and providers < 500 ms, the directory page < 200 ms);
- ``programme_<page>_queries``: SQL statements of the request (constant whatever the size).
"""

from __future__ import annotations

import os

from bench_peers import existing_site
from benchkit import comment, count_queries, emit, median_ms, throwaway_site

FIRMS = int(os.environ.get("BENCH_CITY_FIRMS", 1_000))
ASSESSMENTS = int(os.environ.get("BENCH_CITY_ASSESSMENTS", 10_000))
RUNS = int(os.environ.get("BENCH_RUNS", 7))
ADMIN_EMAIL = "bench-programme-admin@city.example"
TARGETS_MS = {"coverage": 500, "results": 500, "providers": 500, "directory": 200}


def main() -> None:
    city = os.environ.get("BENCH_CITY_DATABASE_URL")
    if city:
        with existing_site(city):
            measure()
        return
    with throwaway_site():
        from diagnosis.management.city import generate_city

        comment(f"throwaway SQLite database, a city of {FIRMS} firms, {ASSESSMENTS} assessments")
        generate_city(firms=FIRMS, assessments=ASSESSMENTS)
        measure()


def pages() -> dict[str, tuple[str, dict[str, str]]]:
    """The pages measured: a directory page deep in a district's firms by overall index."""
    from django.urls import reverse

    from diagnosis.models import PopulationFirm

    in_district = PopulationFirm.objects.filter(district="pudong").count()
    deep = max(1, in_district // 50 * 3 // 4)  # three quarters of the way down
    return {
        "coverage": (reverse("coverage"), {}),
        "results": (reverse("results"), {}),
        "providers": (reverse("providers"), {}),
        "directory": (
            reverse("directory"),
            {"district": "pudong", "status": "signed_off", "sort": "-overall", "page": str(deep)},
        ),
    }


def measure() -> None:
    from django.test import Client

    from diagnosis.models import Assessment, Firm, ScoreResult, User

    emit("city_firms", Firm.objects.count(), "firms")
    emit("city_assessments", Assessment.objects.count(), "assessments")
    emit("city_scored_assessments", ScoreResult.objects.filter(kind="self").count(), "assessments")
    admin = User.objects.filter(email=ADMIN_EMAIL).first() or User.objects.create_user(
        email=ADMIN_EMAIL, is_programme_admin=True
    )
    client = Client()
    client.force_login(admin)
    for name, (url, query) in pages().items():

        def get(url: str = url, query: dict[str, str] = query) -> None:
            response = client.get(url, query)
            assert response.status_code == 200, (url, query, response.status_code)

        _result, queries = count_queries(get)
        ms = median_ms(get, runs=RUNS, warmup=1, limit_s=60)
        emit(f"programme_{name}_ms", ms, "ms", decimals=1)
        emit(f"programme_{name}_queries", len(queries), "queries")
        if ms >= TARGETS_MS[name]:
            comment(f"programme_{name}_ms over the target of {TARGETS_MS[name]} ms")


if __name__ == "__main__":
    main()
