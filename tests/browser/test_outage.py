"""Autosave that rides out a lost connection or a database outage: nothing typed is lost."""

import re

import pytest
from playwright.sync_api import Page, Request, Route, expect

from diagnosis.answers import clean_answer
from diagnosis.models import Answer, Assessment, AuditEntry, DimensionGoal, User
from diagnosis.services.assessments import AnswerEntry, answers_save
from tests.browser.conftest import OpenPage, is_autosave_of

pytestmark = pytest.mark.browser

OVERWRITTEN = "diagnosis.answer.overwritten"


def section_url(assessment: Assessment, dimension: str) -> str:
    return f"/assessments/{assessment.pk}/sections/{dimension}/"


def choose(page: Page, code: str, value: str) -> None:
    """Click an option of a question, without waiting for the save."""
    page.get_by_test_id(f"question-{code}").locator(f"label:has(input[value='{value}'])").click()


def type_into(page: Page, code: str, text: str) -> None:
    """Type into a question's field and leave it (which is when the page saves it)."""
    field = page.locator(f"[name='q-{code}-value']")
    field.fill(text)
    field.press("Tab")


def stored(assessment: Assessment) -> dict[str, object]:
    return {
        answer.question.code: answer.value
        for answer in Answer.objects.filter(assessment=assessment).select_related("question")
    }


def expect_saved(page: Page, *codes: str) -> None:
    for code in codes:
        card = page.get_by_test_id(f"question-{code}")
        expect(card.get_by_test_id("saved")).to_be_visible()
        expect(card).not_to_have_class(re.compile(r"\bis-pending\b"))


# app.js retries after 1 s, doubling, no sooner than Retry-After (1 s here), plus up to 20 %
# of jitter. The tests that wait for retries install the page's clock (time flows as usual)
# and move it past these delays instead of waiting them out. A retry the move makes due
# goes out at once: it must come within PROMPTLY_MS, sooner than the page's colleague poll
# (every 15 s), whose success would send every waiting save too.
FIRST_RETRY_MS = 1_200
SECOND_RETRY_MS = 2_400
PROMPTLY_MS = 5_000


def open_section(page: Page, assessment: Assessment, dimension: str) -> None:
    page.clock.install()
    page.goto(section_url(assessment, dimension))


def no_save_on_its_way(page: Page) -> None:
    """Wait until no card has a save on its way: every failed one has its retry scheduled."""
    page.wait_for_function("() => !document.querySelector('.htmx-request')")


def is_save(request: Request) -> bool:
    return "/answers/" in request.url or request.url.endswith("/goal/")


def a_later_try_of(page: Page, code: str) -> None:
    """Wait for the page to send the save of `code` again, by itself: its first retry, once
    the page's clock is past the first delay."""
    no_save_on_its_way(page)
    expect(page.get_by_test_id(f"question-{code}")).to_have_class(re.compile(r"\bis-pending\b"))
    with page.expect_request(
        lambda request: request.url.endswith(f"/answers/{code}/"), timeout=PROMPTLY_MS
    ):
        page.clock.fast_forward(FIRST_RETRY_MS)


def the_next_tries(page: Page) -> None:
    """Wait for the page's next retries, by themselves, once its clock is past the second
    delay. A retry that was on its way when the failure ended may have got through already,
    and then sent every waiting save at once: then no save is left waiting."""
    no_save_on_its_way(page)
    if page.locator(".is-pending").count():
        with page.expect_request(is_save, timeout=PROMPTLY_MS):
            page.clock.fast_forward(SECOND_RETRY_MS)


def refuse_with_503(route: Route) -> None:
    route.fulfill(status=503, headers={"Retry-After": "1"}, body="")


@pytest.mark.parametrize(
    "failure",
    [
        pytest.param(refuse_with_503, id="503"),
        pytest.param(lambda route: route.abort("connectionfailed"), id="network"),
    ],
)
def test_it_keeps_every_answer_given_while_saves_fail_and_saves_them_all_afterwards(
    open_page: OpenPage, assessment: Assessment, respondent: User, failure
):
    page = open_page(respondent)
    open_section(page, assessment, "STR")
    page.route("**/answers/*/", failure)
    page.route("**/goal/", failure)
    questions = assessment.questionnaire.definition.questions
    checklist = [item.code for item in questions["STR-06"].items]

    choose(page, "STR-01", "3")
    choose(page, "STR-02", "1")
    choose(page, "STR-02", "4")  # two quick changes: the later one wins
    choose(page, "STR-03", "yes")
    type_into(page, "STR-04", "42")
    page.get_by_test_id("question-STR-06").locator(f"input[value='{checklist[0]}']").check()
    page.get_by_test_id("question-STR-06").locator(f"input[value='{checklist[2]}']").check()
    type_into(page, "STR-07", "第一稿")
    page.select_option("select[name=goal-STR-target_level]", "4")
    a_later_try_of(page, "STR-01")
    type_into(page, "STR-07", "第二稿：改过的")  # typing on while the saves still fail

    banner = page.get_by_test_id("connection-problem")
    expect(banner).to_be_visible()
    for code in ("STR-01", "STR-02", "STR-07"):
        card = page.get_by_test_id(f"question-{code}")
        expect(card.locator(".saving")).to_be_visible()
        expect(card.get_by_test_id("saved")).to_have_count(0)
    assert stored(assessment) == {}

    page.unroute("**/answers/*/")
    page.unroute("**/goal/")
    the_next_tries(page)
    expect_saved(page, "STR-01", "STR-02", "STR-03", "STR-04", "STR-06", "STR-07")
    expect(page.locator("#goal-STR .text-success")).to_be_visible()
    restored = banner.get_attribute("data-restored-text")
    assert restored is not None
    expect(banner).to_have_text(restored)

    assert stored(assessment) == {
        "STR-01": 3,
        "STR-02": 4,
        "STR-03": "yes",
        "STR-04": clean_answer(questions["STR-04"], "42"),
        "STR-06": [checklist[0], checklist[2]],
        "STR-07": "第二稿：改过的",
    }
    assert DimensionGoal.objects.get(assessment=assessment).target_level == 4
    assert not AuditEntry.objects.filter(action=OVERWRITTEN).exists()


