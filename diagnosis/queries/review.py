"""Reads for the consultant's screens."""

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, QuerySet

from diagnosis.answers import display_answer
from diagnosis.models import Answer, AnswerValidation, Assessment
from diagnosis.queries.assessments import AssessmentState
from diagnosis.scoring import score
from diagnosis.scoring.definition import QuestionSpec

QUEUE_STATUSES = ["submitted", "in_review", "returned", "validated"]


def queue_counts(assessments: QuerySet[Assessment]) -> dict[str, int]:
    """Assessments per review status (one aggregate query)."""
    counts = dict.fromkeys(QUEUE_STATUSES, 0)
    for row in assessments.order_by().values("status").annotate(n=Count("pk")):
        if row["status"] in counts:
            counts[row["status"]] = row["n"]
    return counts


@dataclass
class ReviewRow:
    question: QuestionSpec
    answer: Answer | None
    display: str
    validation: AnswerValidation | None
    validated_display: str
    warned: bool
    form: Any = None  # the consultant's form, added by the view


def review_rows(state: AssessmentState) -> list[tuple]:
    """(dimension, rows) with every visible question: answer, validation, warning flag."""
    validations = {
        v.answer_id: v for v in AnswerValidation.objects.filter(answer__assessment=state.assessment)
    }
    card = score(state.definition, state.inputs, state.goal_inputs())
    warned = {code for warning in card.warnings for code in warning.questions}
    sections = []
    for dimension in state.definition.dimensions:
        rows = []
        for question in dimension.questions:
            if not state.visible(question):
                continue
            answer = state.answers.get(question.code)
            validation = validations.get(answer.pk) if answer else None
            rows.append(
                ReviewRow(
                    question=question,
                    answer=answer,
                    display=display_answer(question, answer.value, answer.not_applicable)
                    if answer
                    else "—",
                    validation=validation,
                    validated_display=display_answer(
                        question, validation.value, validation.not_applicable
                    )
                    if validation and not validation.confirmed
                    else "",
                    warned=question.code in warned,
                )
            )
        sections.append((dimension, rows))
    return sections
