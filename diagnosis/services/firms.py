"""Writes on firms: registration, joining, invitations, members."""

import hashlib
import secrets
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from diagnosis import ratelimit
from diagnosis.models import (
    DistrictOfficer,
    Firm,
    Invitation,
    JoinRequest,
    Membership,
    ProviderMembership,
    User,
)
from diagnosis.services.audit import audit_log
from diagnosis.services.notifications import send_email
from diagnosis.services.population import population_link_firm


class FirmError(Exception):
    """A membership rule was broken; the message says which."""


def _ensure_no_firm(user: User) -> None:
    if Membership.objects.filter(user=user).exists():
        raise FirmError(_("You already belong to a firm."))


def _count_email(*, user: User, firm: Firm) -> None:
    """Count an email sent on behalf of `user` for `firm`; FirmError past the hourly limits."""
    try:
        ratelimit.email_sent(user=user.pk, firm=firm.pk)
    except ratelimit.EmailLimitReached as error:
        raise FirmError(str(error)) from None


def _ensure_may_answer(user: User) -> None:
    """Provider staff, the programme office and district officers follow firms: letting one
    join would let a consultant answer for a firm they review."""
    if (
        user.is_programme_admin
        or ProviderMembership.objects.filter(user=user).exists()
        or DistrictOfficer.objects.filter(user=user).exists()
    ):
        raise FirmError(
            _(
                "%(user)s works for a diagnosis provider, the programme office or a district, "
                "and so cannot be a member of a firm."
            )
            % {"user": user}
        )


@transaction.atomic
def firm_register(*, user: User, **fields: Any) -> Firm:
    """Create the firm with `user` as its owner."""
    _ensure_no_firm(user)
    _ensure_may_answer(user)
    try:
        with transaction.atomic():
            firm = Firm.objects.create(**fields)
    except IntegrityError:
        raise FirmError(_("A firm with this credit code is already registered.")) from None
    Membership.objects.create(user=user, firm=firm, role=Membership.Role.OWNER)
    population_link_firm(firm=firm)
    audit_log("diagnosis.firm.registered", actor=user, firm=firm, data={"name": firm.name})
    return firm


# What the owner may change in the firm's profile (the credit code identifies the firm).
PROFILE_FIELDS = ("name", "industry", "employees", "revenue", "district")


@transaction.atomic
def firm_update(*, firm: Firm, owner: User, **fields: Any) -> Firm:
    """Change the firm's profile; the audit entry records each changed field's old and new
    value (nothing is written when nothing changed)."""
    unknown = set(fields) - set(PROFILE_FIELDS)
    if unknown:
        raise FirmError(_("These fields cannot be changed: %(fields)s.") % {"fields": unknown})
    locked = Firm.objects.select_for_update().get(pk=firm.pk)
    changes = {
        name: [getattr(locked, name), value]
        for name, value in fields.items()
        if getattr(locked, name) != value
    }
    if not changes:
        return locked
    for name, (_old, new) in changes.items():
        setattr(locked, name, new)
    locked.save()
    audit_log("diagnosis.firm.updated", actor=owner, firm=locked, data={"changes": changes})
    return locked


def firm_register_or_join(*, user: User, **fields: Any) -> Firm | JoinRequest:
    """Register the firm, or, if its credit code is already registered, ask to join it."""
    existing = Firm.objects.filter(credit_code=fields["credit_code"]).first()
    if existing is not None:
        return firm_request_join(user=user, firm=existing)
    return firm_register(user=user, **fields)


@transaction.atomic
def firm_request_join(*, user: User, firm: Firm) -> JoinRequest:
    """Ask the firm's owners to let `user` join; repeated asks reuse the pending request."""
    _ensure_no_firm(user)
    _ensure_may_answer(user)
    request, created = JoinRequest.objects.get_or_create(
        firm=firm, user=user, status=JoinRequest.Status.PENDING
    )
    if created:
        _count_email(user=user, firm=firm)
        audit_log("diagnosis.firm.join_requested", actor=user, firm=firm)
        owners = list(User.objects.filter(membership__firm=firm, membership__role="owner"))
        send_email(
            "join-requested",
            owners,
            {
                "firm_name": firm.name,
                "requester": str(user),
                "requester_email": user.email,
                "url": settings.SITE_URL + reverse("firm_detail"),
            },
        )
    return request


