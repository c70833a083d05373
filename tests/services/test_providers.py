"""Access and notifications follow the current provider membership (issue 11 item 4)."""

import pytest
from django.core import mail
from django.urls import reverse

from diagnosis.models import Assignment, AuditEntry, Provider, ProviderMembership
from diagnosis.services.firms import (
    FirmError,
    firm_request_join,
    invitation_accept,
    invitation_create,
    join_request_decide,
)
from diagnosis.services.notifications import notify_submitted
from diagnosis.services.providers import (
    ProviderError,
    provider_member_add,
    provider_member_move,
    provider_member_remove,
)
from tests.factories import make_user


def firm_urls(assessment) -> list[tuple[str, str]]:
    """What the assigned consultant reads or does on a submitted assessment."""
    pk = assessment.pk
    return [
        ("get", reverse("report", args=[pk])),
        ("get", reverse("report_pdf", args=[pk])),
        ("get", reverse("history", args=[pk])),
        ("get", reverse("section", args=[pk, "STR"])),
        ("get", reverse("review", args=[pk])),
        ("get", reverse("review_dimension", args=[pk, "STR"])),
        ("post", reverse("review_answer", args=[pk, "STR-01"])),
        ("post", reverse("review_comment_add", args=[pk])),
        ("post", reverse("review_decide", args=[pk])),
    ]


def statuses(client, assessment) -> set[int]:
    client.raise_request_exception = False
    data = {"v-STR-01-action": "confirm", "text": "请补充。", "decision": "sign_off"}
    return {
        (client.get(url) if method == "get" else client.post(url, data)).status_code
        for method, url in firm_urls(assessment)
    }


def consultant_membership(consultant) -> ProviderMembership:
    return ProviderMembership.objects.get(user=consultant)


def test_it_sends_a_removed_consultants_firms_back_to_the_managers_queue(
    submitted, consultant, manager, provider
):
    released = provider_member_remove(membership=consultant_membership(consultant), actor=manager)

    assignment = Assignment.objects.get(firm=submitted.firm)
    assert (released, assignment.provider, assignment.consultant) == (1, provider, None)
    actions = list(AuditEntry.objects.values_list("action", "data__reason").order_by("pk"))
    assert ("diagnosis.firm.assigned", "consultant_left_provider") in actions
    assert ("diagnosis.provider.member_removed", None) in actions


def test_a_removed_consultant_gets_404_on_everything_of_the_firm(client, submitted, consultant):
    client.force_login(consultant)
    assert 200 in statuses(client, submitted)  # the check below can fail

    provider_member_remove(membership=consultant_membership(consultant), actor=None)

    assert statuses(client, submitted) == {404}
    assert client.get(reverse("review_queue")).status_code == 403


def test_access_follows_membership_even_if_the_assignment_was_not_released(
    client, submitted, consultant
):
    """A membership deleted behind the services' back (a script, the database) still ends
    the consultant's access and emails: access does not trust `Assignment.consultant`."""
    ProviderMembership.objects.filter(user=consultant).delete()
    client.force_login(consultant)

    assert Assignment.objects.get(firm=submitted.firm).consultant == consultant
    assert statuses(client, submitted) == {404}
    mail.outbox.clear()
    assert notify_submitted(submitted.pk) == 0
    assert mail.outbox == []


def test_a_consultant_moved_to_another_provider_loses_the_old_providers_firms(
    client, submitted, consultant, manager, provider
):
    other_provider = Provider.objects.create(name="另一家诊断服务商")
    provider_member_move(
        membership=consultant_membership(consultant), provider=other_provider, actor=manager
    )
    client.force_login(consultant)

    assert Assignment.objects.get(firm=submitted.firm).consultant is None
    assert statuses(client, submitted) == {404}
    queue = client.get(reverse("review_queue"))
    assert queue.status_code == 200
    assert submitted.firm.name not in queue.content.decode()


def test_the_manager_still_sees_the_released_case_in_the_queue(
    client, submitted, consultant, manager
):
    provider_member_remove(membership=consultant_membership(consultant), actor=manager)
    client.force_login(manager)

    assert submitted.firm.name in client.get(reverse("review_queue")).content.decode()


def test_the_submission_email_goes_only_to_a_current_consultant(submitted, consultant):
    mail.outbox.clear()
    assert notify_submitted(submitted.pk) == 1
    provider_member_remove(membership=consultant_membership(consultant), actor=None)

    assert notify_submitted(submitted.pk) == 0


def test_a_firms_member_cannot_join_a_provider(respondent, provider):
    with pytest.raises(ProviderError, match="不能同时为诊断服务商工作"):
        provider_member_add(user=respondent, provider=provider, role="consultant", actor=None)
    assert not ProviderMembership.objects.filter(user=respondent).exists()


@pytest.mark.parametrize("persona", ["consultant", "manager", "administrator", "district_officer"])
def test_staff_cannot_accept_an_invitation_to_a_firm(request, firm, respondent, persona):
    user = request.getfixturevalue(persona)
    invitation, _token = invitation_create(firm=firm, owner=respondent, email=user.email)

    with pytest.raises(FirmError, match="不能成为企业成员"):
        invitation_accept(invitation=invitation, user=user)


@pytest.mark.parametrize("persona", ["consultant", "administrator"])
def test_staff_cannot_ask_to_join_a_firm(request, firm, persona):
    with pytest.raises(FirmError, match="不能成为企业成员"):
        firm_request_join(user=request.getfixturevalue(persona), firm=firm)


def test_an_owner_cannot_approve_someone_who_joined_a_provider_since(firm, respondent, provider):
    user = make_user(email="later.consultant@example.com")
    join_request = firm_request_join(user=user, firm=firm)
    ProviderMembership.objects.create(user=user, provider=provider)

    with pytest.raises(FirmError, match="不能成为企业成员"):
        join_request_decide(request=join_request, owner=respondent, approve=True)


def test_the_invitation_page_tells_a_consultant_why_they_cannot_join(
    client, firm, respondent, consultant
):
    _invitation, token = invitation_create(firm=firm, owner=respondent, email=consultant.email)
    client.force_login(consultant)

    response = client.post(
        reverse("invitation", args=[token]), follow=True, HTTP_ACCEPT_LANGUAGE="en"
    )

    assert response.status_code == 200
    assert "cannot be a member of a firm" in response.content.decode()
    assert not firm.memberships.filter(user=consultant).exists()


def test_deleting_a_consultant_in_the_admin_releases_their_firms(
    client, submitted, consultant, administrator
):
    administrator.is_staff = administrator.is_superuser = True
    administrator.save()
    client.force_login(administrator)
    membership = consultant_membership(consultant)

    url = reverse("admin:diagnosis_providermembership_delete", args=[membership.pk])
    response = client.post(url, {"post": "yes"})

    assert response.status_code == 302
    assert not ProviderMembership.objects.filter(pk=membership.pk).exists()
    assert Assignment.objects.get(firm=submitted.firm).consultant is None
    assert AuditEntry.objects.filter(action="diagnosis.provider.member_removed").exists()


def test_the_admin_refuses_to_make_a_firms_member_a_consultant(
    client, respondent, provider, administrator
):
    administrator.is_staff = administrator.is_superuser = True
    administrator.save()
    client.force_login(administrator)

    response = client.post(
        reverse("admin:diagnosis_providermembership_add"),
        {"user": respondent.pk, "provider": provider.pk, "role": "consultant"},
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.status_code == 200
    assert "cannot work for a diagnosis provider" in response.content.decode()
    assert not ProviderMembership.objects.filter(user=respondent).exists()
