"""Consistency rules: answers that contradict each other become warnings."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .card import ConsistencyWarning
from .definition import Condition, ConsistencyRule
from .questions import CHECKLIST_TYPES, as_number, is_option_value

Comparison = Callable[[Any, Any], bool]


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


COMPARISONS: tuple[tuple[str, Comparison], ...] = (
    ("in_", is_among),
    ("not_in", is_not_among),
    ("min", is_at_least),
    ("max", is_at_most),
    ("includes", ticks),
    ("excludes", leaves_unticked),
)


@dataclass(frozen=True, slots=True)
class RuleCheck:
    """A consistency rule with each condition reduced to (question, [(compare, expected)])."""

    rule: ConsistencyRule
    conditions: tuple[tuple[str, tuple[tuple[Comparison, Any], ...]], ...]
    warning: ConsistencyWarning

    def fires(self, usable: dict[str, Any]) -> bool:
        """Return True when the rule has conditions and each holds on a usable answer."""
        # Plain loops: this runs for every rule on every card.
        for question, checks in self.conditions:
            if question not in usable:
                return False
            value = usable[question]
            for compare, expected in checks:
                if not compare(value, expected):
                    return False
        return bool(self.conditions)


def rule_check(rule: ConsistencyRule) -> RuleCheck:
    """Return the rule prepared for repeated checking."""
    return RuleCheck(
        rule=rule,
        conditions=tuple((c.question, comparisons(c)) for c in rule.when),
        warning=ConsistencyWarning(
            code=rule.code,
            message=rule.message,
            questions=tuple(dict.fromkeys(condition.question for condition in rule.when)),
        ),
    )


def comparisons(condition: Condition) -> tuple[tuple[Comparison, Any], ...]:
    """Return the condition's set comparisons with their expected values."""
    return tuple(
        (compare, expected)
        for name, compare in COMPARISONS
        if (expected := getattr(condition, name)) is not None
    )


def consistency_warnings(
    checks: tuple[RuleCheck, ...], usable: dict[str, Any]
) -> tuple[ConsistencyWarning, ...]:
    """Return the warning of every rule that fires, in file order.

    ``usable`` holds the values of the visible, applicable, validly answered questions;
    a condition on any other question is false.
    """
    return tuple(check.warning for check in checks if check.fires(usable))
