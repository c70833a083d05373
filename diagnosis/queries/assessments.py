"""Reads about one assessment: its answers, what is visible, what is missing, progress."""

from collections.abc import Iterator, MutableMapping
from dataclasses import dataclass, field
from functools import cached_property

from diagnosis.models import (
    Answer,
    AnswerValidation,
    Assessment,
    Dimension,
    DimensionGoal,
    Question,
    User,
)
from diagnosis.rows import Part, RowQuery
from diagnosis.scoring import (
    NO_PROFILE,
    AnswerInput,
    GoalInput,
    Profile,
    computed_values,
    is_answered,
    is_visible,
    with_defaults,
)
from diagnosis.scoring.definition import Definition, QuestionSpec, Role


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
    answers: MutableMapping[str, Answer]
    inputs: dict[str, AnswerInput] = field(init=False)
    # Each dimension's progress (of everyone's or one role's questions), computed once: the
    # sidebar and the overall count share it.
    _progress: dict[tuple[str, str | None], Progress] = field(init=False, default_factory=dict)
    _computed: dict[str, float | str] | None = field(init=False, default=None)

    def __post_init__(self) -> None:
        if isinstance(self.answers, Answers):
            inputs = self.answers.inputs()
        else:
            inputs = {code: answer_input(answer) for code, answer in self.answers.items()}
        # Plus the "not applicable" answers the firm's profile presets (na_default_when):
        # the engine adds the very same ones, so progress counts what the card scores.
        if self.definition.has_na_defaults:
            inputs = with_defaults(self.definition, inputs, self.profile)
        self.inputs = inputs

    @cached_property
    def goals(self) -> dict[str, DimensionGoal]:
        """The firm's goals by dimension code (one query, on first use)."""
        goals = {}
        for goal, code in _GOALS.fetch_all([self.assessment.pk]):
            goal.dimension_code = code
            goals[code] = goal
        return goals

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

    def defaulted(self, question: QuestionSpec) -> bool:
        """Whether the question has no stored answer and the firm's profile presets it
        "not applicable" (na_default_when)."""
        answer = self.inputs.get(question.code)
        return answer is not None and answer.defaulted

    def is_trigger(self, code: str) -> bool:
        """Whether the question's answer shows or hides another question."""
        return any(
            q.depends_on is not None and q.depends_on.question == code
            for q in self.definition.questions.values()
        )

    def dimension_progress(self, code: str, role: str | None = None) -> Progress:
        """Progress of the dimension's questions, or of those the role answers when given."""
        progress = self._progress.get((code, role))
        if progress is None:
            questions = [
                q
                for q in self.definition.dimension(code).questions
                if q.asked and (role is None or q.role == role) and self.visible(q)
            ]
            progress = Progress(sum(self.answered(q) for q in questions), len(questions))
            self._progress[code, role] = progress
        return progress

    def progress_by_dimension(self, role: str | None = None) -> list[tuple]:
        """(dimension, progress) for every dimension, in order; of one role's questions
        when `role` is given."""
        return [(d, self.dimension_progress(d.code, role)) for d in self.definition.dimensions]

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

    def missing_by_role(self) -> list[tuple[Role | None, list[QuestionSpec]]]:
        """The missing questions grouped by the role that answers them, in the roles'
        order; questions without a role come last (a definition without roles: one group)."""
        groups: dict[Role | None, list[QuestionSpec]] = {}
        for question in self.missing_questions():
            groups.setdefault(question.role, []).append(question)
        order = [*Role, None]
        return sorted(groups.items(), key=lambda group: order.index(group[0]))

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


