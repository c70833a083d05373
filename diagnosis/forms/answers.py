"""Answer forms built from the questionnaire definition: question type → field builder."""

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from diagnosis.answers import MAX_TEXT_LENGTH, clean_answer
from diagnosis.models import Answer
from diagnosis.scoring.definition import (
    NOT_MEASURED,
    Definition,
    QuestionSpec,
    QuestionType,
    Text,
)
from diagnosis.services.assessments import AnswerEntry

EVIDENCE_TYPES = {
    ".pdf": (b"%PDF",),
    ".png": (b"\x89PNG",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".gif": (b"GIF8",),
    ".webp": (b"RIFF",),
    ".docx": (b"PK\x03\x04",),
    ".xlsx": (b"PK\x03\x04",),
    ".pptx": (b"PK\x03\x04",),
    ".doc": (b"\xd0\xcf\x11\xe0",),
    ".xls": (b"\xd0\xcf\x11\xe0",),
    ".ppt": (b"\xd0\xcf\x11\xe0",),
}


def _text(text: Text | None) -> str:
    return text.get(get_language() or "zh-hans") if text else ""


def level_field(question: QuestionSpec) -> forms.Field:
    choices = [(str(o.value), f"{o.value} · {_text(o.label)}") for o in question.options]
    return forms.ChoiceField(choices=choices, widget=forms.RadioSelect, required=False)


def choice_field(question: QuestionSpec) -> forms.Field:
    choices = [(str(o.value), _text(o.label)) for o in question.options]
    return forms.ChoiceField(choices=choices, widget=forms.RadioSelect, required=False)


def checklist_field(question: QuestionSpec) -> forms.Field:
    choices = [(item.code, _text(item.label)) for item in question.items]
    return forms.MultipleChoiceField(
        choices=choices, widget=forms.CheckboxSelectMultiple, required=False
    )


def kpi_field(question: QuestionSpec) -> forms.Field:
    attrs: dict[str, str | float] = {"step": "any", "inputmode": "decimal", "class": "form-control"}
    if question.minimum is not None:
        attrs["min"] = question.minimum
    if question.maximum is not None:
        attrs["max"] = question.maximum
    return forms.CharField(widget=forms.NumberInput(attrs=attrs), required=False, max_length=40)


def number_field(question: QuestionSpec) -> forms.Field:
    """A raw figure: the kpi input, stepping by 1 where only whole numbers are accepted."""
    field = kpi_field(question)
    field.widget.attrs["step"] = 1 if question.integer else "any"
    if question.integer:
        field.widget.attrs["inputmode"] = "numeric"
    return field


def text_field(question: QuestionSpec) -> forms.Field:
    return forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}),
        required=False,
        max_length=MAX_TEXT_LENGTH,
    )


FIELD_BUILDERS: dict[QuestionType, Callable[[QuestionSpec], forms.Field]] = {
    QuestionType.LEVEL: level_field,
    QuestionType.CHOICE: choice_field,
    QuestionType.CHECKLIST: checklist_field,
    QuestionType.KPI: kpi_field,
    QuestionType.TEXT: text_field,
    QuestionType.NUMBER: number_field,
}


def validate_evidence(upload: UploadedFile) -> None:
    """Accept PDFs, images and office documents within the size limit, by name and content."""
    suffix = Path(upload.name or "").suffix.lower()
    if suffix not in EVIDENCE_TYPES:
        raise ValidationError(
            _("Upload a PDF, an image (PNG, JPEG, GIF, WebP) or an office document."),
            code="file_type",
        )
    if (upload.size or 0) > settings.EVIDENCE_MAX_BYTES:
        raise ValidationError(
            _("The file is larger than %(limit)s.")
            % {"limit": filesizeformat(settings.EVIDENCE_MAX_BYTES)},
            code="file_size",
        )
    head = upload.read(8)
    upload.seek(0)
    if not any(head.startswith(magic) for magic in EVIDENCE_TYPES[suffix]):
        raise ValidationError(
            _("The file's content does not match its type %(suffix)s.") % {"suffix": suffix},
            code="file_content",
        )


