"""Sessions and the logged-in user, read with one statement each, behave as Django's own."""

from datetime import timedelta

from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from diagnosis.auth import ModelBackend
from diagnosis.sessions import SessionStore


def test_it_keeps_a_respondent_logged_in_across_requests(client, respondent):
    client.force_login(respondent)
    response = client.get(reverse("home"))
    assert response.context["user"] == respondent


def test_it_reads_the_session_and_the_user_in_one_statement_each(client, respondent):
    client.force_login(respondent)
    with CaptureQueriesContext(connection) as captured:
        client.get(reverse("firm_detail"))
    session, user = (query["sql"] for query in captured.captured_queries[:2])
    assert 'FROM "django_session" s WHERE' in session
    assert 'FROM "diagnosis_user" u WHERE' in user


def test_it_reads_the_users_roles_with_the_user(client, consultant, respondent):
    client.force_login(consultant)
    with CaptureQueriesContext(connection) as captured:
        page = client.get(reverse("home")).content.decode()
    assert reverse("review_queue") in page  # the navigation shows the consultant's queue
    role_queries = [q for q in captured if "diagnosis_providermembership" in q["sql"]]
    assert len(role_queries) == 1 and 'FROM "diagnosis_user" u' in role_queries[0]["sql"]


def test_it_forgets_an_expired_session(client, respondent):
    client.force_login(respondent)
    key = client.cookies["sessionid"].value
    Session.objects.filter(session_key=key).update(expire_date=timezone.now() - timedelta(1))
    response = client.get(reverse("firm_detail"))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_it_forgets_a_session_after_logout(client, respondent):
    client.force_login(respondent)
    key = client.cookies["sessionid"].value
    client.post(reverse("logout"))
    store = SessionStore(key)
    assert store.load() == {}
    assert store.session_key is None


def test_it_gives_an_unknown_session_key_an_empty_session(db):
    store = SessionStore("x" * 32)
    assert store.load() == {}
    assert store.session_key is None


def test_it_refuses_an_inactive_user(respondent):
    respondent.is_active = False
    respondent.save()
    assert ModelBackend().get_user(respondent.pk) is None


def test_it_finds_an_active_user_by_id(respondent):
    assert ModelBackend().get_user(respondent.pk) == respondent
    assert ModelBackend().get_user(respondent.pk + 1000) is None


def test_it_logs_in_with_email_and_password(client, respondent):
    from tests.factories import PASSWORD

    response = client.post(
        reverse("login"), {"username": respondent.email, "password": PASSWORD}, follow=True
    )
    assert response.context["user"] == respondent


def test_it_gives_a_user_read_elsewhere_their_roles(consultant):
    from diagnosis.auth import roles_of
    from diagnosis.models import User

    assert roles_of(User.objects.get(pk=consultant.pk)).is_consultant
