"""The consultant's loop: validate an answer with a reason, sign off, the firm sees it."""

import re

import pytest
from django.template.defaultfilters import floatformat
from playwright.sync_api import expect

from diagnosis.models import Assessment, ScoreResult, User
from tests.browser.conftest import OpenPage, download_pdf_text, squeeze

pytestmark = pytest.mark.browser

REASON = "现场查看：规划仅停留在口头，没有书面文件"


def test_it_shows_the_firm_the_validated_report_with_the_consultants_change(
    open_page: OpenPage, submitted: Assessment, respondent: User, consultant: User
):
    review = open_page(consultant)
    review.goto(f"/review/{submitted.pk}/")
    row = review.get_by_test_id("review-STR-01")
    row.locator("details > summary").click()
    row.locator("input[name='v-STR-01-value'][value='1']").check()
    row.locator("textarea[name='v-STR-01-reason']").fill(REASON)
    row.get_by_test_id("change-STR-01").click()
    expect(review.get_by_test_id("review-STR-01")).to_contain_text(REASON)

    review.locator("input[name=decision][value=sign_off]").check()
    review.get_by_test_id("decide").click()
    expect(review).to_have_url(re.compile(rf"/assessments/{submitted.pk}/report/$"))

    validated = ScoreResult.objects.get(assessment=submitted, kind=ScoreResult.Kind.VALIDATED)
    self_assessed = ScoreResult.objects.get(assessment=submitted, kind=ScoreResult.Kind.SELF)
    assert validated.overall < self_assessed.overall
    overall = floatformat(validated.overall, 1)

    page = open_page(respondent)
    page.goto(f"/assessments/{submitted.pk}/report/")
    expect(page.get_by_test_id("validated")).to_be_visible()
    expect(page.get_by_test_id("change-STR-01")).to_contain_text(REASON)
    expect(page.get_by_test_id("overall")).to_have_text(overall)
    text = download_pdf_text(page)
    assert squeeze(overall) in text
    assert squeeze(REASON) in text
