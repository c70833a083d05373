"""Small factories for tests: valid objects with overridable fields."""

import itertools

from django.utils import timezone

from diagnosis.firmdata import credit_code_check_character
from diagnosis.models import (
    Assessment,
    Dimension,
    DimensionScore,
    DistrictOfficer,
    Firm,
    Membership,
    PopulationFirm,
    ScoreResult,
    User,
)

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


def make_population_firm(**fields) -> PopulationFirm:
    """A population entry (not registered unless `firm` is given)."""
    now = timezone.now()
    defaults = {
        "credit_code": valid_credit_code(),
        "name": f"名单企业 {next(_counter)}",
        "industry": 34,
        "district": "minhang",
        "size_class": "small",
        "contact_email": f"contact{next(_counter)}@factory.example",
        "imported_at": now,
        "updated_at": now,
    }
    defaults.update(fields)
    return PopulationFirm.objects.create(**defaults)


def make_district_officer(*districts: str, **fields) -> User:
    user = make_user(**fields)
    for district in districts:
        DistrictOfficer.objects.create(user=user, district=district)
    return user


def make_score_result(
    assessment: Assessment,
    kind: str,
    scores: dict[str, float | None],
    *,
    overall: float = 50,
    level: int = 2,
) -> ScoreResult:
    """A stored result of `kind` ("self", "validated") with the given dimension scores, by
    dimension code, written directly (not computed by the engine)."""
    result = ScoreResult.objects.create(
        assessment=assessment,
        kind=kind,
        overall=overall,
        level=level,
        card={},
        definition_version="test",
        scoring_version="test",
        computed_at=timezone.now(),
    )
    dimensions = dict(
        Dimension.objects.filter(questionnaire=assessment.questionnaire_id).values_list(
            "code", "pk"
        )
    )
    DimensionScore.objects.bulk_create(
        DimensionScore(result=result, dimension_id=dimensions[code], score=score, level=0)
        for code, score in scores.items()
    )
    return result
