import re
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from diagnosis.models import Invitation, JoinRequest, Membership
from tests.committing import committed
from tests.factories import make_user


def invite(client, owner, email="new@firm-a.example") -> str:
    client.force_login(owner)
    with committed():
        client.post(reverse("firm_invite"), {"email": email})
    found = re.search(r"/invitations/([\w-]+)/", str(mail.outbox[-1].body))
    assert found, mail.outbox[-1].body
    return found.group(1)


def test_it_emails_an_invitation_link(client, respondent):
    invite(client, respondent)
    assert mail.outbox[-1].to == ["new@firm-a.example"]
    assert Invitation.objects.get().token_hash not in mail.outbox[-1].body


def test_it_lets_the_invitee_join_once(client, respondent, firm):
    token = invite(client, respondent)
    invitee = make_user(email="new@firm-a.example")
    client.force_login(invitee)
    assert client.post(reverse("invitation", args=[token])).status_code == 302
    assert Membership.objects.get(user=invitee).firm == firm
    assert client.get(reverse("invitation", args=[token])).status_code == 404


def test_it_refuses_an_expired_invitation(client, respondent):
    token = invite(client, respondent)
    Invitation.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    client.force_login(make_user(email="new@firm-a.example"))
    assert client.post(reverse("invitation", args=[token])).status_code == 404
    assert not Membership.objects.filter(user__email="new@firm-a.example").exists()


def test_it_refuses_an_invitation_for_another_address(client, respondent):
    token = invite(client, respondent)
    stranger = make_user(email="someone-else@example.com")
    client.force_login(stranger)
    client.post(reverse("invitation", args=[token]))
    assert not Membership.objects.filter(user=stranger).exists()


def test_it_lets_only_owners_invite(client, colleague):
    client.force_login(colleague)
    assert client.post(reverse("firm_invite"), {"email": "x@example.com"}).status_code == 403
    assert not Invitation.objects.exists()


def test_it_lets_an_owner_remove_a_member(client, respondent, colleague):
    client.force_login(respondent)
    membership = Membership.objects.get(user=colleague)
    client.post(reverse("member_remove", args=[membership.pk]), {"confirmed": "yes"})
    assert not Membership.objects.filter(user=colleague).exists()


def test_it_keeps_the_last_owner(client, respondent):
    client.force_login(respondent)
    client.post(reverse("member_remove", args=[respondent.membership.pk]), {"confirmed": "yes"})
    assert Membership.objects.filter(user=respondent).exists()


@pytest.mark.parametrize(("decision", "joined"), [("approve", True), ("reject", False)])
def test_it_lets_an_owner_decide_a_join_request(client, respondent, firm, decision, joined):
    newcomer = make_user()
    request = JoinRequest.objects.create(firm=firm, user=newcomer)
    client.force_login(respondent)
    client.post(reverse("join_request_decide", args=[request.pk]), {"decision": decision})
    assert Membership.objects.filter(user=newcomer, firm=firm).exists() is joined


def test_it_lists_past_assessments_with_status(client, respondent, submitted):
    client.force_login(respondent)
    page = client.get(reverse("firm_detail")).content.decode()
    assert submitted.submitted_at.astimezone().strftime("%Y-%m-%d") in page
    assert reverse("report", args=[submitted.pk]) in page


def test_it_keeps_a_refused_address_in_the_form_with_the_reason(client, respondent, colleague):
    client.force_login(respondent)
    response = client.post(reverse("firm_invite"), {"email": colleague.email})
    assert response.status_code == 400
    html = response.content.decode()
    assert f'value="{colleague.email}"' in html
    assert "invalid-feedback" in html
    assert not Invitation.objects.exists()


def test_a_known_credit_code_does_not_reveal_the_firms_name(client, firm, respondent):
    newcomer = make_user(email="newcomer@example.com")
    client.force_login(newcomer)
    data = {
        "name": "随便写的名字",
        "credit_code": firm.credit_code,
        "industry": "36",
        "employees": "40",
        "revenue": "900",
        "district": "jiading",
    }

    response = client.post(reverse("firm_register"), data, follow=True)

    assert JoinRequest.objects.filter(user=newcomer, firm=firm).exists()
    page = response.content.decode()
    assert "该统一社会信用代码的企业已注册" in page
    assert firm.name not in page
    assert firm.name not in client.get(reverse("home")).content.decode()
