"""Number questions of questionnaire v2 in the browser: a typed figure and a "not measured"
tick are saved as they are given and kept after a reload, and the rate computed from two
figures shows beside them."""

import pytest
from playwright.sync_api import Page, expect

from diagnosis.models import Answer, Assessment, Firm, User
from diagnosis.scoring.definition import NOT_MEASURED
from diagnosis.services.assessments import assessment_start
from tests.browser.conftest import OpenPage, is_autosave_of
from tests.versions_world import publish_v2

pytestmark = pytest.mark.browser


@pytest.fixture
def on_v2(firm: Firm, respondent: User, questionnaire) -> Assessment:
    """The firm's open assessment, started after v2 was published beside v1: on v2."""
    publish_v2()
    assessment = assessment_start(firm=firm, user=respondent)
    assert assessment.questionnaire.version == 2
    return assessment


def type_figure(page: Page, code: str, figure: str) -> None:
    """Type a figure and leave the field (its change event saves it); wait for the save."""
    field = page.get_by_test_id(f"question-{code}").locator(f"input[name='q-{code}-value']")
    with page.expect_response(is_autosave_of(code)) as saving:
        field.fill(figure)
        field.press("Tab")
    assert saving.value.ok, saving.value.status
    page.get_by_test_id(f"question-{code}").get_by_test_id("saved").wait_for()


def tick_not_measured(page: Page, code: str) -> None:
    box = page.get_by_test_id(f"question-{code}").locator(f"input[name='q-{code}-not_measured']")
    with page.expect_response(is_autosave_of(code)) as saving:
        box.check()
    assert saving.value.ok, saving.value.status
    page.get_by_test_id(f"question-{code}").get_by_test_id("saved").wait_for()


def test_it_keeps_a_typed_figure_and_not_measured_and_shows_the_computed_rate(
    open_page: OpenPage, on_v2: Assessment, respondent: User
):
    page = open_page(respondent)
    page.goto(f"/assessments/{on_v2.pk}/sections/EQP/")
    type_figure(page, "EQP-14", "200")  # production equipment in total
    type_figure(page, "EQP-16", "50")  # of which networked
    tick_not_measured(page, "EQP-15")  # of which digital: not counted
    networked = page.get_by_test_id("computed-EQP-03")
    expect(networked).to_contain_text("25.0 %")

    page.reload()

    card = page.get_by_test_id("question-EQP-14")
    expect(card.locator("input[name='q-EQP-14-value']")).to_have_value("200")
    expect(page.locator("input[name='q-EQP-16-value']")).to_have_value("50")
    expect(page.locator("input[name='q-EQP-15-not_measured']")).to_be_checked()
    expect(page.locator("input[name='q-EQP-15-value']")).to_have_value("")
    expect(page.get_by_test_id("computed-EQP-03")).to_contain_text("25.0 %")
    expect(page.get_by_test_id("computed-EQP-17").locator("strong")).to_have_count(0)
    stored = {
        answer.question.code: answer.value
        for answer in Answer.objects.filter(assessment=on_v2).select_related("question")
    }
    assert stored == {"EQP-14": 200, "EQP-16": 50, "EQP-15": NOT_MEASURED}
