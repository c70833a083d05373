"""Benchmark the consultant's review: page sizes and the in-place validation round trip.

Run from the repository root: ``python tests/perf/bench_review.py``. Works on a throwaway
SQLite database in a temporary directory, deleted at the end. A firm answers and submits
the bundled questionnaire; its assigned consultant reviews it in Chinese (zh-hans).
Prints:

- ``review_page_max_kb``: the largest review page (the overview or a dimension page; the
  limit is 80 KB); ``review_page_queries``: queries for the largest dimension page;
- ``review_validate_ms``: median time of one verdict posted with htmx (alternately a
  change with its reason and a confirmation, over every answer of a dimension) through
  the test client, answered with the question's row and the score strip (target < 100 ms);
  ``review_validate_cpu_ms``: the same in CPU time of the process, which a busy machine
  disturbs less; ``review_validate_queries``: queries of one such round trip;
- ``review_confirm_dimension_ms``: confirming all unchanged answers of a dimension.
"""

from __future__ import annotations

import os
import statistics
import time
from typing import Any

from benchkit import (
    answer_sections,
    comment,
    count_queries,
    emit,
    median_ms,
    respondent_with_assessment,
    throwaway_site,
)

LANGUAGE = "zh-hans"
PAGE_LIMIT_KB = 80
VALIDATE_TARGET_MS = 100
VALIDATE_RUNS = 40
HTMX: dict[str, Any] = {"HTTP_HX_REQUEST": "true"}


def main() -> None:
    with throwaway_site():
        from django.test import Client
        from django.urls import reverse

        assessment, consultant = submitted_and_assigned()
        client = Client(HTTP_ACCEPT_LANGUAGE=LANGUAGE)
        client.force_login(consultant)
        definition = assessment.questionnaire.definition

        urls = [reverse("review", args=[assessment.pk])] + [
            reverse("review_dimension", args=[assessment.pk, d.code]) for d in definition.dimensions
        ]
        sizes = {url: len(get_ok(client, url)) for url in urls}
        largest = max(sizes, key=sizes.__getitem__)
        comment(f"largest page {largest}; every page: {sorted(sizes.values())}")
        emit("review_page_max_kb", sizes[largest] / 1024, "KB", decimals=1)
        biggest_dimension = max(definition.dimensions, key=lambda d: len(d.questions))
        dimension_url = reverse("review_dimension", args=[assessment.pk, biggest_dimension.code])
        _response, queries = count_queries(lambda: client.get(dimension_url))
        emit("review_page_queries", len(queries), "queries")

        posts = verdicts(assessment, biggest_dimension)
        rounds = iter(range(10**6))

        def validate():
            url, data = posts[next(rounds) % len(posts)]
            response = client.post(url, data, **HTMX)
            if response.status_code != 200 or b'id="review-scores"' not in response.content:
                raise SystemExit(f"POST {url} answered {response.status_code}")
            return response

        validate_ms = median_ms(validate, runs=VALIDATE_RUNS, warmup=3, limit_s=60)
        cpu_ms = median_cpu_ms(validate, runs=VALIDATE_RUNS)
        response, queries = count_queries(validate)
        comment(f"target < {VALIDATE_TARGET_MS} ms; answer of {len(response.content)} bytes")
        comment(f"load average {os.getloadavg()[0]:.1f} (1 min) on {os.cpu_count()} CPUs")
        emit("review_validate_ms", validate_ms, "ms", decimals=1)
        emit("review_validate_cpu_ms", cpu_ms, "ms", decimals=1)
        emit("review_validate_queries", len(queries), "queries")

        confirm_url = reverse("review_dimension_confirm", args=[assessment.pk, "OPS"])
        confirm_ms = median_ms(
            lambda: client.post(confirm_url, **HTMX), runs=5, warmup=1, limit_s=30
        )
        emit("review_confirm_dimension_ms", confirm_ms, "ms", decimals=1)


def median_cpu_ms(action, *, runs: int) -> float:
    """Median CPU time of `action` in this process (SQLite runs in it too), in ms: what
    the round trip costs, whatever else the shared machine is doing meanwhile."""
    times = []
    for _ in range(runs):
        before = time.process_time()
        action()
        times.append((time.process_time() - before) * 1000)
    return statistics.median(times)


def get_ok(client, url: str) -> bytes:
    response = client.get(url)
    if response.status_code != 200:
        raise SystemExit(f"GET {url} answered {response.status_code}")
    return response.content


def submitted_and_assigned():
    """A submitted assessment and the consultant assigned to its firm."""
    from django.test import Client
    from django.urls import reverse

    from diagnosis.models import Assignment, Provider, ProviderMembership
    from tests.factories import make_user

    client = Client(HTTP_ACCEPT_LANGUAGE=LANGUAGE)
    _user, assessment = respondent_with_assessment(client)
    answer_sections(client, assessment, seed=2)
    response = client.post(reverse("submit", args=[assessment.pk]), {"confirmed": "yes"})
    assert response.status_code == 302, response.status_code
    provider = Provider.objects.create(name="示范诊断服务商")
    consultant = make_user(email="consultant@provider.example", name="陈静")
    ProviderMembership.objects.create(user=consultant, provider=provider)
    Assignment.objects.create(firm=assessment.firm, provider=provider, consultant=consultant)
    assessment.refresh_from_db()
    return assessment, consultant


def verdicts(assessment, dimension) -> list[tuple[str, dict]]:
    """For every answered scored question of the dimension: a change (to the first option
    or the minimum, with a reason) and a confirmation, in turn."""
    from django.urls import reverse

    from diagnosis.scoring.definition import QuestionType

    answered = set(assessment.answers.values_list("question__code", flat=True))
    posts = []
    for question in dimension.questions:
        if not question.scored or question.code not in answered:
            continue
        prefix = f"v-{question.code}-"
        value: list[str] | str
        if question.type is QuestionType.CHECKLIST:
            value = [question.items[0].code]
        elif question.type is QuestionType.KPI:
            value = str(question.minimum or 0)
        else:
            value = str(question.options[0].value)
        url = reverse("review_answer", args=[assessment.pk, question.code])
        change = {f"{prefix}action": "change", f"{prefix}value": value}
        posts.append((url, change | {f"{prefix}reason": "现场核实：与填报不符"}))
        posts.append((url, {f"{prefix}action": "confirm"}))
    return posts


if __name__ == "__main__":
    main()
