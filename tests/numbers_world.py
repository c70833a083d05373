"""A small questionnaire with number questions, a rate, a trend and a must-resolve
consistency rule (tests/definitions/fixtures/numbers-v1.yaml), for the tests of number
answers and of sign-off; independent of the bundled questionnaire files."""

import copy
from functools import cache
from pathlib import Path
from typing import Any

from diagnosis.definitions.loader import read_definition_data
from diagnosis.models import Assessment, Firm, QuestionnaireVersion, User
from diagnosis.services.assessments import AnswerEntry, answers_save, assessment_start, goal_save
from diagnosis.services.questionnaires import questionnaire_store

NUMBERS_FILE = Path(__file__).parent / "definitions" / "fixtures" / "numbers-v1.yaml"


@cache
def _numbers_data() -> dict[str, Any]:
    return read_definition_data(NUMBERS_FILE)


def numbers_questionnaire() -> QuestionnaireVersion:
    """The numbers questionnaire, stored and published (the current one)."""
    data = copy.deepcopy(_numbers_data())  # read once per test process
    return questionnaire_store(data=data, source=NUMBERS_FILE.name, publish=True).version


def numbers_draft(firm: Firm, user: User) -> Assessment:
    numbers_questionnaire()
    return assessment_start(firm=firm, user=user)


def numbers_answer(assessment: Assessment, user: User, **values: object) -> None:
    """Save answers given as EQP_01=120 (codes with underscores), and every goal."""
    entries = [AnswerEntry(code=key.replace("_", "-"), value=v) for key, v in values.items()]
    answers_save(assessment=assessment, user=user, entries=entries)
    goal_save(assessment=assessment, dimension_code="OPS", target_level=2, relevance=3)
