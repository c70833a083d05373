"""Section pages are built afresh on every request (there is no page cache): every change,
wherever it was made, shows on the next view, and user text is shown as typed."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from diagnosis.models import Answer, Membership, ProviderMembership
from diagnosis.services.assessments import assessment_submit, goal_save
from tests.answering import fill

GOAL = {"goal-STR-target_level": "3", "goal-STR-relevance": "3"}


def page(client, assessment, code="STR") -> str:
    response = client.get(reverse("section", args=[assessment.pk, code]))
    assert response.status_code == 200
    return response.content.decode()


def checked(html: str, code: str, value: str) -> bool:
    return f'name="q-{code}-value" value="{value}" checked' in html


def autosave(client, assessment, code, value, rev, **extra):
    data = {f"q-{code}-value": value, f"q-{code}-rev": str(rev)}
    data.update({f"q-{code}-{name}": text for name, text in extra.items()})
    response = client.post(reverse("answer_autosave", args=[assessment.pk, code]), data)
    assert response.status_code == 200, response.content.decode()[:500]


@pytest.fixture
def colleague_client(colleague) -> Client:
    other = Client()
    other.force_login(colleague)
    return other


def test_it_shows_a_colleagues_answer_on_the_next_view(client, respondent, colleague_client, draft):
    client.force_login(respondent)
    assert not checked(page(client, draft), "STR-01", "3")
    autosave(colleague_client, draft, "STR-01", "3", 0)
    assert checked(page(client, draft), "STR-01", "3")


def test_it_shows_a_changed_note(client, respondent, draft):
    client.force_login(respondent)
    autosave(client, draft, "STR-01", "3", 0, note="第一稿")
    assert "第一稿" in page(client, draft)
    autosave(client, draft, "STR-01", "3", 1, note="第二稿")
    html = page(client, draft)
    assert "第二稿" in html and "第一稿" not in html


def test_it_shows_a_changed_goal(client, respondent, colleague, draft):
    client.force_login(respondent)
    goal_save(assessment=draft, dimension_code="STR", target_level=2, relevance=3)
    assert 'value="2" selected' in page(client, draft)
    goal_save(assessment=draft, dimension_code="STR", target_level=4, relevance=3)
    html = page(client, draft)
    assert 'value="4" selected' in html and 'value="2" selected' not in html


def test_it_shows_the_page_read_only_once_submitted(client, respondent, draft):
    client.force_login(respondent)
    assert "hx-post" in page(client, draft)
    fill(draft, respondent)
    assert "hx-post" in page(client, draft)
    assessment_submit(assessment=draft, user=respondent)
    assert "hx-post" not in page(client, draft).split('id="section-form"')[1]


def test_it_shows_a_renamed_firm(client, respondent, draft):
    client.force_login(respondent)
    page(client, draft)
    draft.firm.name = "上海改名精密制造有限公司"
    draft.firm.save()
    assert "上海改名精密制造有限公司" in page(client, draft)


def test_it_shows_each_user_their_own_name_and_menu(client, respondent, colleague, draft):
    client.force_login(respondent)
    assert str(respondent) in page(client, draft)
    client.force_login(colleague)
    html = page(client, draft)
    assert str(colleague) in html and str(respondent) not in html


def test_it_shows_a_new_role_in_the_menu(client, respondent, provider, draft):
    client.force_login(respondent)
    assert reverse("review_queue") not in page(client, draft)
    ProviderMembership.objects.create(user=respondent, provider=provider)
    assert reverse("review_queue") in page(client, draft)


def test_it_shows_the_page_in_the_language_asked_for(client, respondent, draft):
    client.force_login(respondent)
    assert "战略与组织" in page(client, draft)
    client.post(reverse("set_language"), {"language": "en"})
    html = page(client, draft)
    assert "Strategy and organisation" in html and '<h1 class="h3">STR · 战略' not in html


def test_it_shows_a_saved_message_once_and_then_the_plain_page(client, respondent, draft):
    client.force_login(respondent)
    page(client, draft)
    data = {"q-STR-01-value": "2", "q-STR-01-rev": "0", "save": ""} | GOAL
    assert client.post(reverse("section", args=[draft.pk, "STR"]), data).status_code == 302
    assert "alert-success" in page(client, draft)
    assert "alert-success" not in page(client, draft)


def test_it_shows_the_consultant_a_read_only_page(client, respondent, consultant, draft):
    client.force_login(respondent)
    assert "hx-post" in page(client, draft)
    client.force_login(consultant)
    assert "hx-post" not in page(client, draft).split('id="section-form"')[1]


def test_it_still_refuses_a_removed_colleague(client, colleague, draft):
    client.force_login(colleague)
    page(client, draft)
    Membership.objects.filter(user=colleague).delete()
    assert client.get(reverse("section", args=[draft.pk, "STR"])).status_code == 404


def test_it_gives_every_session_a_working_csrf_token(respondent, draft):
    """The same page in a second browser carries that browser's own token."""
    browsers = [Client(enforce_csrf_checks=True) for _ in range(2)]
    for browser in browsers:
        browser.force_login(respondent)
    tokens = []
    for browser in browsers:
        html = page(browser, draft)
        tokens.append(re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)[1])  # type: ignore[index]
    assert tokens[0] != tokens[1]
    for number, (browser, token) in enumerate(zip(browsers, tokens, strict=True)):
        data = {"csrfmiddlewaretoken": token, "q-STR-01-value": str(number + 1), "save": ""}
        data["q-STR-01-rev"] = str(number)
        response = browser.post(reverse("section", args=[draft.pk, "STR"]), data | GOAL)
        assert response.status_code == 302, response.content.decode()[:500]
        assert draft.answers.get(question__code="STR-01").value == number + 1


def test_it_shows_an_answer_changed_outside_the_services(client, respondent, draft):
    """The Django admin writes answers straight through the ORM: the next view shows them."""
    client.force_login(respondent)
    autosave(client, draft, "STR-01", "2", 0)
    assert checked(page(client, draft), "STR-01", "2")
    Answer.objects.filter(assessment=draft, question__code="STR-01").update(value=4)
    html = page(client, draft)
    assert checked(html, "STR-01", "4") and not checked(html, "STR-01", "2")


def test_it_shows_a_note_holding_the_old_csrf_marker_unchanged(
    client, respondent, colleague_client, draft
):
    """The page cache put the viewer's CSRF token in place of this text; it is plain text."""
    marker = "csrf-token-of-this-request"
    autosave(colleague_client, draft, "STR-01", "3", 0, note=marker)
    client.force_login(respondent)
    html = page(client, draft)
    assert marker in html  # the cache replaced it with the respondent's token
