"""Reads about one assessment: its answers, what is visible, what is missing, progress."""

from dataclasses import dataclass, field
from functools import cached_property

from django.db.models import F

from diagnosis.models import Answer, Assessment, DimensionGoal
from diagnosis.scoring import (
    NO_PROFILE,
    AnswerInput,
    GoalInput,
    Profile,
    computed_values,
    is_answered,
    is_visible,
)
from diagnosis.scoring.definition import Definition, QuestionSpec


@dataclass(frozen=True)
class Progress:
    answered: int
    total: int

    @property
    def percent(self) -> int:
        return round(100 * self.answered / self.total) if self.total else 100

    @property
    def complete(self) -> bool:
        return self.answered >= self.total


@dataclass
class AssessmentState:
    """Everything about an assessment's answers that a page needs."""

    assessment: Assessment
    definition: Definition
    answers: dict[str, Answer]
    inputs: dict[str, AnswerInput] = field(init=False)
    # Each dimension's progress, computed once: the sidebar and the overall count share it.
    _progress: dict[str, Progress] = field(init=False, default_factory=dict)
    _computed: dict[str, float | str] | None = field(init=False, default=None)

    def __post_init__(self) -> None:
        self.inputs = {code: answer_input(answer) for code, answer in self.answers.items()}

    @cached_property
    def goals(self) -> dict[str, DimensionGoal]:
        """The firm's goals by dimension code (one query, on first use)."""
        return {
            goal.dimension_code: goal
            for goal in DimensionGoal.objects.filter(assessment=self.assessment).annotate(
                dimension_code=F("dimension__code")
            )
        }

    @cached_property
    def profile(self) -> Profile:
        """The firm's industry and size class, read only for definitions with profile
        conditions (v1 has none: no query)."""
        if not self.definition.uses_profile:
            return NO_PROFILE
        firm = self.assessment.firm
        return Profile(industry=firm.industry, size=firm.size_class or None)

    def replace_answer(self, code: str, answer: Answer) -> None:
        """Use a just-saved answer in place of the loaded one."""
        self.answers[code] = answer
        self.inputs[code] = answer_input(answer)
        self._progress.clear()
        self._computed = None

    def computed(self, question: QuestionSpec) -> float | str | None:
        """A rate's or trend's computed percentage, NOT_MEASURED, or None when it cannot
        be computed from the answers yet."""
        if self._computed is None:
            self._computed = computed_values(self.definition, self.inputs, self.profile)
        return self._computed.get(question.code)

    def visible(self, question: QuestionSpec) -> bool:
        return is_visible(self.definition, question.code, self.inputs, self.profile)

    def answered(self, question: QuestionSpec) -> bool:
        return is_answered(question, self.inputs.get(question.code))

    def dimension_progress(self, code: str) -> Progress:
        progress = self._progress.get(code)
        if progress is None:
            questions = [
                q for q in self.definition.dimension(code).questions if q.asked and self.visible(q)
            ]
            progress = Progress(sum(self.answered(q) for q in questions), len(questions))
            self._progress[code] = progress
        return progress

    def progress_by_dimension(self) -> list[tuple]:
        """(dimension, progress) for every dimension, in order."""
        return [(d, self.dimension_progress(d.code)) for d in self.definition.dimensions]

    def overall_progress(self) -> Progress:
        parts = [self.dimension_progress(d.code) for d in self.definition.dimensions]
        return Progress(sum(p.answered for p in parts), sum(p.total for p in parts))

    def missing_questions(self) -> list[QuestionSpec]:
        """Visible questions without an answer, in questionnaire order (rates and trends
        are computed, never asked)."""
        return [
            question
            for question in self.definition.questions.values()
            if question.asked and self.visible(question) and not self.answered(question)
        ]

    def missing_targets(self) -> list[str]:
        """Codes of banded dimensions without a target level (an outcomes panel has none)."""
        return [
            d.code
            for d in self.definition.dimensions
            if d.banded and (d.code not in self.goals or self.goals[d.code].target_level is None)
        ]

    def first_unanswered(self) -> QuestionSpec | None:
        missing = self.missing_questions()
        return missing[0] if missing else None

    def goal_inputs(self) -> dict[str, GoalInput]:
        return {
            code: GoalInput(target_level=goal.target_level, relevance=goal.relevance)
            for code, goal in self.goals.items()
        }


def answer_input(answer: Answer) -> AnswerInput:
    return AnswerInput(
        question=answer.question_code,
        value=answer.value,
        not_applicable=answer.not_applicable,
        has_evidence=bool(answer.evidence),
    )


def assessment_state(assessment: Assessment) -> AssessmentState:
    """Load the answers of an assessment (one query; goals load when first used)."""
    answers = {
        answer.question_code: answer
        for answer in Answer.objects.filter(assessment=assessment)
        .select_related("answered_by", "validation")
        .annotate(question_code=F("question__code"))  # type: ignore[no-redef]
    }
    return AssessmentState(assessment, assessment.questionnaire.definition, answers)
