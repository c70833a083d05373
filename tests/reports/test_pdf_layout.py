"""The PDF's layout: charts never alone on a page, no heading left at a page's foot, no
text smaller than the body's small text, one font family (tests/reports/pdf_layout.py
reads the pages WeasyPrint laid out)."""

import pytest
from django.test import RequestFactory
from django.utils import translation

from diagnosis.permissions import get_assessment_for_user
from diagnosis.reports.context import build_report
from diagnosis.reports.pdf import report_document
from diagnosis.services import review
from diagnosis.services.assessments import assessment_start, assessment_submit
from tests.answering import fill
from tests.reports.pdf_layout import Leaf, font_families, pages

SMALL_TEXT_PT = 8.5  # the body's small text in the PDF (pdf.html)


@pytest.fixture(params=["zh-hans", "en"])
def language(request):
    with translation.override(request.param):
        yield request.param


@pytest.fixture(params=["self-assessed", "signed off with progress"])
def document(request, language, submitted, consultant, respondent, firm):
    """A report laid out in pages: the first one as submitted, or a second one signed off
    that compares with the first (previous scores and validated scores add chart series)."""
    assessment = submitted
    if request.param != "self-assessed":
        review.review_sign_off(assessment=submitted, consultant=consultant)
        assessment = assessment_start(firm=firm, user=respondent)
        fill(assessment, respondent, high=True)
        assessment_submit(assessment=assessment, user=respondent)
        review.review_sign_off(assessment=assessment, consultant=consultant)
    report = build_report(*get_assessment_for_user(respondent, assessment.pk))
    assert report is not None
    return report_document(report, RequestFactory().get("/"))


def describe(leaves: list[Leaf]) -> list[str]:
    return [f"{leaf.kind} {leaf.text[:30]!r} {leaf.ancestors[-3:]}" for leaf in leaves]


def test_it_lays_the_pdf_out_for_print(document):
    """No page holds only a chart, no page ends with a heading, no text (chart labels
    included) is smaller than the body's small text, and one font family is embedded.
    One test for the four, as each PDF takes two seconds to lay out."""
    laid_out = pages(document)
    for number, leaves in enumerate(laid_out, 1):
        assert any(leaf.kind == "chart" for leaf in leaves) <= any(
            not leaf.in_chart for leaf in leaves
        ), f"page {number} holds only a chart: {describe(leaves)}"
        last = max(leaves, key=lambda leaf: leaf.bottom)
        assert not last.in_heading, f"page {number} ends with the heading {last.text!r}"
        small = [
            (leaf.text, leaf.font_pt) for leaf in leaves if leaf.font_pt < SMALL_TEXT_PT - 0.01
        ]
        assert small == [], f"page {number} has text below {SMALL_TEXT_PT} pt: {small}"
    assert sum(leaf.kind == "chart" for leaves in laid_out for leaf in leaves) == 2
    assert len(font_families(document.write_pdf())) == 1
