"""Which questions are asked, given the answers so far (``depends_on``)."""

from __future__ import annotations

from collections.abc import Mapping

from .definition import Definition, QuestionSpec
from .inputs import NO_PROFILE, AnswerInput, Profile
from .model import NEVER, DefinitionModel, QuestionModel, model_for
from .resolution import computed_values as resolved_computed_values
from .resolution import resolve, shown_for


def is_visible(
    definition: Definition,
    question_code: str,
    answers: Mapping[str, AnswerInput],
    profile: Profile = NO_PROFILE,
) -> bool:
    """Return True when the question is asked: its show_when holds for the profile and its
    dependency holds, and so on up the chain (a question under a hidden trigger is hidden).
    Raises KeyError for an unknown code.

    Walks only the question's chain of triggers, so asking it for every question of a page
    stays cheap; ``visible_questions`` answers for all questions in one pass.
    """
    model = model_for(definition)
    question = model.questions[model.position[question_code]]
    while True:
        if question.show_when and not shown_for(question, profile):
            return False
        if question.trigger_values is None:
            return True
        trigger = trigger_of(model, question)
        if trigger is None or usable_value(trigger, answers) not in question.trigger_values:
            return False
        question = trigger


def computed_values(
    definition: Definition, answers: Mapping[str, AnswerInput], profile: Profile = NO_PROFILE
) -> dict[str, float | str]:
    """Return the computed value of each rate and trend that can be computed from the
    answers (see ``resolution.computed_values``), for showing beside the numbers."""
    return resolved_computed_values(model_for(definition), answers, profile)


def trigger_of(model: DefinitionModel, question: QuestionModel) -> QuestionModel | None:
    """Return the question's trigger; None when the dependency can never hold (the model
    leaves no values on a dependency that names no earlier level/choice question)."""
    if not question.trigger_values:
        return None
    return model.questions[model.position[question.trigger]]


def usable_value(trigger: QuestionModel, answers: Mapping[str, AnswerInput]) -> object:
    """Return the trigger's answer value if it is valid and applicable, else a sentinel
    that no dependency lists. Visibility of the trigger itself is the caller's concern."""
    answer = answers.get(trigger.code)
    if answer is None or (answer.not_applicable and trigger.allow_na):
        return NEVER
    return answer.value if trigger.scorer(answer.value) is not None else NEVER


def visible_questions(
    definition: Definition, answers: Mapping[str, AnswerInput], profile: Profile = NO_PROFILE
) -> list[QuestionSpec]:
    """Return the questions that exist for the firm and are shown, in file order (rates and
    trends included: they are computed, not asked)."""
    model = model_for(definition)
    hidden = resolve(model, answers, profile).hidden
    return [question.question for question in model.questions if question.code not in hidden]
