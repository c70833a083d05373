"""An assessment's audit trail as sentences in the reader's language.

Each entry reads like "陈静 changed EQP-03 “…” from 2 · … to 3 · …", with the questions'
texts and the options' labels from the questionnaire. What users wrote (comments,
reasons) is escaped; the raw data stays available to programme administrators.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from diagnosis.answers import display_answer
from diagnosis.models import Assessment, AuditEntry, User
from diagnosis.scoring.definition import Definition


@dataclass(frozen=True)
class HistoryEntry:
    created_at: datetime
    actor: User | None
    action: str
    sentence: SafeString | None  # None for an action this module has no words for
    data: dict[str, Any]


def history_entries(assessment: Assessment) -> list[HistoryEntry]:
    """The assessment's audit entries, oldest first, each with its sentence (one query)."""
    definition = assessment.questionnaire.definition
    entries = AuditEntry.objects.filter(assessment=assessment).select_related("actor")
    return [
        HistoryEntry(
            created_at=entry.created_at,
            actor=entry.actor,
            action=entry.action,
            sentence=sentence(entry, definition),
            data=entry.data,
        )
        for entry in entries
    ]


def _say(template: str, **values: Any) -> SafeString:
    """The translated template with every value escaped (the template is ours)."""
    escaped = {key: escape(value) for key, value in values.items()}
    return mark_safe(escape(template) % escaped)  # noqa: S308 - every part escaped above


def _quoted(text: str) -> str:
    return f"“{text}”"


class _Reader:
    """Turns codes and stored values of one questionnaire into words."""

    def __init__(self, definition: Definition) -> None:
        self.definition = definition
        self.language = get_language() or "zh-hans"

    def question(self, code: str) -> str:
        spec = self.definition.questions.get(code)
        return f"{code} {_quoted(spec.text.get(self.language))}" if spec else code

    def value(self, code: str, value: Any, not_applicable: bool = False) -> str:
        spec = self.definition.questions.get(code)
        if spec is None:
            return str(value)
        return _quoted(display_answer(spec, value, not_applicable))

    def level(self, number: Any) -> str:
        for level in self.definition.levels:
            if level.number == number:
                return f"{number} · {level.name.get(self.language)}"
        return str(number)

    def dimension_of(self, codes: list[str]) -> str:
        questions = self.definition.questions
        dimensions = {questions[code].dimension for code in codes if code in questions}
        if len(dimensions) != 1:
            return ""
        return self.definition.dimension(dimensions.pop()).name.get(self.language)


def sentence(entry: AuditEntry, definition: Definition) -> SafeString | None:
    """One audit entry in words; None for an action this module does not know."""
    write = _SENTENCES.get(entry.action)
    if write is None:
        return None
    actor = str(entry.actor) if entry.actor else _("Someone")
    return write(actor, entry.data or {}, _Reader(definition))


def _started(actor: str, data: dict, reader: _Reader) -> SafeString:
    return _say(_("%(actor)s started the assessment."), actor=actor)


def _submitted(actor: str, data: dict, reader: _Reader) -> SafeString:
    if (data.get("status") or {}).get("before") == Assessment.Status.RETURNED:
        return _say(_("%(actor)s submitted the assessment again."), actor=actor)
    return _say(_("%(actor)s submitted the assessment."), actor=actor)


def _review_started(actor: str, data: dict, reader: _Reader) -> SafeString:
    return _say(_("%(actor)s started the review."), actor=actor)


def _returned(actor: str, data: dict, reader: _Reader) -> SafeString:
    return _say(
        _("%(actor)s returned the assessment to the firm: %(comment)s"),
        actor=actor,
        comment=_quoted(str(data.get("comment", ""))),
    )


def _signed_off(actor: str, data: dict, reader: _Reader) -> SafeString:
    overall = data.get("overall") or {}
    return _say(
        _(
            "%(actor)s signed the report off: validated index %(validated)s "
            "(self-assessed %(self)s), level %(level)s."
        ),
        actor=actor,
        validated=_number(overall.get("validated")),
        self=_number(overall.get("self")),
        level=reader.level(data.get("level")),
    )


