"""Maturity levels: plain score bands, and the gated overall level with what limits it."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from .card import Limit, LimitKind
from .definition import Condition, Gate, Level


def always(condition: Condition) -> bool:
    """The default test of conditions: levels without requires/applies_when never ask it."""
    return True


DEFAULT_LEVEL = 1


def band_level(levels: tuple[Level, ...], score: float | None) -> int:
    """Return the highest level whose min_score ≤ score; the first level when score is None."""
    if score is not None:
        for level in reversed(levels):
            if level.min_score <= score:
                return level.number
    return levels[0].number if levels else DEFAULT_LEVEL


def gated_level(
    levels: tuple[Level, ...],
    overall: float,
    critical_scores: dict[str, float | None],
    dimension_score: Callable[[str], float],
    question_score: Callable[[str], float],
    holds: Callable[[Condition], bool] = always,
) -> tuple[int, tuple[Limit, ...]]:
    """Return the highest level whose requirements, and every lower level's, are all met,
    with the failed floors, gates and requires of the level above it (empty at the top).

    The first level is the entry level and is always reached. A missing score counts as 0.
    ``holds`` tells whether a condition (requires, a gate's applies_when) holds.
    """
    reached = levels[0].number if levels else DEFAULT_LEVEL
    for level in levels[1:]:
        limits = failed_requirements(level, critical_scores, dimension_score, question_score, holds)
        if overall < level.min_score or limits:
            return reached, limits
        reached = level.number
    return reached, ()


def failed_requirements(
    level: Level,
    critical_scores: dict[str, float | None],
    dimension_score: Callable[[str], float],
    question_score: Callable[[str], float],
    holds: Callable[[Condition], bool] = always,
) -> tuple[Limit, ...]:
    """Return the level's critical floors, gates (those that apply) and requires that are
    not met, in that order."""
    limits = [
        Limit(level.number, "critical_floor", code, float(level.critical_floor), actual)
        for code, score in critical_scores.items()
        if (actual := score or 0.0) < level.critical_floor
    ]
    for gate in level.gates:
        if not all(holds(condition) for condition in gate.applies_when):
            continue
        for kind, code, actual in gate_targets(gate, dimension_score, question_score):
            if actual < gate.min_score:
                limits.append(Limit(level.number, kind, code, float(gate.min_score), actual))
    for index, condition in enumerate(level.requires):
        if not holds(condition):
            code = "/".join(condition.questions())
            limits.append(Limit(level.number, "requires", code, 1.0, 0.0, requirement=index))
    return tuple(limits)


def gate_targets(
    gate: Gate,
    dimension_score: Callable[[str], float],
    question_score: Callable[[str], float],
) -> Iterator[tuple[LimitKind, str, float]]:
    """Yield (kind, code, actual score) for the dimension and/or question the gate names."""
    if gate.dimension is not None:
        yield "dimension", gate.dimension, dimension_score(gate.dimension)
    if gate.question is not None:
        yield "question", gate.question, question_score(gate.question)


def gate_critical_questions(levels: tuple[Level, ...]) -> tuple[str, ...]:
    """Return the questions the levels' gates and ``requires`` name, once each, in level
    order: the answers a level stands on, which a consultant must verify before the level
    is called verified (review §5.6)."""
    codes: dict[str, None] = {}
    for level in sorted(levels, key=lambda level: level.number):
        for gate in level.gates:
            if gate.question is not None:
                codes.setdefault(gate.question)
        for condition in level.requires:
            for code in condition.questions():
                codes.setdefault(code)
    return tuple(codes)
