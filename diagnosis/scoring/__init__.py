"""The scoring engine: pure Python, no Django.

A questionnaire ``Definition`` and the answers (plus the firm's goals) go in; a frozen
``ScoreCard`` comes out. See docs/scoring.md for the model in plain words.
"""

from .card import (
    ChosenRecommendation,
    Confidence,
    ConsistencyWarning,
    DimensionResult,
    Limit,
    Priority,
    ScoreCard,
)
from .defaults import with_defaults
from .engine import SCORING_VERSION, score
from .inputs import NO_PROFILE, AnswerInput, GoalInput, Profile
from .questions import is_answered, question_score
from .visibility import computed_values, is_visible, visible_questions

__all__ = [
    "NO_PROFILE",
    "SCORING_VERSION",
    "AnswerInput",
    "ChosenRecommendation",
    "Confidence",
    "ConsistencyWarning",
    "DimensionResult",
    "GoalInput",
    "Limit",
    "Priority",
    "Profile",
    "ScoreCard",
    "computed_values",
    "is_answered",
    "is_visible",
    "question_score",
    "score",
    "visible_questions",
    "with_defaults",
]
