"""Answering with colleagues (issue 12, review §7 #7 and #11): a respondent chooses their
role (``?role=it``) and sees only the questions that role answers; the others keep their
answers, count in the overall progress and are still needed to submit; the submit page
groups what is missing by role. A questionnaire without roles (v1) offers no choice."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from diagnosis.models import Answer, Assessment
from diagnosis.queries.assessments import assessment_state
from diagnosis.scoring.definition import Role
from diagnosis.services.assessments import AnswerEntry, answers_save
from tests.perf.test_query_budgets import SECTION_PAGE_BUDGET
from tests.versions_world import publish_v2

OPS_BY_ROLE = {
    "it": {"OPS-02", "OPS-03"},
    "quality": {"OPS-13", "OPS-14"},
}


@pytest.fixture
def on_v2(client, respondent):
    """The respondent's assessment on the shipped v2 questionnaire (roles on every question)."""
    publish_v2()
    client.force_login(respondent)
    client.post(reverse("assessment_new"))
    return Assessment.objects.get(firm__memberships__user=respondent, status="draft")


@pytest.fixture
def on_v1(client, respondent, questionnaire):
    client.force_login(respondent)
    client.post(reverse("assessment_new"))
    return Assessment.objects.get(firm__memberships__user=respondent, status="draft")


def section(client, assessment, code, query="", **headers):
    url = reverse("section", args=[assessment.pk, code]) + query
    return client.get(url, **headers)


def cards(html: str) -> set[str]:
    return set(re.findall(r'data-testid="question-([A-Z]+-\d+)"', html))


def found(pattern: str, html: str) -> str:
    match = re.search(pattern, html, re.S)
    assert match, pattern
    return match.group(1)


def sidebar_link(html: str, code: str) -> str:
    """The sidebar entry of a dimension: its link and its count."""
    match = re.search(rf'<a [^>]*href="([^"]*)"[^>]*data-testid="nav-{code}">(.*?)</a>', html, re.S)
    assert match, code
    return match.group(1) + " " + " ".join(re.sub(r"<[^>]+>", "", match.group(2)).split())


def test_it_shows_only_the_questions_of_the_chosen_role(client, on_v2):
    response = section(client, on_v2, "OPS", "?role=it")
    assert response.status_code == 200
    assert cards(response.content.decode()) == OPS_BY_ROLE["it"]


def test_it_shows_every_question_without_a_role(client, on_v2):
    html = section(client, on_v2, "OPS").content.decode()
    codes = {q.code for q in on_v2.questionnaire.definition.dimension("OPS").questions}
    assert cards(html) == codes
    assert 'data-testid="role-choice"' in html
    assert 'data-testid="role-note"' not in html


def test_it_says_whose_questions_it_shows_and_links_to_all(client, on_v2):
    client.cookies["django_language"] = "en"
    html = section(client, on_v2, "OPS", "?role=it").content.decode()
    note = found(r'data-testid="role-note">(.*?)</div>', html)
    assert "Showing the questions for IT lead only: 0 of 1 answered in this section." in note
    assert "The sidebar counts this role's questions of each section" in note
    show_all = reverse("section", args=[on_v2.pk, "OPS"])
    assert f'href="{show_all}" data-testid="role-show-all">Show all questions' in note


def test_it_names_the_role_in_chinese(client, on_v2):
    client.cookies["django_language"] = "zh-hans"
    html = section(client, on_v2, "OPS", "?role=it").content.decode()
    assert "信息化负责人" in html
    assert '<option value="quality">质量负责人</option>' in html
    assert '<option value="it" selected>信息化负责人</option>' in html


def test_it_offers_only_the_roles_the_questionnaire_uses(client, on_v2):
    html = section(client, on_v2, "OPS").content.decode()
    offered = re.findall(r'<option value="([a-z]+)"', html.split('data-testid="role-choice"')[1])
    used = {str(q.role) for q in on_v2.questionnaire.definition.questions.values()}
    assert set(offered) == used
    assert len(offered) == len(used)


