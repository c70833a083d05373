"""Answers preset by the firm's profile: a question's ``na_default_when``.

For a firm whose profile meets every condition of a question's ``na_default_when`` (a
question that allows "not applicable"), a question with no stored answer counts as
answered "not applicable": it drops out of every denominator, and it counts as answered
for progress and completeness. Any stored answer wins, even one cleared back to blank.

The preset answers are made here and nowhere else: the engine (``resolve``) and the
answering pages (``AssessmentState.inputs``) both go through ``with_defaults``, so what
the page shows as pre-ticked is exactly what the card scores.
"""

from __future__ import annotations

from collections.abc import Mapping

from .definition import Definition
from .inputs import NO_PROFILE, AnswerInput, Profile
from .model import DefinitionModel, QuestionModel, model_for


def default_answer(code: str) -> AnswerInput:
    """Return the preset answer of a question: "not applicable", marked as defaulted."""
    return AnswerInput(question=code, not_applicable=True, defaulted=True)


def defaults_for(question: QuestionModel, profile: Profile) -> bool:
    """Return True when the question's na_default_when holds for the profile."""
    return bool(question.na_default) and all(
        predicate({}, frozenset(), profile) for predicate in question.na_default
    )


def apply_defaults(
    model: DefinitionModel, answers: Mapping[str, AnswerInput], profile: Profile
) -> Mapping[str, AnswerInput]:
    """Return the answers with the preset ones added; ``answers`` itself (not a copy)
    when no preset applies, so a definition without ``na_default_when`` (v1) costs
    nothing and scores exactly as before."""
    if not model.na_defaults:
        return answers
    missing = [
        question.code
        for question in model.na_defaults
        if question.code not in answers and defaults_for(question, profile)
    ]
    if not missing:
        return answers
    merged = dict(answers)
    for code in missing:
        merged[code] = default_answer(code)
    return merged


def with_defaults(
    definition: Definition, answers: Mapping[str, AnswerInput], profile: Profile = NO_PROFILE
) -> dict[str, AnswerInput]:
    """Return a new dict of the answers plus those the profile presets (see above)."""
    return dict(apply_defaults(model_for(definition), answers, profile))
