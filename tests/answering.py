"""Helpers that answer the bundled questionnaire in tests and benchmarks."""

import random

from diagnosis.answers import clean_answer
from diagnosis.scoring.definition import Definition, QuestionSpec, QuestionType
from diagnosis.services.assessments import AnswerEntry, answers_save, goal_save


def sample_value(question: QuestionSpec, rng: random.Random, high: bool | None = None):
    """A valid raw form value for a question (a list for checklists)."""
    kind = question.type
    if kind in (QuestionType.LEVEL, QuestionType.CHOICE):
        options = list(question.options)
        option = options[-1] if high else options[0] if high is False else rng.choice(options)
        return str(option.value)
    if kind is QuestionType.CHECKLIST:
        if high:
            return [item.code for item in question.items]
        return [item.code for item in question.items if rng.random() < 0.5]
    if kind is QuestionType.KPI:
        low, top = question.minimum or 0, question.maximum or 100
        return str(top if high else low if high is False else round(rng.uniform(low, top), 1))
    return "示例 / example"


def answer_post_data(definition: Definition, codes, rng: random.Random, high=None) -> dict:
    """POST data answering the given questions, as the section form names its fields."""
    data = {}
    for code in codes:
        question = definition.questions[code]
        data[f"q-{code}-value"] = sample_value(question, rng, high)
        data[f"q-{code}-rev"] = "0"
    return data


def goal_post_data(definition: Definition, target: int = 4, relevance: int = 3) -> dict:
    data = {}
    for dimension in definition.dimensions:
        data[f"goal-{dimension.code}-target_level"] = str(target)
        data[f"goal-{dimension.code}-relevance"] = str(relevance)
    return data


def fill(assessment, user, *, high=None, seed=3) -> None:
    """Answer every question (raw values cleaned like the forms do) and set all targets."""
    definition = assessment.questionnaire.definition
    rng = random.Random(seed)
    entries = [
        AnswerEntry(code=q.code, value=clean_answer(q, sample_value(q, rng, high)))
        for q in definition.questions.values()
    ]
    answers_save(assessment=assessment, user=user, entries=entries)
    for dimension in definition.dimensions:
        goal_save(assessment=assessment, dimension_code=dimension.code, target_level=4, relevance=3)
