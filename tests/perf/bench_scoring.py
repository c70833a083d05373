"""Benchmark the scoring engine: score cards per second on the bundled questionnaire.

Run from the repository root: ``python tests/perf/bench_scoring.py``. Scores seeded random
complete answer sets for about three seconds in one process and prints one line:
``BENCH scoring_cards_per_s <value> cards/s``.
"""

from __future__ import annotations

import random
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO_ROOT))

from diagnosis.definitions.loader import load_definition
from diagnosis.scoring import AnswerInput, GoalInput, score
from diagnosis.scoring.definition import Definition, QuestionSpec, QuestionType

DEFINITION_PATH = REPO_ROOT / "diagnosis/definitions/smart-manufacturing-v1.yaml"
SEED = 20240601
POOL_SIZE = 500  # distinct answer sets, scored round-robin
DURATION_SECONDS = 3.0
NOT_APPLICABLE_SHARE = 0.1


def option_value(question: QuestionSpec, rng: random.Random) -> Any:
    """Return one of the question's option values."""
    return rng.choice(question.options).value


def ticked_items(question: QuestionSpec, rng: random.Random) -> list[str]:
    """Return a random subset of the checklist's item codes."""
    return [item.code for item in question.items if rng.random() < 0.5]


def kpi_number(question: QuestionSpec, rng: random.Random) -> float:
    """Return a number within the KPI's accepted range, to one decimal."""
    low = question.minimum if question.minimum is not None else question.bands[0].start
    high = question.maximum if question.maximum is not None else low + 100
    return round(rng.uniform(low, high), 1)


def free_text(question: QuestionSpec, rng: random.Random) -> str:
    """Return a short answer text."""
    return f"answer {rng.randrange(1000)}"


VALUE_MAKERS: dict[str, Callable[[QuestionSpec, random.Random], Any]] = {
    QuestionType.LEVEL: option_value,
    QuestionType.CHOICE: option_value,
    QuestionType.CHECKLIST: ticked_items,
    QuestionType.KPI: kpi_number,
    QuestionType.TEXT: free_text,
}


def random_answer(question: QuestionSpec, rng: random.Random) -> AnswerInput:
    """Return a valid answer, sometimes "not applicable" where the question allows it."""
    not_applicable = question.allow_na and rng.random() < NOT_APPLICABLE_SHARE
    return AnswerInput(
        question=question.code,
        value=None if not_applicable else VALUE_MAKERS[question.type](question, rng),
        not_applicable=not_applicable,
        has_evidence=rng.random() < 0.5,
        verified=rng.random() < 0.2,
    )


def random_answers(definition: Definition, rng: random.Random) -> dict[str, AnswerInput]:
    """Return an answer for every question of the definition."""
    return {code: random_answer(question, rng) for code, question in definition.questions.items()}


def random_goals(definition: Definition, rng: random.Random) -> dict[str, GoalInput]:
    """Return a target level and a relevance for every dimension."""
    top = max(level.number for level in definition.levels)
    return {
        dimension.code: GoalInput(target_level=rng.randint(2, top), relevance=rng.randint(1, 5))
        for dimension in definition.dimensions
    }


def cards_per_second(
    definition: Definition,
    pool: list[tuple[dict[str, AnswerInput], dict[str, GoalInput]]],
    duration: float,
) -> float:
    """Return how many cards per second ``score`` produced, scoring the pool round-robin
    for at least ``duration`` seconds."""
    scored = 0
    started = time.perf_counter()
    while (elapsed := time.perf_counter() - started) < duration:
        for answers, goals in pool:
            score(definition, answers, goals)
        scored += len(pool)
    return scored / elapsed


def main() -> None:
    """Print the benchmark line."""
    definition = load_definition(DEFINITION_PATH)
    rng = random.Random(SEED)
    pool = [
        (random_answers(definition, rng), random_goals(definition, rng)) for _ in range(POOL_SIZE)
    ]
    score(definition, *pool[0])  # warm the per-definition cache outside the timing
    rate = cards_per_second(definition, pool, DURATION_SECONDS)
    print(f"BENCH scoring_cards_per_s {rate:.0f} cards/s")


if __name__ == "__main__":
    main()
