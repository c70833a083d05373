"""Invitations and reminders to population firms, sent by background tasks.

A campaign is created in the request (one row: who, what filter); a task then selects the
firms in batches, marks each firm as written to (so no other campaign writes to it again
within OUTREACH_INTERVAL_DAYS) and queues the sending of that batch. Sending claims each
message before it goes, so a task run twice never sends an email twice.
"""

from collections.abc import Iterable, Sequence

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from diagnosis.models import (
    OutreachCampaign,
    OutreachMessage,
    PopulationFirm,
    User,
)
from diagnosis.queries.population import PopulationFilters, outreach_candidates
from diagnosis.services.audit import audit_log
from diagnosis.services.notifications import send_templated_email
from diagnosis.tasks import background_task, enqueue_on_commit

BATCH_SIZE = 500
INVITATION_SALT = "diagnosis.population.invitation"
_LAST_WRITTEN = {
    OutreachCampaign.Kind.INVITATION: "last_invited_at",
    OutreachCampaign.Kind.REMINDER: "last_reminded_at",
}


def invitation_token(population_firm: PopulationFirm) -> str:
    """The signed token of the invitation link of one population firm."""
    return signing.dumps(population_firm.pk, salt=INVITATION_SALT)


def population_for_token(token: str) -> PopulationFirm | None:
    """The population firm of a valid, unexpired invitation token; None for any other."""
    max_age = settings.OUTREACH_LINK_DAYS * 24 * 3600
    try:
        pk = signing.loads(token, salt=INVITATION_SALT, max_age=max_age)
    except signing.BadSignature:
        return None
    if not isinstance(pk, int):
        return None
    return PopulationFirm.objects.select_related("firm").filter(pk=pk).first()


def candidates(
    campaign_scope: QuerySet[PopulationFirm],
    *,
    kind: str,
    filters: PopulationFilters,
    reminder_days: int | None,
) -> QuerySet[PopulationFirm]:
    """The firms a campaign would write to now (see queries.population.outreach_candidates)."""
    return outreach_candidates(
        campaign_scope,
        kind=kind,
        filters=filters,
        now=timezone.now(),
        interval_days=settings.OUTREACH_INTERVAL_DAYS,
        reminder_days=reminder_days,
    )


def _scope(districts: Iterable[str] | None) -> QuerySet[PopulationFirm]:
    queryset = PopulationFirm.objects.all()
    return queryset if districts is None else queryset.filter(district__in=list(districts))


@transaction.atomic
def outreach_campaign_create(
    *,
    kind: str,
    filters: PopulationFilters,
    districts: Iterable[str] | None,
    reminder_days: int | None,
    actor: User,
) -> OutreachCampaign:
    """Record the campaign and queue its preparation (after commit); the request sends nothing."""
    scope = None if districts is None else sorted(districts)
    campaign = OutreachCampaign.objects.create(
        kind=kind,
        filters=filters.as_json(),
        districts=scope,
        reminder_days=reminder_days if kind == OutreachCampaign.Kind.REMINDER else None,
        created_by=actor,
        created_at=timezone.now(),
        firms_count=candidates(
            _scope(scope), kind=kind, filters=filters, reminder_days=reminder_days
        ).count(),
    )
    audit_log(
        f"diagnosis.outreach.{kind}_queued",
        actor=actor,
        data={"filters": campaign.filters, "districts": scope, "firms": campaign.firms_count},
    )
    enqueue_on_commit(prepare_outreach_campaign, campaign.pk)
    return campaign


@background_task()
def prepare_outreach_campaign(campaign_id: int) -> None:
    """Select the campaign's firms and queue their emails, a batch at a time. Running it
    again only picks up firms not yet written to."""
    campaign = OutreachCampaign.objects.filter(pk=campaign_id).first()
    if campaign is not None:
        outreach_campaign_prepare(campaign=campaign)


