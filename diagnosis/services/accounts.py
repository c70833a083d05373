"""Sign-up: an account is made active only from a link emailed to its address, and the
answer never says whether the address already has an account (issue 11 item 5)."""

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.db import transaction
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlencode, urlsafe_base64_decode, urlsafe_base64_encode

from diagnosis import ratelimit
from diagnosis.models import User
from diagnosis.services.notifications import send_email


@transaction.atomic
def user_sign_up(*, email: str, name: str, password: str) -> User:
    """Create and return a new, active user who logs in with this email."""
    return User.objects.create_user(email=email, name=name, password=password)


@transaction.atomic
def user_sign_up_request(
    *, email: str, name: str, password: str, address: str, next_url: str = ""
) -> None:
    """Email `email` a link that confirms a new account, or, if it has one already, a note
    saying so with links to log in and reset the password. Either way the caller shows the
    same page. An unconfirmed sign-up is replaced by a later one for the same address.
    Raises ratelimit.EmailLimitReached past the hourly limits (per address typed, per client).
    """
    email = User.objects.normalize_email(email).lower()
    ratelimit.email_sent(user=email, address=address)
    user = User.objects.filter(email=email).first()
    if user is not None and (user.is_active or user.last_login is not None):
        send_email("signup-exists", [user], _links(user))
        return
    if user is None:
        user = User(email=email, is_active=False)
    user.name = name
    user.set_password(password)
    user.save()
    send_email("signup-confirm", [user], _links(user, confirm=True, next_url=next_url))


def _links(user: User, *, confirm: bool = False, next_url: str = "") -> dict:
    context = {
        "name": str(user),
        "login_url": settings.SITE_URL + reverse("login"),
        "reset_url": settings.SITE_URL + reverse("password_reset"),
    }
    if confirm:
        uid = urlsafe_base64_encode(force_bytes(user.pk))
        token = default_token_generator.make_token(user)
        path = reverse("signup_confirm", args=[uid, token])
        query = f"?{urlencode({'next': next_url})}" if next_url else ""
        context["url"] = settings.SITE_URL + path + query
    return context


def pending_sign_up(uidb64: str, token: str) -> User | None:
    """The unconfirmed user the link was made for, if the link is still valid."""
    try:
        pk = int(urlsafe_base64_decode(uidb64).decode())
    except (TypeError, ValueError, OverflowError, UnicodeDecodeError):
        return None
    user = User.objects.filter(pk=pk, is_active=False, last_login__isnull=True).first()
    if user is None or not default_token_generator.check_token(user, token):
        return None
    return user


@transaction.atomic
def user_sign_up_confirm(*, user: User) -> User:
    """Activate a confirmed sign-up."""
    user.is_active = True
    user.save(update_fields=["is_active"])
    return user
