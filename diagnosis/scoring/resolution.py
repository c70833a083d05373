"""What each answer counts as (hidden, not applicable, unanswered, answered), and the
per-dimension totals that follow, worked out in one pass over the questions."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .inputs import AnswerInput
from .model import NEVER, DefinitionModel, QuestionModel
from .questions import has_text

# Plain ints rather than an Enum: they are compared in the engine's innermost loop.
# Order matters: a status ≥ UNANSWERED is applicable (visible and not "not applicable").
HIDDEN = 0
NOT_APPLICABLE = 1
UNANSWERED = 2
ANSWERED = 3


@dataclass(slots=True)
class Tally:
    """Running totals for one dimension over its visible, applicable, scored questions."""

    weighted_points: float = 0.0
    answered_weight: float = 0.0
    answered: int = 0
    applicable: int = 0
    evidence: int = 0
    verified: int = 0

    def add(self, weight: float, points: float | None, answer: AnswerInput | None) -> None:
        """Count one applicable question; points is None when it is unanswered."""
        self.applicable += 1
        if points is None or answer is None:
            return
        self.answered += 1
        self.weighted_points += weight * points
        self.answered_weight += weight
        self.evidence += bool(answer.has_evidence)
        self.verified += bool(answer.verified)

    def score(self) -> float | None:
        """Return the weighted mean of the answered questions (1 decimal), None if none."""
        if self.answered_weight <= 0:
            return None
        return round(self.weighted_points / self.answered_weight, 1)


@dataclass(frozen=True, slots=True)
class Resolution:
    """Per question (in model order) its status and points; the usable values; the tallies.

    ``usable`` maps the code of every visible, applicable, validly answered question to
    its value; ``points`` is None except for answered scored questions; ``tallies`` has
    one entry per dimension, in definition order.
    """

    statuses: list[int]
    points: list[float | None]
    usable: dict[str, Any]
    tallies: list[Tally]

    def question_points(self, model: DefinitionModel, code: str) -> float:
        """Return the question's points, 0 when it is unanswered, NA, hidden or unknown."""
        index = model.position.get(code)
        if index is None:
            return 0.0
        return self.points[index] or 0.0


def resolve(model: DefinitionModel, answers: Mapping[str, AnswerInput]) -> Resolution:
    """Return the status of every question; answers to unknown questions are ignored."""
    statuses: list[int] = []
    points: list[float | None] = []
    usable: dict[str, Any] = {}
    tallies = [Tally() for _ in model.dimension_codes]
    for question in model.questions:
        answer = answers.get(question.code)
        # The dependency test is inlined: this loop is the engine's hot path.
        trigger_values = question.trigger_values
        if trigger_values is not None and usable.get(question.trigger, NEVER) not in trigger_values:
            status, earned = HIDDEN, None
        else:
            status, earned = read_shown_answer(question, answer)
        statuses.append(status)
        points.append(earned)
        if status == ANSWERED:
            usable[question.code] = answer.value  # type: ignore[union-attr]
        if status >= UNANSWERED and question.scored:
            tallies[question.dimension].add(question.weight, earned, answer)
    return Resolution(statuses, points, usable, tallies)


def read_shown_answer(
    question: QuestionModel, answer: AnswerInput | None
) -> tuple[int, float | None]:
    """Return a shown question's status and points (None unless answered and scored)."""
    if answer is None:
        return UNANSWERED, None
    if answer.not_applicable and question.allow_na:
        return NOT_APPLICABLE, None
    if not question.scored:
        return (ANSWERED if has_text(answer.value) else UNANSWERED), None
    earned = question.scorer(answer.value)
    return (UNANSWERED if earned is None else ANSWERED), earned
