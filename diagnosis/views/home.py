from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from diagnosis.auth import roles_of
from diagnosis.queries.firms import join_request_pending


def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    waiting = None
    if user.is_authenticated and not roles_of(user).has_firm:
        waiting = join_request_pending(user)
    return render(request, "diagnosis/home.html", {"join_request": waiting})
