"""The firm directory: search, filters, sorting, count-free pages, scope, bad input, and a
constant number of statements per page whatever the number of firms."""

import pytest
from django.urls import reverse

from diagnosis.models import Assessment, Assignment, PopulationFirm, Provider
from tests.directory_data import make_directory_firms
from tests.factories import make_firm, make_population_firm
from tests.versions_world import publish_v2

PAGE_BUDGET = 14


def names(response) -> list[str]:
    return [row.name for row in response.context["page"].rows]


def test_it_searches_by_name_and_credit_code(client, administrator):
    wanted = make_population_firm(name="上海精密机械有限公司")
    make_population_firm(name="另一家公司")
    client.force_login(administrator)
    assert names(client.get(reverse("directory"), {"q": "精密"})) == [wanted.name]
    by_code = client.get(reverse("directory"), {"q": wanted.credit_code.lower()})
    assert names(by_code) == [wanted.name]


def test_it_accepts_the_coverage_pages_query_string(client, administrator, questionnaire):
    provider = Provider.objects.create(name="甲")
    make_directory_firms(60, questionnaire=questionnaire, provider=provider)
    client.force_login(administrator)
    response = client.get(
        reverse("directory"),
        {"district": "minhang", "division": "34", "size": "small", "status": "submitted"},
    )
    assert response.status_code == 200
    rows = response.context["page"].rows
    assert rows
    assert {(r.district, r.industry, r.status) for r in rows} == {("minhang", 34, "submitted")}
    everyone = client.get(reverse("directory"), {"status": "population", "district": "闵行区"})
    assert {r.district for r in everyone.context["page"].rows} == {"minhang"}
    level = client.get(reverse("directory"), {"level": "v1-2"})
    assert {r.level for r in level.context["page"].rows} == {2}


def test_it_filters_and_names_levels_by_questionnaire_version(client, administrator, questionnaire):
    """Level 3 is 集成级 in v1 and D3 集成互通 in v2: the filter picks one of them and each
    row names its level as its own version does."""
    make_directory_firms(60, questionnaire=questionnaire)
    v2 = publish_v2()
    make_directory_firms(60, questionnaire=v2, start=1000)
    client.force_login(administrator)
    page = client.get(reverse("directory"), {"level": "v2-3"})
    assert page.status_code == 200
    rows = page.context["page"].rows
    assert rows and {(r.version, r.level) for r in rows} == {(2, 3)}
    assert {r.level_name for r in rows} == {"D3 集成互通"}
    both = client.get(reverse("directory"), {"level": ["v1-3", "v2-3"]}).context["page"].rows
    assert {r.version for r in both} == {1, 2} and {r.level for r in both} == {3}
    assert {r.level_name for r in both if r.version == 1} == {"集成级"}
    labels = dict(page.context["form"].fields["level"].choices)
    assert labels["v2-3"] == "v2 · D3 集成互通" and labels["v1-3"] == "v1 · 集成级"
    assert next(iter(labels)) == "v2-1"  # the newest version first
    assert client.get(reverse("directory"), {"level": "3"}).status_code == 400
    assert client.get(reverse("directory"), {"level": "v9-3"}).status_code == 400


def test_it_filters_by_provider_consultant_and_flags(
    client, administrator, firm, consultant, provider
):
    entry = make_population_firm(credit_code=firm.credit_code, firm=firm, above_scale=True)
    unassigned = make_population_firm(firm=make_firm(), above_scale=True)
    client.force_login(administrator)
    assert names(client.get(reverse("directory"), {"provider": provider.pk})) == [entry.name]
    assert names(client.get(reverse("directory"), {"provider": "none"})) == [unassigned.name]
    assert names(client.get(reverse("directory"), {"consultant": consultant.pk})) == [entry.name]
    flagged = client.get(reverse("directory"), {"flags": "above_scale"})
    assert sorted(names(flagged)) == sorted([entry.name, unassigned.name])