def test_it_counts_the_roles_questions_per_dimension_in_the_sidebar(client, on_v2, respondent):
    answers_save(assessment=on_v2, user=respondent, entries=[AnswerEntry(code="NET-01", value=2)])
    html = section(client, on_v2, "OPS", "?role=it").content.decode()
    net = sidebar_link(html, "NET")
    assert net.startswith(reverse("section", args=[on_v2.pk, "NET"]) + "?role=it ")
    assert net.endswith(" 1/6")  # every NET question is IT's
    # OPS: OPS-02 and OPS-03, but OPS-03 shows only once OPS-02 says so
    assert sidebar_link(html, "OPS").endswith(" 0/1")
    assert sidebar_link(html, "RND").endswith(" –")  # nothing for IT in R&D


def test_it_keeps_the_overall_progress_of_every_question(client, on_v2):
    text = r'data-testid="progress-text">([^<]*)<'
    everyone = found(text, section(client, on_v2, "OPS").content.decode())
    it_only = found(text, section(client, on_v2, "OPS", "?role=it").content.decode())
    assert everyone == it_only
    assert str(assessment_state(on_v2).overall_progress().total) in everyone
    total = len([q for q in on_v2.questionnaire.definition.dimension("NET").questions if q.asked])
    it_page = section(client, on_v2, "OPS", "?role=it").content.decode()
    assert sidebar_link(it_page, "STR").endswith(" –")  # the dimension's counts are IT's
    assert sidebar_link(it_page, "NET").endswith(f" 0/{total}")


def test_it_keeps_the_role_in_the_section_links(client, on_v2):
    html = section(client, on_v2, "OPS", "?role=it").content.decode()
    for code in ("NET", "SCM"):  # previous and next
        assert f'href="{reverse("section", args=[on_v2.pk, code])}?role=it">' in html


def test_it_keeps_the_answers_of_other_roles_when_saving_the_page(client, on_v2, respondent):
    answers_save(assessment=on_v2, user=respondent, entries=[AnswerEntry(code="OPS-13", value=3)])
    url = reverse("section", args=[on_v2.pk, "OPS"]) + "?role=it"
    data = {"q-OPS-02-value": "yes", "q-OPS-02-rev": "0", "next": ""}
    data |= {"goal-OPS-target_level": "3", "goal-OPS-relevance": "3"}
    response = client.post(url, data)
    assert response.status_code == 302
    assert response["Location"] == reverse("section", args=[on_v2.pk, "SCM"]) + "?role=it"
    answers = dict(Answer.objects.filter(assessment=on_v2).values_list("question__code", "value"))
    assert answers == {"OPS-13": 3, "OPS-02": "yes"}


def test_it_still_requires_the_questions_of_other_roles_to_submit(client, on_v2):
    section(client, on_v2, "OPS", "?role=it")
    response = client.post(reverse("submit", args=[on_v2.pk]))
    assert response.status_code == 400
    assert Assessment.objects.get(pk=on_v2.pk).status == "draft"
    assert "OPS-13" in response.content.decode()


def test_it_groups_the_missing_questions_by_role_before_submit(client, on_v2, respondent):
    client.cookies["django_language"] = "en"
    html = client.get(reverse("submit", args=[on_v2.pk])).content.decode()
    missing = html.split('data-testid="missing"')[1]
    roles = re.findall(r'data-testid="missing-role-([a-z]+)"><strong>([^<]+)</strong>', missing)
    assert [code for code, _name in roles] == [role.value for role in Role]  # all, in order
    assert ("it", "IT lead") in roles
    it_group = missing.split('data-testid="missing-role-it"')[1].split("data-testid=")[0]
    assert "NET-01" in it_group and "OPS-02" in it_group and "OPS-13" not in it_group
    net = reverse("section", args=[on_v2.pk, "NET"])
    assert f'href="{net}?role=it#q-NET-01"' in it_group


def test_it_names_the_roles_of_missing_questions_in_chinese(client, on_v2):
    client.cookies["django_language"] = "zh-hans"
    html = client.get(reverse("submit", args=[on_v2.pk])).content.decode()
    assert "<strong>信息化负责人</strong>" in html
    assert "<strong>总经理</strong>" in html


