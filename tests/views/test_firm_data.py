"""Firm data (issue 11 item 10): empty selects, the owner's profile edits, pending
invitations with resend and revoke, sign-up pre-filled from an invitation, and the state
of a join request on the home page."""

import re
from urllib.parse import urlencode

import pytest
from django.core import mail
from django.test import override_settings
from django.urls import reverse

from diagnosis.models import AuditEntry, Firm, Invitation, JoinRequest
from diagnosis.services.firms import invitation_create
from diagnosis.services.outreach import invitation_token
from tests.committing import committed
from tests.factories import make_population_firm, make_user

PROFILE = {
    "name": "上海甲精密制造股份有限公司",
    "industry": "35",
    "employees": "150",
    "revenue": "9000",
    "district": "jiading",
}


def select_html(html: str, name: str) -> str:
    found = re.search(rf'<select name="{name}".*?</select>', html, re.S)
    assert found, f"no select {name}"
    return found.group(0)


def selected_values(html: str, name: str) -> list[str]:
    return re.findall(r'<option value="([^"]*)"[^>]*\bselected\b', select_html(html, name))


@pytest.mark.parametrize("name", ["industry", "district"])
def test_it_starts_the_registration_selects_on_choose(client, outsider, name):
    client.force_login(outsider)
    html = client.get(reverse("firm_register")).content.decode()

    options = re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)<', select_html(html, name))
    assert options[0] == ("", "请选择")
    assert selected_values(html, name) in ([], [""])  # nothing chosen but "choose"


def test_it_refuses_a_registration_without_industry_or_district(client, outsider):
    client.force_login(outsider)
    data = {**PROFILE, "credit_code": "91310115MA1H7B3X2T", "industry": "", "district": ""}
    response = client.post(reverse("firm_register"), data)
    assert response.status_code == 200
    assert response.context["form"].errors.keys() >= {"industry", "district"}
    assert not Firm.objects.filter(name=PROFILE["name"]).exists()


def test_it_lets_the_owner_edit_the_firms_profile_with_an_audit_entry(client, firm, respondent):
    client.force_login(respondent)
    page = client.get(reverse("firm_edit")).content.decode()
    assert selected_values(page, "industry") == [str(firm.industry)]
    assert selected_values(page, "district") == [firm.district]

    response = client.post(reverse("firm_edit"), PROFILE)

    assert response.status_code == 302
    firm.refresh_from_db()
    assert (firm.name, firm.industry, firm.district) == (PROFILE["name"], 35, "jiading")
    assert firm.size_class == "small"
    entry = AuditEntry.objects.get(action="diagnosis.firm.updated")
    assert entry.actor == respondent and entry.firm == firm
    assert entry.data["changes"]["district"] == ["minhang", "jiading"]
    assert entry.data["changes"]["name"][1] == PROFILE["name"]


def test_it_refuses_a_profile_edit_by_a_colleague(client, firm, colleague):
    client.force_login(colleague)
    assert client.post(reverse("firm_edit"), PROFILE).status_code == 403
    firm.refresh_from_db()
    assert firm.name != PROFILE["name"]
    assert not AuditEntry.objects.filter(action="diagnosis.firm.updated").exists()


def test_it_keeps_a_bad_profile_edit_in_the_form(client, firm, respondent):
    client.force_login(respondent)
    response = client.post(reverse("firm_edit"), {**PROFILE, "employees": "0"})
    assert response.status_code == 400
    assert "invalid-feedback" in response.content.decode()
    firm.refresh_from_db()
    assert firm.name != PROFILE["name"]


def _link(message) -> str:
    found = re.search(r"/invitations/([\w-]+)/", str(message.body))
    assert found
    return found.group(0)


def test_it_lists_pending_invitations_to_the_owner(client, firm, respondent):
    with committed():
        invitation_create(firm=firm, owner=respondent, email="waiting@firm-a.example")
    client.force_login(respondent)
    page = client.get(reverse("firm_detail")).content.decode()
    assert "waiting@firm-a.example" in page
    invitation = Invitation.objects.get()
    assert reverse("invitation_resend", args=[invitation.pk]) in page
    assert reverse("invitation_revoke", args=[invitation.pk]) in page


