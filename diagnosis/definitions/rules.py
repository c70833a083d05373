"""Levels and their gates, recommendations and consistency rules."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from diagnosis.definitions.errors import Problems
from diagnosis.definitions.references import (
    Context,
    check_bound,
    check_coverage,
    check_item,
    check_option_values,
    dimension_reference,
    level_references,
    question_reference,
)
from diagnosis.definitions.values import (
    EFFORT,
    HORIZON,
    ITEM_OR_RULE_CODE,
    NO_TEXT,
    Node,
    neighbours,
    present,
    read_number,
    read_option_values,
    read_positive_integer,
    read_score,
    read_string,
    read_text,
    register,
)
from diagnosis.scoring.definition import (
    Condition,
    ConsistencyRule,
    Effort,
    Gate,
    Horizon,
    Level,
    QuestionSpec,
    QuestionType,
    Recommendation,
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
    node = Node(context.errors, raw, path, required=required, optional=("critical_floor", "gates"))
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
    node = Node(
        context.errors, raw, path, required=("min_score",), optional=("dimension", "question")
    )
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
    )
    return None if node.failed else gate


_RECOMMENDATION_KEYS = ("dimension", "levels", "horizon", "effort", "title", "text")


def read_recommendations(context: Context, node: Node) -> tuple[Recommendation, ...]:
    """Return the recommendations; reports each dimension × level that none covers."""
    items = node.items("recommendations")
    recommendations = [_recommendation(context, path, raw) for path, raw in items]
    if node.is_list("recommendations"):
        check_coverage(context, node.at("recommendations"))
    return present(recommendations)


def _recommendation(context: Context, path: str, raw: object) -> Recommendation | None:
    """Return the recommendation, or None if invalid; records what it covers."""
    node = Node(context.errors, raw, path, required=_RECOMMENDATION_KEYS)
    dimension = dimension_reference(context, node)
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
    )
    return None if node.failed else recommendation


_COMPARISON_FIELDS = {
    "in": "in_",
    "not_in": "not_in",
    "min": "min",
    "max": "max",
    "includes": "includes",
    "excludes": "excludes",
}


_OPTION_TYPES = (QuestionType.LEVEL, QuestionType.CHOICE)


_BOUND_TYPES = (QuestionType.LEVEL, QuestionType.KPI)


_ITEM_TYPES = (QuestionType.CHECKLIST,)


_COMPARISON_TYPES: dict[str, tuple[QuestionType, ...]] = {
    "in": _OPTION_TYPES,
    "not_in": _OPTION_TYPES,
    "min": _BOUND_TYPES,
    "max": _BOUND_TYPES,
    "includes": _ITEM_TYPES,
    "excludes": _ITEM_TYPES,
}


def read_consistency_rules(context: Context, node: Node) -> tuple[ConsistencyRule, ...]:
    """Return the consistency rules, with codes unique in the file."""
    codes: dict[Any, str] = {}
    items = node.items("consistency", nonempty=False)
    return present(_consistency_rule(context, codes, path, raw) for path, raw in items)


def _consistency_rule(
    context: Context, codes: dict[Any, str], path: str, raw: object
) -> ConsistencyRule | None:
    """Return the rule, or None if invalid; reports a code used before."""
    node = Node(context.errors, raw, path, required=("code", "message", "when"))
    code = node.read("code", ITEM_OR_RULE_CODE, "")
    if node.valid("code"):
        register(context.errors, codes, code, node.at("code"), "rule code")
    conditions = [
        _condition(context, path, raw) for path, raw in node.items("when", nonempty=False)
    ]
    if node.is_list("when") and len(conditions) < 2:
        node.errors.add(node.at("when"), "a rule needs at least two conditions")
    rule = ConsistencyRule(
        code=code, message=node.read("message", read_text, NO_TEXT), when=present(conditions)
    )
    return None if node.failed else rule


def _condition(context: Context, path: str, raw: object) -> Condition | None:
    """Return the condition: a known question and exactly one comparison valid for its type."""
    node = Node(
        context.errors, raw, path, required=("question",), optional=tuple(_COMPARISON_FIELDS)
    )
    code = question_reference(context, node)
    question = context.questions.get(code) if code else None
    comparisons = {
        _COMPARISON_FIELDS[key]: _comparison(node, key, question) for key in _comparison_keys(node)
    }
    condition = Condition(question=code or "", **comparisons)
    return None if node.failed else condition


def _comparison_keys(node: Node) -> list[str]:
    """Return the comparison keys present; reports a condition without exactly one."""
    keys = [key for key in _COMPARISON_FIELDS if node.has(key)]
    if node.is_mapping and not keys:
        node.errors.add(node.path, f"needs one of: {', '.join(_COMPARISON_FIELDS)}")
    elif len(keys) > 1:
        node.errors.add(node.path, f"has several comparisons ({', '.join(keys)}); use exactly one")
    return keys


def _comparison(node: Node, key: str, question: QuestionSpec | None) -> Any:
    """Return the comparison's value, checked against the question when that is known."""
    value = _COMPARISON_READERS[key](node, key)
    if question is None or not node.valid(key):
        return value
    types = _COMPARISON_TYPES[key]
    if question.type not in types:
        allowed = " or ".join(types)
        problem = f"does not apply to {question.code}, a {question.type} question ({allowed} only)"
        node.errors.add(node.at(key), problem)
    else:
        _COMPARISON_CHECKS[key](node.errors, node.at(key), value, question)
    return value


def _read_bound(node: Node, key: str) -> float:
    return node.read(key, read_number, 0.0)


def _read_item(node: Node, key: str) -> str:
    return node.read(key, read_string, "")


_COMPARISON_READERS: dict[str, Callable[[Node, str], Any]] = {
    "in": read_option_values,
    "not_in": read_option_values,
    "min": _read_bound,
    "max": _read_bound,
    "includes": _read_item,
    "excludes": _read_item,
}


_COMPARISON_CHECKS: dict[str, Callable[[Problems, str, Any, QuestionSpec], None]] = {
    "in": check_option_values,
    "not_in": check_option_values,
    "min": check_bound,
    "max": check_bound,
    "includes": check_item,
    "excludes": check_item,
}
