"""Benchmark the report: SQL queries and server time of the HTML page, and PDF render time.

Run from the repository root: ``python tests/perf/bench_report.py``. Works on a throwaway
SQLite database in a temporary directory, deleted at the end. A firm answers and submits
two assessments through the section forms, so the second report compares with the first.
Prints, for the second report, in Chinese (zh-hans):

- ``report_queries``: queries to render the report page (budget 12);
- ``report_html_ms``: median time of GET report through the test client (30 runs);
- ``report_pdf_render_ms``: median time of a GET report.pdf that renders the PDF (the
  task run in-process by the immediate backend: what a worker spends, plus the request;
  7 runs; target < 1,500 ms);
- ``report_pdf_ms``: median time of GET report.pdf once it is stored (30 runs).
"""

from __future__ import annotations

from benchkit import (
    answer_sections,
    comment,
    count_queries,
    emit,
    explain_queries,
    median_ms,
    respondent_with_assessment,
    throwaway_site,
)

LANGUAGE = "zh-hans"
REPORT_BUDGET = 12
HTML_RUNS = 30
PDF_RUNS = 7
PDF_TARGET_MS = 1500


def main() -> None:
    with throwaway_site():
        from django.test import Client
        from django.urls import reverse

        client = Client(HTTP_ACCEPT_LANGUAGE=LANGUAGE)
        user, assessment = two_submitted_assessments(client)
        report_url = reverse("report", args=[assessment.pk])
        response = client.get(report_url)  # warm-up
        check_report(response, user, assessment)
        comment(response["Content-Language"])

        response, queries = count_queries(lambda: client.get(report_url))
        assert response.status_code == 200, response.status_code
        explain_queries("report_queries", queries, REPORT_BUDGET)
        emit("report_queries", len(queries), "queries")

        html_ms = median_ms(lambda: client.get(report_url), runs=HTML_RUNS, warmup=3, limit_s=60)
        emit("report_html_ms", html_ms, "ms", decimals=1)

        from diagnosis.models import ReportPdf

        pdf_url = reverse("report_pdf", args=[assessment.pk])
        content = check_pdf(client.get(pdf_url))  # warm-up: loads WeasyPrint and the fonts

        def render() -> None:
            ReportPdf.objects.all().delete()  # asked for anew: rendered in this request
            check_pdf(client.get(pdf_url))

        render_ms = median_ms(render, runs=PDF_RUNS, warmup=0, limit_s=120)
        comment(f"pdf: {len(content) // 1024} KB, target < {PDF_TARGET_MS} ms")
        emit("report_pdf_render_ms", render_ms, "ms")
        served_ms = median_ms(
            lambda: client.get(pdf_url).getvalue(), runs=HTML_RUNS, warmup=3, limit_s=60
        )
        emit("report_pdf_ms", served_ms, "ms", decimals=1)


def two_submitted_assessments(client):
    """A respondent (logged in on `client`) whose firm submitted two assessments; returns
    the respondent and the second, which has the first as its previous one."""
    from django.urls import reverse

    from diagnosis.models import Assessment

    user, first = respondent_with_assessment(client)
    answer_sections(client, first, seed=1, high=False)
    submit(client, first)
    response = client.post(reverse("assessment_new"))
    assert response.status_code == 302, response.status_code
    second = Assessment.objects.filter(firm=first.firm).latest("pk")
    assert second.previous_id == first.pk, "the second assessment does not follow the first"
    answer_sections(client, second, seed=2)
    submit(client, second)
    return user, second


def submit(client, assessment) -> None:
    from django.urls import reverse

    response = client.post(reverse("submit", args=[assessment.pk]), {"confirmed": "yes"})
    assert response.status_code == 302, response.content.decode()[:2000]


def check_report(response, user, assessment) -> None:
    """Exit unless the page is the Chinese report with the progress comparison."""
    from diagnosis.permissions import get_assessment_for_user
    from diagnosis.reports.context import build_report

    if response.status_code != 200 or b'data-testid="overall"' not in response.content:
        raise SystemExit(f"GET report answered {response.status_code} without the report")
    if response["Content-Language"] != LANGUAGE:
        raise SystemExit(f"the report is in {response['Content-Language']}, not {LANGUAGE}")
    report = build_report(*get_assessment_for_user(user, assessment.pk))
    if report is None or report.previous is None:
        raise SystemExit("the report does not compare with the previous assessment")


def check_pdf(response) -> bytes:
    """The PDF served (the immediate task backend renders it within the request)."""
    disposition = response.get("Content-Disposition", "")
    if response.status_code != 200 or response.get("Content-Type") != "application/pdf":
        raise SystemExit(f"GET report.pdf answered {response.status_code} without a PDF")
    if f"-{LANGUAGE}.pdf" not in disposition:
        raise SystemExit(f"the PDF is not in {LANGUAGE}: {disposition}")
    return response.getvalue()


if __name__ == "__main__":
    main()
