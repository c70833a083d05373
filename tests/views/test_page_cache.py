"""Section pages served from the page cache: never stale, each with its own CSRF token."""

import re

import pytest
from django.conf import settings as django_settings
from django.test import Client, override_settings
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from diagnosis.models import Assessment, Membership, ProviderMembership
from diagnosis.services.assessments import AnswerEntry, answers_save, assessment_submit, goal_save
from diagnosis.views.pagecache import CSRF_MARKER, PAGES
from tests.answering import fill

TOKEN = re.compile(r'(name="csrfmiddlewaretoken" value="|"X-CSRFToken": ")[^"]+')
SINCE = re.compile(r"since=[^\"&]+")
DUMMY = "django.core.cache.backends.dummy.DummyCache"
GOAL = {"goal-STR-target_level": "3", "goal-STR-relevance": "3"}


def page(client, assessment, code="STR") -> str:
    response = client.get(reverse("section", args=[assessment.pk, code]))
    assert response.status_code == 200
    return response.content.decode()


def built(client, assessment, code="STR") -> str:
    """The page as it would be built now, leaving the cached pages as they are."""
    no_page_cache = django_settings.CACHES | {PAGES: {"BACKEND": DUMMY}}
    with override_settings(CACHES=no_page_cache):
        return page(client, assessment, code)


def same_page(cached: str, fresh: str) -> bool:
    """Equal but for the per-request CSRF token and the polling start time."""

    def normalised(html: str) -> str:
        return SINCE.sub("since=", TOKEN.sub(r"\1", html))

    return normalised(cached) == normalised(fresh)


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


def test_it_serves_a_repeated_page_from_the_cache(client, respondent, draft):
    client.force_login(respondent)
    first = client.get(reverse("section", args=[draft.pk, "STR"]))
    second = client.get(reverse("section", args=[draft.pk, "STR"]))
    assert first.templates and not second.templates  # the second one was not rendered
    assert same_page(second.content.decode(), first.content.decode())


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
    """The same page from the cache in a second browser carries that browser's token."""
    browsers = [Client(enforce_csrf_checks=True) for _ in range(2)]
    for browser in browsers:
        browser.force_login(respondent)
    tokens = []
    for browser in browsers:
        html = page(browser, draft)
        assert CSRF_MARKER not in html
        tokens.append(re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)[1])  # type: ignore[index]
    assert tokens[0] != tokens[1]
    for number, (browser, token) in enumerate(zip(browsers, tokens, strict=True)):
        data = {"csrfmiddlewaretoken": token, "q-STR-01-value": str(number + 1), "save": ""}
        data["q-STR-01-rev"] = str(number)
        response = browser.post(reverse("section", args=[draft.pk, "STR"]), data | GOAL)
        assert response.status_code == 302, response.content.decode()[:500]
        assert draft.answers.get(question__code="STR-01").value == number + 1


OPERATION = st.one_of(
    st.tuples(st.just("answer"), st.sampled_from(["STR-01", "STR-02"]), st.sampled_from("012345")),
    st.tuples(st.just("note"), st.sampled_from(["STR-01", "STR-02"]), st.sampled_from("甲乙丙")),
    st.tuples(st.just("goal"), st.sampled_from([None, 1, 3, 5]), st.integers(1, 5)),
    st.tuples(st.just("view"), st.sampled_from(["STR", "OPS"]), st.just("")),
)


@settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(operations=st.lists(OPERATION, min_size=1, max_size=8))
def test_a_page_from_the_cache_is_always_the_page_built_now(
    client, respondent, colleague, draft, operations
):
    """Whatever colleagues change in between, a cached page equals a freshly built one."""
    client.force_login(respondent)
    for kind, first, second in operations:
        if kind == "answer":
            value = None if second == "0" else int(second)
            answers_save(assessment=draft, user=colleague, entries=[AnswerEntry(first, value)])
        elif kind == "note":
            answer = draft.answers.filter(question__code=first).first()
            entry = AnswerEntry(first, answer.value if answer else None, note=second * 3)
            answers_save(assessment=draft, user=colleague, entries=[entry])
        elif kind == "goal":
            goal_save(assessment=draft, dimension_code="STR", target_level=first, relevance=second)
        else:
            page(client, draft, first)  # fills the cache for that page
        for code in ("STR", "OPS"):
            assert same_page(page(client, draft, code), built(client, draft, code))
    assert Assessment.objects.get(pk=draft.pk).is_open


def test_it_does_not_keep_pages_asked_for_with_a_query_string(client, respondent, draft):
    client.force_login(respondent)
    url = reverse("section", args=[draft.pk, "STR"])
    client.get(url, {"x": "1"})
    assert client.get(url, {"x": "1"}).templates  # built again