@transaction.atomic
def join_request_decide(*, request: JoinRequest, owner: User, approve: bool) -> JoinRequest:
    """Approve (the user becomes a respondent) or reject a pending request."""
    if request.status != JoinRequest.Status.PENDING:
        raise FirmError(_("This request has already been decided."))
    if approve:
        _ensure_may_answer(request.user)
        try:
            with transaction.atomic():
                Membership.objects.create(user=request.user, firm=request.firm)
        except IntegrityError:
            raise FirmError(_("This person has joined another firm in the meantime.")) from None
    request.status = JoinRequest.Status.APPROVED if approve else JoinRequest.Status.REJECTED
    request.decided_at = timezone.now()
    request.decided_by = owner
    request.save()
    audit_log(
        f"diagnosis.firm.join_{request.status}",
        actor=owner,
        firm=request.firm,
        data={"user": request.user.email},
    )
    return request


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def invitation_create(*, firm: Firm, owner: User, email: str) -> tuple[Invitation, str]:
    """Create an invitation and email its link; returns it and the secret token."""
    email = email.strip().lower()
    if Membership.objects.filter(firm=firm, user__email=email).exists():
        raise FirmError(_("%(email)s is already a member of your firm.") % {"email": email})
    _count_email(user=owner, firm=firm)
    token = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        firm=firm,
        email=email,
        token_hash=_token_hash(token),
        invited_by=owner,
        expires_at=timezone.now() + timedelta(days=settings.INVITATION_DAYS),
    )
    audit_log("diagnosis.firm.invited", actor=owner, firm=firm, data={"email": email})
    _send_invitation(invitation, owner, token)
    return invitation, token


@transaction.atomic
def invitation_resend(*, invitation: Invitation, owner: User) -> tuple[Invitation, str]:
    """Email the invitation again with a new link (the old one stops working: only the
    hash of a token is stored) valid for INVITATION_DAYS from now; counts against the
    email limits like a new invitation. Returns it and the new token."""
    locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if locked.accepted_at is not None:
        raise FirmError(_("This invitation has already been accepted."))
    _count_email(user=owner, firm=locked.firm)
    token = secrets.token_urlsafe(32)
    locked.token_hash = _token_hash(token)
    locked.expires_at = timezone.now() + timedelta(days=settings.INVITATION_DAYS)
    locked.save(update_fields=["token_hash", "expires_at"])
    audit_log(
        "diagnosis.firm.invitation_resent",
        actor=owner,
        firm=locked.firm,
        data={"email": locked.email},
    )
    _send_invitation(locked, owner, token)
    return locked, token


@transaction.atomic
def invitation_revoke(*, invitation: Invitation, owner: User) -> None:
    """Withdraw an invitation not yet accepted: its link stops working."""
    locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if locked.accepted_at is not None:
        raise FirmError(_("This invitation has already been accepted."))
    audit_log(
        "diagnosis.firm.invitation_revoked",
        actor=owner,
        firm=locked.firm,
        data={"email": locked.email},
    )
    locked.delete()


def _send_invitation(invitation: Invitation, owner: User, token: str) -> None:
    firm = invitation.firm
    invitee = User(email=invitation.email, language=owner.language)
    send_email(
        "invitation",
        [invitee],
        {
            "firm_name": firm.name,
            "inviter": str(owner),
            "days": settings.INVITATION_DAYS,
            "url": settings.SITE_URL + reverse("invitation", args=[token]),
        },
    )


def invitation_for_token(token: str) -> Invitation | None:
    """The invitation for a token if it exists, is unused and has not expired."""
    invitation = (
        Invitation.objects.select_related("firm")
        .filter(token_hash=_token_hash(token), accepted_at__isnull=True)
        .first()
    )
    if invitation is None or invitation.expires_at < timezone.now():
        return None
    return invitation


@transaction.atomic
def invitation_accept(*, invitation: Invitation, user: User) -> Membership:
    """Join the invitation's firm as a respondent; the invitation cannot be used again."""
    locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if locked.accepted_at is not None or locked.expires_at < timezone.now():
        raise FirmError(_("This invitation has expired or has already been used."))
    if user.email.lower() != locked.email:
        raise FirmError(
            _("This invitation was sent to %(email)s. Log in with that address to accept it.")
            % {"email": locked.email}
        )
    _ensure_no_firm(user)
    _ensure_may_answer(user)
    membership = Membership.objects.create(user=user, firm=locked.firm)
    locked.accepted_at = timezone.now()
    locked.accepted_by = user
    locked.save(update_fields=["accepted_at", "accepted_by"])
    audit_log("diagnosis.firm.joined", actor=user, firm=locked.firm, data={"via": "invitation"})
    return membership


@transaction.atomic
def member_remove(*, membership: Membership, owner: User) -> None:
    """Remove a member; the last owner cannot be removed."""
    if membership.role == Membership.Role.OWNER:
        owners = Membership.objects.filter(firm=membership.firm, role=Membership.Role.OWNER)
        if owners.count() <= 1:
            raise FirmError(_("A firm needs at least one owner."))
    audit_log(
        "diagnosis.firm.member_removed",
        actor=owner,
        firm=membership.firm,
        data={"user": membership.user.email},
    )
    membership.delete()
