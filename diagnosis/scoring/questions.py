"""One question: which answer values are valid and what they score (0–100).

Invalid values (unknown option, wrong type, number out of range) score ``None``, exactly
like a missing answer: the engine never raises on bad answer data.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from .definition import NOT_MEASURED, Better, QuestionSpec, QuestionType
from .inputs import AnswerInput

Scorer = Callable[[Any], float | None]

CHECKLIST_TYPES = (list, tuple, set, frozenset)
# Exact types: a bool (an int subclass) or a float must never pick an option.
OPTION_TYPES = frozenset({int, str})


def is_option_value(value: Any) -> bool:
    """Return True when value can name an option: a plain str or int, never a bool."""
    return type(value) in OPTION_TYPES


def as_number(value: Any) -> float | None:
    """Return value as a finite float, or None when it is not a finite int/float/Decimal."""
    if type(value) is float:  # the common case first
        return value if math.isfinite(value) else None
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        return None
    try:
        number = float(value)
    except (OverflowError, ValueError):
        return None
    return number if math.isfinite(number) else None


def ticked_items(value: Any, known: frozenset[str]) -> frozenset[str] | None:
    """Return the ticked item codes, or None unless value is a collection of known codes."""
    if not isinstance(value, CHECKLIST_TYPES):
        return None
    try:
        ticked = frozenset(value)
    except TypeError:  # an unhashable element
        return None
    # Known codes are all str, and no other type equals a str: the subset test is enough.
    return ticked if ticked <= known else None


def has_text(value: Any) -> bool:
    """Return True when value is a string with something other than whitespace."""
    return isinstance(value, str) and bool(value.strip())


def option_scorer(question: QuestionSpec) -> Scorer:
    """Return a scorer giving the chosen option's score (level and choice questions)."""
    scores = {option.value: float(option.score) for option in question.options}

    def score_option(value: Any) -> float | None:
        return scores.get(value) if type(value) in OPTION_TYPES else None

    return score_option


def checklist_scorer(question: QuestionSpec) -> Scorer:
    """Return a scorer giving the ticked share of the items' total weight × 100."""
    weights = {item.code: float(item.weight) for item in question.items}
    known = frozenset(weights)
    total = sum(weights.values())

    def score_checklist(value: Any) -> float | None:
        ticked = ticked_items(value, known)
        if ticked is None or total <= 0:
            return None
        # Summed in definition order, not set order, so the float is the same in every process.
        return sum(weight for code, weight in weights.items() if code in ticked) / total * 100

    return score_checklist


def kpi_scorer(question: QuestionSpec) -> Scorer:
    """Return a scorer giving the score of the last band starting at or below the number."""
    bands = sorted(question.bands, key=lambda band: band.start)
    starts = [float(band.start) for band in bands]
    scores = [float(band.score) for band in bands]
    low, high = question.minimum, question.maximum

    def score_kpi(value: Any) -> float | None:
        number = as_number(value)
        if number is None or (low is not None and number < low):
            return None
        if high is not None and number > high:
            return None
        index = bisect_right(starts, number) - 1
        return scores[index] if index >= 0 else None

    return score_kpi


def band_scorer(question: QuestionSpec) -> Callable[[float], float]:
    """Return the band score of a percentage (rates: bands start at 0)."""
    bands = sorted(question.bands, key=lambda band: band.start)
    starts = [float(band.start) for band in bands]
    scores = [float(band.score) for band in bands]

    def score_band(percentage: float) -> float:
        index = bisect_right(starts, percentage) - 1
        return scores[index] if index >= 0 else 0.0

    return score_band


TREND_TOLERANCE = 0.05  # within ±5 % counts as flat


def trend_points(change: float, better: Better | None) -> float:
    """Return the published trend score of a relative change: better by more than 5 % →
    100, within ±5 % → 50, worse by more than 5 % → 0."""
    signed = -change if better is Better.LOWER else change
    if signed > TREND_TOLERANCE:
        return 100.0
    if signed < -TREND_TOLERANCE:
        return 0.0
    return 50.0


def number_accepts(question: QuestionSpec) -> Callable[[Any], bool]:
    """Return the validity test of a number answer: "not measured", or a number in range
    (a whole one where the question says integer)."""
    low, high, whole = question.minimum, question.maximum, question.integer

    def accepts(value: Any) -> bool:
        if value == NOT_MEASURED:
            return True
        number = as_number(value)
        if number is None or (low is not None and number < low):
            return False
        if high is not None and number > high:
            return False
        return not whole or number.is_integer()

    return accepts


def text_scorer(question: QuestionSpec) -> Scorer:
    """Return a scorer that scores nothing: free text is never scored."""
    return lambda value: None


SCORER_BUILDERS: dict[str, Callable[[QuestionSpec], Scorer]] = {
    QuestionType.LEVEL: option_scorer,
    QuestionType.CHOICE: option_scorer,
    QuestionType.CHECKLIST: checklist_scorer,
    QuestionType.KPI: kpi_scorer,
    QuestionType.TEXT: text_scorer,
}


# Scorers by question: a page counts progress over every question on each request. The
# spec is held with its scorer, so its id cannot be reused while the entry lives.
_SCORERS: dict[int, tuple[QuestionSpec, Scorer]] = {}
_SCORERS_KEPT = 20_000


def make_scorer(question: QuestionSpec) -> Scorer:
    """Return the question's scorer (built once per spec); an unknown type scores nothing."""
    found = _SCORERS.get(id(question))
    if found is not None and found[0] is question:
        return found[1]
    scorer = SCORER_BUILDERS.get(question.type, text_scorer)(question)
    if len(_SCORERS) >= _SCORERS_KEPT:
        _SCORERS.clear()
    _SCORERS[id(question)] = (question, scorer)
    return scorer


def lowest_score(question: QuestionSpec) -> float:
    """Return the lowest score any valid answer can get (0 for checklists and text): what a
    follow-up hidden because its trigger denies the capability counts as."""
    if question.type in (QuestionType.LEVEL, QuestionType.CHOICE) and question.options:
        return min(float(option.score) for option in question.options)
    if question.type in (QuestionType.KPI, QuestionType.RATE) and question.bands:
        return min(float(band.score) for band in question.bands)
    return 0.0


def question_score(question: QuestionSpec, value: Any) -> float | None:
    """Return the value's score 0–100, or None for text, missing or invalid values."""
    return make_scorer(question)(value)


def has_valid_value(question: QuestionSpec, value: Any) -> bool:
    """Return True when value is a valid answer: scorable, non-blank text for text, a
    number in range or "not measured" for number questions (rates and trends are never
    answered: they are computed)."""
    if question.type == QuestionType.TEXT:
        return has_text(value)
    if question.type == QuestionType.NUMBER:
        return number_accepts(question)(value)
    return question_score(question, value) is not None


def is_answered(question: QuestionSpec, answer: AnswerInput | None) -> bool:
    """Return True when the answer has a valid value or is "not applicable" where allowed."""
    if answer is None:
        return False
    if answer.not_applicable and question.allow_na:
        return True
    return has_valid_value(question, answer.value)
