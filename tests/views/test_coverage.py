"""The coverage page: the funnel and the stage counts by district, division and size class,
quotas, links to the firm directory, scope, bad input and a fixed number of statements."""

import re
from html import unescape

import pytest
from django.urls import reverse

from diagnosis.models import DistrictQuota, PopulationFirm
from diagnosis.queries.coverage import STAGES, coverage
from diagnosis.queries.population import population_with_status, status_counts
from tests.directory_data import make_directory_firms
from tests.factories import make_district_officer, make_firm, make_population_firm

COVERAGE_BUDGET = 6


def table(response, parameter: str) -> dict[str, list[tuple[int, str]]]:
    """A coverage table's rows: label → [(count, link)] for the population and each stage."""
    html = response.content.decode()
    body = html.split(f'data-testid="coverage-{parameter}"', 1)[1].split("</table>", 1)[0]
    rows = {}
    for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S):
        label = re.search(r"<th[^>]*>(.*?)</th>", row, re.S)
        cells = re.findall(r'<a[^>]*href="([^"]+)"[^>]*>(\d+)</a>', row)
        if label and cells:
            rows[unescape(label.group(1)).strip()] = [(int(n), unescape(h)) for h, n in cells]
    return rows


def directory_count(client, href: str) -> int:
    response = client.get(href)
    assert response.status_code == 200, href
    assert not response.context["page"].has_next  # the tests' selections fit on one page
    return len(response.context["page"].rows)


def test_it_counts_every_firm_once_at_its_stage_as_the_population_page_does(questionnaire):
    make_directory_firms(80, questionnaire=questionnaire)
    result = coverage(PopulationFirm.objects.all())
    assert result.total.stages == status_counts(population_with_status())
    assert result.total.population == 80
    for rows in (result.districts, result.divisions, result.sizes):
        assert {
            stage: sum(row.stages[stage] for row in rows) for stage in STAGES
        } == result.total.stages
    by_district = {row.key: row.population for row in result.districts}
    assert by_district == {"minhang": 20, "jiading": 20, "pudong": 20, "songjiang": 20}


def test_it_links_every_number_to_the_firms_behind_it(client, administrator, questionnaire):
    make_directory_firms(40, questionnaire=questionnaire)
    client.force_login(administrator)
    response = client.get(reverse("coverage"))
    assert response.status_code == 200
    districts = table(response, "district")
    assert {"闵行区", "嘉定区", "浦东新区", "松江区"} < set(districts)  # and the total
    for cells in districts.values():
        assert len(cells) == 1 + len(STAGES)
        for count, href in cells:
            assert directory_count(client, href) == count, href
    for cells in table(response, "division").values():
        count, href = cells[0]
        assert directory_count(client, href) == count


def test_it_shows_the_funnel_of_firms_that_reached_each_step(client, administrator, submitted):
    make_population_firm()  # not registered
    make_population_firm(firm=make_firm())  # registered, not started
    make_population_firm(firm=submitted.firm, credit_code=submitted.firm.credit_code)
    client.force_login(administrator)
    response = client.get(reverse("coverage"))
    steps = [step.cell.count for step in response.context["steps"]]
    assert steps == [3, 2, 1, 1, 0]  # population, registered, started, submitted, signed off
    submitted_step = response.context["steps"][3].cell
    assert directory_count(client, submitted_step.href) == 1
    funnel = response.content.decode().split('data-testid="funnel-chart"', 1)[1]
    assert "<title id=" in funnel and "<desc id=" in funnel


def test_it_shows_progress_against_the_district_quotas(client, administrator, questionnaire):
    make_directory_firms(40, questionnaire=questionnaire)
    DistrictQuota.objects.create(district="minhang", target=4)
    DistrictQuota.objects.create(district="baoshan", target=10)  # no firm there yet
    client.force_login(administrator)
    response = client.get(reverse("coverage"))
    rows = {row["label"]: row for row in response.context["tables"][0]["rows"]}
    minhang = rows["闵行区"]
    assert minhang["quota"] == 4
    assert minhang["quota_share"] == pytest.approx(minhang["signed_off"] / 4)
    assert rows["宝山区"]["population"].count == 0 and rows["宝山区"]["quota"] == 10
    assert b"<progress" in response.content
    narrowed = client.get(reverse("coverage"), {"division": "34"})
    assert not narrowed.context["tables"][0]["quotas"]  # a quota counts every division


def test_it_narrows_to_a_segment_and_keeps_it_in_the_links(client, administrator, questionnaire):
    make_directory_firms(40, questionnaire=questionnaire)
    client.force_login(administrator)
    response = client.get(reverse("coverage"), {"district": "闵行区", "size": "small"})
    assert response.context["steps"][0].cell.count == 10
    assert [row["label"] for row in response.context["tables"][0]["rows"]] == ["闵行区"]
    count, href = table(response, "division")["34 通用设备制造业"][0]
    assert "district=minhang" in href and "size=small" in href and "division=34" in href
    assert directory_count(client, href) == count


def test_it_shows_a_district_officer_only_their_districts(client, questionnaire):
    make_directory_firms(40, questionnaire=questionnaire)
    officer = make_district_officer("minhang", "jiading")
    client.force_login(officer)
    response = client.get(reverse("coverage"))
    assert response.status_code == 200
    assert response.context["steps"][0].cell.count == 20
    labels = [row["label"] for row in response.context["tables"][0]["rows"]]
    assert labels == ["闵行区", "嘉定区"]
    assert client.get(reverse("coverage"), {"district": "pudong"}).status_code == 404
    assert client.get(reverse("coverage"), {"district": "minhang"}).status_code == 200


@pytest.mark.parametrize("query", [{"division": "99"}, {"size": "huge"}, {"district": "paris"}])
def test_it_answers_bad_input_with_400(client, administrator, query):
    client.force_login(administrator)
    assert client.get(reverse("coverage"), query).status_code == 400


@pytest.mark.parametrize("size", [30, 150])
def test_it_counts_in_a_fixed_number_of_statements(
    client, administrator, questionnaire, django_assert_max_num_queries, size
):
    make_directory_firms(size, questionnaire=questionnaire)
    DistrictQuota.objects.create(district="minhang", target=4)
    client.force_login(administrator)
    with django_assert_max_num_queries(COVERAGE_BUDGET):
        response = client.get(reverse("coverage"))
    assert response.context["steps"][0].cell.count == size
