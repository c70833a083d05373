"""How far the report's level stands on verified answers, and what is left to resolve.

The level is a *verified level* (核验等级) only on a signed-off report whose gate-critical
answers (the questions the levels' gates and ``requires`` name) are verified with
evidence: each carries an evidence file and a consultant's verdict (issue 12 item 9);
otherwise it is a *self-assessed level (indicative)* (自评参考等级). Review §5.5–5.6.
"""

from dataclasses import dataclass

from diagnosis.models import Assessment
from diagnosis.queries.assessments import AssessmentState, assessment_state
from diagnosis.queries.review import unresolved_warnings
from diagnosis.scoring import ScoreCard, is_visible
from diagnosis.scoring.definition import Definition
from diagnosis.scoring.levels import gate_critical_questions
from diagnosis.services.scoring import validated_inputs


@dataclass(frozen=True)
class GateGaps:
    """The gate-critical answers the firm was asked that keep the level from being
    verified, each list in level order: ``codes`` lacks either, ``no_evidence`` an
    evidence file, ``not_verified`` a consultant's verdict (an unanswered question lacks
    both). False when nothing is missing."""

    codes: tuple[str, ...] = ()
    no_evidence: tuple[str, ...] = ()
    not_verified: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.codes)


def level_verified(assessment: Assessment, definition: Definition, signed: bool) -> bool:
    """True when the report is signed off and every gate-critical question the firm was
    asked (a rate or trend: each of its figures) has an evidence file and the consultant's
    verdict (one query; none for an unsigned report). With no gate-critical question, the
    sign-off alone verifies the level."""
    return signed and not gate_gaps(assessment, definition)


def unverified_gate_questions(assessment: Assessment, definition: Definition) -> list[str]:
    """The gate-critical questions the firm was asked whose answer is not yet verified
    with evidence (no evidence file, or no consultant's verdict), in level order (one
    query; none without gate-critical questions)."""
    return list(gate_gaps(assessment, definition).codes)


def gate_gaps(
    assessment: Assessment, definition: Definition, state: AssessmentState | None = None
) -> GateGaps:
    """What the gate-critical answers still lack for a verified level (one query, none
    when the caller has the assessment's `state` or there is no gate-critical question)."""
    codes = gate_critical_questions(definition.levels)
    if not codes:
        return GateGaps()
    state = state or assessment_state(assessment)
    inputs = validated_inputs(state)
    asked_codes: dict[str, None] = {}
    for code in codes:
        question = definition.questions.get(code)
        if question is None:
            continue
        for asked in (code,) if question.asked else question.inputs:
            if is_visible(definition, asked, inputs, state.profile):
                asked_codes[asked] = None
    no_evidence, not_verified = [], []
    for asked in asked_codes:
        answer = inputs.get(asked)
        if answer is None or not answer.has_evidence:
            no_evidence.append(asked)
        if answer is None or not answer.verified:
            not_verified.append(asked)
    missing = set(no_evidence) | set(not_verified)
    return GateGaps(
        codes=tuple(code for code in asked_codes if code in missing),
        no_evidence=tuple(no_evidence),
        not_verified=tuple(not_verified),
    )


def unresolved_count(assessment: Assessment, card: ScoreCard) -> int:
    """How many of the card's must-resolve warnings no consultant has resolved (one query,
    none when the card has no such warning)."""
    return len(unresolved_warnings(assessment, card))
