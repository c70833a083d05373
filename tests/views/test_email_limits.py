"""Emails are limited per user, per firm and per client address (issue 11 item 5)."""

import pytest
from django.core import mail
from django.test import override_settings
from django.urls import reverse

from diagnosis.models import Invitation, Membership
from diagnosis.services.firms import FirmError, firm_request_join, invitation_create
from tests.committing import committed
from tests.factories import PASSWORD, make_firm, make_member, make_user

LIMITED = "请稍后再试"  # "Please try again later", in the default language


@override_settings(EMAILS_PER_USER_PER_HOUR=2)
def test_an_owner_sends_at_most_the_limit_of_invitations_an_hour(client, firm, respondent):
    client.force_login(respondent)
    for number in range(2):
        with committed():
            response = client.post(reverse("firm_invite"), {"email": f"c{number}@firm-a.example"})
        assert response.status_code == 302

    refused = client.post(reverse("firm_invite"), {"email": "c9@firm-a.example"})

    assert refused.status_code == 400
    assert LIMITED in refused.content.decode()
    assert Invitation.objects.count() == 2 and len(mail.outbox) == 2


@override_settings(EMAILS_PER_FIRM_PER_HOUR=2, EMAILS_PER_USER_PER_HOUR=100)
def test_a_firms_owners_together_send_at_most_the_firms_limit(firm, respondent):
    second_owner = make_member(firm, Membership.Role.OWNER, email="owner2@firm-a.example")
    invitation_create(firm=firm, owner=respondent, email="a@firm-a.example")
    invitation_create(firm=firm, owner=second_owner, email="b@firm-a.example")

    with pytest.raises(FirmError, match=LIMITED):
        invitation_create(firm=firm, owner=second_owner, email="c@firm-a.example")
    other_firm = make_firm()
    other_owner = make_member(other_firm, Membership.Role.OWNER)
    assert invitation_create(firm=other_firm, owner=other_owner, email="d@b.example")


@override_settings(EMAILS_PER_USER_PER_HOUR=1)
def test_join_requests_are_limited_per_requester(firm, respondent):
    requester = make_user(email="asker@example.com")
    firm_request_join(user=requester, firm=firm)

    with pytest.raises(FirmError, match=LIMITED):
        firm_request_join(user=requester, firm=make_firm())


@pytest.mark.usefixtures("committing_requests")
@override_settings(EMAILS_PER_USER_PER_HOUR=2)
def test_password_resets_to_one_address_are_limited(client, respondent):
    for _attempt in range(2):
        assert (
            client.post(reverse("password_reset"), {"email": respondent.email}).status_code == 302
        )

    refused = client.post(reverse("password_reset"), {"email": respondent.email})

    assert refused.status_code == 200
    assert LIMITED in refused.content.decode()
    assert len(mail.outbox) == 2


@override_settings(EMAILS_PER_ADDRESS_PER_HOUR=2)
def test_sign_ups_from_one_client_address_are_limited(client, db):
    def sign_up(email: str):
        data = {"email": email, "name": "A", "password1": PASSWORD, "password2": PASSWORD}
        with committed():
            return client.post(reverse("signup"), data)

    sign_up("one@example.com")
    sign_up("two@example.com")
    refused = sign_up("three@example.com")

    assert LIMITED in refused.content.decode()
    assert len(mail.outbox) == 2
