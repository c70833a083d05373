"""Which questions are asked, given the answers so far (``depends_on``)."""

from __future__ import annotations

from collections.abc import Mapping

from .definition import Definition, QuestionSpec
from .inputs import AnswerInput
from .model import NEVER, DefinitionModel, QuestionModel, model_for
from .resolution import resolve


def is_visible(
    definition: Definition, question_code: str, answers: Mapping[str, AnswerInput]
) -> bool:
    """Return True when the question is asked: its dependency holds, and so on up the chain
    (a question under a hidden trigger is hidden). Raises KeyError for an unknown code.

    Walks only the question's chain of triggers, so asking it for every question of a page
    stays cheap; ``visible_questions`` answers for all questions in one pass.
    """
    model = model_for(definition)
    question = model.questions[model.position[question_code]]
    while question.trigger_values is not None:
        trigger = trigger_of(model, question)
        if trigger is None or usable_value(trigger, answers) not in question.trigger_values:
            return False
        question = trigger
    return True


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
    definition: Definition, answers: Mapping[str, AnswerInput]
) -> list[QuestionSpec]:
    """Return the questions that are asked, in file order."""
    model = model_for(definition)
    hidden = resolve(model, answers).hidden
    return [question.question for question in model.questions if question.code not in hidden]
