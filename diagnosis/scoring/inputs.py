"""What the engine takes in besides the definition: answers and the firm's goals."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

MIN_RELEVANCE = 1
MAX_RELEVANCE = 5
DEFAULT_RELEVANCE = 3


@dataclass(frozen=True, slots=True)
class AnswerInput:
    """One stored answer, as the engine sees it.

    ``value`` is the raw answer (option value, list of item codes, number or text).
    ``not_applicable`` only counts on questions that allow it. ``defaulted``: not stored,
    but preset "not applicable" by the question's ``na_default_when`` (``defaults.py``).
    """

    question: str
    value: Any = None
    not_applicable: bool = False
    has_evidence: bool = False
    verified: bool = False
    defaulted: bool = False


@dataclass(frozen=True, slots=True)
class GoalInput:
    """The firm's goal for one dimension: a target level and how much it matters (1–5)."""

    target_level: int | None = None
    relevance: int = DEFAULT_RELEVANCE


def clamp_relevance(relevance: object) -> int:
    """Return relevance as an int within 1–5; anything that is not an int counts as 3."""
    if type(relevance) is not int:  # also refuses bool
        return DEFAULT_RELEVANCE
    return max(MIN_RELEVANCE, min(MAX_RELEVANCE, relevance))


@dataclass(frozen=True, slots=True)
class Profile:
    """The firm's profile as conditions see it: GB/T 4754 division (13–43) and MIIT size
    class (micro, small, medium, large); None when unknown (a condition on it is false)."""

    industry: int | None = None
    size: str | None = None


NO_PROFILE = Profile()
