"""The results page: levels, dimension quartiles, weakest dimensions and progress for the
programme office and district officers (their districts, nothing under PEER_MIN_COUNT
firms, and a suppressed figure the same as an empty one), bad input, and a fixed number
of statements."""

import re

import pytest
from django.urls import reverse

from diagnosis.models import Assessment
from diagnosis.services.result_figures import refresh_result_figures
from tests.factories import make_district_officer, make_firm
from tests.results_data import scored, scored_firm
from tests.versions_world import publish_v2

# Session and user, the dimension names, the time of the last refresh; for the reference set
# and the segment each: scores, changes, levels, level changes; the weakest dimensions.
RESULTS_BUDGET = 13


@pytest.fixture
def city(questionnaire):
    """Six scored firms in minhang (two assessed twice), three in jiading."""
    for score in (10, 20, 30, 40, 50, 60):
        firm = scored_firm(questionnaire, {"STR": score, "TAL": 70}, district="minhang", level=2)
        if score <= 20:
            first = Assessment.objects.get(firm=firm)
            Assessment.objects.filter(pk=first.pk).update(
                created_at=first.created_at.replace(year=2020)
            )
            scored(firm, questionnaire, {"STR": score + 30, "TAL": 70}, level=3, previous=first)
    for score in (5, 15, 25):
        scored_firm(questionnaire, {"STR": score, "TAL": 80}, district="jiading", level=1)
    assert refresh_result_figures()
    return questionnaire


def cells(response, testid: str) -> list[list[str]]:
    html = response.content.decode()
    body = html.split(f'data-testid="{testid}"', 1)[1].split("</table>", 1)[0]
    body = body.split("<tbody>", 1)[1]
    return [
        [
            re.sub(r"<[^>]+>", "", cell).strip()
            for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
        ]
        for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S)
    ]


def test_it_shows_the_city_and_a_segment_to_the_programme_office(client, administrator, city):
    client.force_login(administrator)
    response = client.get(reverse("results"), {"district": "jiading"})
    assert response.status_code == 200
    levels = {row[0]: row[1:] for row in cells(response, "levels")}
    assert levels["1"] == ["3", "33 %", "3", "100 %"]
    assert levels["3"] == ["2", "22 %", "0", "0 %"]
    strategy = cells(response, "dimensions")[0]
    # city: 5 15 25 30 40 40 50 50 60 (two firms of minhang re-assessed: 40 and 50)
    assert strategy[1:5] == ["9", "25.0", "40.0", "50.0"]
    assert strategy[5:] == ["3", "10.0", "15.0", "20.0"]
    assert b'data-testid="level-chart"' in response.content
    assert b'data-testid="quartile-chart"' in response.content


def test_it_shows_progress_between_assessments(client, administrator, city):
    client.force_login(administrator)
    response = client.get(reverse("results"))
    assert cells(response, "moved-up")[0][1:] == ["2", "2", "100 %"]
    changes = {row[0].split()[0]: row[1:] for row in cells(response, "changes")}
    assert any(row == ["2", "+30.0"] for row in changes.values())


def test_it_shows_an_officer_their_districts_and_suppresses_small_figures(client, city, settings):
    settings.PEER_MIN_COUNT = 5
    officer = make_district_officer("minhang", "jiading")
    client.force_login(officer)
    response = client.get(reverse("results"), {"district": "jiading"})
    assert response.status_code == 200
    assert response.context["names"][0] == "您的辖区"
    levels = cells(response, "levels")
    assert levels[1][1:3] == ["3", "33 %"]  # nine firms in the officer's two districts
    assert levels[1][3:] == ["—", "—"]  # three in jiading: suppressed
    strategy = cells(response, "dimensions")[0]
    assert strategy[5:] == ["—"] * 4
    # Two firms assessed twice: fewer than five, so no progress figure at all.
    assert cells(response, "moved-up")[0][1:] == ["—", "—", "—"]
    assert [row[0] for row in cells(response, "weakest")] == ["—"]
    whole = client.get(reverse("results"), {"by": "district"})
    assert [row[0] for row in cells(whole, "weakest")] == ["闵行区"]  # jiading's three left out


def test_it_draws_a_suppressed_figure_exactly_as_a_missing_one(client, questionnaire, settings):
    """An officer's district with four scored firms and one with none look the same."""
    settings.PEER_MIN_COUNT = 5
    for score in (10, 20, 30, 40):
        scored_firm(questionnaire, {"STR": score}, district="jiading")
    assert refresh_result_figures()
    officer = make_district_officer("jiading", "baoshan")
    client.force_login(officer)
    few = client.get(reverse("results"), {"district": "jiading"})
    none = client.get(reverse("results"), {"district": "baoshan"})

    def body(response) -> str:
        html = response.content.decode().split("<main", 1)[1]
        return re.sub(r"<select.*?</select>", "", html, flags=re.S)

    assert body(few) == body(none)


