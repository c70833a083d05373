"""Typed requests for views."""

from django.http import HttpRequest

from diagnosis.models import User


class AuthenticatedHttpRequest(HttpRequest):
    """A request that passed `login_required`: its user is one of ours, never anonymous."""

    user: User
