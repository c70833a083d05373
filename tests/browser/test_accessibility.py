"""The answering page with the keyboard, for screen readers, and in contrast terms."""

from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from diagnosis.models import Answer, Assessment, User
from tests.browser.conftest import OpenPage, click_answer, is_autosave_of

pytestmark = pytest.mark.browser


def section_url(assessment: Assessment, dimension: str) -> str:
    return f"/assessments/{assessment.pk}/sections/{dimension}/"


def saved_by_server(page: Page, code: str, action: Callable[[], None]) -> None:
    """Do `action`, wait for the autosave of `code` and for its answer to replace the card."""
    page.locator(f"#q-{code}").evaluate("card => { card.dataset.before = 'save'; }")
    with page.expect_response(is_autosave_of(code)) as saving:
        action()
    assert saving.value.ok, saving.value.status
    expect(page.locator(f"#q-{code}:not([data-before])")).to_be_attached()


def focused(page: Page) -> list[str]:
    return page.evaluate("[document.activeElement.name, document.activeElement.value]")


def test_it_keeps_the_focus_so_arrow_keys_move_on_within_a_radio_group(
    open_page: OpenPage, assessment: Assessment, respondent: User
):
    page = open_page(respondent)
    page.goto(section_url(assessment, "STR"))
    card = page.get_by_test_id("question-STR-01")
    saved_by_server(page, "STR-01", lambda: card.locator("label:has(input[value='0'])").click())
    assert focused(page) == ["q-STR-01-value", "0"]

    for value in ("1", "2", "3"):
        saved_by_server(page, "STR-01", lambda: page.keyboard.press("ArrowDown"))
        expect(card.locator(f"input[type=radio][value='{value}']")).to_be_checked()
        assert focused(page) == ["q-STR-01-value", value]
    saved_by_server(page, "STR-01", lambda: page.keyboard.press("ArrowUp"))

    assert focused(page) == ["q-STR-01-value", "2"]
    assert Answer.objects.get(assessment=assessment, question__code="STR-01").value == 2


SETTLE_MS = 1500


def test_it_saves_a_key_pressed_while_the_answered_card_is_still_settling(
    open_page: OpenPage, assessment: Assessment, respondent: User
):
    """htmx hooks a swapped-in card up only after its settle delay; a change in between
    must not be lost. The delay is stretched so the test does not depend on timing, and
    the page's clock is moved past it so the test does not wait it out."""
    page = open_page(respondent)
    page.clock.install()  # time flows as usual, until moved on below
    page.goto(section_url(assessment, "STR"))
    page.evaluate(f"htmx.config.defaultSettleDelay = {SETTLE_MS}")
    card = page.get_by_test_id("question-STR-01")
    saved_by_server(page, "STR-01", lambda: card.locator("label:has(input[value='1'])").click())
    assert focused(page) == ["q-STR-01-value", "1"]

    with page.expect_response(is_autosave_of("STR-01")) as saving:
        page.keyboard.press("ArrowDown")  # within the settle delay of the swapped card
        page.clock.fast_forward(SETTLE_MS)  # the delay ends: the card is hooked up now
    assert saving.value.ok
    expect(card.locator("input[type=radio][value='2']")).to_be_checked()
    expect(page.locator("#q-STR-01 .answer-status")).not_to_have_class("is-error")
    page.clock.fast_forward(SETTLE_MS)  # the answer's own settle delay
    page.wait_for_function(
        "() => !document.querySelector('#q-STR-01').classList.contains('htmx-request')"
    )
    assert Answer.objects.get(assessment=assessment, question__code="STR-01").value == 2


def test_it_lets_not_applicable_and_an_answer_exclude_each_other(
    open_page: OpenPage, assessment: Assessment, respondent: User
):
    page = open_page(respondent)
    page.goto(section_url(assessment, "EQP"))
    card = page.get_by_test_id("question-EQP-07")
    not_applicable = card.locator("input[name='q-EQP-07-na']")
    answer = card.locator("input[name='q-EQP-07-value']")
    click_answer(page, "EQP-07", "2")

    saved_by_server(page, "EQP-07", lambda: card.get_by_text("不适用于本企业").click())
    expect(not_applicable).to_be_checked()
    for radio in answer.all():
        expect(radio).not_to_be_checked()
    stored = Answer.objects.get(assessment=assessment, question__code="EQP-07")
    assert (stored.value, stored.not_applicable) == (None, True)

    saved_by_server(page, "EQP-07", lambda: card.locator("label:has(input[value='3'])").click())
    expect(not_applicable).not_to_be_checked()
    expect(card.locator("input[type=radio][value='3']")).to_be_checked()
    stored.refresh_from_db()
    assert (stored.value, stored.not_applicable) == (3, False)


UNLABELLED = """() => Array.from(document.querySelectorAll("input, select, textarea"))
  .filter(control => control.type !== "hidden")
  .filter(control => !Array.from(control.labels || []).some(label => label.textContent.trim())
    && !control.getAttribute("aria-label") && !control.getAttribute("aria-labelledby"))
  .map(control => control.name || control.id || control.outerHTML.slice(0, 80))"""


def test_every_control_of_the_answering_pages_has_a_label(
    open_page: OpenPage, assessment: Assessment, respondent: User
):
    page = open_page(respondent)
    unlabelled = {}
    for dimension in assessment.questionnaire.definition.dimensions:
        page.goto(section_url(assessment, dimension.code))
        unlabelled[dimension.code] = page.evaluate(UNLABELLED)
    page.goto(f"/assessments/{assessment.pk}/submit/")
    unlabelled["submit"] = page.evaluate(UNLABELLED)

    assert {page: names for page, names in unlabelled.items() if names} == {}


