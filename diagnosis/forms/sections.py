"""A section page's questions: each with its form, stored answer and visibility."""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.utils.datastructures import MultiValueDict

from diagnosis.forms.answers import AnswerForm
from diagnosis.models import Answer
from diagnosis.queries.assessments import AssessmentState
from diagnosis.scoring.definition import DimensionSpec, QuestionSpec


@dataclass
class QuestionItem:
    spec: QuestionSpec
    form: AnswerForm | None
    answer: Answer | None
    visible: bool
    answered: bool
    trigger_codes: frozenset[str] = field(default_factory=frozenset)
    just_saved: bool = False
    changed_by_other: bool = False
    overwrite: object = None
    computed: float | str | None = None  # a rate's or trend's value (it has no form)
    defaulted: bool = False  # no stored answer; preset "not applicable" by the firm's profile

    @classmethod
    def build(
        cls, state: AssessmentState, spec: QuestionSpec, form: AnswerForm | None
    ) -> "QuestionItem":
        return cls(
            spec=spec,
            form=form,
            answer=state.answers.get(spec.code),
            visible=state.visible(spec),
            answered=state.answered(spec),
            trigger_codes=_triggers(state, spec),
            computed=None if spec.asked else state.computed(spec),
            defaulted=state.defaulted(spec),
        )

    def depends_on(self, code: str) -> bool:
        """Whether this question's visibility hangs on `code`, directly or not."""
        return code in self.trigger_codes


def _triggers(state: AssessmentState, spec: QuestionSpec) -> frozenset[str]:
    """The questions whose answers change this one's card: its triggers, and the numbers
    a rate or trend is computed from (with their triggers)."""
    codes = set()
    pending = [spec]
    while pending:
        question = pending.pop()
        for code in question.inputs:
            codes.add(code)
            pending.append(state.definition.questions[code])
        if question.depends_on is not None:
            codes.add(question.depends_on.question)
            pending.append(state.definition.questions[question.depends_on.question])
    return frozenset(codes)


def section_items(
    state: AssessmentState,
    dimension: DimensionSpec,
    *,
    data: Mapping[str, Any] | None = None,
    files: MultiValueDict[str, UploadedFile] | None = None,
    changed: str | None = None,
    shows: Callable[[QuestionSpec], bool] | None = None,
    writable: bool = True,
    evidence_errors: Mapping[str, str] | None = None,
) -> list[QuestionItem]:
    """The dimension's questions in order, with forms bound to `data` when given (rates
    and trends have none: they are computed, never asked).

    `changed`, a question code, keeps just that question and those whose card hangs on
    it (what an autosave sends back); `shows(question)`, when given, keeps the questions
    it accepts (a role's). The others are skipped before anything is built.
    `evidence_errors` (question code → message) are refusals of a file the service made
    (the firm's quota).
    """
    items = []
    for spec in dimension.questions:
        if changed is not None and spec.code != changed and changed not in _triggers(state, spec):
            continue
        if shows is not None and not shows(spec):
            continue
        item = QuestionItem.build(state, spec, form=None)
        if spec.asked:
            item.form = AnswerForm(
                spec, item.answer, defaulted=item.defaulted, data=data, files=files
            )
            if not writable:
                for field in item.form.fields.values():
                    field.disabled = True
            if evidence_errors and spec.code in evidence_errors:
                item.form.add_error("evidence", evidence_errors[spec.code])
        items.append(item)
    return items
