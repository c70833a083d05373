"""The report page and its PDF download."""

import re

import pytest
from playwright.sync_api import expect

from diagnosis.models import Assessment, User
from tests.browser.conftest import OpenPage, download_pdf_text, squeeze

pytestmark = pytest.mark.browser


def test_it_downloads_a_pdf_naming_the_firm_and_its_level(
    open_page: OpenPage, submitted: Assessment, respondent: User
):
    page = open_page(respondent)
    page.goto(f"/assessments/{submitted.pk}/report/")
    level = page.get_by_test_id("level")
    expect(level).to_have_text(re.compile(r"^\s*\d · \S+"))
    level_name = level.inner_text().split("·", 1)[1].strip()

    text = download_pdf_text(page)

    assert squeeze(submitted.firm.name) in text
    assert squeeze(level_name) in text
