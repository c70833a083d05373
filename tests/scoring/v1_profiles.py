"""Answer profiles of the bundled ``smart-manufacturing-v1``, to pin its results.

``v1_profile(seed)`` answers every question in a seeded way that mixes every case the
engine distinguishes: random, lowest and highest options, "not applicable", unanswered,
invalid values and goals. ``card_fingerprint`` is the sha256 of the card's canonical JSON,
so a stored fingerprint proves a whole card (scores, level, limits, advice, warnings,
confidence) unchanged.
"""

from __future__ import annotations

import hashlib
import json
import random

from diagnosis.answers import clean_answer
from diagnosis.definitions.loader import BUNDLED_DIR, load_definition
from diagnosis.scoring import AnswerInput, GoalInput, ScoreCard
from diagnosis.scoring.definition import Definition
from tests.answering import sample_value

V1 = load_definition(BUNDLED_DIR / "smart-manufacturing-v1.yaml")
PROFILE_COUNT = 300
MODES = ("random", "random", "first", "last", "na", "missing", "invalid")
HIGH = {"random": None, "first": False, "last": True}


def v1_profile(
    seed: int, definition: Definition = V1
) -> tuple[dict[str, AnswerInput], dict[str, GoalInput]]:
    """Return the answers and goals of profile ``seed`` (deterministic)."""
    rng = random.Random(seed)
    bias = rng.choice(("random", "first", "last", "mixed", "only-last", "only-random"))
    answers = {}
    for question in definition.questions.values():
        if bias.startswith("only-"):
            mode = bias.removeprefix("only-")
        elif bias == "mixed":
            mode = rng.choice(MODES)
        else:
            mode = rng.choice((bias, *MODES))
        if mode == "missing":
            continue
        if mode == "na":
            answers[question.code] = AnswerInput(question.code, None, not_applicable=True)
            continue
        if mode == "invalid":
            answers[question.code] = AnswerInput(question.code, rng.choice((True, "?", 99, [])))
            continue
        raw = sample_value(question, rng, HIGH[mode])
        answers[question.code] = AnswerInput(
            question.code,
            clean_answer(question, raw),
            has_evidence=rng.random() < 0.3,
            verified=rng.random() < 0.2,
        )
    goals = {
        dimension.code: GoalInput(rng.choice((None, 1, 2, 3, 4, 5)), rng.randint(1, 5))
        for dimension in definition.dimensions
        if rng.random() < 0.8
    }
    return answers, goals


def card_fingerprint(card: ScoreCard) -> str:
    canonical = json.dumps(card.to_dict(), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()