def test_a_skip_link_leads_the_keyboard_past_the_navigation(
    open_page: OpenPage, assessment: Assessment, respondent: User
):
    page = open_page(respondent)
    page.goto(section_url(assessment, "STR"))
    page.keyboard.press("Tab")
    skip = page.locator(".skip-link")
    expect(skip).to_be_focused()
    expect(skip).to_be_visible()
    expect(skip).to_have_text("跳到主要内容")

    page.keyboard.press("Enter")
    expect(page.locator("main#main")).to_be_focused()
    page.keyboard.press("Tab")
    assert page.evaluate("document.querySelector('main').contains(document.activeElement)")


# Contrast of the real computed styles, WCAG 2.2: text 4.5:1 (3:1 when large), the
# boundary of a control 3:1 against what surrounds it. Colours are composited over the
# backgrounds of the ancestors, and a text's colour also over their opacity.
CONTRAST = """() => {
  const parse = (css) => {
    const match = css.match(/rgba?\\(([^)]+)\\)/);
    if (!match) return null;
    const [r, g, b, a] = match[1].split(/[\\s,\\/]+/).filter(Boolean).map(Number);
    return { r, g, b, a: a === undefined ? 1 : a };
  };
  const over = (top, bottom) => ({
    r: top.r * top.a + bottom.r * (1 - top.a),
    g: top.g * top.a + bottom.g * (1 - top.a),
    b: top.b * top.a + bottom.b * (1 - top.a),
    a: 1,
  });
  const channel = (value) => {
    const c = value / 255;
    return c <= 0.04045 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
  };
  const luminance = (c) => 0.2126 * channel(c.r) + 0.7152 * channel(c.g) + 0.0722 * channel(c.b);
  const ratio = (x, y) => {
    const [light, dark] = [luminance(x), luminance(y)].sort((p, q) => q - p);
    return (light + 0.05) / (dark + 0.05);
  };
  const ancestry = (element) => {
    const chain = [];
    for (let e = element; e; e = e.parentElement) chain.unshift(e);
    return chain;
  };
  const background = (element) => ancestry(element).reduce((below, e) => {
    const colour = parse(getComputedStyle(e).backgroundColor);
    return colour && colour.a > 0 ? over(colour, below) : below;
  }, { r: 255, g: 255, b: 255, a: 1 });
  const opacity = (element) =>
    ancestry(element).reduce((product, e) => product * parseFloat(getComputedStyle(e).opacity), 1);
  const visible = (element) => element.getClientRects().length > 0
    && getComputedStyle(element).visibility === "visible";
  const describe = (element) =>
    (element.getAttribute("name") || element.className || element.tagName)
    + ": " + (element.textContent || "").trim().slice(0, 40);
  const failures = [];
  for (const element of document.body.querySelectorAll("*")) {
    if (!visible(element) || element.closest("[disabled], .visually-hidden")) continue;
    const ownText = Array.from(element.childNodes)
      .some((node) => node.nodeType === Node.TEXT_NODE && node.textContent.trim());
    if (ownText) {
      const style = getComputedStyle(element);
      const colour = parse(style.color);
      colour.a *= opacity(element);
      const size = parseFloat(style.fontSize);
      const large = size >= 24 || (size >= 18.66 && parseInt(style.fontWeight, 10) >= 700);
      const bg = background(element);
      const found = ratio(over(colour, bg), bg);
      if (found < (large ? 3 : 4.5)) failures.push(`text ${found.toFixed(2)} ${describe(element)}`);
    }
    if (element.matches("input:not([type=hidden]), select, textarea")) {
      const border = parse(getComputedStyle(element).borderTopColor);
      const around = background(element.parentElement);
      const found = ratio(over(border, around), around);
      if (found < 3) failures.push(`control ${found.toFixed(2)} ${describe(element)}`);
    }
  }
  return failures;
}"""


def test_text_and_controls_of_the_answering_page_have_enough_contrast(
    open_page: OpenPage, assessment: Assessment, respondent: User
):
    page = open_page(respondent)
    page.goto(section_url(assessment, "STR"))
    click_answer(page, "STR-01", "2")
    page.locator("#q-STR-01 summary").click()
    with page.expect_response(lambda response: response.url.endswith("/goal/")):
        page.select_option("select[name=goal-STR-target_level]", "4")
    expect(page.locator("#goal-STR .text-success")).to_be_visible()
    failures = {"saved": page.evaluate(CONTRAST)}

    # Saves waiting for a retry: the banner and every "Saving…" are shown.
    page.route("**/answers/*/", lambda route: route.fulfill(status=503, body=""))
    page.route("**/goal/", lambda route: route.fulfill(status=503, body=""))
    page.get_by_test_id("question-STR-02").locator("label:has(input[value='1'])").click()
    page.select_option("select[name=goal-STR-relevance]", "5")
    expect(page.get_by_test_id("connection-problem")).to_be_visible()
    expect(page.locator("#goal-STR .saving")).to_be_visible()
    failures["waiting"] = page.evaluate(CONTRAST)

    page.goto(section_url(assessment, "EQP"))
    failures["fresh"] = page.evaluate(CONTRAST)

    assert {state: found for state, found in failures.items() if found} == {}
