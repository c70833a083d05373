"""The one way to write the audit trail (pretix's log_action, in spirit)."""

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from diagnosis.models import Assessment, AuditEntry, Firm, User


def audit_log(
    action: str,
    *,
    actor: User | AnonymousUser | None = None,
    firm: Firm | None = None,
    assessment: Assessment | None = None,
    data: dict[str, Any] | None = None,
) -> AuditEntry:
    """Append one entry; `action` is a dotted code such as ``diagnosis.answer.validated``."""
    if assessment is not None and firm is None:
        firm = assessment.firm
    return AuditEntry.objects.create(
        action=action,
        actor=actor if actor is not None and actor.is_authenticated else None,
        firm=firm,
        assessment=assessment,
        data=data or {},
        created_at=timezone.now(),
    )
