"""Turning raw input into a stored answer value: one cleaner per question type.

Shared by the answer forms, the autosave endpoint and any importer or API, so that
every way in accepts exactly the same values.
"""

import math
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from diagnosis.scoring.definition import NOT_MEASURED, QuestionSpec, QuestionType

MAX_TEXT_LENGTH = 2000


def _single(raw: Any) -> str:
    if isinstance(raw, (list, tuple)):
        if len(raw) != 1:
            raise ValidationError(_("Choose one answer."), code="invalid")
        raw = raw[0]
    return "" if raw is None else str(raw).strip()


def clean_level(question: QuestionSpec, raw: Any) -> int:
    text = _single(raw)
    if not text.isdigit() or question.option(int(text)) is None:
        raise ValidationError(_("Choose one of the levels 0 to 5."), code="invalid_choice")
    return int(text)


def clean_choice(question: QuestionSpec, raw: Any) -> str:
    text = _single(raw)
    if question.option(text) is None:
        raise ValidationError(_("Choose one of the answers offered."), code="invalid_choice")
    return text


def clean_checklist(question: QuestionSpec, raw: Any) -> list[str]:
    values = raw if isinstance(raw, (list, tuple)) else ([] if raw in (None, "") else [raw])
    codes = {item.code for item in question.items}
    chosen = {str(value) for value in values}
    unknown = chosen - codes
    if unknown:
        raise ValidationError(_("Unknown item in the list."), code="invalid_choice")
    # Keep the definition's order so equal answers are stored identically.
    return [item.code for item in question.items if item.code in chosen]


def clean_kpi(question: QuestionSpec, raw: Any) -> float:
    # Thousands separators, and the full-width digits and signs of a Chinese input method.
    text = _single(raw).translate(_NUMBER_CHARACTERS)
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise ValidationError(_("Enter a number."), code="invalid") from None
    if not number.is_finite():
        raise ValidationError(_("Enter a number."), code="invalid")
    low, high = question.minimum, question.maximum
    if (low is not None and number < Decimal(str(low))) or (
        high is not None and number > Decimal(str(high))
    ):
        raise ValidationError(
            _("Enter a number from %(low)s to %(high)s.")
            % {"low": _plain(low), "high": _plain(high)},
            code="out_of_range",
        )
    value = float(number)
    return int(value) if value.is_integer() and abs(value) < 2**53 else value


def clean_number(question: QuestionSpec, raw: Any) -> float | str:
    """A raw figure in range (whole where the question says so), or "not measured"."""
    if _single(raw) == NOT_MEASURED:
        return NOT_MEASURED
    value = clean_kpi(question, raw)
    if question.integer and not isinstance(value, int):
        raise ValidationError(_("Enter a whole number."), code="not_integer")
    return value


def clean_text(question: QuestionSpec, raw: Any) -> str:
    text = _single(raw)
    if len(text) > MAX_TEXT_LENGTH:
        raise ValidationError(
            _("Keep it under %(limit)d characters.") % {"limit": MAX_TEXT_LENGTH}, code="max_length"
        )
    return text


_NUMBER_CHARACTERS = str.maketrans(
    {",": None, "，": None, " ": None, "．": ".", "－": "-", "＋": "+"}
    | {chr(0xFF10 + digit): str(digit) for digit in range(10)}
)


def _plain(number: float | None) -> str:
    if number is None or not math.isfinite(number):
        return "∞"
    return str(int(number)) if float(number).is_integer() else str(number)


CLEANERS: dict[QuestionType, Callable[[QuestionSpec, Any], Any]] = {
    QuestionType.LEVEL: clean_level,
    QuestionType.CHOICE: clean_choice,
    QuestionType.CHECKLIST: clean_checklist,
    QuestionType.KPI: clean_kpi,
    QuestionType.TEXT: clean_text,
    QuestionType.NUMBER: clean_number,
}


def is_blank(raw: Any) -> bool:
    return raw is None or raw == "" or raw == [] or raw == [""]


def clean_answer(question: QuestionSpec, raw: Any) -> Any:
    """Return the canonical stored value for raw input, None for blank input.

    Raises ValidationError with a message the respondent can act on.
    """
    if is_blank(raw) and question.type is not QuestionType.CHECKLIST:
        return None
    if question.type is QuestionType.CHECKLIST and raw is None:
        return None
    return CLEANERS[question.type](question, raw)


def display_answer(question: QuestionSpec, value: Any, not_applicable: bool = False) -> str:
    """The answer as a person reads it, in the active language."""
    language = get_language() or "zh-hans"
    if not_applicable:
        return _("Not applicable")
    if value is None or value == "":
        return "—"
    if question.type in (QuestionType.LEVEL, QuestionType.CHOICE):
        option = question.option(value)
        if option is None:
            return str(value)
        prefix = f"{option.value} · " if question.type is QuestionType.LEVEL else ""
        return prefix + option.label.get(language)
    if question.type is QuestionType.CHECKLIST:
        labels = [item.label.get(language) for item in question.items if item.code in value]
        return "; ".join(labels) if labels else _("None of these")
    if value == NOT_MEASURED and question.type is QuestionType.NUMBER:
        return _("Not measured")
    if question.type in (QuestionType.KPI, QuestionType.NUMBER) and question.unit:
        return f"{value} {question.unit.get(language)}"
    return str(value)
