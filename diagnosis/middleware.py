from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _


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
