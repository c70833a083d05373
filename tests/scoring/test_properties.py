"""Properties of the engine over generated definitions and answers (hypothesis).

Generated dependencies stay within a dimension, so an answer can only move its own
dimension's score.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import random
from typing import Any

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from diagnosis.scoring import (
    AnswerInput,
    GoalInput,
    ScoreCard,
    is_visible,
    question_score,
    score,
    visible_questions,
)
from diagnosis.scoring.definition import (
    ChecklistItem,
    Definition,
    Dependency,
    DimensionSpec,
    Effort,
    Gate,
    Horizon,
    KpiBand,
    Level,
    OptionSpec,
    QuestionSpec,
    QuestionType,
    Recommendation,
    Text,
)

LABEL = Text(zh_hans="标签", en="label")
# Drawing a whole definition with answers takes hypothesis ~4 ms (~10 ms while the
# strategies were built per draw), scoring it well under one: 50 scenarios per property
# (half hypothesis' default) halve this file's time, and every run draws new ones
# (failures are replayed from the example database).
PROPERTY_SETTINGS = settings(
    max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
scores = st.integers(min_value=0, max_value=100)
weights = st.sampled_from([0.5, 1, 2, 3, 5])
# Every strategy below is built once (at import, or once per code or option set through
# functools.cache) and drawn from many times: hypothesis validates and labels each new
# strategy object on its first draw, and building them per draw took most of this file's
# time. Each draw makes the same choices as before and turns them into the same scenario.
SIX_SCORES = st.lists(scores, min_size=6, max_size=6)
CHOICE_VALUES = st.lists(
    st.sampled_from(["yes", "partial", "no", "better", "worse"]),
    min_size=2,
    max_size=4,
    unique=True,
)
SCORES_FOR = {count: st.lists(scores, min_size=count, max_size=count) for count in (2, 3, 4)}
ITEM_CODES = st.lists(st.sampled_from("abcde"), min_size=1, max_size=4, unique=True)
BAND_STARTS = st.sets(st.integers(1, 100), max_size=4)
HORIZONS = st.sampled_from(list(Horizon))

# ---------------------------------------------------------------- definitions


def options_for(values: list[Any], points: list[int]) -> tuple[OptionSpec, ...]:
    return tuple(
        OptionSpec(value, earned, LABEL) for value, earned in zip(values, points, strict=True)
    )


@st.composite
def level_questions(draw: st.DrawFn, code: str) -> QuestionSpec:
    points = sorted(draw(SIX_SCORES))
    return QuestionSpec(
        code,
        "",
        QuestionType.LEVEL,
        draw(weights),
        LABEL,
        options=options_for(list(range(6)), points),
    )


@st.composite
def choice_questions(draw: st.DrawFn, code: str) -> QuestionSpec:
    values = draw(CHOICE_VALUES)
    points = draw(SCORES_FOR[len(values)])
    return QuestionSpec(
        code, "", QuestionType.CHOICE, draw(weights), LABEL, options=options_for(values, points)
    )


@st.composite
def checklist_questions(draw: st.DrawFn, code: str) -> QuestionSpec:
    codes = draw(ITEM_CODES)
    items = tuple(ChecklistItem(item, draw(weights), LABEL) for item in codes)
    return QuestionSpec(code, "", QuestionType.CHECKLIST, draw(weights), LABEL, items=items)


@st.composite
def kpi_questions(draw: st.DrawFn, code: str) -> QuestionSpec:
    starts = [0, *sorted(draw(BAND_STARTS))]
    bands = tuple(KpiBand(start, draw(scores)) for start in starts)
    return QuestionSpec(
        code, "", QuestionType.KPI, draw(weights), LABEL, minimum=0, maximum=100, bands=bands
    )


def text_questions(code: str) -> st.SearchStrategy[QuestionSpec]:
    return st.just(QuestionSpec(code, "", QuestionType.TEXT, 0, LABEL))


QUESTION_KINDS = [
    level_questions,
    choice_questions,
    checklist_questions,
    kpi_questions,
    text_questions,
]


@functools.cache
def question_shapes(code: str) -> st.SearchStrategy[QuestionSpec]:
    """A question of any kind with this code."""
    shapes = {kind: kind(code) for kind in QUESTION_KINDS}
    return st.sampled_from(QUESTION_KINDS).flatmap(lambda kind: shapes[kind])


@functools.cache
def one_of_codes(codes: tuple[str, ...]) -> st.SearchStrategy[str]:
    return st.sampled_from(codes)


@functools.cache
def some_of_values(values: tuple[Any, ...]) -> st.SearchStrategy[list[Any]]:
    return st.lists(st.sampled_from(list(values)), min_size=1, unique=True)


def trigger_options(earlier: list[QuestionSpec]) -> tuple[tuple[str, tuple[Any, ...]], ...]:
    """The code and option values of each earlier question that can be a trigger."""
    return tuple(
        (q.code, tuple(o.value for o in q.options))
        for q in earlier
        if q.type in (QuestionType.LEVEL, QuestionType.CHOICE)
    )


@functools.lru_cache(maxsize=4096)
@st.composite
def questions(
    draw: st.DrawFn, code: str, dimension: str, triggers: tuple[tuple[str, tuple[Any, ...]], ...]
) -> QuestionSpec:
    """A question after the triggers (``trigger_options``) it may depend on."""
    question = draw(question_shapes(code))
    options = dict(triggers)
    depends_on = None
    if bool(triggers) and draw(st.booleans()):
        trigger = draw(one_of_codes(tuple(options)))
        values = draw(some_of_values(options[trigger]))
        depends_on = Dependency(trigger, tuple(values))
    return dataclasses.replace(
        question, dimension=dimension, allow_na=draw(st.booleans()), depends_on=depends_on
    )


@functools.cache
@st.composite
def dimensions(draw: st.DrawFn, code: str) -> DimensionSpec:
    held: list[QuestionSpec] = []
    for index in range(draw(st.integers(1, 5))):
        held.append(draw(questions(f"{code}-{index:02d}", code, trigger_options(held))))
    return DimensionSpec(code, draw(weights), draw(st.booleans()), LABEL, LABEL, tuple(held))


@functools.cache
def gate_lists(
    dimension_codes: tuple[str, ...], question_codes: tuple[str, ...]
) -> st.SearchStrategy[list[Gate]]:
    """Up to two floors on the dimensions or questions with these codes."""
    gates = st.one_of(
        st.builds(Gate, min_score=scores, dimension=st.sampled_from(list(dimension_codes))),
        st.builds(Gate, min_score=scores, question=st.sampled_from(list(question_codes))),
    )
    return st.lists(gates, max_size=2)


@functools.cache
@st.composite
def levels(
    draw: st.DrawFn, dimension_codes: tuple[str, ...], question_codes: tuple[str, ...]
) -> tuple[Level, ...]:
    count = draw(st.integers(2, 5))
    min_scores = [
        0,
        *sorted(draw(st.sets(st.integers(1, 95), min_size=count - 1, max_size=count - 1))),
    ]
    floors = sorted(draw(st.lists(st.integers(0, 80), min_size=count, max_size=count)))
    gates = gate_lists(dimension_codes, question_codes)
    return tuple(
        Level(number, LABEL, LABEL, min_score, floor, tuple(draw(gates)))
        for number, (min_score, floor) in enumerate(zip(min_scores, floors, strict=True), 1)
    )


@functools.cache
@st.composite
def definitions(draw: st.DrawFn) -> Definition:
    held = [draw(dimensions(f"D{index}")) for index in range(draw(st.integers(1, 4)))]
    levels_ = draw(
        levels(tuple(d.code for d in held), tuple(q.code for d in held for q in d.questions))
    )
    recommendations = tuple(
        Recommendation(d.code, (level.number,), draw(HORIZONS), Effort.LOW, LABEL, LABEL)
        for d in held
        for level in levels_
    )
    return Definition("generated", 1, LABEL, LABEL, levels_, tuple(held), recommendations)


# ---------------------------------------------------------------- answers


def valid_values(question: QuestionSpec) -> st.SearchStrategy[Any]:
    if question.type in (QuestionType.LEVEL, QuestionType.CHOICE):
        return one_of_values(tuple(option.value for option in question.options))
    if question.type == QuestionType.CHECKLIST:
        return ticked_items(tuple(item.code for item in question.items))
    if question.type == QuestionType.KPI:
        return KPI_VALUES
    return TEXT_VALUES


@functools.cache
def one_of_values(values: tuple[Any, ...]) -> st.SearchStrategy[Any]:
    return st.sampled_from(list(values))


@functools.cache
def ticked_items(codes: tuple[str, ...]) -> st.SearchStrategy[list[str]]:
    return st.lists(st.sampled_from(list(codes)), unique=True)


KPI_VALUES = st.floats(min_value=0, max_value=100) | st.integers(0, 100)
TEXT_VALUES = st.text(min_size=1)


junk = st.one_of(
    st.none(),
    st.booleans(),
    st.floats(),
    st.integers(),
    st.text(max_size=3),
    st.lists(st.one_of(st.text(max_size=2), st.integers()), max_size=3),
    st.dictionaries(st.text(max_size=2), st.integers(), max_size=2),
    st.binary(max_size=2),
)


ANSWER_KINDS = st.sampled_from(["missing", "na", "valid", "valid", "valid", "junk"])


@functools.cache
@st.composite
def answer_inputs(draw: st.DrawFn, code: str, valid: st.SearchStrategy[Any]) -> AnswerInput | None:
    """An answer to question code: missing, n/a, junk or a valid value (drawn from valid)."""
    kind = draw(ANSWER_KINDS)
    if kind == "missing":
        return None
    value = draw(junk if kind == "junk" else valid)
    return AnswerInput(code, value, kind == "na", draw(st.booleans()), draw(st.booleans()))


@st.composite
def answer_sets(draw: st.DrawFn, definition: Definition) -> dict[str, AnswerInput]:
    given = {
        code: draw(answer_inputs(code, valid_values(q))) for code, q in definition.questions.items()
    }
    return {code: answer for code, answer in given.items() if answer is not None}


goal_sets = st.dictionaries(
    st.sampled_from(["D0", "D1", "D2", "D3"]),
    st.builds(GoalInput, st.none() | st.integers(1, 6), st.integers(0, 6)),
)


@st.composite
def scenarios(draw: st.DrawFn) -> tuple[Definition, dict[str, AnswerInput], dict]:
    definition = draw(definitions())
    return definition, draw(answer_sets(definition)), draw(goal_sets)


# ---------------------------------------------------------------- an independent oracle


def shown(definition: Definition, code: str, answers: dict[str, AnswerInput]) -> bool:
    """Visibility straight from FORMAT.md: the trigger is shown and validly answered
    with one of the values, not "not applicable"."""
    dependency = definition.questions[code].depends_on
    if dependency is None:
        return True
    trigger = definition.questions[dependency.question]
    answer = answers.get(trigger.code)
    if answer is None or (answer.not_applicable and trigger.allow_na):
        return False
    if question_score(trigger, answer.value) is None:
        return False
    return shown(definition, trigger.code, answers) and answer.value in dependency.values


def points(definition: Definition, code: str | None, answers: dict[str, AnswerInput]) -> float:
    question = definition.questions.get(code or "")
    answer = answers.get(code or "")
    if question is None or answer is None or not shown(definition, code or "", answers):
        return 0.0
    if answer.not_applicable and question.allow_na:
        return 0.0
    return round(question_score(question, answer.value) or 0.0, 1)


def meets(definition: Definition, level: Level, card: ScoreCard, answers: dict) -> bool:
    by_code = {d.code: d.score or 0.0 for d in card.dimensions}
    floors = all(
        by_code[d.code] >= level.critical_floor for d in definition.dimensions if d.critical
    )
    gates = all(
        (
            by_code.get(gate.dimension, 0.0)
            if gate.dimension
            else points(definition, gate.question, answers)
        )
        >= gate.min_score
        for gate in level.gates
    )
    return card.overall >= level.min_score and floors and gates


def allowed_level(definition: Definition, card: ScoreCard, answers: dict) -> int:
    reached = definition.levels[0].number
    for level in definition.levels[1:]:
        if not meets(definition, level, card, answers):
            break
        reached = level.number
    return reached


def non_trigger_questions(definition: Definition) -> list[QuestionSpec]:
    triggers = {q.depends_on.question for q in definition.questions.values() if q.depends_on}
    return [q for q in definition.questions.values() if q.scored and q.code not in triggers]


# ---------------------------------------------------------------- properties


@PROPERTY_SETTINGS
@given(scenarios())
def test_it_keeps_every_score_between_0_and_100(scenario):
    card = score(*scenario)
    dimension_scores = [d.score for d in card.dimensions if d.score is not None]
    assert all(0 <= value <= 100 for value in [card.overall, *dimension_scores])


@PROPERTY_SETTINGS
@given(scenarios())
def test_it_keeps_gaps_and_shares_in_range(scenario):
    card = score(*scenario)
    shares = (
        card.confidence.answered_share,
        card.confidence.evidence_share,
        card.confidence.verified_share,
    )
    assert all(0 <= d.gap <= 100 for d in card.dimensions)
    assert all(0 <= share <= 1 for share in shares)


@PROPERTY_SETTINGS
@given(st.data())
def test_it_keeps_every_question_score_between_0_and_100(data):
    question = data.draw(question_shapes("Q"))
    value = data.draw(valid_values(question) | junk)
    points = question_score(question, value)
    assert points is None or 0 <= points <= 100


@PROPERTY_SETTINGS
@given(st.data())
def test_it_never_lowers_a_dimension_when_one_answer_scores_higher(data):
    definition = data.draw(definitions())
    candidates = non_trigger_questions(definition)
    assume(candidates)
    question = data.draw(st.sampled_from(candidates))
    answers = data.draw(answer_sets(definition))
    low, high = sorted(
        (data.draw(valid_values(question)) for _ in range(2)),
        key=lambda value: question_score(question, value) or 0.0,  # valid: never None
    )
    before = score(definition, answers | {question.code: AnswerInput(question.code, low)})
    after = score(definition, answers | {question.code: AnswerInput(question.code, high)})
    dimension = question.dimension
    assert (after.dimension(dimension).score or 0) >= (before.dimension(dimension).score or 0)


@PROPERTY_SETTINGS
@given(scenarios(), st.randoms(use_true_random=False))
def test_it_ignores_the_order_of_answers(scenario, rng: random.Random):
    definition, answers, goals = scenario
    shuffled = list(answers.items())
    rng.shuffle(shuffled)
    assert score(definition, dict(shuffled), goals) == score(definition, answers, goals)


@PROPERTY_SETTINGS
@given(scenarios())
def test_it_gives_the_same_card_for_the_same_input(scenario):
    first, second = score(*scenario), score(*scenario)
    assert first == second and first.to_dict() == second.to_dict()


@PROPERTY_SETTINGS
@given(scenarios())
def test_it_reaches_exactly_the_level_the_gates_allow(scenario):
    definition, answers, goals = scenario
    card = score(definition, answers, goals)
    assert card.level == allowed_level(definition, card, answers)
    assert card.level <= card.uncapped_level


@PROPERTY_SETTINGS
@given(st.data())
def test_it_keeps_other_dimensions_when_a_question_becomes_not_applicable(data):
    definition = data.draw(definitions())
    optional = [q for q in definition.questions.values() if q.allow_na]
    assume(optional)
    question = data.draw(st.sampled_from(optional))
    answers = data.draw(answer_sets(definition))
    before = score(definition, answers)
    after = score(definition, answers | {question.code: AnswerInput(question.code, None, True)})
    others = [d.code for d in definition.dimensions if d.code != question.dimension]
    assert [after.dimension(c) for c in others] == [before.dimension(c) for c in others]


@PROPERTY_SETTINGS
@given(st.data())
def test_it_never_raises_on_junk_answers(data):
    definition = data.draw(definitions())
    answers = {
        code: AnswerInput(code, data.draw(junk), data.draw(st.booleans()))
        for code in definition.questions
    }
    assert isinstance(score(definition, answers), ScoreCard)


@PROPERTY_SETTINGS
@given(scenarios())
def test_it_round_trips_every_card_through_strict_json(scenario):
    card = score(*scenario)
    stored = json.dumps(card.to_dict(), allow_nan=False)
    assert ScoreCard.from_dict(json.loads(stored)) == card


@PROPERTY_SETTINGS
@given(st.data())
def test_it_agrees_on_visibility_question_by_question_and_for_all(data):
    definition = data.draw(definitions())
    answers = data.draw(answer_sets(definition))
    one_by_one = [code for code in definition.questions if is_visible(definition, code, answers)]
    assert one_by_one == [question.code for question in visible_questions(definition, answers)]


@PROPERTY_SETTINGS
@given(st.data())
def test_it_follows_the_format_on_visibility(data):
    definition = data.draw(definitions())
    answers = data.draw(answer_sets(definition))
    expected = [code for code in definition.questions if shown(definition, code, answers)]
    assert [question.code for question in visible_questions(definition, answers)] == expected
