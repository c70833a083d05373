"""Which questions are asked, given the answers so far (``depends_on``)."""

from __future__ import annotations

from collections.abc import Mapping

from .definition import Definition, Question
from .inputs import AnswerInput
from .model import model_for
from .resolution import HIDDEN, resolve


def is_visible(
    definition: Definition, question_code: str, answers: Mapping[str, AnswerInput]
) -> bool:
    """Return True when the question is asked: its dependency, and its trigger's, hold.

    Raises KeyError for a code the definition does not have.
    """
    model = model_for(definition)
    index = model.position[question_code]
    return resolve(model, answers).statuses[index] != HIDDEN


def visible_questions(definition: Definition, answers: Mapping[str, AnswerInput]) -> list[Question]:
    """Return the questions that are asked, in file order."""
    model = model_for(definition)
    statuses = resolve(model, answers).statuses
    return [
        question.question
        for question, status in zip(model.questions, statuses, strict=True)
        if status != HIDDEN
    ]
