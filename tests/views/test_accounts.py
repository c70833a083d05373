import re

from django.core import mail
from django.test import override_settings
from django.urls import reverse

from diagnosis.models import User
from tests.factories import PASSWORD


def test_it_signs_up_with_an_email(client, db):
    response = client.post(
        reverse("signup"),
        {"email": "New@Example.com", "name": "张三", "password1": PASSWORD, "password2": PASSWORD},
    )
    assert response.status_code == 302
    assert User.objects.get().email == "new@example.com"


def test_it_explains_mismatched_passwords(client, db):
    response = client.post(
        reverse("signup"),
        {"email": "a@example.com", "name": "A", "password1": PASSWORD, "password2": "other-9x!"},
    )
    assert response.status_code == 200
    assert not User.objects.exists()


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