def test_it_sends_back_the_sidebar_of_the_pages_role_after_an_autosave(client, on_v2):
    page = "http://testserver" + reverse("section", args=[on_v2.pk, "OPS"]) + "?role=it"
    response = client.post(
        reverse("answer_autosave", args=[on_v2.pk, "OPS-02"]),
        {"q-OPS-02-value": "yes", "q-OPS-02-rev": "0"},
        HTTP_HX_REQUEST="true",
        HTTP_HX_CURRENT_URL=page,
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert sidebar_link(html, "OPS").endswith(" 1/2")  # OPS-03 now shows
    assert f"{reverse('section', args=[on_v2.pk, 'NET'])}?role=it" in html


def test_it_sends_back_no_dependent_of_another_role_after_an_autosave(client, on_v2):
    """v2 keeps each follow-up with its trigger's role; the filter is what is checked here:
    from a page of quality questions, OPS-02's follow-up OPS-03 (IT) is not sent."""
    url = reverse("answer_autosave", args=[on_v2.pk, "OPS-02"])
    page = "http://testserver" + reverse("section", args=[on_v2.pk, "OPS"])
    quality = client.post(
        url,
        {"q-OPS-02-value": "yes", "q-OPS-02-rev": "0"},
        HTTP_HX_REQUEST="true",
        HTTP_HX_CURRENT_URL=page + "?role=quality",
    )
    assert quality.status_code == 200
    assert 'data-testid="question-OPS-03"' not in quality.content.decode()
    everyone = client.post(
        url,
        {"q-OPS-02-value": "no", "q-OPS-02-rev": "1"},
        HTTP_HX_REQUEST="true",
        HTTP_HX_CURRENT_URL=page,
    )
    assert 'data-testid="question-OPS-03"' in everyone.content.decode()


@pytest.mark.parametrize(
    "query", ["?role=nonsense", "?role=IT", "?role=%3Cscript%3E", "?role=gm&role=xx"]
)
def test_it_shows_every_question_for_a_role_it_does_not_know(client, on_v2, query):
    client.cookies["django_language"] = "en"
    response = section(client, on_v2, "OPS", query)
    assert response.status_code == 200
    html = response.content.decode()
    assert len(cards(html)) == len(on_v2.questionnaire.definition.dimension("OPS").questions)
    assert "There is no such role in this questionnaire: showing every question." in html
    assert "<script>" not in html.split("<main")[1].split("</main>")[0]


def test_it_offers_no_role_choice_without_roles(client, on_v1):
    html = section(client, on_v1, "STR").content.decode()
    assert 'data-testid="role-choice"' not in html
    submit = client.get(reverse("submit", args=[on_v1.pk])).content.decode()
    assert 'data-testid="missing-role-' not in submit


def test_it_shows_every_question_of_a_questionnaire_without_roles(client, on_v1):
    response = section(client, on_v1, "STR", "?role=it")
    assert response.status_code == 200
    html = response.content.decode()
    codes = {q.code for q in on_v1.questionnaire.definition.dimension("STR").questions}
    assert cards(html) == codes
    assert 'data-testid="role-note"' not in html


def page_queries(client, url: str) -> int:
    client.get(url)  # fills the per-process caches
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_it_adds_no_query_to_the_section_page(client, on_v2, respondent):
    answers_save(
        assessment=on_v2,
        user=respondent,
        entries=[AnswerEntry(code="OPS-02", value="yes"), AnswerEntry(code="OPS-13", value=2)],
    )
    url = reverse("section", args=[on_v2.pk, "OPS"])
    everyone = page_queries(client, url)
    assert page_queries(client, url + "?role=it") == everyone
    assert page_queries(client, url + "?role=nonsense") == everyone
    assert everyone <= SECTION_PAGE_BUDGET


def test_it_reverses_no_url_per_question(client, on_v2, monkeypatch):
    """The role's links are the sidebar's and the page's own, not one reverse() per card."""
    import django.urls

    import diagnosis.forms.cards
    import diagnosis.views.respond

    calls: list[str] = []
    real = django.urls.reverse

    def counting(viewname, *args, **kwargs):
        calls.append(str(viewname))
        return real(viewname, *args, **kwargs)

    for module in (diagnosis.forms.cards, diagnosis.views.respond, django.urls):  # {% url %}
        monkeypatch.setattr(module, "reverse", counting)
    url = reverse("section", args=[on_v2.pk, "OPS"])
    client.get(url)  # fills the per-process URL patterns
    calls.clear()
    client.get(url)
    everyone = len(calls)
    calls.clear()
    client.get(url + "?role=it")  # 2 IT questions
    it_on_ops = len(calls)
    calls.clear()
    client.get(reverse("section", args=[on_v2.pk, "NET"]) + "?role=it")  # 6 IT questions
    assert len(calls) == it_on_ops == everyone + 1  # + the note's "show all" link
