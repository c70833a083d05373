"""The header language buttons switch the questionnaire itself, not only the interface."""

import pytest
from playwright.sync_api import expect

from diagnosis.models import Assessment, User
from tests.browser.conftest import OpenPage

pytestmark = pytest.mark.browser


def test_it_shows_the_questions_in_english_after_switching(
    open_page: OpenPage, assessment: Assessment, respondent: User
):
    definition = assessment.questionnaire.definition
    question = definition.questions["STR-01"].text
    page = open_page(respondent)
    page.goto(f"/assessments/{assessment.pk}/sections/STR/")
    legend = page.get_by_test_id("question-STR-01").locator("legend")
    expect(legend).to_contain_text(question.get("zh-hans"))

    page.get_by_test_id("lang-en").click()

    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(legend).to_contain_text(question.get("en"))
    expect(legend).not_to_contain_text(question.get("zh-hans"))
    expect(page).to_have_url(f"/assessments/{assessment.pk}/sections/STR/")
