"""The two shipped versions of the smart-manufacturing questionnaire side by side: v1 (the
`questionnaire` fixture) and v2, published after it, with a filler that answers v2."""

import copy
import random
from functools import cache
from pathlib import Path
from typing import Any

from diagnosis.answers import clean_answer
from diagnosis.definitions.loader import read_definition_data
from diagnosis.models import Assessment, QuestionnaireVersion, User
from diagnosis.scoring.definition import COMPUTED_TYPES, NOT_MEASURED, QuestionType
from diagnosis.services.assessments import AnswerEntry, answers_save, goal_save
from diagnosis.services.questionnaires import questionnaire_store
from tests.answering import sample_value

V2_FILE = (
    Path(__file__).resolve().parent.parent / "diagnosis/definitions/smart-manufacturing-v2.yaml"
)


@cache
def _v2_data() -> dict[str, Any]:
    return read_definition_data(V2_FILE)


def publish_v2() -> QuestionnaireVersion:
    """The shipped v2 file, stored and published (after v1, when v1 is there)."""
    data = copy.deepcopy(_v2_data())
    return questionnaire_store(data=data, source=V2_FILE.name, publish=True).version


def fill_any(
    assessment: Assessment, user: User, *, high: bool | None = None, seed: int = 3
) -> None:
    """Answer every asked question of any version (number questions "not measured") and set
    every target, like tests.answering.fill does for v1."""
    definition = assessment.questionnaire.definition
    rng = random.Random(seed)
    entries = []
    for question in definition.questions.values():
        if question.type in COMPUTED_TYPES:
            continue
        if question.type is QuestionType.NUMBER:
            value: Any = NOT_MEASURED
        else:
            value = clean_answer(question, sample_value(question, rng, high))
        entries.append(AnswerEntry(code=question.code, value=value))
    answers_save(assessment=assessment, user=user, entries=entries)
    for dimension in definition.dimensions:
        goal_save(assessment=assessment, dimension_code=dimension.code, target_level=4, relevance=3)