def test_it_sorts_and_pages_without_a_cap(client, administrator, questionnaire):
    make_directory_firms(120, questionnaire=questionnaire)
    client.force_login(administrator)
    first = names(client.get(reverse("directory"), {"sort": "-name"}))
    assert first == sorted(first, reverse=True) and len(first) == 50
    third = client.get(reverse("directory"), {"sort": "-name", "page": 3})
    assert len(third.context["page"].rows) == 20 and not third.context["page"].has_next
    overall = client.get(reverse("directory"), {"sort": "-overall", "status": "signed_off"})
    scores = [row.overall for row in overall.context["page"].rows]
    assert scores == sorted(scores, reverse=True)


@pytest.mark.parametrize(
    "query",
    [
        {"page": "0"},
        {"page": "abc"},
        {"page": "10000000"},
        {"division": "99"},
        {"sort": "x"},
        {"provider": "abc"},
        {"level": "9"},
        {"status": "nonsense"},
        {"district": "火星"},
    ],
)
def test_it_answers_bad_input_with_400(client, administrator, query):
    client.force_login(administrator)
    assert client.get(reverse("directory"), query).status_code == 400
    export = client.get(reverse("directory_export", args=["csv"]), query)
    assert export.status_code == 400


def test_it_shows_an_empty_page_past_the_end(client, administrator):
    make_population_firm()
    client.force_login(administrator)
    response = client.get(reverse("directory"), {"page": 99999})
    assert response.status_code == 200
    assert response.context["page"].rows == []
    assert b'data-testid="directory-empty"' in response.content


def test_it_shows_a_district_officer_only_their_districts(client, district_officer):
    mine = make_population_firm(district="minhang")
    make_population_firm(district="jiading")
    client.force_login(district_officer)
    assert names(client.get(reverse("directory"))) == [mine.name]
    # Another district is hidden (404), as on the coverage and results pages, also in the
    # exports; a district that does not exist is bad input (400).
    assert client.get(reverse("directory"), {"district": "jiading"}).status_code == 404
    for file_format in ("csv", "xlsx"):
        export = reverse("directory_export", args=[file_format])
        assert client.get(export, {"district": ["minhang", "jiading"]}).status_code == 404
    assert client.get(reverse("directory"), {"district": "paris"}).status_code == 400
    assert client.get(reverse("directory"), {"district": "minhang"}).status_code == 200


def test_it_links_a_firm_to_its_reports_history_and_assignment(
    client, administrator, submitted, consultant
):
    entry = make_population_firm(credit_code=submitted.firm.credit_code, firm=submitted.firm)
    client.force_login(administrator)
    listing = client.get(reverse("directory"))
    assert reverse("directory_firm", args=[entry.pk]).encode() in listing.content
    page = client.get(reverse("directory_firm", args=[entry.pk]))
    assert reverse("report", args=[submitted.pk]).encode() in page.content
    assert reverse("history", args=[submitted.pk]).encode() in page.content
    assert consultant.name.encode() in page.content
    assert reverse("directory_firm_provider", args=[entry.pk]).encode() in page.content


@pytest.mark.parametrize("size", [30, 150])
def test_it_reads_a_page_in_a_fixed_number_of_statements(
    client, administrator, questionnaire, django_assert_max_num_queries, size
):
    provider = Provider.objects.create(name="乙")
    make_directory_firms(size, questionnaire=questionnaire, provider=provider)
    client.force_login(administrator)
    with django_assert_max_num_queries(PAGE_BUDGET):
        response = client.get(reverse("directory"), {"sort": "-overall", "page": 1})
    assert len(response.context["page"].rows) == min(size, 50)
    assert Assessment.objects.count() > 0 and Assignment.objects.count() > 0
    assert PopulationFirm.objects.count() == size


def test_it_shows_an_officer_a_firm_without_links_they_may_not_follow(
    client, district_officer, submitted
):
    entry = make_population_firm(credit_code=submitted.firm.credit_code, firm=submitted.firm)
    client.force_login(district_officer)
    page = client.get(reverse("directory_firm", args=[entry.pk]))
    assert page.status_code == 200
    assert reverse("report", args=[submitted.pk]).encode() not in page.content
    assert client.get(reverse("report", args=[submitted.pk])).status_code == 404
