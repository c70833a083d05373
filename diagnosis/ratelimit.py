"""Counters in the default cache for rate limits: per client address, user or firm.

Fixed windows: an event counts in the window it happened in (`window` seconds long), and
the limit applies within it. The cache must be shared by every app server for the limits to
hold across them (a per-process cache allows `limit` per process).
"""

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ipware import get_client_ip


def client_address(request: HttpRequest) -> str:
    """The client's address as django-axes sees it (django-ipware with the AXES_IPWARE_*
    settings): behind PROXY_COUNT reverse proxies, from X-Forwarded-For, else REMOTE_ADDR."""
    address, _routable = get_client_ip(
        request,
        proxy_order="right-most"
        if settings.AXES_IPWARE_PROXY_ORDER == "right-most"
        else "left-most",
        proxy_count=settings.AXES_IPWARE_PROXY_COUNT,
        request_header_order=settings.AXES_IPWARE_META_PRECEDENCE_ORDER,
    )
    return (address or request.META.get("REMOTE_ADDR", ""))[:64]


def _key(scope: str, subject: object, window: int) -> str:
    bucket = int(timezone.now().timestamp()) // window
    return f"limit:{scope}:{subject}:{window}:{bucket}"


def hit(scope: str, subject: object, *, limit: int, window: int) -> bool:
    """Count one event of `subject` (an address, a user id...); True once past `limit`."""
    key = _key(scope, subject, window)
    cache.add(key, 0, timeout=window)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=window)
        count = 1
    return count > limit


def exceeded(scope: str, subject: object, *, limit: int, window: int) -> bool:
    """Whether `subject` is already past `limit` in this window (counts nothing)."""
    return (cache.get(_key(scope, subject, window)) or 0) >= limit


class EmailLimitReached(Exception):
    """Too many emails for a user, a firm or an address in the last hour."""


def email_sent(*, user: object = None, firm: object = None, address: str | None = None) -> None:
    """Count one email sent on behalf of a user (an id or an address typed in), a firm or a
    client address; raise EmailLimitReached, counting nothing, if any is at its hourly limit
    (EMAILS_PER_USER_PER_HOUR, EMAILS_PER_FIRM_PER_HOUR, EMAILS_PER_ADDRESS_PER_HOUR)."""
    subjects = [
        (scope, subject, limit)
        for scope, subject, limit in (
            ("email-user", user, settings.EMAILS_PER_USER_PER_HOUR),
            ("email-firm", firm, settings.EMAILS_PER_FIRM_PER_HOUR),
            ("email-address", address, settings.EMAILS_PER_ADDRESS_PER_HOUR),
        )
        if subject is not None
    ]
    if any(
        exceeded(scope, subject, limit=limit, window=3600) for scope, subject, limit in subjects
    ):
        raise EmailLimitReached(
            _("Too many emails were sent for this in the last hour. Please try again later.")
        )
    for scope, subject, limit in subjects:
        hit(scope, subject, limit=limit, window=3600)
