from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from diagnosis.models import (
    Assessment,
    Membership,
    OutreachCampaign,
    OutreachMessage,
    PopulationFirm,
)
from diagnosis.queries.population import PopulationFilters, campaigns_with_counts
from diagnosis.services.outreach import (
    outreach_campaign_create,
    outreach_campaign_prepare,
    outreach_message_send,
    population_for_token,
    send_outreach_messages,
)
from tests.factories import make_firm, make_member, make_population_firm

EVERYTHING = PopulationFilters()


@pytest.fixture
def send(django_capture_on_commit_callbacks, administrator):
    def send(
        kind="invitation",
        filters=EVERYTHING,
        districts=None,
        reminder_days=None,
        actor=None,
    ):
        with django_capture_on_commit_callbacks(execute=True):
            return outreach_campaign_create(
                kind=kind,
                filters=filters,
                districts=districts,
                reminder_days=reminder_days,
                actor=actor or administrator,
            )

    return send


def test_it_invites_the_unregistered_firms_the_filter_selects(send):
    minhang = make_population_firm(district="minhang", contact_email="a@minhang.example")
    make_population_firm(district="jiading")
    make_population_firm(district="minhang", firm=make_firm())
    make_population_firm(district="minhang", contact_email="")
    campaign = send(filters=PopulationFilters(districts=("minhang",)))
    assert [message.to for message in mail.outbox] == [["a@minhang.example"]]
    assert campaign.firms_count == 1
    minhang.refresh_from_db()
    assert minhang.last_invited_at is not None


def test_it_puts_a_link_to_a_filled_in_registration_in_the_invitation(send):
    entry = make_population_firm()
    send()
    (message,) = mail.outbox
    url = next(word for word in message.body.split() if "/welcome/" in word)
    token = url.rstrip("/").rsplit("/", 1)[1]
    assert population_for_token(token) == entry
    assert entry.name in message.subject


def test_it_does_not_invite_a_firm_twice_within_the_interval(send, settings):
    settings.OUTREACH_INTERVAL_DAYS = 14
    entry = make_population_firm()
    send()
    send()
    assert len(mail.outbox) == 1
    PopulationFirm.objects.filter(pk=entry.pk).update(
        last_invited_at=timezone.now() - timedelta(days=15)
    )
    send()
    assert len(mail.outbox) == 2


def test_it_never_sends_a_message_twice_when_a_task_runs_again(send):
    make_population_firm()
    campaign = send()
    ids = list(campaign.messages.values_list("population_firm_id", flat=True))
    send_outreach_messages.call(campaign.pk, ids)
    outreach_campaign_prepare(campaign=campaign)
    assert len(mail.outbox) == 1
    assert OutreachMessage.objects.filter(campaign=campaign).count() == 1


def test_it_leaves_a_message_unsent_when_sending_fails(send, settings):
    make_population_firm()
    settings.SEND_NOTIFICATIONS = False
    campaign = send()
    message = campaign.messages.get()
    settings.SEND_NOTIFICATIONS = True
    # A real SMTP backend, at a port where nothing listens: the connection is refused.
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": 9, "timeout": 2},
        }
    }
    with pytest.raises(OSError):
        outreach_message_send(message=message)
    message.refresh_from_db()
    assert message.sent_at is None


def test_it_reminds_the_members_of_firms_that_started_long_ago(
    send, questionnaire, respondent, firm, colleague
):
    from diagnosis.current import refresh_current
    from diagnosis.services.assessments import assessment_start

    entry = make_population_firm(firm=firm)
    assessment = assessment_start(firm=firm, user=respondent)
    Assessment.objects.filter(pk=assessment.pk).update(
        created_at=timezone.now() - timedelta(days=20)
    )
    refresh_current([firm.pk])  # back-dated past the signals
    recent_firm = make_firm()
    make_member(recent_firm, Membership.Role.OWNER)
    make_population_firm(firm=recent_firm)
    assessment_start(firm=recent_firm, user=recent_firm.memberships.get().user)
    campaign = send(kind="reminder", reminder_days=14)
    assert sorted(m.to[0] for m in mail.outbox) == sorted([respondent.email, colleague.email])
    assert campaign.firms_count == 1
    entry.refresh_from_db()
    assert entry.last_reminded_at is not None


def test_it_keeps_a_district_officers_campaign_to_their_districts(send, district_officer):
    make_population_firm(district="minhang", contact_email="in@minhang.example")
    make_population_firm(district="jiading")
    send(districts=["minhang"], actor=district_officer)
    assert [message.to for message in mail.outbox] == [["in@minhang.example"]]


def test_it_counts_sent_registered_and_started_per_campaign(send, questionnaire):
    entries = [make_population_firm() for _ in range(3)]
    campaign = send()
    firm = make_firm(credit_code=entries[0].credit_code)
    PopulationFirm.objects.filter(pk=entries[0].pk).update(firm=firm)
    second = make_firm(credit_code=entries[1].credit_code)
    PopulationFirm.objects.filter(pk=entries[1].pk).update(firm=second)
    owner = make_member(second, Membership.Role.OWNER)
    from diagnosis.services.assessments import assessment_start

    assessment_start(firm=second, user=owner)
    counted = campaigns_with_counts(OutreachCampaign.objects.filter(pk=campaign.pk)).get()
    assert (counted.sent, counted.reached, counted.registered, counted.started) == (3, 3, 2, 1)


def test_it_refuses_a_tampered_or_expired_token(send, settings):
    entry = make_population_firm()
    from diagnosis.services.outreach import invitation_token

    token = invitation_token(entry)
    assert population_for_token(token + "x") is None
    settings.OUTREACH_LINK_DAYS = -1
    assert population_for_token(token) is None
