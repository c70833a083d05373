from django.conf import settings
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from diagnosis.auth import roles_of


def navigation(request: HttpRequest) -> dict:
    """Languages for the header switcher and the user's roles for the menu (lazily)."""
    return {
        "available_languages": settings.LANGUAGES,
        "roles": SimpleLazyObject(lambda: roles_of(request.user)),
    }