# Every answering request reads all the assessment's answers (the sidebar counts every
# dimension): one statement written once (see diagnosis/rows.py), with the consultant's
# validation of each answer and the name of who answered it. The author is one instance per
# person, holding only what a page shows (name, email): not a full user per answer.
_ANSWERS = RowQuery(
    [Part(Answer, "a"), Part(AnswerValidation, "v", optional=True)],
    "FROM {a} a JOIN {q} q ON q.id = a.question_id LEFT JOIN {v} v ON v.answer_id = a.id "
    "LEFT JOIN {u} u ON u.id = a.answered_by_id WHERE a.assessment_id = %s",
    extra=["q.code", "u.name", "u.email"],
    tables={"q": Question, "u": User},
)
_GOALS = RowQuery(
    [Part(DimensionGoal, "g")],
    "FROM {g} g JOIN {d} d ON d.id = g.dimension_id WHERE g.assessment_id = %s",
    extra=["d.code"],
    tables={"d": Dimension},
)
# from_db takes the values of a deferred instance in the model's field order.
_AUTHOR_FIELDS = [
    f.attname for f in User._meta.concrete_fields if f.name in ("id", "name", "email")
]
_ANSWERED_BY = Answer._meta.get_field("answered_by")
_VALIDATION = Answer._meta.get_field("validation")
_VALIDATED_ANSWER = AnswerValidation._meta.get_field("answer")
_VALUE = _ANSWERS.position("a", "value")
_NOT_APPLICABLE = _ANSWERS.position("a", "not_applicable")
_EVIDENCE = _ANSWERS.position("a", "evidence")
_CODE = -3  # the extra columns: q.code, u.name, u.email


class Answers(MutableMapping[str, Answer]):
    """An assessment's answers by question code, each built as a model instance only when
    asked for: a page shows one dimension's answers but counts progress over all of them,
    which needs only their values (`inputs`)."""

    def __init__(self, rows: list[tuple]) -> None:
        self._rows = {row[_CODE]: row for row in rows}
        self._built: dict[str, Answer] = {}
        self._authors: dict[int, User] = {}

    def inputs(self) -> dict[str, AnswerInput]:
        """What scoring needs of each answer, read from the rows without building them."""
        inputs = {}
        for code, row in self._rows.items():
            answer = self._built.get(code)
            if answer is not None:
                inputs[code] = answer_input(answer)
            else:
                inputs[code] = AnswerInput(
                    question=code,
                    value=_ANSWERS.value(row, _VALUE),
                    not_applicable=_ANSWERS.value(row, _NOT_APPLICABLE),
                    has_evidence=bool(row[_EVIDENCE]),
                )
        return inputs

    def __getitem__(self, code: str) -> Answer:
        answer = self._built.get(code)
        if answer is None:
            answer = self._built[code] = self._build(self._rows[code])
        return answer

    def __setitem__(self, code: str, answer: Answer) -> None:
        self._built[code] = answer
        self._rows.setdefault(code, ())

    def __delitem__(self, code: str) -> None:
        del self._rows[code]
        self._built.pop(code, None)

    def __iter__(self) -> Iterator[str]:
        return iter(self._rows)

    def __len__(self) -> int:
        return len(self._rows)

    def __contains__(self, code: object) -> bool:
        return code in self._rows

    def _build(self, row: tuple) -> Answer:
        answer, validation, code, name, email = _ANSWERS.build(row)
        answer.question_code = code
        author_id = answer.answered_by_id
        author = None if author_id is None else self._authors.get(author_id)
        if author_id is not None and author is None:
            found = {"id": author_id, "name": name, "email": email}
            author = self._authors[author_id] = User.from_db(
                "default", _AUTHOR_FIELDS, [found[field] for field in _AUTHOR_FIELDS]
            )
        _ANSWERED_BY.set_cached_value(answer, author)
        _VALIDATION.set_cached_value(answer, validation)
        if validation is not None:
            _VALIDATED_ANSWER.set_cached_value(validation, answer)
        return answer


def assessment_state(assessment: Assessment) -> AssessmentState:
    """Load the answers of an assessment (one query; goals load when first used)."""
    answers = Answers(_ANSWERS.raw([assessment.pk]))
    return AssessmentState(assessment, assessment.questionnaire.definition, answers)
