"""The programme office imports a population, invites a district, then works in the firm
directory: filters, drills down to a firm, assigns a provider in bulk and exports."""

import csv
import io

import pytest
from django.core import mail
from playwright.sync_api import expect

from diagnosis.models import Assignment, PopulationFirm, Provider, ProviderMembership
from diagnosis.services.firms import firm_register
from tests.browser.conftest import OpenPage
from tests.factories import make_user
from tests.population_files import csv_bytes, firm_row

pytestmark = pytest.mark.browser


def test_it_filters_drills_down_assigns_in_bulk_and_exports(
    open_page: OpenPage, administrator, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    rows = [
        firm_row(1, district="闵行区"),
        firm_row(2, district="闵行区"),
        firm_row(3, district="嘉定区"),
    ]
    path = tmp_path / "名单.csv"
    path.write_bytes(csv_bytes(rows, encoding="gbk"))
    provider = Provider.objects.create(name="浦江诊断服务有限公司")
    manager = make_user(email="manager@pujiang.example")
    ProviderMembership.objects.create(
        user=manager, provider=provider, role=ProviderMembership.Role.MANAGER
    )

    page = open_page(administrator)
    page.goto("/")
    page.get_by_test_id("nav-population").click()
    page.get_by_test_id("tab-import").click()
    page.set_input_files("input[name=file]", str(path))
    page.get_by_test_id("upload").click()
    page.get_by_test_id("confirm").click()
    expect(page.get_by_test_id("created")).to_have_text("3")

    page.get_by_test_id("tab-outreach").click()
    page.get_by_test_id("kind-invitation").check()
    page.select_option("#id_district", ["minhang"])
    page.get_by_test_id("preview").click()
    expect(page.get_by_test_id("eligible")).to_have_text("2")
    page.get_by_test_id("send").click()
    expect(page.get_by_test_id("campaign-sent").first).to_have_text("2")

    # The two invited firms of 闵行 register (as the welcome link would let them).
    for entry in PopulationFirm.objects.filter(district="minhang"):
        firm_register(
            user=make_user(),
            name=entry.name,
            credit_code=entry.credit_code,
            industry=entry.industry,
            employees=80,
            revenue=3000,
            district=entry.district,
        )
    mail.outbox.clear()

    page.goto("/programme/")
    page.get_by_test_id("directory-link").click()
    expect(page.get_by_test_id("directory-row")).to_have_count(3)
    page.select_option("#id_district", ["minhang"])
    page.select_option("#id_status", ["registered"])
    page.get_by_test_id("apply-filters").click()
    expect(page.get_by_test_id("directory-row")).to_have_count(2)

    first = PopulationFirm.objects.filter(district="minhang").order_by("name").first()
    assert first is not None
    page.get_by_role("link", name=first.name).click()
    expect(page.get_by_test_id("firm-name")).to_have_text(first.name)
    expect(page.get_by_test_id("status")).to_contain_text("已注册")
    page.go_back()

    page.select_option("#id_bulk-provider", [str(provider.pk)])
    page.get_by_test_id("bulk-assign-submit").click()
    expect(page.get_by_test_id("bulk-count")).to_contain_text("2")
    page.get_by_test_id("bulk-confirm").click()
    expect(page.get_by_test_id("directory-row").first).to_contain_text(provider.name)
    assert Assignment.objects.filter(provider=provider).count() == 2
    assert [m.to for m in mail.outbox] == [["manager@pujiang.example"]]

    with page.expect_download() as download:
        page.get_by_test_id("export-csv").click()
    content = download.value.path().read_text(encoding="utf-8-sig")
    exported = list(csv.reader(io.StringIO(content)))[1:]
    assert sorted(row[1] for row in exported) == sorted(
        PopulationFirm.objects.filter(district="minhang").values_list("name", flat=True)
    )
    assert {row[11] for row in exported} == {provider.name}