class AnswerForm(forms.Form):
    """One question's answer, note, evidence and the revision its author saw."""

    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    evidence = forms.FileField(
        label=_("Evidence file"), required=False, validators=[validate_evidence]
    )
    remove_evidence = forms.BooleanField(label=_("Remove the evidence file"), required=False)
    # The revision the author saw. Always rendered, so it also marks the question as
    # present in a POST; an unreadable value just means "unknown".
    rev = forms.CharField(widget=forms.HiddenInput, required=False, strip=True)

    def __init__(
        self,
        question: QuestionSpec,
        answer: Answer | None = None,
        *,
        defaulted: bool = False,
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault("prefix", f"q-{question.code}")
        kwargs.setdefault("initial", initial_for(answer, defaulted=defaulted))
        super().__init__(**kwargs)
        self.question = question
        self.answer = answer
        value = FIELD_BUILDERS[question.type](question)
        value.label = _text(question.text)
        self.fields = {"value": value} | {
            name: _copy_field(field) for name, field in _DECLARED.items()
        }
        if question.allow_na:
            self.fields["na"] = forms.BooleanField(
                label=_("Not applicable"),
                required=False,
                widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
            )
        if question.type is QuestionType.NUMBER:  # always offered (FORMAT.md)
            self.fields["not_measured"] = forms.BooleanField(
                label=_("Not measured"),
                required=False,
                widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
            )

    def clean_value(self) -> Any:
        return clean_answer(self.question, self.cleaned_data.get("value"))

    def clean(self) -> dict:
        data = super().clean()
        assert data is not None  # Form.clean returns cleaned_data
        # The page clears one when the other is chosen; without JavaScript both can arrive.
        has_value = data.get("value") not in (None, "", [])
        if data.get("na") and (has_value or data.get("not_measured")):
            raise ValidationError(
                _("Choose an answer or “not applicable”, not both."), code="answer_and_na"
            )
        if data.get("not_measured"):
            if has_value and data["value"] != NOT_MEASURED:
                raise ValidationError(
                    _("Enter a figure or tick “not measured”, not both."),
                    code="number_and_not_measured",
                )
            data["value"] = NOT_MEASURED
        return data

    def clean_rev(self) -> int | None:
        raw = self.cleaned_data.get("rev") or ""
        # ASCII digits only ("²".isdigit() is true) and short enough to be a real revision.
        return int(raw) if raw.isascii() and raw.isdigit() and len(raw) <= 9 else None

    @property
    def submitted(self) -> bool:
        """Whether the POST carried this question at all (its hidden revision field)."""
        return self.is_bound and self.add_prefix("rev") in self.data

    def entry(self) -> AnswerEntry:
        data = self.cleaned_data
        return AnswerEntry(
            code=self.question.code,
            value=data.get("value"),
            not_applicable=bool(data.get("na")),
            note=data.get("note", ""),
            evidence=data.get("evidence"),
            remove_evidence=bool(data.get("remove_evidence")),
            seen_revision=data.get("rev"),
        )


# A section page builds a form per question, and Form.__init__ deep-copies the declared
# fields for each: _copy_field makes the same copies (each form its own field, widget,
# widget attributes, messages and validators) without copy.deepcopy's generic machinery.
_DECLARED = AnswerForm.base_fields
AnswerForm.base_fields = {}


def _copy_field(field: forms.Field) -> forms.Field:
    """What Field.__deepcopy__ (and Widget.__deepcopy__) give, for fields without choices."""
    copied = copy.copy(field)
    widget = copy.copy(field.widget)
    widget.attrs = field.widget.attrs.copy()
    copied.widget = widget
    copied.error_messages = field.error_messages.copy()
    copied.validators = field.validators[:]
    return copied


def initial_for(answer: Answer | None, *, defaulted: bool = False) -> dict[str, Any]:
    """The form's initial values; without a stored answer, "not applicable" is ticked
    when the firm's profile presets it (`defaulted`, see diagnosis/scoring/defaults.py)."""
    if answer is None:
        return {"rev": 0, "na": True} if defaulted else {"rev": 0}
    value = answer.value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        value = str(value)
    not_measured = value == NOT_MEASURED
    return {
        "value": None if not_measured else value,
        "na": answer.not_applicable,
        "not_measured": not_measured,
        "note": answer.note,
        "rev": answer.revision,
    }


class GoalForm(forms.Form):
    """A dimension's target level and how much it matters to the firm."""

    RELEVANCE = [
        (1, _("1 · hardly matters")),
        (2, _("2")),
        (3, _("3 · matters")),
        (4, _("4")),
        (5, _("5 · essential")),
    ]
    target_level = forms.TypedChoiceField(
        label=_("Target level"), coerce=int, required=False, empty_value=None
    )
    relevance = forms.TypedChoiceField(
        label=_("How much this matters to your goals"), coerce=int, choices=RELEVANCE, initial=3
    )

    def __init__(self, definition: Definition, dimension_code: str, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", f"goal-{dimension_code}")
        super().__init__(**kwargs)
        self.dimension_code = dimension_code
        target_level = self.fields["target_level"]
        assert isinstance(target_level, forms.TypedChoiceField)
        target_level.choices = [("", "—")] + [
            (level.number, f"{level.number} · {_text(level.name)}") for level in definition.levels
        ]