def test_it_saves_the_later_of_two_quick_changes_to_one_question(
    open_page: OpenPage, assessment: Assessment, respondent: User
):
    page = open_page(respondent)
    page.goto(section_url(assessment, "STR"))
    held: list[Route] = []
    # The first save is held on its way, so the second change comes while it travels.
    page.route(
        "**/answers/STR-01/",
        lambda route: route.continue_() if held else held.append(route),
    )
    card = page.get_by_test_id("question-STR-01")
    with page.expect_request(lambda request: request.url.endswith("/answers/STR-01/")):
        choose(page, "STR-01", "1")
    choose(page, "STR-01", "4")
    held[0].continue_()

    expect(card.get_by_test_id("saved")).to_be_visible()
    expect(card.locator("input[value='4']")).to_be_checked()
    expect(card.get_by_test_id("overwrite")).to_have_count(0)
    answer = Answer.objects.get(assessment=assessment, question__code="STR-01")
    assert (answer.value, answer.revision) == (4, 2)
    assert not AuditEntry.objects.filter(action=OVERWRITTEN).exists()


def test_a_retried_save_carries_the_revision_its_author_saw(
    open_page: OpenPage, assessment: Assessment, respondent: User, colleague: User
):
    """The colleague's change came after the page was shown: the retry must say so."""
    question = assessment.questionnaire.definition.questions["STR-01"]
    answers_save(
        assessment=assessment,
        user=respondent,
        entries=[AnswerEntry(code="STR-01", value=clean_answer(question, "2"))],
    )
    page = open_page(respondent)
    open_section(page, assessment, "STR")
    answers_save(
        assessment=assessment,
        user=colleague,
        entries=[AnswerEntry(code="STR-01", value=clean_answer(question, "3"), seen_revision=1)],
    )
    page.route("**/answers/STR-01/", refuse_with_503)
    choose(page, "STR-01", "4")
    a_later_try_of(page, "STR-01")
    page.unroute("**/answers/STR-01/")
    the_next_tries(page)

    card = page.get_by_test_id("question-STR-01")
    expect(card.get_by_test_id("overwrite")).to_contain_text(str(colleague))
    answer = Answer.objects.get(assessment=assessment, question__code="STR-01")
    assert (answer.value, answer.answered_by) == (4, respondent)
    overwrite = AuditEntry.objects.get(action=OVERWRITTEN)
    assert (overwrite.data["before"], overwrite.data["after"]) == (3, 4)


def test_it_rides_out_a_real_database_outage(
    open_page: OpenPage, assessment: Assessment, respondent: User, settings, database_outage
):
    settings.OUTAGE_RETRY_AFTER_SECONDS = 1
    page = open_page(respondent)
    open_section(page, assessment, "EQP")
    statuses: list[int] = []
    page.on(
        "response",
        lambda response: (
            statuses.append(response.status)
            if is_autosave_of("EQP-01")(response) or is_autosave_of("EQP-06")(response)
            else None
        ),
    )

    with database_outage():
        with page.expect_response(is_autosave_of("EQP-01")) as refused:
            choose(page, "EQP-01", "3")
        choose(page, "EQP-06", "1")
        choose(page, "EQP-06", "2")
        type_into(page, "EQP-02", "55")
        a_later_try_of(page, "EQP-01")
        reload = page.request.get(section_url(assessment, "EQP"))
        banner = page.get_by_test_id("connection-problem")
        expect(banner).to_contain_text("数据库暂时无法连接")
        expect(page.get_by_test_id("question-EQP-01").locator(".saving")).to_be_visible()

    assert refused.value.status == 503
    assert refused.value.headers["retry-after"] == "1"
    assert (reload.status, reload.headers["retry-after"]) == (503, "1")
    assert "本页暂时无法显示" in reload.text()
    the_next_tries(page)
    expect_saved(page, "EQP-01", "EQP-02", "EQP-06")
    restored = banner.get_attribute("data-restored-text")
    assert restored is not None
    expect(banner).to_have_text(restored)
    questions = assessment.questionnaire.definition.questions
    assert stored(assessment) == {
        "EQP-01": 3,
        "EQP-02": clean_answer(questions["EQP-02"], "55"),
        "EQP-06": 2,
    }
    assert 500 not in statuses and statuses.count(503) >= 2, statuses


def test_it_asks_before_the_page_is_closed_while_saves_wait(
    open_page: OpenPage, assessment: Assessment, respondent: User
):
    page = open_page(respondent)
    page.goto(section_url(assessment, "STR"))
    page.route("**/answers/*/", refuse_with_503)
    with page.expect_response(is_autosave_of("STR-01")):
        choose(page, "STR-01", "3")
    expect(page.get_by_test_id("connection-problem")).to_be_visible()

    with page.expect_event("dialog") as asking:
        page.close(run_before_unload=True)
    assert asking.value.type == "beforeunload"
    asking.value.accept()
