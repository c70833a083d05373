from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from diagnosis.firmdata import size_class, validate_credit_code


@pytest.mark.parametrize(
    "code",
    ["91350100M000100Y43", "91110000600037341L", "91310000132149237G", "91440300708461136T"],
)
def test_it_accepts_real_credit_codes(code):
    validate_credit_code(code)


def test_it_accepts_lower_case_and_spaces():
    validate_credit_code(" 91110000600037341l ")


@pytest.mark.parametrize(
    ("code", "problem"),
    [
        ("9111000060003734", "length"),
        ("91110000600037341LX", "length"),
        ("91110000600037341I", "charset"),
        ("9111000O600037341L", "charset"),
        ("91AB0000600037341L", "division"),
        ("91110000600037341M", "checksum"),
        ("91110000600037342L", "checksum"),
    ],
)
def test_it_rejects_malformed_credit_codes(code, problem):
    with pytest.raises(ValidationError) as error:
        validate_credit_code(code)
    assert error.value.code == problem


@pytest.mark.parametrize(
    ("employees", "revenue", "expected"),
    [
        (1000, 40000, "large"),
        (999, 40000, "medium"),
        (1000, 39999, "medium"),
        (300, 2000, "medium"),
        (299, 2000, "small"),
        (300, Decimal("1999.99"), "small"),
        (20, 300, "small"),
        (19, 300, "micro"),
        (5000, 299, "micro"),
    ],
)
def test_it_derives_the_miit_size_class(employees, revenue, expected):
    assert size_class(employees, revenue) == expected


def test_it_stores_the_size_class_on_the_firm(db):
    from tests.factories import make_firm

    firm = make_firm(employees=350, revenue=2500)
    assert firm.size_class == "medium"
    firm.employees = 10
    firm.save()
    firm.refresh_from_db()
    assert firm.size_class == "micro"
