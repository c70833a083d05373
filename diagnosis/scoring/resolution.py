"""What each answer counts as, worked out in one pass over the questions in file order.

A question is *hidden* (its dependency does not hold), *not applicable* (where allowed),
*unanswered* (no answer or an invalid value) or *answered*. Only answered questions make
the dimension score; unanswered ones still count as applicable, which lowers confidence.

A hidden question is *denied* when its trigger was answered with a value that does not
open it ("no MES" hides the MES integration question), or when its trigger is itself
denied. A denied scored question counts in its dimension's score at its lowest score
(``floor``) with its full weight, so admitting a partial capability can never score below
denying it; it is not asked, so it counts in no question tally (answered, applicable,
confidence) and has no points for gates or consistency rules. Other hidden questions
(trigger unanswered, invalid, not applicable or hidden by such a trigger) and not
applicable questions count nowhere.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .inputs import AnswerInput
from .model import NEVER, DefinitionModel, QuestionModel
from .questions import has_text


@dataclass(slots=True)
class Tally:
    """Running totals for one dimension over its visible, applicable, scored questions."""

    weighted_points: float = 0.0
    answered_weight: float = 0.0
    answered: int = 0
    applicable: int = 0
    evidence: int = 0
    verified: int = 0

    def count_answer(self, weight: float, points: float, answer: AnswerInput) -> None:
        """Count one answered question (already counted as applicable)."""
        self.answered += 1
        self.weighted_points += weight * points
        self.answered_weight += weight
        self.evidence += bool(answer.has_evidence)
        self.verified += bool(answer.verified)

    def count_denied(self, weight: float, floor: float) -> None:
        """Count a follow-up whose trigger denies the capability at its lowest score."""
        self.weighted_points += weight * floor
        self.answered_weight += weight

    def score(self) -> float | None:
        """Return the weighted mean of the answered questions (1 decimal), None if none."""
        if self.answered_weight <= 0:
            return None
        return round(self.weighted_points / self.answered_weight, 1)


@dataclass(slots=True)
class Resolution:
    """The outcome of one pass over the answers.

    ``hidden``: codes of the questions not asked; ``denied``: those of them hidden because
    a trigger denies the capability (see the module docstring). ``usable``: value of every visible,
    applicable, validly answered question (text included). ``points``: score of every
    answered scored question. ``tallies``: one per dimension, in definition order.
    """

    hidden: set[str] = field(default_factory=set)
    denied: set[str] = field(default_factory=set)
    usable: dict[str, Any] = field(default_factory=dict)
    points: dict[str, float] = field(default_factory=dict)
    tallies: list[Tally] = field(default_factory=list)

    def question_points(self, code: str) -> float:
        """Return the question's points, 0 when it is unanswered, NA, hidden or unknown."""
        return self.points.get(code, 0.0)


def resolve(model: DefinitionModel, answers: Mapping[str, AnswerInput]) -> Resolution:
    """Return what the answers count as; answers to unknown questions are ignored."""
    resolution = Resolution(tallies=[Tally() for _ in model.dimension_codes])
    for question in model.questions:
        read_answer(question, answers.get(question.code), resolution)
    return resolution


def read_answer(question: QuestionModel, answer: AnswerInput | None, into: Resolution) -> None:
    """Record the question's outcome; its trigger must have been read before."""
    # The engine's hot path: one call per question per card, hence the flat shape.
    trigger_values = question.trigger_values
    if trigger_values is not None:
        trigger_value = into.usable.get(question.trigger, NEVER)
        if trigger_value not in trigger_values:
            into.hidden.add(question.code)
            if trigger_values and (trigger_value is not NEVER or question.trigger in into.denied):
                into.denied.add(question.code)
                if question.scored:
                    into.tallies[question.dimension].count_denied(question.weight, question.floor)
            return
    if answer is not None and answer.not_applicable and question.allow_na:
        return
    value = None if answer is None else answer.value
    if not question.scored:
        if has_text(value):
            into.usable[question.code] = value
        return
    tally = into.tallies[question.dimension]
    tally.applicable += 1
    points = None if answer is None else question.scorer(value)
    if points is not None:
        into.usable[question.code] = value
        into.points[question.code] = points
        tally.count_answer(question.weight, points, answer)  # type: ignore[arg-type]
