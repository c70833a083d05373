"""Answering in the browser: conditional questions, colleagues, failed saves, CSP."""

import re

import pytest
from playwright.sync_api import expect

from diagnosis.models import Answer, Assessment, User
from tests.browser.conftest import OpenPage, click_answer, console_errors

pytestmark = pytest.mark.browser


def section_url(assessment: Assessment, dimension: str) -> str:
    return f"/assessments/{assessment.pk}/sections/{dimension}/"


def test_it_shows_a_conditional_question_only_while_its_trigger_allows(
    open_page: OpenPage, assessment: Assessment, respondent: User
):
    page = open_page(respondent)
    page.goto(section_url(assessment, "OPS"))
    dependent = page.get_by_test_id("question-OPS-03")
    expect(dependent).to_have_attribute("data-visible", "false")
    expect(dependent).to_have_class(re.compile(r"\bis-hidden\b"))
    expect(dependent).to_be_hidden()

    click_answer(page, "OPS-02", "partial")
    expect(dependent).to_have_attribute("data-visible", "true")
    expect(dependent).to_be_visible()

    click_answer(page, "OPS-02", "no")
    expect(dependent).to_have_attribute("data-visible", "false")
    expect(dependent).to_be_hidden()

    click_answer(page, "OPS-02", "yes")
    expect(dependent).to_be_visible()
    expect(dependent).not_to_have_class(re.compile(r"\bis-hidden\b"))


def test_it_lets_a_colleague_continue_where_the_first_respondent_stopped(
    open_page: OpenPage, assessment: Assessment, respondent: User, colleague: User
):
    first = open_page(respondent)
    first.goto(f"/assessments/{assessment.pk}/")
    click_answer(first, "STR-01", "3")
    click_answer(first, "STR-02", "2")

    second = open_page(colleague)
    second.goto(f"/assessments/{assessment.pk}/")
    expect(second).to_have_url(re.compile(r"/sections/STR/#q-STR-03$"))
    expect(second.get_by_test_id("question-STR-03")).to_be_in_viewport()
    expect(second.get_by_test_id("question-STR-01").locator("input[value='3']")).to_be_checked()
    click_answer(second, "STR-03", "yes")

    stored = {
        answer.question.code: (answer.value, answer.answered_by)
        for answer in Answer.objects.filter(assessment=assessment).select_related("question")
    }
    assert stored == {
        "STR-01": (3, respondent),
        "STR-02": (2, respondent),
        "STR-03": ("yes", colleague),
    }


# A lost connection or a 503 is retried instead (tests/browser/test_outage.py).
@pytest.mark.parametrize(
    "failure",
    [
        pytest.param(lambda route: route.fulfill(status=500, body="boom"), id="server"),
        pytest.param(lambda route: route.fulfill(status=403, body="no"), id="refused"),
    ],
)
def test_it_shows_that_an_autosave_failed(
    open_page: OpenPage, assessment: Assessment, respondent: User, failure
):
    page = open_page(respondent)
    page.goto(section_url(assessment, "STR"))
    page.route("**/answers/STR-01/", failure)
    card = page.get_by_test_id("question-STR-01")
    status = card.locator(".answer-status")
    with page.expect_request(lambda request: request.url.endswith("/answers/STR-01/")):
        card.locator("label:has(input[value='3'])").click()

    error_text = status.get_attribute("data-error-text")
    assert error_text
    expect(status).to_have_text(error_text)
    expect(status).to_have_class(re.compile(r"\bis-error\b"))
    assert not Answer.objects.filter(assessment=assessment).exists()


def test_it_shows_that_a_goal_autosave_failed(
    open_page: OpenPage, assessment: Assessment, respondent: User
):
    page = open_page(respondent)
    page.goto(section_url(assessment, "STR"))
    page.route("**/sections/STR/goal/", lambda route: route.fulfill(status=500, body="boom"))
    with page.expect_request(lambda request: request.url.endswith("/goal/")):
        page.select_option("select[name=goal-STR-target_level]", "4")

    status = page.locator("#goal-STR .answer-status")
    error_text = status.get_attribute("data-error-text")
    assert error_text
    expect(status).to_have_text(error_text)
    expect(status).to_have_class(re.compile(r"\bis-error\b"))


def test_it_breaks_no_content_security_rule_on_the_section_page(
    open_page: OpenPage, assessment: Assessment, respondent: User
):
    page = open_page(respondent)
    errors = console_errors(page)
    page.goto(section_url(assessment, "OPS"))
    click_answer(page, "OPS-02", "yes")
    with page.expect_response(lambda response: response.url.endswith("/goal/")):
        page.select_option("select[name=goal-OPS-target_level]", "4")
    expect(page.locator("#goal-OPS .answer-status .text-success")).to_be_visible()

    violations = [text for text in errors if "Content Security Policy" in text]
    assert violations == []


def test_it_says_why_an_upload_over_the_size_limit_was_refused(
    open_page: OpenPage, assessment: Assessment, respondent: User, settings
):
    """The server answers 413 before reading the body (issue 11 item 6); the card shows
    the server's reason, not the general "not saved"."""
    settings.EVIDENCE_MAX_BYTES = 1000
    page = open_page(respondent)
    page.goto(section_url(assessment, "STR"))
    card = page.get_by_test_id("question-STR-01")
    card.locator("summary").click()
    big = b"%PDF-1.4\n" + b"0" * (1024 * 1024 + 5000)
    with page.expect_response(lambda response: response.url.endswith("/answers/STR-01/")) as sent:
        card.locator("input[type=file]").set_input_files(
            {"name": "plan.pdf", "mimeType": "application/pdf", "buffer": big}
        )

    assert sent.value.status == 413
    status = card.locator(".answer-status")
    expect(status).to_have_text(re.compile(r"上传内容超过 1000\s*字节"))
    expect(status).to_have_class(re.compile(r"\bis-error\b"))
    assert not Answer.objects.filter(assessment=assessment).exists()
