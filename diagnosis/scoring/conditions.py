"""Conditions (SPEC12 §1) compiled to predicates over one card's facts.

A predicate takes the resolution's facts (usable answer values, the not-applicable
answers) and the firm's profile. A condition on a question without a usable answer is
false, whatever the comparison (so ``not_in`` on an unanswered question is false too).
"""

from __future__ import annotations

from collections.abc import Callable, Set
from typing import Any

from .definition import NOT_MEASURED, Condition, ProfileField
from .inputs import Profile
from .questions import CHECKLIST_TYPES, as_number, is_option_value

Comparison = Callable[[Any, Any], bool]
Predicate = Callable[[dict[str, Any], Set[str], Profile], bool]


def is_among(value: Any, expected: tuple[int | str, ...]) -> bool:
    """Return True when value is an option value listed in expected."""
    return is_option_value(value) and value in expected


def is_not_among(value: Any, expected: tuple[int | str, ...]) -> bool:
    """Return True when value is an option value not listed in expected."""
    return is_option_value(value) and value not in expected


def is_at_least(value: Any, bound: float) -> bool:
    """Return True when value is a number ≥ bound."""
    number = as_number(value)
    return number is not None and number >= bound


def is_at_most(value: Any, bound: float) -> bool:
    """Return True when value is a number ≤ bound."""
    number = as_number(value)
    return number is not None and number <= bound


def ticks(value: Any, code: str) -> bool:
    """Return True when value is a checklist answer with the item ticked."""
    return isinstance(value, CHECKLIST_TYPES) and code in value


def leaves_unticked(value: Any, code: str) -> bool:
    """Return True when value is a checklist answer without the item ticked."""
    return isinstance(value, CHECKLIST_TYPES) and code not in value


def is_not_measured(value: Any, expected: bool) -> bool:
    """Return True when value is a number question's "not measured"."""
    return value == NOT_MEASURED


COMPARISONS: tuple[tuple[str, Comparison], ...] = (
    ("in_", is_among),
    ("not_in", is_not_among),
    ("min", is_at_least),
    ("max", is_at_most),
    ("includes", ticks),
    ("excludes", leaves_unticked),
)


def comparisons(condition: Condition) -> tuple[tuple[Comparison, Any], ...]:
    """Return the answer condition's comparisons with their expected values."""
    found = tuple(
        (compare, expected)
        for name, compare in COMPARISONS
        if (expected := getattr(condition, name)) is not None
    )
    if condition.not_measured:
        found += ((is_not_measured, True),)
    return found


def compile_condition(condition: Condition) -> Predicate:
    """Return the predicate of one condition (answer, profile or any)."""
    if condition.any_of:
        parts = tuple(compile_condition(part) for part in condition.any_of)
        return lambda usable, na, profile: any(part(usable, na, profile) for part in parts)
    if condition.profile is not None:
        return profile_predicate(condition)
    code = condition.question
    if condition.na:
        return lambda usable, na, profile: code in na
    checks = comparisons(condition)

    def holds(usable: dict[str, Any], na: Set[str], profile: Profile) -> bool:
        if code not in usable:
            return False
        value = usable[code]
        return all(compare(value, expected) for compare, expected in checks)

    return holds


def profile_predicate(condition: Condition) -> Predicate:
    """Return the predicate of a profile condition; an unknown profile value is false."""
    field = "industry" if condition.profile is ProfileField.INDUSTRY else "size"
    listed = frozenset(condition.in_ if condition.in_ is not None else condition.not_in or ())
    wanted = condition.in_ is not None

    def holds(usable: dict[str, Any], na: Set[str], profile: Profile) -> bool:
        value = getattr(profile, field)
        return value is not None and (value in listed) == wanted

    return holds


def all_of(predicates: tuple[Predicate, ...]) -> Predicate | None:
    """Return one predicate holding when every one of predicates holds; None for none
    (no call at all), the predicate itself for one."""
    if not predicates:
        return None
    if len(predicates) == 1:
        return predicates[0]

    return lambda usable, na, profile: all(part(usable, na, profile) for part in predicates)


def all_hold(
    predicates: tuple[Predicate, ...], usable: dict[str, Any], na: Set[str], profile: Profile
) -> bool:
    """Return True when every predicate holds (True for none)."""
    return all(predicate(usable, na, profile) for predicate in predicates)
