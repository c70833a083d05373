"""Cross-references: what has been read so far, and checks of codes that point elsewhere."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

from diagnosis.definitions.errors import Problems
from diagnosis.definitions.frameworks import Frameworks
from diagnosis.definitions.values import Node, read_positive_integer, read_string
from diagnosis.scoring.definition import (
    Dependency,
    QuestionSpec,
    QuestionType,
)


class Seen(NamedTuple):
    position: int
    path: str


@dataclass(frozen=True, slots=True)
class PendingDependency:
    path: str
    position: int
    dependency: Dependency


@dataclass(frozen=True, slots=True)
class PendingInputs:
    """A rate's or trend's input question (under key at path), checked once all are read."""

    path: str
    position: int
    code: str


@dataclass
class Context:
    """What has been read so far, for checking references between parts of the file."""

    errors: Problems
    question_count: int = 0
    questions_seen: dict[str, Seen] = field(default_factory=dict)  # every code, file order
    questions: dict[str, QuestionSpec] = field(default_factory=dict)  # those read cleanly
    dependencies: list[PendingDependency] = field(default_factory=list)
    # None when the section is missing or not a list: references to it are then not checked.
    dimension_codes: dict[str, str] | None = None
    level_numbers: set[int] | None = None
    covered: set[tuple[str, int]] = field(default_factory=set)
    unbanded: set[str] = field(default_factory=set)  # dimensions with banded: false
    # (path, key, dimension code) of each `compares_as` read, checked once all codes are known
    comparison_keys: list[tuple[str, str, str]] = field(default_factory=list)
    computed: list[PendingInputs] = field(default_factory=list)  # rate/trend inputs to check
    frameworks: Frameworks | None = None
    frameworks_missing_reported: bool = False


def register_question(context: Context, node: Node, code: str) -> int:
    """Return the question's position in the file; reports a code used before."""
    position = context.question_count
    context.question_count += 1
    if not node.valid("code"):
        return position
    seen = context.questions_seen.get(code)
    if seen is not None:
        node.errors.add(node.at("code"), f"duplicate question code {code!r} (first at {seen.path})")
    else:
        context.questions_seen[code] = Seen(position, node.at("code"))
    return position


def check_dependencies(context: Context) -> None:
    """Report each depends_on naming an unknown or later question, or values it cannot have."""
    for pending in context.dependencies:
        path, code = f"{pending.path}.question", pending.dependency.question
        seen = context.questions_seen.get(code)
        if seen is None:
            context.errors.add(path, f"unknown question {code!r}")
        elif seen.position >= pending.position:
            context.errors.add(path, f"must name an earlier question; {code!r} is not before it")
        elif (target := context.questions.get(code)) is not None:
            _check_dependency_target(context.errors, pending, target)


def check_computed_inputs(context: Context) -> None:
    """Report each rate/trend input that is not a number question earlier in the file."""
    for pending in context.computed:
        seen = context.questions_seen.get(pending.code)
        if seen is None:
            context.errors.add(pending.path, f"unknown question {pending.code!r}")
        elif seen.position >= pending.position:
            problem = f"must name an earlier question; {pending.code!r} is not before it"
            context.errors.add(pending.path, problem)
        elif (target := context.questions.get(pending.code)) is not None and (
            target.type is not QuestionType.NUMBER
        ):
            problem = f"{pending.code!r} is a {target.type} question; use a number question"
            context.errors.add(pending.path, problem)


def _check_dependency_target(
    errors: Problems, pending: PendingDependency, target: QuestionSpec
) -> None:
    """Report a depends_on target of the wrong type or values it cannot have."""
    if target.type not in (QuestionType.LEVEL, QuestionType.CHOICE):
        problem = f"{target.code!r} is a {target.type} question; use a level or choice question"
        errors.add(f"{pending.path}.question", problem)
        return
    check_option_values(errors, f"{pending.path}.values", pending.dependency.values, target)


def check_option_values(
    errors: Problems, path: str, values: Sequence[int | str], question: QuestionSpec
) -> None:
    """Report each value that is not among the question's option values."""
    allowed = [option.value for option in question.options]
    listed = ", ".join(str(value) for value in allowed)
    for index, value in enumerate(values):
        if value not in allowed:
            errors.add(
                f"{path}[{index}]", f"{value!r} is not an option of {question.code} ({listed})"
            )


def dimension_reference(context: Context, node: Node) -> str | None:
    """Return the code under `dimension` (None if absent or invalid); reports an unknown one."""
    code = node.read("dimension", read_string, None)
    known = context.dimension_codes
    if code is not None and known is not None and code not in known:
        node.errors.add(node.at("dimension"), f"unknown dimension {code!r}")
    return code


def question_reference(context: Context, node: Node) -> str | None:
    """Return the code under `question` (None if absent or invalid); reports an unknown one."""
    code = node.read("question", read_string, None)
    questions_known = context.dimension_codes is not None
    if code is not None and questions_known and code not in context.questions_seen:
        node.errors.add(node.at("question"), f"unknown question {code!r}")
    return code


def level_references(context: Context, node: Node) -> tuple[int, ...]:
    """Return the level numbers under `levels`; reports those no level has."""
    numbers = []
    for path, raw in node.items("levels"):
        number = read_positive_integer(context.errors, raw, path)
        if number is None:
            continue
        if context.level_numbers is not None and number not in context.level_numbers:
            context.errors.add(path, f"unknown level {number}")
        numbers.append(number)
    return tuple(numbers)


def check_coverage(context: Context, path: str) -> None:
    """Report every dimension × level that no recommendation applies to."""
    if context.dimension_codes is None or context.level_numbers is None:
        return
    for dimension in context.dimension_codes:
        if dimension in context.unbanded:
            continue
        for level in sorted(context.level_numbers):
            if (dimension, level) not in context.covered:
                problem = f"no recommendation for dimension {dimension!r} at level {level}"
                context.errors.add(path, problem)


def check_bound(errors: Problems, path: str, bound: float, question: QuestionSpec) -> None:
    """Report a bound outside the question's range (0–5 for levels, 0–100 for rates,
    min–max for KPIs and numbers; a trend's change in % has no range)."""
    low: float | None
    high: float | None
    if question.type is QuestionType.LEVEL:
        low, high = 0.0, 5.0
    elif question.type is QuestionType.RATE:
        low, high = 0.0, 100.0
    elif question.type is QuestionType.TREND:
        return
    else:
        low, high = question.minimum, question.maximum
    if low is not None and high is not None and not low <= bound <= high:
        errors.add(path, f"must be between {low:g} and {high:g}, the range of {question.code}")


def check_item(errors: Problems, path: str, code: str, question: QuestionSpec) -> None:
    """Report an item code that the checklist question does not have."""
    codes = [item.code for item in question.items]
    if code not in codes:
        errors.add(path, f"{code!r} is not an item of {question.code} ({', '.join(codes)})")
