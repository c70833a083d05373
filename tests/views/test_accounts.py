import re

import pytest
from django.core import mail
from django.test import override_settings
from django.urls import reverse

from diagnosis.models import User
from tests.committing import committed
from tests.factories import PASSWORD


def sign_up(client, email: str, password: str = PASSWORD, **extra):
    data = {"email": email, "name": "张三", "password1": password, "password2": password}
    with committed():
        return client.post(reverse("signup") + extra.pop("query", ""), data, **extra)


def emailed_link(message) -> str:
    found = re.search(r"https?://[^/\s]+(/accounts/signup/confirm/\S+)", str(message.body))
    assert found, message.body
    return found.group(1)


def test_it_signs_up_with_an_email_once_the_emailed_link_is_confirmed(client, db):
    response = sign_up(client, "New@Example.com")

    assert response.status_code == 200
    assert "new@example.com" in response.content.decode()
    user = User.objects.get()
    assert (user.email, user.is_active) == ("new@example.com", False)
    assert (
        client.post(reverse("login"), {"username": user.email, "password": PASSWORD}).status_code
        == 200
    )

    link = emailed_link(mail.outbox[-1])
    assert client.get(link).status_code == 200  # a button: opening the link changes nothing
    assert User.objects.get().is_active is False
    response = client.post(link)

    assert response.status_code == 302
    assert User.objects.get().is_active is True
    assert client.session["_auth_user_id"] == str(user.pk)
    assert 'data-testid="error-message"' in client.post(link).content.decode()  # used once


def test_it_follows_next_after_confirming(client, db):
    sign_up(client, "next@example.com", query="?next=/firm/register/%3Finvitation%3Dabc")

    response = client.post(emailed_link(mail.outbox[-1]))

    assert response["Location"] == "/firm/register/?invitation=abc"


def main_text(response, email: str) -> str:
    """The page's main content, with the address typed replaced (the CSRF token differs)."""
    page = response.content.decode()
    return page[page.index("<main") : page.index("</main>")].replace(email, "EMAIL")


def test_signing_up_with_a_known_email_looks_the_same_and_emails_the_owner(client, respondent):
    new = sign_up(client, "fresh@example.com")
    known = sign_up(client, respondent.email.upper(), password="another-Passw0rd!")

    assert known.status_code == new.status_code == 200
    assert main_text(known, respondent.email) == main_text(new, "fresh@example.com")
    message = mail.outbox[-1]
    assert message.to == [respondent.email]
    assert "/accounts/login/" in str(message.body) and "/accounts/signup/confirm/" not in str(
        message.body
    )
    respondent.refresh_from_db()
    assert respondent.check_password(PASSWORD) and respondent.is_active


def test_a_wrong_confirmation_link_says_so(client, db):
    response = client.get(reverse("signup_confirm", args=["MQ", "nope"]))

    assert response.status_code == 200
    assert 'data-testid="error-message"' in response.content.decode()


def test_it_explains_mismatched_passwords(client, db):
    response = client.post(
        reverse("signup"),
        {"email": "a@example.com", "name": "A", "password1": PASSWORD, "password2": "other-9x!"},
    )
    assert response.status_code == 200
    assert not User.objects.exists()


@pytest.mark.usefixtures("committing_requests")
def test_it_emails_a_password_reset_link_that_works(client, respondent):
    client.post(reverse("password_reset"), {"email": respondent.email})
    assert mail.outbox[-1].to == [respondent.email]
    found = re.search(r"(/accounts/reset/\S+/)", str(mail.outbox[-1].body))
    assert found, mail.outbox[-1].body
    link = found.group(1)
    form_page = client.get(link, follow=True)
    new_password = "brand-new-Passw0rd!"
    client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": new_password, "new_password2": new_password},
    )
    respondent.refresh_from_db()
    assert respondent.check_password(new_password)


@override_settings(AXES_FAILURE_LIMIT=3)
def test_it_throttles_repeated_failed_logins(client, respondent):
    for _attempt in range(3):
        client.post(reverse("login"), {"username": respondent.email, "password": "wrong"})
    response = client.post(reverse("login"), {"username": respondent.email, "password": PASSWORD})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_it_logs_out_with_a_post(client, respondent):
    client.force_login(respondent)
    client.post(reverse("logout"))
    assert "_auth_user_id" not in client.session
