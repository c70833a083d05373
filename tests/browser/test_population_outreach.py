"""The programme office imports the city's list of firms and invites a district's firms."""

import pytest
from django.core import mail
from playwright.sync_api import expect

from diagnosis.models import PopulationFirm
from tests.browser.conftest import OpenPage
from tests.population_files import csv_bytes, firm_row

pytestmark = pytest.mark.browser


def test_it_imports_a_population_and_invites_a_district_by_filter(
    open_page: OpenPage, administrator, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    rows = [
        firm_row(1, district="闵行区"),
        firm_row(2, district="闵行"),
        firm_row(3, district="嘉定区"),
        firm_row(4, district="火星"),
    ]
    path = tmp_path / "名单.csv"
    path.write_bytes(csv_bytes(rows, encoding="gbk"))

    page = open_page(administrator)
    page.goto("/")
    page.get_by_test_id("nav-population").click()
    page.get_by_test_id("tab-import").click()
    page.set_input_files("input[name=file]", str(path))
    page.get_by_test_id("upload").click()

    expect(page.get_by_test_id("rows-valid")).to_have_text("3")
    expect(page.get_by_test_id("rows-invalid")).to_have_text("1")
    expect(page.get_by_test_id("problems")).to_contain_text("火星")
    page.check("input[name=valid_only]")
    page.get_by_test_id("confirm").click()
    expect(page.get_by_test_id("created")).to_have_text("3")
    assert PopulationFirm.objects.count() == 3

    page.get_by_test_id("tab-outreach").click()
    page.get_by_test_id("kind-invitation").check()
    page.select_option("#id_district", ["minhang"])
    page.get_by_test_id("preview").click()
    expect(page.get_by_test_id("eligible")).to_have_text("2")
    page.get_by_test_id("send").click()

    expect(page.get_by_test_id("campaign-sent").first).to_have_text("2")
    assert sorted(m.to[0] for m in mail.outbox) == [
        "contact1@factory.example",
        "contact2@factory.example",
    ]
