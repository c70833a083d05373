"""Writes on who works for a diagnosis provider: adding, moving and removing its staff.

Access to a firm's assessment follows the current provider membership (permissions.py);
these services also send a departing consultant's cases back to the provider manager's
queue (the assignment keeps its provider, loses its consultant), each change audited.
"""

from django.db import transaction
from django.utils.translation import gettext as _

from diagnosis.models import Assignment, Membership, Provider, ProviderMembership, User
from diagnosis.services.audit import audit_log


class ProviderError(Exception):
    """A provider staff rule was broken; the message says which."""


@transaction.atomic
def provider_member_add(
    *, user: User, provider: Provider, role: str, actor: User | None
) -> ProviderMembership:
    """Make `user` consultant or manager of `provider`; a firm's member cannot be one."""
    if Membership.objects.filter(user=user).exists():
        raise ProviderError(
            _("%(user)s answers for a firm and so cannot work for a diagnosis provider.")
            % {"user": user}
        )
    membership, _created = ProviderMembership.objects.update_or_create(
        user=user, provider=provider, defaults={"role": role}
    )
    audit_log(
        "diagnosis.provider.member_added",
        actor=actor,
        data={"provider": provider.pk, "user": user.email, "role": role},
    )
    return membership


@transaction.atomic
def provider_member_remove(*, membership: ProviderMembership, actor: User | None) -> int:
    """Remove a consultant or manager from the provider; returns how many of their firms
    went back to the manager's queue."""
    released = _release_cases(membership, actor)
    audit_log(
        "diagnosis.provider.member_removed",
        actor=actor,
        data={"provider": membership.provider_id, "user": membership.user.email},
    )
    membership.delete()
    return released


@transaction.atomic
def provider_member_move(
    *, membership: ProviderMembership, provider: Provider, actor: User | None
) -> ProviderMembership:
    """Move a consultant or manager to another provider; their firms at the old one go back
    to its manager's queue."""
    previous = membership.provider_id
    if previous == provider.pk:
        return membership
    if ProviderMembership.objects.filter(user=membership.user, provider=provider).exists():
        raise ProviderError(_("This person already works for that provider."))
    _release_cases(membership, actor)
    membership.provider = provider
    membership.save(update_fields=["provider"])
    audit_log(
        "diagnosis.provider.member_moved",
        actor=actor,
        data={"user": membership.user.email, "before": previous, "after": provider.pk},
    )
    return membership


def _release_cases(membership: ProviderMembership, actor: User | None) -> int:
    """Unassign the consultant from the provider's firms, one audited change per firm."""
    assignments = list(
        Assignment.objects.select_for_update()
        .select_related("firm")
        .filter(provider_id=membership.provider_id, consultant_id=membership.user_id)
    )
    for assignment in assignments:
        assignment.consultant = None
        assignment.save(update_fields=["consultant", "assigned_at"])
        audit_log(
            "diagnosis.firm.assigned",
            actor=actor,
            firm=assignment.firm,
            data={
                "before": {"provider": assignment.provider_id, "consultant": membership.user_id},
                "after": {"provider": assignment.provider_id, "consultant": None},
                "reason": "consultant_left_provider",
            },
        )
    return len(assignments)
