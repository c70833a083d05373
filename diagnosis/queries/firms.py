"""Reads about a firm's people: invitations waiting to be accepted, requests to join."""

from diagnosis.models import Firm, Invitation, JoinRequest, User


def invitations_pending(firm: Firm) -> list[Invitation]:
    """The firm's invitations not yet accepted, newest first (expired ones too: the owner
    may send them again)."""
    return list(
        Invitation.objects.filter(firm=firm, accepted_at__isnull=True)
        .select_related("invited_by")
        .order_by("-created_at", "-pk")
    )


def join_request_pending(user: User) -> JoinRequest | None:
    """The user's join request that waits for a firm owner's decision, if any."""
    return (
        JoinRequest.objects.filter(user=user, status=JoinRequest.Status.PENDING)
        .order_by("-created_at")
        .first()
    )
