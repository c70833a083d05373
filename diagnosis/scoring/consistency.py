"""Consistency rules: answers that contradict each other become warnings."""

from __future__ import annotations

from collections.abc import Set
from dataclasses import dataclass
from typing import Any

from .card import ConsistencyWarning
from .conditions import Comparison, Predicate, all_hold, comparisons, compile_condition
from .definition import ConsistencyRule
from .inputs import Profile


@dataclass(frozen=True, slots=True)
class RuleCheck:
    """A consistency rule prepared for checking.

    A rule of plain answer comparisons (all of v1's) is checked by the flat loop over
    ``conditions``; any other (profile, ``na``, ``any``) through ``predicates``.
    """

    rule: ConsistencyRule
    conditions: tuple[tuple[str, tuple[tuple[Comparison, Any], ...]], ...]
    predicates: tuple[Predicate, ...]
    warning: ConsistencyWarning

    def fires(self, usable: dict[str, Any], na: Set[str], profile: Profile) -> bool:
        """Return True when the rule has conditions and each holds."""
        if self.predicates:
            return all_hold(self.predicates, usable, na, profile)
        # Plain loops: this runs for every rule on every card.
        for question, checks in self.conditions:
            if question not in usable:
                return False
            value = usable[question]
            for compare, expected in checks:
                if not compare(value, expected):
                    return False
        return bool(self.conditions)


def is_plain(rule: ConsistencyRule) -> bool:
    """True when every condition compares an answer value (no profile, na or any)."""
    return all(c.question and not c.na and not c.any_of and c.profile is None for c in rule.when)


def rule_check(rule: ConsistencyRule) -> RuleCheck:
    """Return the rule prepared for repeated checking."""
    plain = is_plain(rule)
    return RuleCheck(
        rule=rule,
        conditions=tuple((c.question, comparisons(c)) for c in rule.when) if plain else (),
        predicates=() if plain else tuple(compile_condition(c) for c in rule.when),
        warning=ConsistencyWarning(
            code=rule.code,
            message=rule.message,
            questions=tuple(
                dict.fromkeys(code for condition in rule.when for code in condition.questions())
            ),
            severity=str(rule.severity),
        ),
    )


def consistency_warnings(
    checks: tuple[RuleCheck, ...], usable: dict[str, Any], na: Set[str], profile: Profile
) -> tuple[ConsistencyWarning, ...]:
    """Return the warning of every rule that fires, in file order.

    ``usable`` holds the values of the visible, applicable, validly answered questions;
    a condition on any other question is false.
    """
    return tuple(check.warning for check in checks if check.fires(usable, na, profile))
