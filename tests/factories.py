"""Small factories for tests: valid objects with overridable fields."""

import itertools

from diagnosis.firmdata import credit_code_check_character
from diagnosis.models import Firm, Membership, User

_counter = itertools.count(1)

PASSWORD = "correct-horse-battery-9"


def valid_credit_code(serial: int | None = None) -> str:
    """A well-formed credit code with a correct check character."""
    serial = next(_counter) if serial is None else serial
    first17 = f"91310115MA{serial:07d}"
    return first17 + credit_code_check_character(first17)


def make_user(email: str | None = None, **fields) -> User:
    email = email or f"user{next(_counter)}@example.com"
    return User.objects.create_user(email=email, password=PASSWORD, **fields)


def make_firm(**fields) -> Firm:
    defaults = {
        "name": f"测试制造有限公司 {next(_counter)}",
        "credit_code": valid_credit_code(),
        "industry": 34,
        "employees": 120,
        "revenue": 8000,
        "district": "minhang",
    }
    defaults.update(fields)
    return Firm.objects.create(**defaults)


def make_member(firm: Firm, role: str = Membership.Role.RESPONDENT, **fields) -> User:
    user = make_user(**fields)
    Membership.objects.create(user=user, firm=firm, role=role)
    return user
