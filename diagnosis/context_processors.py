from dataclasses import dataclass

from django.conf import settings
from django.db.models import Exists, OuterRef
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
    """What the navigation offers this user, read in one query."""
    if not user.is_authenticated:
        return Roles()
    row = (
        User.objects.filter(pk=user.pk)
        .annotate(
            has_firm=Exists(Membership.objects.filter(user=OuterRef("pk"))),
            is_consultant=Exists(ProviderMembership.objects.filter(user=OuterRef("pk"))),
            is_manager=Exists(
                ProviderMembership.objects.filter(
                    user=OuterRef("pk"), role=ProviderMembership.Role.MANAGER
                )
            ),
        )
        .values("has_firm", "is_consultant", "is_manager")
        .first()
    )
    return Roles(is_programme_admin=user.is_programme_admin, **(row or {}))


def navigation(request: HttpRequest) -> dict:
    """Languages for the header switcher and the user's roles for the menu (lazily)."""
    return {
        "available_languages": settings.LANGUAGES,
        "roles": SimpleLazyObject(lambda: _roles(request.user)),
    }
