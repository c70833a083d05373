from django.db import transaction

from diagnosis.models import User


@transaction.atomic
def user_sign_up(*, email: str, name: str, password: str) -> User:
    """Create and return a new user who logs in with this email."""
    return User.objects.create_user(email=email, name=name, password=password)
