import pytest
from django.conf import settings
from django.test import Client

from diagnosis.models import Answer


def test_it_refuses_nul_characters_in_parameters(client, db):
    assert client.get("/accounts/login/", {"next": "a\x00b"}).status_code == 400
    assert client.post("/accounts/login/", {"username": "x\x00"}).status_code == 400


def test_it_refuses_nul_characters_in_the_path(client, db):
    assert client.get("/review/%00/").status_code in (400, 404)


# --- A database that cannot be reached: 503 with Retry-After, never 500 -------------------


@pytest.fixture
def respondent_client(client, respondent, database_outage):
    """The respondent, logged in (tests/outage.py cuts the database off underneath)."""
    client.force_login(respondent)
    client.raise_request_exception = False
    return client


def autosave(client, assessment, value: str):
    return client.post(
        f"/assessments/{assessment.pk}/answers/STR-01/",
        {"q-STR-01-value": value, "q-STR-01-rev": "0"},
        headers={"HX-Request": "true"},
    )


def test_it_answers_a_page_with_503_and_retry_after_while_the_database_is_down(
    respondent_client, draft, database_outage
):
    with database_outage():
        response = respondent_client.get(f"/assessments/{draft.pk}/sections/STR/")

    assert response.status_code == 503
    assert response["Retry-After"] == str(settings.OUTAGE_RETRY_AFTER_SECONDS)
    assert "数据库暂时无法连接，本页暂时无法显示" in response.content.decode()
    assert "script-src 'self'" in response["Content-Security-Policy"]


def test_it_says_so_in_the_readers_language(respondent_client, draft, database_outage):
    respondent_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with database_outage():
        response = respondent_client.get(f"/assessments/{draft.pk}/sections/STR/")

    assert response.status_code == 503
    assert "The database cannot be reached at the moment" in response.content.decode()


def test_it_answers_an_autosave_with_a_fragment_then_saves_once_the_database_is_back(
    respondent_client, draft, database_outage
):
    with database_outage():
        refused = autosave(respondent_client, draft, "3")

    assert refused.status_code == 503
    assert refused["Retry-After"] == str(settings.OUTAGE_RETRY_AFTER_SECONDS)
    assert refused.content.decode().startswith("<div data-outage-message")
    assert not Answer.objects.filter(assessment=draft).exists()
    assert autosave(respondent_client, draft, "3").status_code == 200
    assert Answer.objects.get(assessment=draft, question__code="STR-01").value == 3


def test_it_answers_a_login_with_503(client, respondent, database_outage):
    client.raise_request_exception = False
    with database_outage():
        response = client.post(
            "/accounts/login/", {"username": respondent.email, "password": "wrong"}
        )

    assert response.status_code == 503


def test_it_answers_503_when_only_the_error_page_needs_the_database(
    respondent_client, database_outage
):
    """Past the view: the 404 page reads the user for its header, and that fails."""
    with database_outage():
        response = respondent_client.get("/no-such-page/")

    assert response.status_code == 503
    assert response["Retry-After"] == str(settings.OUTAGE_RETRY_AFTER_SECONDS)


def test_it_still_serves_what_needs_no_database(client, database_outage):
    with database_outage():
        assert client.get("/").status_code == 200


# --- Form bodies that cannot be decoded: 400, never 500 (issue 11 item 13) ----------------

CSRF_TOKEN = "a" * 32


def csrf_client(user=None):
    """A client that checks CSRF like a browser's server does: Django's 400 handler reads the
    body again for the token, which the plain test client skips."""
    client = Client(enforce_csrf_checks=True, raise_request_exception=False)
    client.cookies[settings.CSRF_COOKIE_NAME] = CSRF_TOKEN
    if user is not None:
        client.force_login(user)
    return client


@pytest.mark.parametrize(
    ("content_type", "body"),
    [
        ("application/x-www-form-urlencoded; charset=bogus", b"username=a&password=b"),
        ("application/x-www-form-urlencoded; charset=gbk", b"username=\xff\xfe\x81&password=b"),
        ("application/x-www-form-urlencoded; charset=GBK", "username=王芳".encode("gbk")),
        ("application/x-www-form-urlencoded; charset=utf-16", "username=a".encode("utf-16")),
        ("multipart/form-data; boundary=xx; charset=shift_jis", b"--xx\r\n"),
        ("multipart/form-data", b"no boundary"),
    ],
)
def test_it_answers_400_to_a_form_it_cannot_decode(db, content_type, body):
    client = csrf_client()
    response = client.generic(
        "POST", "/accounts/login/", body, content_type, headers={"X-CSRFToken": CSRF_TOKEN}
    )

    assert response.status_code == 400
    assert "UTF-8" in response.content.decode()


def test_it_still_reads_a_utf8_form(db):
    client = csrf_client()
    response = client.post(
        "/accounts/login/",
        b"username=%E7%8E%8B%E8%8A%B3&password=b",
        "application/x-www-form-urlencoded; charset=UTF-8",
        headers={"X-CSRFToken": CSRF_TOKEN},
    )

    assert response.status_code == 200
    assert "王芳" in response.content.decode()
