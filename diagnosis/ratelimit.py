"""Counters in the default cache for rate limits: per client address, user or firm.

Fixed windows: an event counts in the window it happened in (`window` seconds long), and
the limit applies within it. The cache must be shared by every app server for the limits to
hold across them (a per-process cache allows `limit` per process).
"""

from django.core.cache import cache
from django.http import HttpRequest
from django.utils import timezone
from ipware import get_client_ip


def client_address(request: HttpRequest) -> str:
    """The client's address as django-axes sees it (django-ipware with the AXES_IPWARE_*
    settings): behind PROXY_COUNT reverse proxies, from X-Forwarded-For, else REMOTE_ADDR."""
    from django.conf import settings

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
