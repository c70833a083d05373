"""Translations and confirmations (issue 11 item 12): no English in the Chinese pages and
emails, one term per thing, and a question before removing a colleague."""

import re

import pytest
from django.core import mail
from django.core.mail import EmailMultiAlternatives
from django.urls import reverse
from django.utils import translation

from diagnosis.forms.directory import BulkProviderForm
from diagnosis.models import Membership, Provider
from tests.factories import make_user
from tests.test_translations import entries


def test_a_model_select_starts_on_choose_in_chinese(db):
    Provider.objects.create(name="示范诊断服务商")
    with translation.override("zh-hans"):
        html = str(BulkProviderForm()["provider"])
    assert "Select an option" not in html
    assert re.search(r'<option value=""[^>]*>请选择</option>', html)


def test_the_directory_offers_no_english_empty_choice(client, administrator):
    Provider.objects.create(name="示范诊断服务商")
    client.force_login(administrator)
    page = client.get(reverse("directory")).content.decode()
    assert "Select an option" not in page


def test_every_chinese_text_about_dimensions_says_weidu():
    """维度, never 领域 or 方面, wherever the English says dimension."""
    wrong = [
        (msgid, msgstr)
        for _flags, msgid, msgstr in entries("zh_Hans")
        if "dimension" in msgid.lower() and "%(dimension)s" not in msgid and "维度" not in msgstr
    ]
    assert wrong == []


@pytest.mark.parametrize(
    ("language", "subject"),
    [("zh-hans", "数字化诊断：重置密码"), ("en", "Digital diagnosis: reset your password")],
)
@pytest.mark.usefixtures("committing_requests")
def test_the_password_reset_email_names_the_service(client, db, language, subject):
    user = make_user(email="forgot@firm-a.example", name="赵磊", language=language)

    response = client.post(reverse("password_reset"), {"email": user.email})

    assert response.status_code == 302
    (message,) = mail.outbox
    body = str(message.body)
    assert message.subject == subject
    assert "testserver" not in f"{message.subject} {body}"
    assert "赵磊" in body
    link = re.search(r"http://127\.0\.0\.1:8000(/accounts/reset/\S+/)", body)
    assert link, body
    assert isinstance(message, EmailMultiAlternatives)
    html = str(message.alternatives[0][0])
    assert f'<a href="http://127.0.0.1:8000{link.group(1)}">' in html
    # The link leads to Django's form for a new password.
    assert client.get(link.group(1)).status_code == 302


@pytest.mark.usefixtures("committing_requests")
def test_the_chinese_password_reset_email_has_no_english(client, db):
    user = make_user(email="forgot@firm-a.example", language="zh-hans")
    client.post(reverse("password_reset"), {"email": user.email})
    text = re.sub(r"\S+@\S+|https?://\S+", "", str(mail.outbox[0].body))
    assert re.findall(r"[A-Za-z]{3,}", text) == []


def test_removing_a_colleague_asks_first(client, respondent, colleague):
    client.force_login(respondent)
    membership = Membership.objects.get(user=colleague)

    response = client.post(reverse("member_remove", args=[membership.pk]))

    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-testid="confirm-remove"' in page and colleague.email in page
    assert Membership.objects.filter(user=colleague).exists()
    client.post(reverse("member_remove", args=[membership.pk]), {"confirmed": "yes"})
    assert not Membership.objects.filter(user=colleague).exists()
