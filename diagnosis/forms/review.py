from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from diagnosis.answers import clean_answer
from diagnosis.forms.answers import FIELD_BUILDERS, _text
from diagnosis.scoring.definition import QuestionSpec


class ValidationForm(forms.Form):
    """The consultant's verdict on one answer: confirm it, or set a value with a reason."""

    action = forms.ChoiceField(choices=[("confirm", _("Confirm")), ("change", _("Change"))])
    na = forms.BooleanField(label=_("Not applicable"), required=False)
    reason = forms.CharField(
        label=_("Reason for the change"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}),
    )

    def __init__(self, question: QuestionSpec, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", f"v-{question.code}")
        super().__init__(**kwargs)
        self.question = question
        self.fields["value"] = FIELD_BUILDERS[question.type](question)
        self.fields["value"].label = _("Validated value")
        self.fields["value"].widget.attrs.setdefault("data-question", _text(question.text))
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
    def cleaned(self) -> dict:
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


class CommentForm(forms.Form):
    text = forms.CharField(
        label=_("Comment"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    is_finding = forms.BooleanField(
        label=_("Overall finding (shown in the signed report)"), required=False
    )


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[("return", _("Return to the firm")), ("sign_off", _("Sign off"))],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comments for the firm (needed when returning)"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
