"""Conditions (SPEC12 §1): on answers, on the firm's profile, and ``any`` of several.

One syntax everywhere: consistency rules, recommendations' ``when``, levels' ``requires``,
questions' ``show_when`` and ``na_default_when`` and gates' ``applies_when`` (the last
three: profile only).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from diagnosis.definitions.errors import Problems
from diagnosis.definitions.references import (
    Context,
    check_bound,
    check_item,
    check_option_values,
    question_reference,
)
from diagnosis.definitions.values import (
    Node,
    one_of_reader,
    present,
    read_number,
    read_option_values,
    read_string,
)
from diagnosis.scoring.definition import (
    INDUSTRY_DIVISIONS,
    SIZE_CLASSES,
    Condition,
    ProfileField,
    QuestionSpec,
    QuestionType,
)

_COMPARISON_FIELDS = {
    "in": "in_",
    "not_in": "not_in",
    "min": "min",
    "max": "max",
    "includes": "includes",
    "excludes": "excludes",
    "na": "na",
    "not_measured": "not_measured",
}


_OPTION_TYPES = (QuestionType.LEVEL, QuestionType.CHOICE)


_BOUND_TYPES = (
    QuestionType.LEVEL,
    QuestionType.KPI,
    QuestionType.NUMBER,
    QuestionType.RATE,
    QuestionType.TREND,
)


_COMPARISON_TYPES: dict[str, tuple[QuestionType, ...]] = {
    "in": _OPTION_TYPES,
    "not_in": _OPTION_TYPES,
    "min": _BOUND_TYPES,
    "max": _BOUND_TYPES,
    "includes": (QuestionType.CHECKLIST,),
    "excludes": (QuestionType.CHECKLIST,),
    "na": tuple(QuestionType),  # any type that allows "not applicable" (checked below)
    "not_measured": (QuestionType.NUMBER,),
}


PROFILE_FIELD = one_of_reader(ProfileField)


def read_conditions(
    context: Context, node: Node, key: str, *, minimum: int, answers: bool = True
) -> tuple[Condition, ...]:
    """Return the conditions listed under key (at least ``minimum`` of them when present);
    with ``answers`` False only profile conditions (and ``any`` of them) are allowed."""
    if not node.has(key):
        return ()
    items = node.items(key, nonempty=False)
    conditions = [read_condition(context, path, raw, answers=answers) for path, raw in items]
    if node.is_list(key) and len(items) < minimum:
        plural = "condition" if minimum == 1 else "conditions"
        node.errors.add(node.at(key), f"needs at least {minimum} {plural}")
    return present(conditions)


def read_condition(
    context: Context, path: str, raw: object, *, answers: bool, nested: bool = False
) -> Condition | None:
    """Return the condition at path, or None after recording its problems."""
    if isinstance(raw, dict) and "any" in raw:
        if nested:
            context.errors.add(path, "an any condition cannot hold another any")
            return None
        return _any_condition(context, path, raw, answers=answers)
    if isinstance(raw, dict) and "profile" in raw:
        return _profile_condition(context.errors, path, raw)
    if isinstance(raw, dict) and "question" not in raw:
        context.errors.add(path, "needs one of: question, profile, any")
        return None
    if not answers:
        context.errors.add(path, "only profile conditions (industry, size) are allowed here")
        return None
    return _answer_condition(context, path, raw)


def _any_condition(context: Context, path: str, raw: object, *, answers: bool) -> Condition | None:
    node = Node(context.errors, raw, path, required=("any",))
    items = node.items("any")
    conditions = [
        read_condition(context, item, value, answers=answers, nested=True) for item, value in items
    ]
    if node.is_list("any") and len(items) == 1:
        node.errors.add(node.at("any"), "needs at least 2 conditions (write one without any)")
    condition = Condition(any_of=present(conditions))
    return None if node.failed else condition


def _profile_condition(errors: Problems, path: str, raw: object) -> Condition | None:
    node = Node(errors, raw, path, required=("profile",), optional=("in", "not_in"))
    field = node.read("profile", PROFILE_FIELD, None)
    keys = [key for key in ("in", "not_in") if node.has(key)]
    if node.is_mapping and len(keys) != 1:
        errors.add(path, "needs exactly one of: in, not_in")
    values = {key: _profile_values(node, key, field) for key in keys}
    condition = Condition(profile=field, in_=values.get("in"), not_in=values.get("not_in"))
    return None if node.failed else condition


def _profile_values(node: Node, key: str, field: ProfileField | None) -> tuple[int | str, ...]:
    """Return the listed divisions (integers 13–43) or size classes."""
    values: list[int | str] = []
    for path, raw in node.items(key):
        if field is ProfileField.INDUSTRY:
            if isinstance(raw, bool) or not isinstance(raw, int) or raw not in INDUSTRY_DIVISIONS:
                node.errors.add(path, "must be a GB/T 4754 manufacturing division, 13 to 43")
                continue
        elif field is ProfileField.SIZE and raw not in SIZE_CLASSES:
            node.errors.add(path, f"must be one of: {', '.join(SIZE_CLASSES)}")
            continue
        values.append(raw)  # type: ignore[arg-type]
    return tuple(values)


def _answer_condition(context: Context, path: str, raw: object) -> Condition | None:
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


def _read_true(node: Node, key: str) -> bool:
    def read(errors: Problems, value: object, path: str) -> bool | None:
        if value is not True:
            errors.add(path, "must be true (leave the condition out otherwise)")
            return None
        return True

    return node.read(key, read, False)


def _check_allows_na(errors: Problems, path: str, value: Any, question: QuestionSpec) -> None:
    if not question.allow_na:
        errors.add(path, f"{question.code} does not allow 'not applicable' (allow_na)")


def _no_check(errors: Problems, path: str, value: Any, question: QuestionSpec) -> None:
    return None


_COMPARISON_READERS: dict[str, Callable[[Node, str], Any]] = {
    "in": read_option_values,
    "not_in": read_option_values,
    "min": _read_bound,
    "max": _read_bound,
    "includes": _read_item,
    "excludes": _read_item,
    "na": _read_true,
    "not_measured": _read_true,
}


_COMPARISON_CHECKS: dict[str, Callable[[Problems, str, Any, QuestionSpec], None]] = {
    "in": check_option_values,
    "not_in": check_option_values,
    "min": check_bound,
    "max": check_bound,
    "includes": check_item,
    "excludes": check_item,
    "na": _check_allows_na,
    "not_measured": _no_check,
}
