"""Score profiles for a synthetic city: answer sets of graded maturity scored by the real
engine, so that every generated result (overall index, level, dimension scores, levels and
gaps) is one the engine could have produced. A generated assessment takes the profile
nearest its firm's maturity; scoring a million answer sets one by one would take an hour.
"""

import json
import random
from bisect import bisect_left
from dataclasses import dataclass

from diagnosis.answers import clean_answer
from diagnosis.models import QuestionnaireVersion
from diagnosis.scoring import SCORING_VERSION, AnswerInput, GoalInput, score
from diagnosis.scoring.definition import COMPUTED_TYPES, QuestionSpec, QuestionType

PROFILES = 200


@dataclass(frozen=True)
class Profile:
    overall: float
    level: int
    # (dimension id, score, level, gap) per dimension, in questionnaire order
    dimensions: tuple[tuple[int, float | None, int, float], ...]
    card: str  # the ScoreCard as JSON text, as ScoreResult.card stores it


def _raw_value(question: QuestionSpec, maturity: float, rng: random.Random) -> object:
    """A raw form value for `question` from a firm of `maturity` (0–1)."""
    kind = question.type
    if kind in (QuestionType.LEVEL, QuestionType.CHOICE):
        options = list(question.options)
        position = round(maturity * (len(options) - 1) + rng.gauss(0, 0.8))
        return str(options[max(0, min(len(options) - 1, position))].value)
    if kind is QuestionType.CHECKLIST:
        return [item.code for item in question.items if rng.random() < maturity]
    if kind is QuestionType.KPI:
        low, top = question.minimum or 0, question.maximum or 100
        share = max(0.0, min(1.0, rng.gauss(maturity, 0.15)))
        return str(round(low + (top - low) * share, 1))
    if kind is QuestionType.NUMBER:
        low, top = question.minimum or 0, min(question.maximum or 1000, 1000)
        return str(round(low + (top - low) * rng.random()))
    return "生成的回答 / generated answer"


def _profile(
    questionnaire: QuestionnaireVersion,
    dimension_ids: dict[str, int],
    maturity: float,
    rng: random.Random,
) -> Profile:
    definition = questionnaire.definition
    inputs = {
        code: AnswerInput(
            question=code,
            value=clean_answer(question, _raw_value(question, maturity, rng)),
            has_evidence=rng.random() < 0.3,
        )
        for code, question in definition.questions.items()
        if question.type not in COMPUTED_TYPES
    }
    goals = {
        dimension.code: GoalInput(target_level=rng.randint(3, 5), relevance=rng.randint(2, 5))
        for dimension in definition.dimensions
    }
    card = score(definition, inputs, goals)
    return Profile(
        overall=card.overall,
        level=card.level,
        dimensions=tuple((dimension_ids[d.code], d.score, d.level, d.gap) for d in card.dimensions),
        card=json.dumps(card.to_dict(), ensure_ascii=False, separators=(",", ":")),
    )


class Profiles:
    """PROFILES profiles from least to most mature; `near(maturity)` picks one."""

    def __init__(self, questionnaire: QuestionnaireVersion, *, seed: int) -> None:
        rng = random.Random(seed)
        dimension_ids = dict(questionnaire.dimensions.values_list("code", "pk"))
        found = [
            _profile(questionnaire, dimension_ids, step / (PROFILES - 1), rng)
            for step in range(PROFILES)
        ]
        self.profiles = sorted(found, key=lambda profile: profile.overall)
        self._overalls = [profile.overall for profile in self.profiles]
        self.definition_version = f"{questionnaire.code}@{questionnaire.version}"
        self.scoring_version = SCORING_VERSION

    def near(self, maturity: float) -> Profile:
        """The profile whose overall index is nearest `maturity` × 100."""
        position = bisect_left(self._overalls, max(0.0, min(1.0, maturity)) * 100)
        return self.profiles[min(position, len(self.profiles) - 1)]
