"""Levels and their gates, recommendations and consistency rules."""

from __future__ import annotations

from typing import Any

from diagnosis.definitions.conditions import read_condition, read_conditions
from diagnosis.definitions.errors import Problems
from diagnosis.definitions.references import (
    Context,
    check_coverage,
    dimension_reference,
    level_references,
    question_reference,
)
from diagnosis.definitions.values import (
    EFFORT,
    HORIZON,
    ITEM_OR_RULE_CODE,
    NO_TEXT,
    ROLE,
    SEVERITY,
    SLUG,
    Node,
    neighbours,
    present,
    read_non_negative,
    read_positive_integer,
    read_score,
    read_text,
    register,
)
from diagnosis.scoring.definition import (
    Budget,
    ConsistencyRule,
    Effort,
    Gate,
    Horizon,
    Level,
    Recommendation,
    Severity,
)


def read_levels(context: Context, node: Node) -> tuple[Level, ...]:
    """Return the levels: numbered 1, 2, …; min_score from 0 rising; critical_floor not falling."""
    if node.is_list("levels"):
        context.level_numbers = set()
    items = node.items("levels")
    levels = [_level(context, path, raw) for path, raw in items]
    paths = [path for path, _ in items]
    if levels and levels[0] is not None:
        _check_first_level(context.errors, paths[0], levels[0])
    for index, previous, level in neighbours(levels):
        _check_level_step(context.errors, paths[index], previous, level)
    return present(levels)


def _level(context: Context, path: str, raw: object) -> Level | None:
    """Return the level, or None if invalid; registers its number for references."""
    required = ("number", "name", "description", "min_score")
    optional = ("critical_floor", "gates", "requires")
    node = Node(context.errors, raw, path, required=required, optional=optional)
    number = node.read("number", read_positive_integer, 0)
    if node.valid("number") and context.level_numbers is not None:
        context.level_numbers.add(number)
    level = Level(
        number=number,
        name=node.read("name", read_text, NO_TEXT),
        description=node.read("description", read_text, NO_TEXT),
        min_score=node.read("min_score", read_score, 0.0),
        critical_floor=node.read("critical_floor", read_score, 0.0),
        gates=present(
            _gate(context, path, raw) for path, raw in node.items("gates", nonempty=False)
        ),
        requires=read_conditions(context, node, "requires", minimum=1),
    )
    return None if node.failed else level


def _check_first_level(errors: Problems, path: str, level: Level) -> None:
    """Report a first level not numbered 1 or not starting at min_score 0."""
    if level.number != 1:
        errors.add(f"{path}.number", "must be 1: levels are numbered 1, 2, 3, … in order")
    if level.min_score != 0:
        errors.add(f"{path}.min_score", "must be 0 for the first level")


def _check_level_step(errors: Problems, path: str, previous: Level, level: Level) -> None:
    """Report a level that does not follow on from the previous one."""
    if level.number != previous.number + 1:
        errors.add(f"{path}.number", f"must be {previous.number + 1}: levels are consecutive")
    if level.min_score <= previous.min_score:
        problem = f"must be greater than the previous level's ({previous.min_score:g})"
        errors.add(f"{path}.min_score", problem)
    if level.critical_floor < previous.critical_floor:
        problem = f"must not be lower than the previous level's ({previous.critical_floor:g})"
        errors.add(f"{path}.critical_floor", problem)


def _gate(context: Context, path: str, raw: object) -> Gate | None:
    """Return the gate: a floor on exactly one known dimension or scored question."""
    optional = ("dimension", "question", "applies_when")
    node = Node(context.errors, raw, path, required=("min_score",), optional=optional)
    if node.is_mapping and node.has("dimension") == node.has("question"):
        node.errors.add(path, "needs exactly one of dimension or question")
    question = question_reference(context, node)
    target = context.questions.get(question) if question else None
    if target is not None and not target.scored:
        node.errors.add(node.at("question"), f"{question!r} is a text question and has no score")
    gate = Gate(
        min_score=node.read("min_score", read_score, 0.0),
        dimension=dimension_reference(context, node),
        question=question,
        applies_when=read_conditions(context, node, "applies_when", minimum=1, answers=False),
    )
    return None if node.failed else gate


