"""Assigning firms to providers (the programme office) and to consultants (provider
managers), one by one or every firm a filter selects, and the emails that follow.

One code path for one firm and for a hundred thousand: rows are written in bulk, one
audit entry per firm changed, and one email per bulk action to the provider's managers
and to the consultant (the firms' own members get one each: it is their news).
"""

from collections.abc import Iterable, Iterator
from itertools import islice

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from diagnosis.models import (
    Assignment,
    AuditEntry,
    Provider,
    ProviderMembership,
    User,
)
from diagnosis.services.benchmarks import benchmark_refresh_after_commit
from diagnosis.services.notifications import send_email

CHUNK = 500  # ids per IN (...) list: well under SQLite's limit on bound variables
FIRM_NAMES_IN_EMAIL = 20


class AssignmentError(Exception):
    """The assignment is not allowed; the message says why."""


def _chunks(ids: Iterable[int], size: int = CHUNK) -> Iterator[list[int]]:
    iterator = iter(ids)
    while chunk := list(islice(iterator, size)):
        yield chunk


def _audit(entries: list[AuditEntry]) -> None:
    AuditEntry.objects.bulk_create(entries, batch_size=CHUNK)


def _entry(firm_id: int, actor: User, before: tuple, after: tuple) -> AuditEntry:
    return AuditEntry(
        action="diagnosis.firm.assigned",
        actor=actor,
        firm_id=firm_id,
        data={
            "before": {"provider": before[0], "consultant": before[1]},
            "after": {"provider": after[0], "consultant": after[1]},
        },
        created_at=timezone.now(),
    )


@transaction.atomic
def assignments_set_provider(*, firm_ids: Iterable[int], provider: Provider, actor: User) -> int:
    """Assign the firms to `provider`; a firm moved from another provider loses its
    consultant, a firm already with `provider` is left as it is. Returns how many firms
    changed; the provider's managers get one email about them."""
    changed = 0
    now = timezone.now()
    for chunk in _chunks(firm_ids):
        existing = {
            firm_id: (provider_id, consultant_id)
            for firm_id, provider_id, consultant_id in Assignment.objects.filter(
                firm_id__in=chunk
            ).values_list("firm_id", "provider_id", "consultant_id")
        }
        moved = [firm_id for firm_id, (pid, _c) in existing.items() if pid != provider.pk]
        new = [firm_id for firm_id in chunk if firm_id not in existing]
        Assignment.objects.filter(firm_id__in=moved).update(
            provider=provider, consultant=None, assigned_at=now
        )
        Assignment.objects.bulk_create(
            [Assignment(firm_id=firm_id, provider=provider) for firm_id in new]
        )
        _audit(
            [_entry(f, actor, existing[f], (provider.pk, None)) for f in moved]
            + [_entry(f, actor, (None, None), (provider.pk, None)) for f in new]
        )
        changed += len(moved) + len(new)
    if changed:
        transaction.on_commit(lambda: notify_provider_assigned(provider.pk, changed))
        benchmark_refresh_after_commit()  # the provider table counts the firms' history anew
    return changed


@transaction.atomic
def assignments_set_consultant(
    *, firm_ids: Iterable[int], provider_ids: Iterable[int], consultant: User, actor: User
) -> int:
    """Give `consultant` the firms assigned to one of `provider_ids` (the manager's
    providers) that the consultant works for. Returns how many firms changed; the
    consultant gets one email, each firm's members one each."""
    consultant_providers = set(
        ProviderMembership.objects.filter(
            user=consultant, provider_id__in=list(provider_ids)
        ).values_list("provider_id", flat=True)
    )
    if not consultant_providers:
        raise AssignmentError(_("That consultant does not work for your provider."))
    changed: list[int] = []
    for chunk in _chunks(firm_ids):
        rows = list(
            Assignment.objects.filter(firm_id__in=chunk, provider_id__in=consultant_providers)
            .exclude(consultant=consultant)
            .values_list("firm_id", "provider_id", "consultant_id")
        )
        ids = [firm_id for firm_id, _p, _c in rows]
        Assignment.objects.filter(firm_id__in=ids).update(
            consultant=consultant, assigned_at=timezone.now()
        )
        _audit([_entry(f, actor, (p, c), (p, consultant.pk)) for f, p, c in rows])
        changed += ids
    if changed:
        transaction.on_commit(lambda: notify_consultant_assigned(consultant.pk, changed))
        benchmark_refresh_after_commit()  # the consultants' rows count the firms anew
    return len(changed)


def notify_provider_assigned(provider_id: int, count: int) -> int:
    """One email to each manager of the provider: `count` firms were assigned to it."""
    provider = Provider.objects.get(pk=provider_id)
    managers = list(
        User.objects.filter(
            provider_memberships__provider=provider,
            provider_memberships__role=ProviderMembership.Role.MANAGER,
            is_active=True,
        )
    )
    context = {
        "provider_name": provider.name,
        "count": count,
        "url": settings.SITE_URL + reverse("provider"),
    }
    return send_email("provider-assigned", managers, context)


def notify_consultant_assigned(consultant_id: int, firm_ids: list[int]) -> int:
    """One email to the consultant naming the firms; one to each member of each firm
    saying who its provider and consultant are now."""
    consultant = User.objects.get(pk=consultant_id)
    assignments = Assignment.objects.filter(firm_id__in=firm_ids).select_related("firm", "provider")
    names = [a.firm.name for a in assignments.order_by("firm__name")[:FIRM_NAMES_IN_EMAIL]]
    sent = send_email(
        "consultant-assigned",
        [consultant],
        {
            "count": len(firm_ids),
            "firm_names": names,
            "more": max(0, len(firm_ids) - len(names)),
            "url": settings.SITE_URL + reverse("review_queue"),
        },
    )
    members: dict[int, list[User]] = {}
    for user in User.objects.filter(membership__firm_id__in=firm_ids, is_active=True).annotate(
        member_of=F("membership__firm_id")
    ):
        members.setdefault(user.member_of, []).append(user)
    for assignment in assignments:
        sent += send_email(
            "firm-assigned",
            members.get(assignment.firm_id, []),
            {
                "firm_name": assignment.firm.name,
                "provider_name": assignment.provider.name,
                "consultant_name": str(consultant),
                "consultant_email": consultant.email,
                "url": settings.SITE_URL + reverse("firm_detail"),
            },
        )
    return sent
