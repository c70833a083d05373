"""Logging in through the form, as a person does (every other test sets the cookie)."""

import pytest
from playwright.sync_api import expect

from diagnosis.models import User
from tests.browser.conftest import OpenPage
from tests.factories import PASSWORD

pytestmark = pytest.mark.browser


def test_it_logs_a_respondent_in_through_the_login_form(open_page: OpenPage, respondent: User):
    page = open_page()
    page.goto("/accounts/login/")
    page.fill("input[name=username]", respondent.email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").click()

    expect(page.get_by_test_id("nav-firm")).to_be_visible()
    expect(page.locator("nav")).to_contain_text(str(respondent))