def _number(value: Any) -> str:
    return f"{value:.1f}" if isinstance(value, (int, float)) else "—"


def _answer_validated(actor: str, data: dict, reader: _Reader) -> SafeString:
    code = str(data.get("question", ""))
    after = data.get("after") or {}
    answer = data.get("answer") or {}
    if after.get("confirmed", True):
        return _say(
            _("%(actor)s confirmed the answer to %(question)s: %(value)s."),
            actor=actor,
            question=reader.question(code),
            value=reader.value(code, answer.get("value"), bool(answer.get("not_applicable"))),
        )
    before = data.get("before") or {}
    if before and not before.get("confirmed", True):
        shown_before = reader.value(code, before.get("value"), bool(before.get("not_applicable")))
    else:
        shown_before = reader.value(code, answer.get("value"), bool(answer.get("not_applicable")))
    return _say(
        _("%(actor)s changed %(question)s from %(before)s to %(after)s. Reason: %(reason)s"),
        actor=actor,
        question=reader.question(code),
        before=shown_before,
        after=reader.value(code, after.get("value"), bool(after.get("not_applicable"))),
        reason=str(data.get("reason", "")),
    )


def _answers_confirmed(actor: str, data: dict, reader: _Reader) -> SafeString:
    codes = [str(code) for code in data.get("questions", [])]
    dimension = reader.dimension_of(codes)
    template = ngettext(
        "%(actor)s confirmed %(count)s answer of %(dimension)s as given: %(codes)s.",
        "%(actor)s confirmed %(count)s answers of %(dimension)s as given: %(codes)s.",
        len(codes),
    )
    return _say(
        template, actor=actor, count=len(codes), dimension=dimension, codes=", ".join(codes)
    )


def _overwritten(actor: str, data: dict, reader: _Reader) -> SafeString:
    code = str(data.get("question", ""))
    return _say(
        _(
            "%(actor)s saved an answer to %(question)s over %(author)s's: %(before)s became "
            "%(after)s."
        ),
        actor=actor,
        author=str(data.get("before_author", "")),
        question=reader.question(code),
        before=reader.value(code, data.get("before"), bool(data.get("before_not_applicable"))),
        after=reader.value(code, data.get("after")),
    )


def _commented(actor: str, data: dict, reader: _Reader) -> SafeString:
    text = _quoted(str(data.get("text", "")))
    if data.get("question"):
        return _say(
            _("%(actor)s noted on %(question)s: %(text)s"),
            actor=actor,
            question=reader.question(str(data["question"])),
            text=text,
        )
    if data.get("finding"):
        return _say(_("%(actor)s recorded a finding: %(text)s"), actor=actor, text=text)
    return _say(_("%(actor)s commented: %(text)s"), actor=actor, text=text)


def _warning_resolved(actor: str, data: dict, reader: _Reader) -> SafeString:
    message = data.get("message") or {}
    text = message.get("en") if reader.language.startswith("en") else message.get("zh-hans")
    return _say(
        _("%(actor)s resolved the warning %(code)s %(message)s. Reason: %(reason)s"),
        actor=actor,
        code=str(data.get("code", "")),
        message=_quoted(str(text or "")),
        reason=str(data.get("reason", "")),
    )


_SENTENCES: dict[str, Callable[[str, dict, _Reader], SafeString]] = {
    "diagnosis.assessment.started": _started,
    "diagnosis.assessment.submitted": _submitted,
    "diagnosis.assessment.in_review": _review_started,
    "diagnosis.assessment.returned": _returned,
    "diagnosis.assessment.validated": _signed_off,
    "diagnosis.answer.validated": _answer_validated,
    "diagnosis.answers.confirmed": _answers_confirmed,
    "diagnosis.answer.overwritten": _overwritten,
    "diagnosis.review.commented": _commented,
    "diagnosis.warning.resolved": _warning_resolved,
}
