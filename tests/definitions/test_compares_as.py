"""A dimension's comparison key (`compares_as`): read when valid, refused otherwise; and the
keys the shipped files set (v1 none, v2 one for each dimension whose meaning changed)."""

from typing import Any

import pytest

from diagnosis.definitions.loader import BUNDLED_DIR, load_definition, parse_definition
from tests.definitions.test_loader import SOURCE, errors_of, valid_data


def with_keys(*keys: Any) -> dict[str, Any]:
    """The loader tests' definition (dimensions STR, DAT) with these compares_as values."""
    data = valid_data()
    for dimension, key in zip(data["dimensions"], keys, strict=False):
        if key is not None:
            dimension["compares_as"] = key
    return data


def test_it_defaults_the_comparison_key_to_the_code() -> None:
    definition = parse_definition(valid_data(), SOURCE)
    assert [d.comparison_key for d in definition.dimensions] == ["STR", "DAT"]


def test_it_reads_a_comparison_key() -> None:
    definition = parse_definition(with_keys("STR-2"), SOURCE)
    assert definition.dimension("STR").comparison_key == "STR-2"
    assert definition.dimension("DAT").comparison_key == "DAT"


@pytest.mark.parametrize(
    ("key", "problem"),
    [
        pytest.param("str-2", "must be upper-case letters, digits and hyphens", id="lower-case"),
        pytest.param("2-STR", "must be upper-case letters, digits and hyphens", id="digit-first"),
        pytest.param("STR 2", "must be upper-case letters, digits and hyphens", id="space"),
        pytest.param("", "must be upper-case letters, digits and hyphens", id="empty"),
        pytest.param(2, "must be a string of upper-case letters", id="number"),
        pytest.param(None, "must be a string of upper-case letters", id="null"),
        pytest.param(["STR-2"], "must be a string of upper-case letters", id="list"),
        pytest.param("S" * 21, "must be at most 20 characters (got 21)", id="too-long"),
        pytest.param("STR", "is the dimension's own code, its key anyway: leave it out", id="own"),
        pytest.param(
            "DAT",
            "'DAT' is the code, and so the comparison key, of the dimension at dimensions[1].code",
            id="another-dimensions-code",
        ),
    ],
)
def test_it_refuses_a_bad_comparison_key(key: Any, problem: str) -> None:
    data = valid_data()
    data["dimensions"][0]["compares_as"] = key
    errors = errors_of(data)
    assert len(errors) == 1, errors
    assert errors[0].startswith(f"{SOURCE}: dimensions[0].compares_as: {problem}")


def test_it_refuses_two_dimensions_with_one_comparison_key() -> None:
    assert errors_of(with_keys("K-2", "K-2")) == [
        f"{SOURCE}: dimensions[1].compares_as: duplicate comparison key 'K-2' "
        "(first at dimensions[0].compares_as)"
    ]


def test_it_refuses_a_key_that_a_later_dimension_has_as_its_code() -> None:
    data = with_keys("DAT")
    data["dimensions"][0]["code"] = "OLD"
    for rule in data["recommendations"]:
        rule["dimension"] = rule["dimension"].replace("STR", "OLD")
    errors = errors_of(data)
    assert len(errors) == 1, errors
    assert errors[0].startswith(f"{SOURCE}: dimensions[0].compares_as: 'DAT' is the code")


def test_it_sets_no_comparison_key_in_v1() -> None:
    v1 = load_definition(BUNDLED_DIR / "smart-manufacturing-v1.yaml")
    assert all(d.compares_as == "" for d in v1.dimensions)
    assert [d.comparison_key for d in v1.dimensions] == [d.code for d in v1.dimensions]


def test_it_gives_v2s_dimensions_whose_meaning_changed_their_own_key() -> None:
    v2 = load_definition(BUNDLED_DIR / "smart-manufacturing-v2.yaml")
    changed = {d.code: d.compares_as for d in v2.dimensions if d.compares_as}
    assert changed == {"SEC": "SEC-2", "GRN": "GRN-2", "OUT": "OUT-2"}


def test_it_takes_a_code_whose_dimension_has_another_key_as_a_key() -> None:
    """STR compares as DAT (say, DAT was renamed STR), DAT as something new."""
    definition = parse_definition(with_keys("DAT", "DAT-2"), SOURCE)
    assert [d.comparison_key for d in definition.dimensions] == ["DAT", "DAT-2"]
