from django.conf import settings
from django.http import HttpRequest


def navigation(request: HttpRequest) -> dict:
    """Languages for the switcher in the page header."""
    return {"available_languages": settings.LANGUAGES}
