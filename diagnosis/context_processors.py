from dataclasses import dataclass

from django.conf import settings
from django.db import connection
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from diagnosis.models import Membership, ProviderMembership, User


@dataclass(frozen=True)
class Roles:
    has_firm: bool = False
    is_consultant: bool = False
    is_manager: bool = False
    is_programme_admin: bool = False


def _roles(user: User) -> Roles:
    """What the navigation offers this user, read in one small query (raw SQL: this runs
    on every page, and compiling the equivalent ORM subqueries costs more than running it)."""
    if not user.is_authenticated:
        return Roles()
    membership = Membership._meta.db_table
    provider = ProviderMembership._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT EXISTS(SELECT 1 FROM {membership} WHERE user_id = %s), "  # noqa: S608
            f"EXISTS(SELECT 1 FROM {provider} WHERE user_id = %s), "
            f"EXISTS(SELECT 1 FROM {provider} WHERE user_id = %s AND role = %s)",
            [user.pk, user.pk, user.pk, ProviderMembership.Role.MANAGER.value],
        )
        has_firm, consultant, manager = cursor.fetchone()
    return Roles(
        has_firm=bool(has_firm),
        is_consultant=bool(consultant),
        is_manager=bool(manager),
        is_programme_admin=user.is_programme_admin,
    )


def user_roles(request: HttpRequest) -> Roles:
    """The request's user's roles, read at most once per request."""
    if not hasattr(request, "_roles"):
        request._roles = _roles(request.user)
    return request._roles


def navigation(request: HttpRequest) -> dict:
    """Languages for the header switcher and the user's roles for the menu (lazily)."""
    return {
        "available_languages": settings.LANGUAGES,
        "roles": SimpleLazyObject(lambda: user_roles(request)),
    }
