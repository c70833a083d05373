"""How far the report's level stands on verified answers, and what is left to resolve.

The level is a *verified level* (核验等级) only on a signed-off report whose gate-critical
answers (the questions the levels' gates and ``requires`` name) a consultant verified;
otherwise it is a *self-assessed level (indicative)* (自评参考等级). Review §5.5–5.6.
"""

from diagnosis.models import Assessment
from diagnosis.queries.assessments import assessment_state
from diagnosis.queries.review import unresolved_warnings
from diagnosis.scoring import ScoreCard, is_visible
from diagnosis.scoring.definition import Definition
from diagnosis.scoring.levels import gate_critical_questions
from diagnosis.services.scoring import validated_inputs


def level_verified(assessment: Assessment, definition: Definition, signed: bool) -> bool:
    """True when the report is signed off and every gate-critical question the firm was
    asked (a rate or trend: each of its figures) carries the consultant's verdict (one
    query; none for an unsigned report). With no gate-critical question, the sign-off
    alone verifies the level."""
    return signed and not unverified_gate_questions(assessment, definition)


def unverified_gate_questions(assessment: Assessment, definition: Definition) -> list[str]:
    """The gate-critical questions the firm was asked whose answer no consultant has
    verified yet, in level order (one query; none without gate-critical questions)."""
    codes = gate_critical_questions(definition.levels)
    if not codes:
        return []
    state = assessment_state(assessment)
    inputs = validated_inputs(state)
    unverified = []
    for code in codes:
        question = definition.questions.get(code)
        if question is None:
            continue
        for asked in (code,) if question.asked else question.inputs:
            if not is_visible(definition, asked, inputs, state.profile):
                continue
            answer = inputs.get(asked)
            if answer is None or not answer.verified:
                unverified.append(asked)
    return list(dict.fromkeys(unverified))


def unresolved_count(assessment: Assessment, card: ScoreCard) -> int:
    """How many of the card's must-resolve warnings no consultant has resolved (one query,
    none when the card has no such warning)."""
    return len(unresolved_warnings(assessment, card))