def outreach_campaign_prepare(*, campaign: OutreachCampaign) -> int:
    """Queue the campaign's emails; returns how many firms it writes to."""
    selected = candidates(
        _scope(campaign.districts),
        kind=campaign.kind,
        filters=PopulationFilters.from_json(campaign.filters),
        reminder_days=campaign.reminder_days,
    )
    ids = list(selected.values_list("pk", flat=True))
    for start in range(0, len(ids), BATCH_SIZE):
        _prepare_batch(campaign, selected, ids[start : start + BATCH_SIZE])
    reached = campaign.messages.values("population_firm").distinct().count()
    OutreachCampaign.objects.filter(pk=campaign.pk).update(
        status=OutreachCampaign.Status.QUEUED, firms_count=reached
    )
    return reached


@transaction.atomic
def _prepare_batch(
    campaign: OutreachCampaign, selected: QuerySet[PopulationFirm], ids: list[int]
) -> None:
    # Locked and selected again: a campaign running at the same time waits, then finds
    # these firms written to and leaves them out.
    firms = list(
        selected.filter(pk__in=ids)
        .select_for_update(of=("self",))
        .values_list("pk", "contact_email", "firm_id")
    )
    if not firms:
        return
    messages = _messages(campaign, firms)
    written = sorted({message.population_firm_id for message in messages})
    PopulationFirm.objects.filter(pk__in=written).update(
        **{_LAST_WRITTEN[OutreachCampaign.Kind(campaign.kind)]: timezone.now()}
    )
    OutreachMessage.objects.bulk_create(messages)
    enqueue_on_commit(send_outreach_messages, campaign.pk, written)


def _messages(
    campaign: OutreachCampaign, firms: Sequence[tuple[int, str, int | None]]
) -> list[OutreachMessage]:
    """An invitation to each firm's contact address (in the site's language), or a reminder
    to each active member of each firm (in their own language)."""
    if campaign.kind == OutreachCampaign.Kind.INVITATION:
        return [
            OutreachMessage(
                campaign=campaign,
                population_firm_id=pk,
                email=email,
                language=settings.LANGUAGE_CODE,
            )
            for pk, email, _firm in firms
        ]
    by_firm = {firm_id: pk for pk, _email, firm_id in firms}
    members = User.objects.filter(
        membership__firm_id__in=list(by_firm), is_active=True
    ).values_list("membership__firm_id", "email", "language")
    return [
        OutreachMessage(
            campaign=campaign,
            population_firm_id=by_firm[firm_id],
            email=email,
            language=language,
        )
        for firm_id, email, language in members
    ]


@background_task()
def send_outreach_messages(campaign_id: int, population_firm_ids: list[int]) -> None:
    """Send the campaign's unsent emails to these firms."""
    messages = OutreachMessage.objects.filter(
        campaign_id=campaign_id,
        population_firm_id__in=population_firm_ids,
        sent_at__isnull=True,
    ).select_related("campaign", "population_firm")
    for message in messages:
        outreach_message_send(message=message)


def outreach_message_send(*, message: OutreachMessage) -> bool:
    """Send one message unless it was sent already; returns whether this call sent it."""
    if not settings.SEND_NOTIFICATIONS:
        return False
    claimed = OutreachMessage.objects.filter(pk=message.pk, sent_at__isnull=True)
    if not claimed.update(sent_at=timezone.now()):
        return False
    try:
        send_templated_email.call(
            f"outreach-{message.campaign.kind}",
            message.email,
            message.language,
            _context(message),
        )
    except Exception:
        OutreachMessage.objects.filter(pk=message.pk).update(sent_at=None)
        raise
    return True


def _context(message: OutreachMessage) -> dict:
    firm = message.population_firm
    if message.campaign.kind == OutreachCampaign.Kind.INVITATION:
        path = reverse("population_welcome", args=[invitation_token(firm)])
        return {
            "firm_name": firm.name,
            "url": settings.SITE_URL + path,
            "days": settings.OUTREACH_LINK_DAYS,
        }
    return {
        "firm_name": firm.name,
        "days": message.campaign.reminder_days,
        "url": settings.SITE_URL + reverse("firm_detail"),
    }
