"""The consultant's forms (verdicts, notes, decision) and the public report check."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from diagnosis.answers import clean_answer
from diagnosis.forms.answers import FIELD_BUILDERS, _text
from diagnosis.models import Answer, AnswerValidation
from diagnosis.scoring.definition import QuestionSpec, QuestionType


def _select_field(question: QuestionSpec) -> forms.Field:
    """One drop-down for a level or choice: the consultant sees the answer beside it."""
    prefix = question.type is QuestionType.LEVEL
    choices = [("", "—")] + [
        (str(o.value), f"{o.value} · {_text(o.label)}" if prefix else _text(o.label))
        for o in question.options
    ]
    return forms.ChoiceField(
        choices=choices, required=False, widget=forms.Select(attrs={"class": "form-select"})
    )


class ValidationForm(forms.Form):
    """The consultant's verdict on one answer: confirm it, or set a value with a reason."""

    action = forms.ChoiceField(choices=[("confirm", _("Confirm")), ("change", _("Change"))])
    na = forms.BooleanField(
        label=_("Not applicable"),
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )
    reason = forms.CharField(
        label=_("Reason for the change"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}),
    )

    def __init__(
        self,
        question: QuestionSpec,
        answer: Answer | None = None,
        validation: AnswerValidation | None = None,
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault("prefix", f"v-{question.code}")
        kwargs.setdefault("initial", _initial(answer, validation))
        super().__init__(**kwargs)
        self.question = question
        if question.type in (QuestionType.LEVEL, QuestionType.CHOICE):
            self.fields["value"] = _select_field(question)
        else:
            self.fields["value"] = FIELD_BUILDERS[question.type](question)
        self.fields["value"].label = _("Validated value")
        self.order_fields(["action", "value", "na", "reason"])

    def clean_value(self) -> Any:
        return clean_answer(self.question, self.cleaned_data.get("value"))

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("action") != "change":
            return data
        if not (data.get("reason") or "").strip():
            self.add_error("reason", _("Give a reason when you change an answer."))
        if data.get("value") in (None, "") and not data.get("na"):
            self.add_error("value", _("Enter the validated value."))
        return data

    @property
    def cleaned(self) -> dict[str, Any]:
        """Keyword arguments for answer_validate."""
        data = self.cleaned_data
        change = data["action"] == "change"
        return {
            "confirmed": not change,
            "value": data.get("value") if change else None,
            "not_applicable": bool(data.get("na")) if change else False,
            "reason": data.get("reason", "") if change else "",
        }

    def error_messages(self) -> list[str]:
        return [str(message) for errors in self.errors.values() for message in errors]


def _initial(answer: Answer | None, validation: AnswerValidation | None) -> dict[str, Any]:
    """Start from the consultant's value if they changed it, else from the firm's answer."""
    source: Answer | AnswerValidation | None = answer
    if validation is not None and not validation.confirmed:
        source = validation
    if source is None:
        return {}
    value = source.value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        value = str(value)
    reason = validation.reason if validation is not None and not validation.confirmed else ""
    return {"value": value, "na": source.not_applicable, "reason": reason}


class CommentForm(forms.Form):
    """A comment or finding on the assessment, or a note on one question (`question`)."""

    text = forms.CharField(
        label=_("Comment"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    is_finding = forms.BooleanField(
        label=_("Overall finding (shown in the signed report)"), required=False
    )
    question = forms.CharField(required=False, max_length=30, widget=forms.HiddenInput)


class WarningResolutionForm(forms.Form):
    """The consultant's reason for resolving one must-resolve warning (`code`)."""

    reason = forms.CharField(
        label=_("Why the warning can be resolved"),
        max_length=2000,
        error_messages={
            "required": _("Give the reason why the warning can be resolved."),
            "max_length": _("Write a reason of at most 2,000 characters."),
        },
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, code: str, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", f"w-{code}")
        super().__init__(*args, **kwargs)
        self.code = code


class DecisionForm(forms.Form):
    """Return the assessment to the firm (with what to change) or sign it off (confirmed)."""

    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("return", _("Return to the firm")), ("sign_off", _("Sign off"))],
    )
    comment = forms.CharField(
        label=_("What the firm should change"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    confirmed = forms.BooleanField(required=False)


class VerificationForm(forms.Form):
    """The public check of a signed report: its number and verification code."""

    number = forms.CharField(label=_("Report number"), max_length=20)
    code = forms.CharField(label=_("Verification code"), max_length=40)
