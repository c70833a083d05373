"""The PDF of a v2 report with its indicative MIIT and CMMM block keeps the print layout:
no heading at a page's foot, no text below the body's small text, the block's tables on
the pages (tests/reports/pdf_layout.py)."""

import pytest
from django.test import RequestFactory
from django.utils import translation

from diagnosis.permissions import get_assessment_for_user
from diagnosis.reports.context import build_report
from diagnosis.reports.pdf import report_document
from tests.reports.pdf_layout import pages
from tests.reports.test_pdf_layout import SMALL_TEXT_PT
from tests.views.test_report_crosswalk import v2_submitted


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_it_lays_the_crosswalk_block_out_for_print(firm, respondent, language):
    assessment = v2_submitted(firm, respondent, level=3)
    with translation.override(language):
        report = build_report(*get_assessment_for_user(respondent, assessment.pk))
        assert report is not None and report.crosswalk is not None
        document = report_document(report, RequestFactory().get("/"))
        laid_out = pages(document)
    texts = [leaf.text for leaves in laid_out for leaf in leaves]
    assert any("zjtx.miit.gov.cn" in text for text in texts)
    for number, leaves in enumerate(laid_out, 1):
        last = max(leaves, key=lambda leaf: leaf.bottom)
        assert not last.in_heading, f"page {number} ends with the heading {last.text!r}"
        small = [
            (leaf.text, leaf.font_pt) for leaf in leaves if leaf.font_pt < SMALL_TEXT_PT - 0.01
        ]
        assert small == [], f"page {number} has text below {SMALL_TEXT_PT} pt: {small}"
