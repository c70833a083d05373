"""The logged-in user and their roles, read in one statement on every request.

Django's model backend, except for `get_user`, which runs on nearly every request:
`diagnosis/rows.py` says why it skips the ORM's query compilation. The same statement
reads the roles every page's navigation shows. Authentication itself is Django's.
"""

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth import backends
from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import PermissionDenied
from django.dispatch import receiver
from django.http import HttpRequest

from diagnosis import ratelimit
from diagnosis.models import DistrictOfficer, Membership, ProviderMembership, User
from diagnosis.rows import Part, RowQuery


@dataclass(frozen=True)
class Roles:
    """What the navigation offers a user (access itself is decided in permissions.py)."""

    has_firm: bool = False
    is_consultant: bool = False
    is_manager: bool = False
    is_programme_admin: bool = False
    is_district_officer: bool = False


_ROLE_COLUMNS = [
    "EXISTS (SELECT 1 FROM {m} m WHERE m.user_id = u.id)",
    "EXISTS (SELECT 1 FROM {p} p WHERE p.user_id = u.id)",
    # 'manager' is ProviderMembership.Role.MANAGER.
    "EXISTS (SELECT 1 FROM {p} p WHERE p.user_id = u.id AND p.role = 'manager')",
    "EXISTS (SELECT 1 FROM {d} d WHERE d.user_id = u.id)",
]
_USER_WITH_ROLES = RowQuery(
    [Part(User, "u")],
    "FROM {u} u WHERE u.id = %s",
    extra=_ROLE_COLUMNS,
    tables={"m": Membership, "p": ProviderMembership, "d": DistrictOfficer},
)


class ModelBackend(backends.ModelBackend):
    def get_user(self, user_id: Any) -> User | None:
        """The active user with this id, with `roles` set; None for anyone else."""
        try:
            row = _USER_WITH_ROLES.fetch([int(user_id)])
        except (TypeError, ValueError):
            return None
        if row is None:
            return None
        user, *flags = row
        user.roles = _roles(user, *flags)
        return user if self.user_can_authenticate(user) else None


def roles_of(user: User | AnonymousUser) -> Roles:
    """The user's roles: as read with the user, or in one small statement if they weren't."""
    if not user.is_authenticated:
        return Roles()
    roles = getattr(user, "roles", None)
    if roles is None:
        row = _USER_WITH_ROLES.fetch([user.pk])  # None if the user was deleted meanwhile
        roles = user.roles = _roles(user, *(row[1:] if row else (False,) * len(_ROLE_COLUMNS)))  # type: ignore[attr-defined]
    return roles


def _roles(
    user: User,
    has_firm: object,
    consultant: object,
    manager: object,
    district_officer: object = False,
) -> Roles:
    return Roles(
        has_firm=bool(has_firm),
        is_consultant=bool(consultant),
        is_manager=bool(manager),
        is_programme_admin=user.is_programme_admin,
        is_district_officer=bool(district_officer),
    )


def _cool_off_seconds() -> int:
    return max(60, int(float(settings.AXES_COOLOFF_TIME) * 3600))


class AddressThrottleBackend:
    """Password spraying: past LOGIN_FAILURES_PER_ADDRESS failed logins from one client
    address (any user names) within the cool-off, logins from it are refused. django-axes
    throttles each user name per address; this counts every name together.

    Like axes' backend it has no `get_user`, so sessions name the model backend."""

    def authenticate(self, request: HttpRequest | None, **credentials: Any) -> None:
        if request is not None and ratelimit.exceeded(
            "login-failures",
            ratelimit.client_address(request),
            limit=settings.LOGIN_FAILURES_PER_ADDRESS,
            window=_cool_off_seconds(),
        ):
            # AxesMiddleware answers a locked-out request with its lockout page (429).
            request.axes_locked_out = True  # type: ignore[attr-defined]
            raise PermissionDenied
        return None


@receiver(user_login_failed, dispatch_uid="diagnosis-login-failures-per-address")
def count_login_failure(sender: object, request: HttpRequest | None = None, **kwargs: Any) -> None:
    if request is not None:
        ratelimit.hit(
            "login-failures",
            ratelimit.client_address(request),
            limit=settings.LOGIN_FAILURES_PER_ADDRESS,
            window=_cool_off_seconds(),
        )
