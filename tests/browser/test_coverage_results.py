"""The programme office follows coverage from the navigation and drills down from a number
to the firms behind it; a district officer reads the results of their districts. Neither
page breaks the Content-Security-Policy, and the charts have an accessible name."""

import pytest
from playwright.sync_api import expect

from diagnosis.services.result_figures import refresh_result_figures
from tests.browser.conftest import OpenPage, console_errors
from tests.factories import make_district_officer, make_firm, make_population_firm
from tests.results_data import scored

pytestmark = pytest.mark.browser


def test_it_drills_down_from_the_funnel_to_the_firms(open_page: OpenPage, administrator):
    for index in range(3):
        make_population_firm(name=f"闵行未注册 {index}", district="minhang")
    registered = [
        make_population_firm(name=f"闵行已注册 {index}", district="minhang", firm=make_firm())
        for index in range(2)
    ]
    make_population_firm(name="嘉定已注册", district="jiading", firm=make_firm(district="jiading"))
    page = open_page(administrator)
    errors = console_errors(page)
    page.goto("/")
    page.get_by_test_id("nav-coverage").click()
    expect(page.get_by_role("img", name="漏斗：到达各环节的企业占企业名单的比例")).to_be_visible()
    minhang = page.get_by_test_id("coverage-district").get_by_role("row", name="闵行区")
    minhang.get_by_test_id("count-registered").click()
    rows = page.get_by_test_id("directory-row")
    expect(rows).to_have_count(2)
    for entry in registered:
        expect(page.get_by_role("link", name=entry.name)).to_be_visible()
    assert errors == []


def test_it_shows_an_officer_the_results_of_their_districts(
    open_page: OpenPage, questionnaire, settings
):
    settings.PEER_MIN_COUNT = 2
    for score in (30, 50, 70):
        scored(make_firm(district="minhang"), questionnaire, {"STR": score, "TAL": score})
    scored(make_firm(district="pudong"), questionnaire, {"STR": 99})
    assert refresh_result_figures()
    officer = make_district_officer("minhang")
    page = open_page(officer)
    errors = console_errors(page)
    page.goto("/")
    page.get_by_test_id("nav-results").click()
    expect(page.get_by_role("img", name="维度得分：中位数与四分位数")).to_be_visible()
    strategy = page.get_by_test_id("dimension-row").first
    expect(strategy).to_contain_text("50.0")  # the median of minhang's three firms
    expect(page.get_by_test_id("dimensions")).not_to_contain_text("99")
    assert errors == []
