"""No worse answer scores better on ``smart-manufacturing-v2`` (issue 12 item 5): improving
any single answer one step never lowers its dimension score, the index or the level, for
a process-industry firm (chemicals, division 26: the process module PRC, EQP-01 hidden,
the EHS gate) and a discrete one (general-purpose machinery, 34).

The same property as ``test_monotonic.py`` on v1, plus number questions. A number is
"improved" only where the engine defines a direction for it: it is the numerator of a
rate (the more networked devices, the better), or the current value of a trend with
``better: higher`` (raised) or ``better: lower`` (lowered: cost, energy), and it is used in
no other way. Denominators, previous-year values, intensity bases and figures used both
ways (revenue is STR-17's denominator and OUT-01's current value) have no better
direction. Measuring a figure that was "not measured" (scored 0) is a step up for every
number question.
"""

from __future__ import annotations

import random
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from diagnosis.answers import clean_answer
from diagnosis.scoring import AnswerInput, Profile, ScoreCard, score
from diagnosis.scoring.definition import NOT_MEASURED, Better, QuestionSpec, QuestionType
from diagnosis.scoring.model import model_for
from diagnosis.scoring.resolution import shown_for
from tests.answering import sample_value
from tests.scoring.test_monotonic import HIGH, MODES, one_step_better
from tests.scoring.v2_profiles import CHEMICALS, MACHINERY, V2

PROFILES = [CHEMICALS, MACHINERY]
PROFILE_IDS = ["process-26", "discrete-34"]
NUMBER_CAP = 5000  # drawn figures stay below this (or the question's max)


def number_direction(code: str) -> int:
    """+1 when the engine scores a higher value of the number question at least as well in
    every scored rate and trend using it, −1 when a lower one, 0 when neither is defined."""
    signs = set()
    for question in V2.questions.values():
        if not question.scored or code not in question.inputs:
            continue
        if question.type is QuestionType.RATE and code == question.numerator:
            signs.add(1)
        elif question.type is QuestionType.TREND and code == question.current:
            signs.add(1 if question.better is Better.HIGHER else -1)
        else:
            signs.add(0)
    return signs.pop() if len(signs) == 1 else 0


NUMBERS = [q for q in V2.questions.values() if q.type is QuestionType.NUMBER]
DIRECTIONS = {question.code: number_direction(question.code) for question in NUMBERS}
TRIGGERS = sorted({q.depends_on.question for q in V2.questions.values() if q.depends_on})


def exists_for(profile: Profile) -> set[str]:
    """Codes of the questions the firm's profile does not drop (show_when)."""
    model = model_for(V2)
    return {q.code for q in model.questions if not q.show_when or shown_for(q, profile)}


EXISTING = {profile: exists_for(profile) for profile in PROFILES}


STEPPABLE = [
    question
    for question in V2.questions.values()
    if question.asked
    and (question.scored or question.code in TRIGGERS or question.type is QuestionType.NUMBER)
]


def upper(question: QuestionSpec) -> int:
    return int(min(question.maximum or NUMBER_CAP, NUMBER_CAP))


SEEDS = st.integers(0, 2**32 - 1)
SET_MODES = st.sampled_from(("mixed", *MODES))  # built once, not per example


@st.composite
def complete_answer_sets(draw: st.DrawFn) -> dict[str, AnswerInput]:
    """Every question answered (``answers_in_modes``): all in one mode (the extremes are
    where hidden follow-ups bite) or each in a mode of its own. Modes and values come
    from a seeded generator rather than one draw per question: many times faster."""
    rng = random.Random(draw(SEEDS, label="seed"))
    mode = draw(SET_MODES)
    modes = {code: rng.choice(MODES) if mode == "mixed" else mode for code in ASKED}
    return answers_in_modes(rng, modes)


ASKED = [code for code, question in V2.questions.items() if question.asked]


def answers_in_modes(rng: random.Random, modes: dict[str, str]) -> dict[str, AnswerInput]:
    """Options, checklists and text as ``test_monotonic`` answers them: a random option,
    the first or the last one, or "not applicable" where allowed. Numbers: a random whole
    figure, a small one (0–20: zero bases), the largest drawn, or "not measured"."""
    answers = {}
    for code in ASKED:
        question, mode = V2.questions[code], modes[code]
        if question.type is QuestionType.NUMBER:
            top = upper(question)
            value = {
                "na": NOT_MEASURED,
                "first": rng.randint(0, 20),
                "last": top,
                "random": rng.randint(0, top),
            }[mode]
            answers[code] = AnswerInput(code, value)
        elif mode == "na" and question.allow_na:
            answers[code] = AnswerInput(code, None, not_applicable=True)
        else:
            raw = sample_value(question, rng, HIGH.get(mode))
            answers[code] = AnswerInput(code, clean_answer(question, raw))
    return answers


def one_step_better_number(question: QuestionSpec, value: Any, rng: random.Random) -> Any | None:
    """Return a better figure: any figure for "not measured"; one further in the engine's
    direction (None when it has none or the figure is at its bound)."""
    top = upper(question)
    if value == NOT_MEASURED:
        return rng.randint(0, top)
    direction = DIRECTIONS[question.code]
    if direction > 0 and value < top:
        return rng.randint(int(value) + 1, top)
    if direction < 0 and value > 0:
        return rng.randint(0, int(value) - 1)
    return None


def better_answer(question: QuestionSpec, answer: AnswerInput, rng: random.Random) -> Any | None:
    if answer.not_applicable:
        return None
    if question.type is QuestionType.NUMBER:
        return one_step_better_number(question, answer.value, rng)
    return one_step_better(question, answer.value, rng)