def test_it_hides_another_district_from_an_officer(client, city):
    client.force_login(make_district_officer("jiading"))
    assert client.get(reverse("results"), {"district": "minhang"}).status_code == 404
    response = client.get(reverse("results"))
    assert response.context["results"].levels.reference is None  # three firms, under five


@pytest.mark.parametrize("query", [{"division": "12"}, {"by": "colour"}, {"size": "giant"}])
def test_it_answers_bad_input_with_400(client, administrator, query):
    client.force_login(administrator)
    assert client.get(reverse("results"), query).status_code == 400


def test_it_reads_the_dimension_names_in_the_readers_language(client, administrator, city):
    client.force_login(administrator)
    client.cookies["django_language"] = "en"
    response = client.get(reverse("results"), HTTP_ACCEPT_LANGUAGE="en")
    assert b"Strategy" in response.content or b"strategy" in response.content.lower()
    assert "<title id=" in response.content.decode()


@pytest.mark.parametrize("firms", [6, 30])
def test_it_reads_the_results_in_a_fixed_number_of_statements(
    client, administrator, questionnaire, django_assert_max_num_queries, firms
):
    for index in range(firms):
        firm = make_firm(district=("minhang", "jiading")[index % 2], industry=34 + index % 3)
        first = scored(firm, questionnaire, {"STR": index, "TAL": 50}, days_ago=300)
        scored(firm, questionnaire, {"STR": index + 5, "TAL": 40}, previous=first, level=3)
    assert refresh_result_figures()
    client.force_login(administrator)
    with django_assert_max_num_queries(RESULTS_BUDGET):
        response = client.get(reverse("results"), {"district": "minhang", "by": "division"})
    assert response.context["results"].change_reference.firms == firms


@pytest.mark.parametrize(
    ("language", "words"),
    [("en", "same questionnaire version"), ("zh-hans", "同一问卷版本")],
)
def test_it_says_levels_are_compared_within_a_version(client, administrator, city, language, words):
    client.cookies["django_language"] = language
    client.force_login(administrator)
    page = client.get(reverse("results")).content.decode()
    note = page.split('data-testid="versions-note">', 1)[1].split("</span>", 1)[0]
    assert words in note


@pytest.mark.parametrize(
    ("language", "caption"),
    [("en", "Questionnaire version 1"), ("zh-hans", "问卷第 1 版")],
)
def test_it_shows_the_levels_of_each_questionnaire_version_apart(
    client, administrator, city, language, caption
):
    v2 = publish_v2()
    for level in (4, 4):
        scored_firm(v2, {"STR": 80}, district="minhang", level=level)
    assert refresh_result_figures()
    client.cookies["django_language"] = language
    client.force_login(administrator)
    response = client.get(reverse("results"))
    newest = {row[0]: row[1:] for row in cells(response, "levels")}
    assert newest["4"] == ["2", "100 %"]
    older = {row[0]: row[1:] for row in cells(response, "levels-v1")}
    assert older["1"] == ["3", "33 %"] and older["4"] == ["0", "0 %"]
    html = response.content.decode()
    assert caption in html
    assert 'data-testid="levels-by-version"' in html


@pytest.mark.parametrize(
    ("language", "v1_security", "v2_security", "suffix"),
    [
        (
            "en",
            "Cybersecurity and safe production",
            "Cybersecurity and data security",
            " (questionnaire version 1)",
        ),
        ("zh-hans", "网络安全与安全生产", "网络与数据安全", "（问卷第 1 版）"),
    ],
)
def test_it_shows_a_dimension_whose_meaning_changed_once_per_meaning(
    client, administrator, questionnaire, language, v1_security, v2_security, suffix
):
    """v2's SEC kept v1's code, not its meaning (compares_as: SEC-2): its scores are not
    pooled with v1's, and v1's row says its version."""
    v2 = publish_v2()
    for score in (10, 20):
        scored_firm(questionnaire, {"STR": score, "SEC": score}, district="minhang")
    for score in (70, 80, 90):
        scored_firm(v2, {"STR": score, "SEC": score}, district="minhang")
    assert refresh_result_figures()
    client.cookies["django_language"] = language
    client.force_login(administrator)
    rows = {row[0]: row[1:] for row in cells(client.get(reverse("results")), "dimensions")}
    assert rows[v2_security][0] == "3"  # firms: v2's only
    assert rows[f"{v1_security}{suffix}"][0] == "2"
    strategy = v2.definition.dimension("STR").name
    assert rows[strategy.en if language == "en" else strategy.zh_hans][0] == "5"
