"""Answering by role in the browser (issue 12): the respondent picks their role, answers,
and the autosave keeps the page's role in the sidebar it sends back."""

import re

import pytest
from playwright.sync_api import expect

from diagnosis.models import Answer, Assessment, Firm, User
from diagnosis.services.assessments import assessment_start
from tests.browser.conftest import OpenPage, click_answer, console_errors
from tests.versions_world import publish_v2

pytestmark = pytest.mark.browser


@pytest.fixture
def on_v2(firm: Firm, respondent: User) -> Assessment:
    publish_v2()
    return assessment_start(firm=firm, user=respondent)


def test_it_lets_a_colleague_answer_only_their_roles_questions(
    open_page: OpenPage, on_v2: Assessment, respondent: User
):
    page = open_page(respondent)
    errors = console_errors(page)
    page.goto(f"/assessments/{on_v2.pk}/sections/OPS/")
    expect(page.get_by_test_id("question-OPS-13")).to_be_visible()

    page.get_by_label("题目范围").select_option("it")
    page.get_by_role("button", name="显示", exact=True).click()
    expect(page).to_have_url(re.compile(r"/sections/OPS/\?role=it$"))
    expect(page.get_by_test_id("role-note")).to_contain_text("信息化负责人")
    expect(page.get_by_test_id("question-OPS-13")).to_have_count(0)

    click_answer(page, "OPS-02", "yes")  # reveals OPS-03, also IT's
    expect(page.get_by_test_id("question-OPS-03")).to_be_visible()
    ops = page.get_by_test_id("nav-OPS")
    expect(ops).to_contain_text("1/2")
    expect(ops).to_have_attribute("href", re.compile(r"\?role=it$"))

    page.get_by_test_id("nav-NET").click()
    expect(page).to_have_url(re.compile(r"/sections/NET/\?role=it$"))
    page.get_by_test_id("role-show-all").click()
    expect(page).to_have_url(re.compile(r"/sections/NET/$"))
    expect(page.get_by_test_id("role-note")).to_have_count(0)
    assert Answer.objects.get(assessment=on_v2, question__code="OPS-02").value == "yes"
    assert errors == []
