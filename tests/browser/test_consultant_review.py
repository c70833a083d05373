"""The consultant's loop in a real browser: verdicts in place, a refused change kept, a
dimension confirmed in one step, the assessment returned with notes (and the firm sees
them where it works), and a confirmed sign-off the firm can have checked."""

import re

import pytest
from django.template.defaultfilters import floatformat
from django.utils import timezone
from playwright.sync_api import Page, expect

from diagnosis.models import AnswerValidation, Assessment, ScoreResult, User
from tests.browser.conftest import OpenPage, console_errors, download_pdf_text, squeeze

pytestmark = pytest.mark.browser

REASON = "现场查看：规划仅停留在口头，没有书面文件"
NOTE = "请上传联网设备清单"
RETURN = "请核对设备数控化率，并补充联网设备清单。"


def mark_page(page: Page) -> None:
    """Leave a mark in the page's window: a reload or navigation would wipe it."""
    page.evaluate("window.stillTheSamePage = true")


def is_same_page(page: Page) -> bool:
    return page.evaluate("window.stillTheSamePage === true")


def test_it_keeps_the_consultants_work_in_place_while_validating(
    open_page: OpenPage, submitted: Assessment, consultant: User
):
    page = open_page(consultant)
    errors = console_errors(page)
    page.goto(f"/review/{submitted.pk}/dimensions/EQP/")
    expect(page.get_by_test_id("scores-EQP")).to_be_visible()  # scores and targets on top
    mark_page(page)

    page.get_by_test_id("confirm-EQP-01").click()
    expect(page.get_by_test_id("state-EQP-01")).to_contain_text("已确认")

    row = page.get_by_test_id("review-EQP-02")
    row.get_by_text("设定其他核定值").click()
    row.locator("input[name='v-EQP-02-value']").fill("12")
    row.get_by_test_id("change-EQP-02").click()
    error = page.get_by_test_id("error-reason-EQP-02")
    expect(error).to_be_visible()
    expect(page.locator("input[name='v-EQP-02-value']")).to_have_value("12")  # kept
    assert not AnswerValidation.objects.filter(answer__question__code="EQP-02").exists()

    before = page.get_by_test_id("validated-EQP").inner_text()
    page.locator("textarea[name='v-EQP-02-reason']").fill("只看到一台数控机床")
    page.get_by_test_id("change-EQP-02").click()
    expect(page.get_by_test_id("validated-value-EQP-02")).to_contain_text("12")
    expect(page.get_by_test_id("validated-EQP")).not_to_have_text(before)

    page.get_by_test_id("confirm-dimension").click()
    expect(page.get_by_test_id("dimension-confirmed")).to_be_visible()
    states = page.locator("#review-rows article").evaluate_all(
        "rows => rows.map(row => row.dataset.state)"
    )
    assert set(states) <= {"confirmed", "changed", "text"} and "changed" in states

    assert is_same_page(page), "the page was reloaded"
    assert [e for e in errors if "Content Security Policy" in e] == []
    changed = AnswerValidation.objects.get(answer__question__code="EQP-02")
    assert (changed.confirmed, changed.value) == (False, 12)


def test_it_returns_the_assessment_and_the_firm_sees_why_where_it_works(
    open_page: OpenPage, submitted: Assessment, consultant: User, respondent: User
):
    review = open_page(consultant)
    review.goto(f"/review/{submitted.pk}/dimensions/EQP/")
    row = review.get_by_test_id("review-EQP-03")
    row.get_by_text("给企业添加备注").click()
    row.locator("textarea[name=text]").fill(NOTE)
    row.get_by_test_id("note-EQP-03").click()
    expect(review.get_by_test_id("notes-EQP-03")).to_contain_text(NOTE)
    review.goto(f"/review/{submitted.pk}/")
    review.locator("#id_comment").fill(RETURN)
    review.get_by_test_id("return").click()
    expect(review).to_have_url(re.compile(r"/review/$"))

    page = open_page(respondent)
    page.goto("/firm/")
    expect(page.get_by_test_id("return-reason")).to_contain_text(RETURN)
    expect(page.get_by_test_id("next-step")).to_contain_text(str(consultant))
    page.get_by_test_id("continue").click()
    first = submitted.questionnaire.definition.dimensions[0].code
    expect(page).to_have_url(re.compile(rf"/sections/{first}/$"))
    expect(page.get_by_test_id("return-reason")).to_contain_text(RETURN)

    page.get_by_test_id("fix-EQP-03").get_by_role("link").click()
    expect(page).to_have_url(re.compile(r"/sections/EQP/#q-EQP-03$"))
    note = page.get_by_test_id("consultant-note-EQP-03")
    expect(note).to_contain_text(NOTE)
    expect(note).to_be_in_viewport()


def test_it_signs_off_after_confirming_and_the_firm_gets_a_checkable_report(
    open_page: OpenPage, submitted: Assessment, respondent: User, consultant: User
):
    review = open_page(consultant)
    review.goto(f"/review/{submitted.pk}/dimensions/STR/")
    row = review.get_by_test_id("review-STR-01")
    row.get_by_text("设定其他核定值").click()
    row.locator("select[name='v-STR-01-value']").select_option("1")
    row.locator("textarea[name='v-STR-01-reason']").fill(REASON)
    row.get_by_test_id("change-STR-01").click()
    expect(review.get_by_test_id("validated-value-STR-01")).to_contain_text(REASON)

    review.goto(f"/review/{submitted.pk}/")
    review.get_by_test_id("sign-off").click()
    expect(review.get_by_test_id("confirm-sign-off-box")).to_be_visible()
    assert Assessment.objects.get(pk=submitted.pk).status == Assessment.Status.IN_REVIEW
    review.get_by_test_id("confirm-sign-off").click()
    expect(review).to_have_url(re.compile(rf"/assessments/{submitted.pk}/report/$"))

    validated = ScoreResult.objects.get(assessment=submitted, kind=ScoreResult.Kind.VALIDATED)
    self_assessed = ScoreResult.objects.get(assessment=submitted, kind=ScoreResult.Kind.SELF)
    assert validated.overall < self_assessed.overall
    overall = floatformat(validated.overall, 1)
    submitted.refresh_from_db()

    page = open_page(respondent)
    page.goto(f"/assessments/{submitted.pk}/report/")
    expect(page.get_by_test_id("validated")).to_be_visible()
    expect(page.get_by_test_id("change-STR-01")).to_contain_text(REASON)
    expect(page.get_by_test_id("overall")).to_have_text(overall)
    number = page.get_by_test_id("report-number").inner_text()
    code = page.get_by_test_id("verification-code").inner_text()
    assert number == submitted.report_number
    text = download_pdf_text(page)
    for printed in (overall, REASON, number, code, "示范诊断服务商"):
        assert squeeze(printed) in text

    checker = open_page()  # anyone, not logged in
    checker.goto("/verify/")
    checker.get_by_label("报告编号").fill(number)
    checker.get_by_label("验证码").fill(code.lower())
    checker.get_by_test_id("verify").click()
    result = checker.get_by_test_id("verify-result")
    expect(result).to_contain_text(submitted.firm.name)
    expect(result).to_contain_text(timezone.localtime(submitted.validated_at).strftime("%Y-%m-%d"))
