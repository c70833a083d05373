import logging
import sys
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.exceptions import BadRequest
from django.core.signals import got_request_exception
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import render
from django.template.defaultfilters import filesizeformat
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.csp import CSP, build_policy
from django.utils.translation import gettext as _

from diagnosis import uploads

logger = logging.getLogger(__name__)


class RefuseOversizedUploadsMiddleware:
    """Answer 413 to a multipart POST whose Content-Length says it carries more than its
    view accepts (uploads.body_limit), before any of the body is read: a 2 GB upload is
    refused at once instead of being received first. The page (or, for htmx, the card's
    status, through `data-refusal-message`) says what the limit is."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method == "POST" and request.content_type == "multipart/form-data":
            path = request.path_info
            if _content_length(request) > uploads.body_limit(path):
                message = _(
                    "The upload is larger than %(limit)s, so nothing was saved. "
                    "Choose a smaller file."
                ) % {"limit": filesizeformat(uploads.file_limit(path))}
                return render(request, "413.html", {"message": message}, status=413)
        return self.get_response(request)


def _content_length(request: HttpRequest) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


class RejectUndecodableFormsMiddleware:
    """Answer 400 to a form body that cannot be decoded: a charset other than UTF-8 on an
    urlencoded form, invalid bytes, a broken multipart body.

    Django raises BadRequest for the first without discarding the body, so its own 400
    handler (which checks the CSRF token, reading the body again) would turn it into a 500.
    The body is parsed here once, before anything else reads it, and dropped if it fails.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method == "POST" and not _decodes(request):
            request._mark_post_parse_error()  # type: ignore[attr-defined]
            message = _("The form could not be read: send it as UTF-8 text, as browsers do.")
            return render(request, "400.html", {"message": message}, status=400)
        return self.get_response(request)


FORM_TYPES = frozenset({"application/x-www-form-urlencoded", "multipart/form-data"})
UNDECODABLE_ERRORS = (BadRequest, MultiPartParserError, UnicodeError, LookupError)


def _decodes(request: HttpRequest) -> bool:
    """Whether the form body is UTF-8 (a charset Django does not know, which it would
    silently ignore, counts as another) and parses."""
    charset = request.content_params.get("charset", "utf-8") if request.content_params else "utf-8"
    if request.content_type in FORM_TYPES and charset.lower() not in {"utf-8", "utf8"}:
        return False
    try:
        request.POST  # noqa: B018 (parsed here, once)
    except UNDECODABLE_ERRORS:
        return False
    return True


class RejectNullBytesMiddleware:
    """Answer 400 to NUL characters in the path or parameters.

    PostgreSQL cannot store or compare them, so letting one reach a query would be a 500.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if "\x00" in request.path or _has_null(request):
            message = _("The request contains a NUL character, which no field accepts.")
            return render(request, "400.html", {"message": message}, status=400)
        return self.get_response(request)


def _has_null(request: HttpRequest) -> bool:
    parameters = [request.GET] + ([request.POST] if request.method == "POST" else [])
    return any(
        "\x00" in key or any("\x00" in value for value in values)
        for query in parameters
        for key, values in query.lists()
    )


class DatabaseUnavailableMiddleware:
    """Answer 503 with Retry-After, never 500, while the database cannot be reached.

    The first database access of a request may come from the session, the user, a context
    processor, the view, an error page or the session save of the response phase. An
    exception the view raises reaches `process_exception`; one raised anywhere else is
    turned into a 500 by Django before it could reach a middleware, so a signal marks the
    request and the 500 is replaced here, high in the chain. The 503 is rendered without a
    request context, so it touches neither the database nor the session.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        got_request_exception.connect(_note_unavailable, dispatch_uid="database-unavailable")

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if getattr(request, UNAVAILABLE, False) and response.status_code >= 500:
            return database_unavailable(request)
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, UNAVAILABLE_ERRORS):
            return None
        logger.warning(
            "Database unavailable, answered 503 to %s %s: %s",
            request.method,
            request.path,
            exception,
        )
        return database_unavailable(request)


# Errors a database raises when it cannot be reached, refuses connections, lost its
# connection or gave up waiting for a lock; retrying later is the right answer to each.
UNAVAILABLE_ERRORS = (OperationalError, InterfaceError)
UNAVAILABLE = "_database_unavailable"


def _note_unavailable(sender: object, request: HttpRequest | None = None, **kwargs: Any) -> None:
    if request is not None and isinstance(sys.exception(), UNAVAILABLE_ERRORS):
        setattr(request, UNAVAILABLE, True)


def database_unavailable(request: HttpRequest) -> HttpResponse:
    """The 503 page (or, for htmx, a fragment), in the request's language, with Retry-After."""
    retry_after = settings.OUTAGE_RETRY_AFTER_SECONDS
    template = "503.html#message" if request.headers.get("HX-Request") else "503.html"
    with translation.override(translation.get_language_from_request(request)):
        context = {
            "retry_after": retry_after,
            "path": request.get_full_path(),
            "method": request.method,
        }
        content = render_to_string(template, context)
    response = HttpResponse(content, status=503)
    response["Retry-After"] = str(retry_after)
    response["Cache-Control"] = "no-store"
    response[str(CSP.HEADER_ENFORCE)] = build_policy(settings.SECURE_CSP)
    return response
