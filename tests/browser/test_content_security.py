"""No page and no htmx swap breaks the strict Content-Security-Policy (no inline style)."""

import re
from collections.abc import Callable

import pytest
from playwright.sync_api import FilePayload, Page, Route, expect

from diagnosis.answers import clean_answer
from diagnosis.models import Assessment, User
from diagnosis.services.assessments import AnswerEntry, answers_save
from tests.browser.conftest import OpenPage, click_answer, console_errors, is_autosave_of

pytestmark = pytest.mark.browser

# Chromium reports a violation on the console; the event also catches those it would not.
REPORT_VIOLATIONS = """document.addEventListener("securitypolicyviolation", (event) =>
  console.error("Content Security Policy violation:", event.violatedDirective,
    event.blockedURI, event.sourceFile, event.lineNumber, event.sample));"""
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def watched(page: Page) -> list[str]:
    page.context.add_init_script(REPORT_VIOLATIONS)
    return console_errors(page)


def violations(errors: list[str]) -> list[str]:
    return [text for text in errors if "Content Security Policy" in text]


def drag_corner(page: Page, selector: str) -> None:
    """Make a text area taller with the mouse, as a user would (and, as a user would, try
    again when the first grab missed the corner: under load the field may still be moving
    into place when the mouse goes down)."""
    field = page.locator(selector)
    expect(field).to_be_visible()
    for _attempt in range(3):
        field.scroll_into_view_if_needed()
        box = field.bounding_box()
        assert box is not None
        corner = (box["x"] + box["width"] - 2, box["y"] + box["height"] - 2)
        page.mouse.move(*corner)
        page.mouse.down()
        page.mouse.move(corner[0], corner[1] + 40, steps=4)
        page.mouse.up()
        if "height" in (field.get_attribute("style") or ""):
            return
    raise AssertionError(f"dragging the corner of {selector} did not resize it")


def refusing_once() -> Callable[[Route], None]:
    refused: list[str] = []

    def handle(route: Route) -> None:
        if refused:
            route.continue_()
        else:
            refused.append(route.request.url)
            route.fulfill(status=503, headers={"Retry-After": "1"}, body="")

    return handle


def test_it_breaks_no_rule_while_answering(
    open_page: OpenPage,
    assessment: Assessment,
    respondent: User,
    colleague: User,
    database_outage,
):
    page = open_page(respondent)
    errors = watched(page)
    page.clock.install()
    section = f"/assessments/{assessment.pk}/sections/STR/"
    page.goto(section)
    click_answer(page, "STR-01", "2")
    page.get_by_test_id("question-STR-06").locator("input[type=checkbox]").first.check()
    with page.expect_response(is_autosave_of("STR-04")):
        page.fill("[name=q-STR-04-value]", "30")
        page.press("[name=q-STR-04-value]", "Tab")
    page.locator("#q-STR-02 summary").click()
    # The browser keeps a resized field's size in its style attribute, which htmx would
    # copy onto the new card with setAttribute (blocked) unless told not to settle it.
    drag_corner(page, "[name=q-STR-02-note]")
    with page.expect_response(is_autosave_of("STR-02")):
        page.fill("[name=q-STR-02-note]", "备注")
        page.press("[name=q-STR-02-note]", "Tab")
    with page.expect_response(is_autosave_of("STR-01")):
        page.set_input_files(
            "[name=q-STR-01-evidence]",
            files=[FilePayload(name="photo.png", mimeType="image/png", buffer=PNG)],
        )
    expect(page.get_by_test_id("question-STR-01")).to_contain_text("photo.png")
    with page.expect_response(lambda response: response.url.endswith("/goal/")):
        page.select_option("select[name=goal-STR-target_level]", "4")

    # A save refused once, retried by the page.
    page.route("**/answers/STR-03/", refusing_once())
    card = page.get_by_test_id("question-STR-03")
    with page.expect_response(is_autosave_of("STR-03")):
        card.locator("label:has(input[value='yes'])").click()
    expect(card).to_have_class(re.compile(r"\bis-pending\b"))  # its retry is scheduled
    page.clock.fast_forward(1_200)  # past the retry's delay (1 s, plus jitter)
    expect(card.get_by_test_id("saved")).to_be_visible()

    # A colleague's change, brought in by the page's poll.
    question = assessment.questionnaire.definition.questions["STR-05"]
    value = clean_answer(question, str(question.options[0].value))
    answers_save(assessment=assessment, user=colleague, entries=[AnswerEntry("STR-05", value)])
    page.clock.fast_forward(16_000)
    expect(page.get_by_test_id("changed-by-other")).to_be_visible()

    page.goto(f"/assessments/{assessment.pk}/sections/EQP/")
    click_answer(page, "EQP-04", "3")
    expect(page.get_by_test_id("question-EQP-05")).to_be_visible()
    click_answer(page, "EQP-07", "1")
    with page.expect_response(is_autosave_of("EQP-07")):
        page.get_by_test_id("question-EQP-07").get_by_text("不适用于本企业").click()
    page.goto(f"/assessments/{assessment.pk}/submit/")

    with database_outage():
        page.goto(section)
        expect(page.get_by_test_id("outage-page")).to_be_visible()

    assert violations(errors) == []


def test_it_breaks_no_rule_on_the_other_pages(
    open_page: OpenPage, submitted: Assessment, respondent: User, consultant: User
):
    visitor = open_page()
    errors = [watched(visitor)]
    for url in ("/", "/accounts/login/", "/accounts/signup/"):
        visitor.goto(url)

    page = open_page(respondent)
    errors.append(watched(page))
    for url in ("/", "/firm/", f"/assessments/{submitted.pk}/report/"):
        page.goto(url)
    page.goto(f"/assessments/{submitted.pk}/history/")

    review = open_page(consultant)
    errors.append(watched(review))
    review.goto("/review/")
    review.goto(f"/review/{submitted.pk}/")
    expect(review.get_by_test_id("review-scores")).to_be_visible()
    review.goto(f"/review/{submitted.pk}/dimensions/STR/")
    expect(review.get_by_test_id("review-STR-01")).to_be_visible()

    assert violations([text for collected in errors for text in collected]) == []
