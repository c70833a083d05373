"""The report page and its PDF download: charts drawn whole at a readable size, a PDF named
after the firm in one font family."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from diagnosis.models import Assessment, User
from tests.browser.conftest import OpenPage, download_pdf_text, squeeze
from tests.reports.pdf_layout import font_families

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


CHART_TEXT = """() => {
  const small = parseFloat(getComputedStyle(document.querySelector(".small")).fontSize);
  return [...document.querySelectorAll("svg.chart")].flatMap(svg => {
    const frame = svg.getBoundingClientRect();
    const scale = svg.getScreenCTM().a;
    return [...svg.querySelectorAll("text")].map(text => {
      const box = text.getBoundingClientRect();
      return {
        text: text.textContent,
        size: parseFloat(getComputedStyle(text).fontSize) * scale,
        small: small,
        inside: box.left >= frame.left - 0.5 && box.right <= frame.right + 0.5
          && box.top >= frame.top - 0.5 && box.bottom <= frame.bottom + 0.5,
      };
    });
  });
}"""


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_it_draws_chart_labels_whole_and_no_smaller_than_small_text(
    open_page: OpenPage, submitted: Assessment, respondent: User, language: str
):
    page = open_page(respondent)
    page.goto(f"/assessments/{submitted.pk}/report/")
    page.get_by_test_id(f"lang-{language}").click()
    expect(page.locator("html")).to_have_attribute("lang", language)
    texts = page.evaluate(CHART_TEXT)
    names = [d.name.get(language) for d in submitted.questionnaire.definition.dimensions]
    drawn = " ".join(t["text"] for t in texts)
    for name in names:  # every word of every name is drawn (wrapped, not cut)
        assert all(word in drawn for word in name.split()), name
    assert [t["text"] for t in texts if not t["inside"]] == []
    assert [t for t in texts if t["size"] < t["small"] - 0.01] == []


def test_it_names_the_pdf_after_the_firm_and_embeds_one_font(
    open_page: OpenPage, submitted: Assessment, respondent: User
):
    page = open_page(respondent)
    page.goto(f"/assessments/{submitted.pk}/report/")
    with page.expect_download() as downloading:
        page.get_by_test_id("pdf").click()
    name = downloading.value.suggested_filename
    assert name.startswith(submitted.firm.name) and name.endswith("-zh-hans.pdf"), name
    content = Path(downloading.value.path()).read_bytes()
    assert len(font_families(content)) == 1, font_families(content)