def standing(card: ScoreCard, dimension: str) -> tuple[float | None, float, int]:
    return card.dimension(dimension).score, card.overall, card.level


def check_one_step(
    answers: dict[str, AnswerInput], question: QuestionSpec, profile: Profile, rng
) -> None:
    answer = answers[question.code]
    better = better_answer(question, answer, rng)
    if better is None:
        return
    before = score(V2, answers, profile=profile)
    after = score(
        V2, answers | {question.code: AnswerInput(question.code, better)}, profile=profile
    )
    (was_dimension, *was), (now_dimension, *now) = (
        standing(before, question.dimension),
        standing(after, question.dimension),
    )
    counterexample = (
        f"{profile.industry} {question.code}: {answer.value!r} → {better!r}: "
        f"{(was_dimension, *was)} → {(now_dimension, *now)}"
    )
    assert all(new >= old for new, old in zip(now, was, strict=True)), counterexample
    if now_dimension is None:
        # Measuring a figure can make the dimension's only rate or trend uncomputable (a
        # zero base): it counted 0 while not measured and now leaves the denominator.
        assert was_dimension in (None, 0.0), counterexample
    elif was_dimension is not None:
        assert now_dimension >= was_dimension, counterexample


# The questions drawn from, per profile, and their strategies: built once. Built per
# example (and exists_for per candidate), they took a third of this file's time, most
# of it hypothesis hashing every QuestionSpec to label each new sampled_from.
CANDIDATES = {
    profile: st.sampled_from([q for q in STEPPABLE if q.code in EXISTING[profile]])
    for profile in PROFILES
}

PROPERTY = settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
FOCUSED = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@pytest.mark.parametrize("profile", PROFILES, ids=PROFILE_IDS)
@PROPERTY
@given(answers=complete_answer_sets(), data=st.data(), rng=st.randoms(use_true_random=False))
def test_it_never_scores_a_one_step_better_answer_lower(profile, answers, data, rng):
    """Any answer one step better never lowers its dimension's score, the index or the level."""
    question = data.draw(CANDIDATES[profile], label="question")
    check_one_step(answers, question, profile, rng)


@pytest.mark.parametrize("profile", PROFILES, ids=PROFILE_IDS)
@pytest.mark.parametrize("trigger", TRIGGERS)
@FOCUSED
@given(answers=complete_answer_sets(), rng=st.randoms(use_true_random=False))
def test_it_never_scores_a_one_step_better_trigger_lower(profile, trigger, answers, rng):
    """The same for the questions that show or hide a follow-up (OPS-02 has an MES,
    DAT-05 uses AI), drawn more often."""
    check_one_step(answers, V2.questions[trigger], profile, rng)


DIRECTED = sorted(code for code, direction in DIRECTIONS.items() if direction)
DIRECTED_CODES = {
    profile: st.sampled_from([code for code in DIRECTED if code in EXISTING[profile]])
    for profile in PROFILES
}


@pytest.mark.parametrize("profile", PROFILES, ids=PROFILE_IDS)
@FOCUSED
@given(
    answers=complete_answer_sets(),
    data=st.data(),
    rng=st.randoms(use_true_random=False),
)
def test_it_never_scores_a_better_figure_lower(profile, answers, data, rng):
    """The same for the number questions with a direction, drawn more often."""
    code = data.draw(DIRECTED_CODES[profile], label="number")
    check_one_step(answers, V2.questions[code], profile, rng)


def test_the_engine_defines_a_direction_for_numerators_and_trend_values_only():
    assert {code for code, direction in DIRECTIONS.items() if direction > 0} == {
        "STR-14", "TAL-11", "TAL-14", "EQP-12", "EQP-15", "EQP-16", "OPS-12", "SCM-12",
        "GRN-07", "PRC-02", "PRC-05", "OUT-14", "OUT-05",
    }  # fmt: skip
    assert {code for code, direction in DIRECTIONS.items() if direction < 0} == {
        "OUT-12",  # cost of sales (cost per 100 yuan of revenue: lower is better)
        "GRN-09",  # energy consumption (per 100 yuan of revenue: lower is better)
    }
    assert DIRECTIONS["STR-11"] == 0  # revenue: STR-17's denominator, OUT-01's current
    assert DIRECTIONS["EQP-14"] == 0  # a denominator


@pytest.mark.parametrize("profile", PROFILES, ids=PROFILE_IDS)
@pytest.mark.parametrize(("trigger", "follow_up"), [("OPS-02", "OPS-03"), ("DAT-05", "DAT-06")])
def test_it_never_scores_admitting_a_capability_below_denying_it(profile, trigger, follow_up):
    # Review §5.3 on v2: "no MES" vs a stand-alone MES, "no AI" vs a stalled pilot, on
    # answer sets drawn like the property's, the follow-up at its lowest.
    dimension = V2.questions[follow_up].dimension
    for seed in range(30):
        answers = drawn_answers(seed)
        low = AnswerInput(follow_up, 0)
        denying = answers | {trigger: AnswerInput(trigger, "no"), follow_up: low}
        admitting = answers | {trigger: AnswerInput(trigger, "partial"), follow_up: low}
        was = score(V2, denying, profile=profile)
        now = score(V2, admitting, profile=profile)
        assert now.dimension(dimension).score >= was.dimension(dimension).score  # type: ignore[operator]
        assert now.overall >= was.overall and now.level >= was.level


def drawn_answers(seed: int) -> dict[str, AnswerInput]:
    """A complete answer set from a seeded random generator (no hypothesis)."""
    rng = random.Random(seed)
    return answers_in_modes(rng, {code: rng.choice(MODES) for code in ASKED})
