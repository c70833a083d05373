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

A question whose ``show_when`` does not hold for the firm's profile does not exist for the
firm: it is hidden (not denied), and so are its follow-ups. A question without an answer
counts as answered "not applicable" when its ``na_default_when`` holds for the profile
(``defaults.py``). Unscored questions (text, number, ``unscored: true``) only make
``usable`` values. Rates and trends are computed from their number inputs (SPEC12 §3):
denied when an input is denied, not counted when an input has no usable value (or the
rule cannot divide), 0 points with a "not measured" finding when an input is not measured.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .defaults import apply_defaults
from .definition import NOT_MEASURED, QuestionType
from .inputs import NO_PROFILE, AnswerInput, Profile
from .model import NEVER, DefinitionModel, QuestionModel
from .questions import as_number, trend_points


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

    def count_computed(self, weight: float, points: float, inputs: list[AnswerInput]) -> None:
        """Count a computed rate or trend: evidenced or verified when all its inputs are."""
        self.applicable += 1
        self.answered += 1
        self.weighted_points += weight * points
        self.answered_weight += weight
        self.evidence += all(answer.has_evidence for answer in inputs)
        self.verified += all(answer.verified for answer in inputs)

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
    not_applicable: set[str] = field(default_factory=set)  # visible, answered "n/a"
    not_measured: list[str] = field(default_factory=list)  # findings, in file order
    profile: Profile = NO_PROFILE

    def question_points(self, code: str) -> float:
        """Return the question's points, 0 when it is unanswered, NA, hidden or unknown."""
        return self.points.get(code, 0.0)


def resolve(
    model: DefinitionModel, answers: Mapping[str, AnswerInput], profile: Profile = NO_PROFILE
) -> Resolution:
    """Return what the answers count as; answers to unknown questions are ignored, and
    the profile's preset "not applicable" answers are added (``apply_defaults``)."""
    answers = apply_defaults(model, answers, profile)
    resolution = Resolution(tallies=[Tally() for _ in model.dimension_codes], profile=profile)
    for question in model.questions:
        if question.show_when and not shown_for(question, profile):
            resolution.hidden.add(question.code)
        elif question.inputs:
            read_computed(question, answers, resolution)
        else:
            read_answer(question, answers.get(question.code), resolution)
    return resolution


def computed_values(
    model: DefinitionModel, answers: Mapping[str, AnswerInput], profile: Profile = NO_PROFILE
) -> dict[str, float | str]:
    """Return each rate's and trend's computed percentage (a trend's: the signed change),
    or NOT_MEASURED when an input is not measured; rates and trends that cannot be
    computed (yet) are left out."""
    resolution = resolve(model, answers, profile)
    values: dict[str, float | str] = {}
    for question in model.questions:
        if not question.inputs:
            continue
        if question.code in resolution.usable:
            values[question.code] = resolution.usable[question.code]
        elif question.code in resolution.not_measured:
            values[question.code] = NOT_MEASURED
    return values


def shown_for(question: QuestionModel, profile: Profile) -> bool:
    """Return True when the question's show_when holds for the profile."""
    return all(predicate({}, frozenset(), profile) for predicate in question.show_when)


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
        into.not_applicable.add(question.code)
        return
    value = None if answer is None else answer.value
    if not question.scored:
        if question.accepts(value):
            into.usable[question.code] = value
            if value == NOT_MEASURED:
                into.not_measured.append(question.code)
        return
    tally = into.tallies[question.dimension]
    tally.applicable += 1
    points = None if answer is None else question.scorer(value)
    if points is not None:
        into.usable[question.code] = value
        into.points[question.code] = points
        tally.count_answer(question.weight, points, answer)  # type: ignore[arg-type]


def read_computed(
    question: QuestionModel, answers: Mapping[str, AnswerInput], into: Resolution
) -> None:
    """Record a rate's or trend's outcome from its inputs (all read before it)."""
    code = question.code
    if any(input_code in into.denied for input_code in question.inputs):
        into.hidden.add(code)
        into.denied.add(code)
        into.tallies[question.dimension].count_denied(question.weight, question.floor)
        return
    values = [into.usable.get(input_code, NEVER) for input_code in question.inputs]
    if any(value is NEVER for value in values):
        return
    inputs = [answers[input_code] for input_code in question.inputs]
    tally = into.tallies[question.dimension]
    if any(value == NOT_MEASURED for value in values):
        into.not_measured.append(code)
        into.points[code] = 0.0
        tally.count_computed(question.weight, 0.0, inputs)
        return
    numbers = [as_number(value) or 0.0 for value in values]
    computed = computed_points(question, numbers)
    if computed is None:
        return
    percentage, points = computed
    into.usable[code] = percentage
    into.points[code] = points
    tally.count_computed(question.weight, points, inputs)


def computed_points(question: QuestionModel, numbers: list[float]) -> tuple[float, float] | None:
    """Return (percentage, points) of a rate or trend; None when it cannot be computed
    (a zero denominator, previous value or intensity base)."""
    spec = question.question
    if spec.type is QuestionType.RATE:
        numerator, denominator = numbers
        if denominator == 0:
            return None
        percentage = max(0.0, min(100.0, 100 * numerator / denominator))
        assert question.band_score is not None
        return percentage, question.band_score(percentage)
    current, previous, *bases = numbers
    if bases:
        if 0 in bases:
            return None
        current, previous = current / bases[0], previous / bases[1]
    if previous == 0:
        return None
    change = (current - previous) / abs(previous)
    return round(100 * change, 4), trend_points(change, spec.better)