@pytest.mark.usefixtures("committing_requests")
def test_it_resends_an_invitation_with_a_new_link(client, firm, respondent):
    with committed():
        invitation_create(firm=firm, owner=respondent, email="waiting@firm-a.example")
    old_link = _link(mail.outbox[-1])
    invitation = Invitation.objects.get()
    client.force_login(respondent)

    response = client.post(reverse("invitation_resend", args=[invitation.pk]))

    assert response.status_code == 302
    assert len(mail.outbox) == 2 and mail.outbox[-1].to == ["waiting@firm-a.example"]
    new_link = _link(mail.outbox[-1])
    assert new_link != old_link
    assert client.get(old_link).status_code == 404
    assert client.get(new_link).status_code == 200
    assert AuditEntry.objects.filter(action="diagnosis.firm.invitation_resent").exists()


@pytest.mark.usefixtures("committing_requests")
@override_settings(EMAILS_PER_USER_PER_HOUR=1)
def test_it_counts_a_resent_invitation_against_the_email_limit(client, firm, respondent):
    with committed():
        invitation_create(firm=firm, owner=respondent, email="waiting@firm-a.example")
    client.force_login(respondent)

    response = client.post(
        reverse("invitation_resend", args=[Invitation.objects.get().pk]), follow=True
    )

    assert "请稍后再试" in response.content.decode()
    assert len(mail.outbox) == 1


@pytest.mark.usefixtures("committing_requests")
def test_it_revokes_an_invitation(client, firm, respondent):
    with committed():
        invitation_create(firm=firm, owner=respondent, email="waiting@firm-a.example")
    link = _link(mail.outbox[-1])
    client.force_login(respondent)

    client.post(reverse("invitation_revoke", args=[Invitation.objects.get().pk]))

    assert not Invitation.objects.exists()
    assert client.get(link).status_code == 404
    entry = AuditEntry.objects.get(action="diagnosis.firm.invitation_revoked")
    assert entry.data == {"email": "waiting@firm-a.example"}


def test_it_does_not_let_another_firms_owner_revoke(client, firm, respondent, other_respondent):
    with committed():
        invitation_create(firm=firm, owner=respondent, email="waiting@firm-a.example")
    client.force_login(other_respondent)
    response = client.post(reverse("invitation_revoke", args=[Invitation.objects.get().pk]))
    assert response.status_code == 404
    assert Invitation.objects.exists()


@pytest.mark.usefixtures("committing_requests")
def test_sign_up_from_a_colleagues_invitation_fills_in_the_email(client, firm, respondent):
    with committed():
        invitation_create(firm=firm, owner=respondent, email="invited@firm-a.example")
    link = _link(mail.outbox[-1])
    invitation_page = client.get(link).content.decode()
    found = re.search(r'href="(/accounts/signup/\?[^"]+)"', invitation_page)
    assert found, invitation_page

    form = client.get(found.group(1).replace("&amp;", "&")).context["form"]

    assert form["email"].value() == "invited@firm-a.example"


def test_sign_up_from_the_programmes_invitation_fills_in_the_contact_email(client, db):
    entry = make_population_firm(contact_email="boss@factory.example")
    register = f"{reverse('firm_register')}?{urlencode({'invitation': invitation_token(entry)})}"
    form = client.get(reverse("signup"), {"next": register}).context["form"]
    assert form["email"].value() == "boss@factory.example"


def test_sign_up_without_a_valid_invitation_starts_empty(client, db):
    for next_url in ("/invitations/not-a-token/", "/firm/", "https://evil.example/"):
        form = client.get(reverse("signup"), {"next": next_url}).context["form"]
        assert not form["email"].value()


def test_the_home_page_says_a_join_request_is_waiting(client, firm, respondent):
    newcomer = make_user(email="newcomer@example.com")
    JoinRequest.objects.create(firm=firm, user=newcomer)
    client.force_login(newcomer)

    page = client.get(reverse("home")).content.decode()

    assert 'data-testid="join-waiting"' in page
    assert firm.name not in page


def test_the_home_page_says_nothing_once_the_request_is_decided(client, firm, respondent):
    newcomer = make_user(email="newcomer@example.com")
    JoinRequest.objects.create(firm=firm, user=newcomer, status=JoinRequest.Status.REJECTED)
    client.force_login(newcomer)
    assert 'data-testid="join-waiting"' not in client.get(reverse("home")).content.decode()