_RECOMMENDATION_KEYS = ("dimension", "levels", "horizon", "effort", "title", "text")


_RECOMMENDATION_OPTIONAL = ("when", "category", "budget_wan", "owner", "kpi")


def read_recommendations(context: Context, node: Node) -> tuple[Recommendation, ...]:
    """Return the recommendations; reports each dimension × level that none covers."""
    items = node.items("recommendations")
    recommendations = [_recommendation(context, path, raw) for path, raw in items]
    if node.is_list("recommendations"):
        check_coverage(context, node.at("recommendations"))
    return present(recommendations)


def _recommendation(context: Context, path: str, raw: object) -> Recommendation | None:
    """Return the recommendation, or None if invalid; records what it covers."""
    node = Node(
        context.errors, raw, path, required=_RECOMMENDATION_KEYS, optional=_RECOMMENDATION_OPTIONAL
    )
    dimension = dimension_reference(context, node)
    if dimension is not None and dimension in context.unbanded:
        problem = f"{dimension!r} is not banded (banded: false): it has no band recommendations"
        node.errors.add(node.at("dimension"), problem)
    levels = level_references(context, node)
    if dimension is not None:
        context.covered.update((dimension, level) for level in levels)
    recommendation = Recommendation(
        dimension=dimension or "",
        levels=levels,
        horizon=node.read("horizon", HORIZON, Horizon.NOW),
        effort=node.read("effort", EFFORT, Effort.LOW),
        title=node.read("title", read_text, NO_TEXT),
        text=node.read("text", read_text, NO_TEXT),
        when=read_conditions(context, node, "when", minimum=1),
        category=node.read("category", SLUG, None),
        budget=_budget(node),
        owner=node.read("owner", ROLE, None),
        kpi=node.read("kpi", read_text, None),
    )
    return None if node.failed else recommendation


def _budget(node: Node) -> Budget | None:
    """Return the budget range in 万元: min and max not negative, min not above max."""
    if not node.has("budget_wan"):
        return None
    child = node.child("budget_wan", required=("min", "max"))
    minimum = child.read("min", read_non_negative, None)
    maximum = child.read("max", read_non_negative, None)
    if minimum is not None and maximum is not None and minimum > maximum:
        child.errors.add(child.at("max"), f"must not be below min ({minimum:g})")
    if minimum is None or maximum is None or child.failed:
        return None
    return Budget(minimum, maximum)


def read_consistency_rules(context: Context, node: Node) -> tuple[ConsistencyRule, ...]:
    """Return the consistency rules, with codes unique in the file."""
    codes: dict[Any, str] = {}
    items = node.items("consistency", nonempty=False)
    return present(_consistency_rule(context, codes, path, raw) for path, raw in items)


def _consistency_rule(
    context: Context, codes: dict[Any, str], path: str, raw: object
) -> ConsistencyRule | None:
    """Return the rule, or None if invalid; reports a code used before."""
    node = Node(
        context.errors, raw, path, required=("code", "message", "when"), optional=("severity",)
    )
    code = node.read("code", ITEM_OR_RULE_CODE, "")
    if node.valid("code"):
        register(context.errors, codes, code, node.at("code"), "rule code")
    items = node.items("when", nonempty=False)
    conditions = [read_condition(context, path, raw, answers=True) for path, raw in items]
    if node.is_list("when") and len(items) < 2:
        node.errors.add(node.at("when"), "a rule needs at least two conditions")
    rule = ConsistencyRule(
        code=code,
        message=node.read("message", read_text, NO_TEXT),
        when=present(conditions),
        severity=node.read("severity", SEVERITY, Severity.INFO),
    )
    return None if node.failed else rule
