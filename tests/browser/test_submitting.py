"""Submitting from the browser: refused with a list of what is missing, then accepted once
confirmed."""

import re

import pytest
from playwright.sync_api import expect

from diagnosis.models import Assessment, User
from tests.browser.conftest import OpenPage, answer_server_side, click_answer

pytestmark = pytest.mark.browser


def test_it_refuses_to_submit_and_lists_the_missing_questions(
    open_page: OpenPage, assessment: Assessment, respondent: User
):
    answer_server_side(assessment, respondent, skip=("STR-05", "GRN-02"))
    page = open_page(respondent)
    page.goto(f"/assessments/{assessment.pk}/submit/")

    with page.expect_response(lambda r: r.request.method == "POST") as posted:
        page.get_by_test_id("submit").click()

    assert posted.value.status == 400
    missing = page.get_by_test_id("missing")
    expect(missing.get_by_role("link", name="STR-05")).to_be_visible()
    expect(missing.get_by_role("link", name="GRN-02")).to_be_visible()
    expect(missing.locator("li")).to_have_count(2)
    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.DRAFT


def test_it_submits_once_the_last_answer_is_given_and_opens_the_report(
    open_page: OpenPage, assessment: Assessment, respondent: User
):
    answer_server_side(assessment, respondent, skip=("STR-05",))
    page = open_page(respondent)
    page.goto(f"/assessments/{assessment.pk}/submit/")
    page.get_by_test_id("missing").get_by_role("link", name="STR-05").click()
    click_answer(page, "STR-05", "better")
    page.goto(f"/assessments/{assessment.pk}/submit/")
    expect(page.get_by_test_id("missing")).to_have_count(0)

    page.get_by_test_id("submit").click()
    expect(page.get_by_test_id("confirm-submit-box")).to_be_visible()
    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.DRAFT  # not before the firm confirms
    page.get_by_test_id("confirm-submit").click()

    expect(page).to_have_url(re.compile(rf"/assessments/{assessment.pk}/report/$"))
    expect(page.get_by_test_id("level")).to_be_visible()
    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.SUBMITTED
