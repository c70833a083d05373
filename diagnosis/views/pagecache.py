"""Whole pages kept in each process's memory, under a key naming everything they show.

A respondent's section page takes about 14 ms to build and is asked for again and again
while nothing on it changes: reloads, going back and forth between sections, a colleague
or the consultant looking at it. The key holds the user, their roles, the language, the
path and what the view says the page depends on: for answering pages a fingerprint of
the assessment read from the database on every request. Any change gives a new key, so
an entry can be dropped but is never stale, and the cache needs no invalidation and no
sharing between processes.

The CSRF token is the one part that differs between requests for the same page: pages
are built with a marker in its place and served with a fresh token.
"""

import hashlib
from collections.abc import Callable, Hashable

from django.contrib import messages
from django.core.cache import caches
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.utils import timezone
from django.utils.translation import get_language

from diagnosis.auth import roles_of

PAGES = "pages"
CSRF_MARKER = "csrf-token-of-this-request"  # letters and dashes: no escaping changes it
_MARKER_BYTES = CSRF_MARKER.encode()


def cached_page(
    request: HttpRequest, key: tuple[Hashable, ...], render: Callable[[dict], HttpResponse]
) -> HttpResponse:
    """The page `render(extra_context)` builds, kept for the next request with this key.

    `key` must name every input of the page besides the request's user, roles, language,
    time zone and path. Pages carrying one-time messages, and requests with a query string
    (which would let anyone fill the cache with variants), are built and not kept.
    """
    if request.GET or len(messages.get_messages(request)):
        return render({})
    name = "page:" + hashlib.sha256(repr(_full_key(request, key)).encode()).hexdigest()
    page = caches[PAGES].get(name)  # kept as bytes: no decoding and encoding per request
    status = 200
    if page is None:
        response = render({"csrf_token": CSRF_MARKER})
        page, status = response.content, response.status_code
        if status == 200:
            caches[PAGES].set(name, page)
    token = get_token(request).encode()
    return HttpResponse(page.replace(_MARKER_BYTES, token), status=status)


def _full_key(request: HttpRequest, key: tuple[Hashable, ...]) -> tuple[Hashable, ...]:
    user = request.user
    return (
        *key,
        user.pk,
        str(user),
        roles_of(user),
        get_language(),
        timezone.get_current_timezone_name(),
        request.path,
    )
