"""Hand-written per-request lookups build the same instances the ORM would."""

from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.db.models.query_utils import DeferredAttribute
from django.utils import timezone

from diagnosis.models import Firm, Membership, QuestionnaireVersion, User
from diagnosis.rows import Part, RowQuery

FIRM_AND_OWNER = RowQuery(
    [Part(Firm, "f"), Part(User, "u")],
    "FROM {f} f JOIN {m} m ON m.firm_id = f.id JOIN {u} u ON u.id = m.user_id "
    "WHERE f.id = %s AND m.role = %s",
    extra=["m.role", "1 + 1"],
    tables={"m": Membership},
)


def fetched(query: RowQuery, params: list[Any]) -> tuple[Any, ...]:
    """The row the test expects the query to find."""
    row = query.fetch(params)
    assert row is not None
    return row


def field_values(instance) -> dict:
    return {f.attname: getattr(instance, f.attname) for f in instance._meta.concrete_fields}


def test_it_builds_the_instances_the_orm_builds(firm, respondent):
    respondent.last_login = timezone.now() - timedelta(days=1)
    respondent.save()
    found_firm, found_user, role, two = fetched(FIRM_AND_OWNER, [firm.pk, "owner"])
    assert field_values(found_firm) == field_values(Firm.objects.get(pk=firm.pk))
    assert field_values(found_user) == field_values(User.objects.get(pk=respondent.pk))
    assert (role, two) == ("owner", 2)


def test_it_converts_values_to_python_types(firm, respondent):
    found_firm, found_user, _role, _two = fetched(FIRM_AND_OWNER, [firm.pk, "owner"])
    assert isinstance(found_firm.revenue, Decimal)
    assert timezone.is_aware(found_firm.created_at)
    assert found_user.is_active is True
    assert found_user.is_superuser is False


def test_it_marks_loaded_instances_as_stored(firm, respondent):
    found_firm, *_rest = fetched(FIRM_AND_OWNER, [firm.pk, "owner"])
    assert found_firm._state.adding is False
    assert found_firm._state.db == "default"
    found_firm.name = "新名称有限公司"
    found_firm.save()
    assert Firm.objects.get(pk=firm.pk).name == "新名称有限公司"


def test_it_returns_none_when_no_row_matches(firm, respondent):
    assert FIRM_AND_OWNER.fetch([firm.pk, "respondent"]) is None


def test_it_leaves_excluded_fields_deferred(questionnaire, django_assert_num_queries):
    query = RowQuery(
        [Part(QuestionnaireVersion, "q", exclude=("snapshot",))], "FROM {q} q WHERE q.id = %s"
    )
    with django_assert_num_queries(1):
        (version,) = fetched(query, [questionnaire.pk])
        assert version.checksum == questionnaire.checksum
    assert "snapshot" in version.get_deferred_fields()
    assert isinstance(QuestionnaireVersion.__dict__["snapshot"], DeferredAttribute)
    with django_assert_num_queries(1):
        assert version.snapshot == questionnaire.snapshot


@pytest.mark.parametrize("user_id", ["1x", None, ""])
def test_the_backend_finds_no_user_for_an_unreadable_id(db, user_id):
    from diagnosis.auth import ModelBackend

    assert ModelBackend().get_user(user_id) is None


@pytest.mark.parametrize("pk", [2**63, -(2**63) - 1, 10**30])
def test_it_finds_nothing_for_an_integer_no_column_can_hold(firm, respondent, pk):
    assert FIRM_AND_OWNER.fetch([pk, "owner"]) is None


def test_it_finds_the_largest_integer_a_column_holds(firm, respondent):
    assert FIRM_AND_OWNER.fetch([2**63 - 1, "owner"]) is None  # asked, not refused
    assert fetched(FIRM_AND_OWNER, [firm.pk, "owner"])[0].pk == firm.pk


def test_an_update_writes_what_the_orms_update_writes(firm, respondent):
    from diagnosis.rows import RowUpdate

    update = RowUpdate(Firm, ["name", "revenue", "employees"], where=["id", "name"])
    found = Firm.objects.get(pk=firm.pk)
    old_name = found.name
    found.name, found.revenue, found.employees = "新名称有限公司", Decimal("123.45"), 77
    assert update.execute(found, [firm.pk, "another name"]) == 0
    assert Firm.objects.get(pk=firm.pk).name == old_name
    assert update.execute(found, [firm.pk, old_name]) == 1
    stored = Firm.objects.get(pk=firm.pk)
    assert (stored.name, stored.revenue, stored.employees) == (
        "新名称有限公司",
        Decimal("123.45"),
        77,
    )
