"""Properties of the engine over generated definitions and answers (hypothesis).

Generated dependencies stay within a dimension, so an answer can only move its own
dimension's score.
"""

from __future__ import annotations

import dataclasses
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
# Drawing a whole definition with answers takes hypothesis ~20 ms, scoring it well under
# one: 50 scenarios per property (half hypothesis' default) halve this file's time, and
# every run draws new ones (failures are replayed from the example database).
PROPERTY_SETTINGS = settings(
    max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
scores = st.integers(min_value=0, max_value=100)
weights = st.sampled_from([0.5, 1, 2, 3, 5])

# ---------------------------------------------------------------- definitions


def options_for(values: list[Any], points: list[int]) -> tuple[OptionSpec, ...]:
    return tuple(
        OptionSpec(value, earned, LABEL) for value, earned in zip(values, points, strict=True)
    )


@st.composite
def level_questions(draw: st.DrawFn, code: str) -> QuestionSpec:
    points = sorted(draw(st.lists(scores, min_size=6, max_size=6)))
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
    values = draw(
        st.lists(
            st.sampled_from(["yes", "partial", "no", "better", "worse"]),
            min_size=2,
            max_size=4,
            unique=True,
        )
    )
    points = draw(st.lists(scores, min_size=len(values), max_size=len(values)))
    return QuestionSpec(
        code, "", QuestionType.CHOICE, draw(weights), LABEL, options=options_for(values, points)
    )


@st.composite
def checklist_questions(draw: st.DrawFn, code: str) -> QuestionSpec:
    codes = draw(st.lists(st.sampled_from("abcde"), min_size=1, max_size=4, unique=True))
    items = tuple(ChecklistItem(item, draw(weights), LABEL) for item in codes)
    return QuestionSpec(code, "", QuestionType.CHECKLIST, draw(weights), LABEL, items=items)


@st.composite
def kpi_questions(draw: st.DrawFn, code: str) -> QuestionSpec:
    starts = [0, *sorted(draw(st.sets(st.integers(1, 100), max_size=4)))]
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


@st.composite
def questions(
    draw: st.DrawFn, code: str, dimension: str, earlier: list[QuestionSpec]
) -> QuestionSpec:
    question = draw(st.sampled_from(QUESTION_KINDS).flatmap(lambda kind: kind(code)))
    triggers = [q for q in earlier if q.type in (QuestionType.LEVEL, QuestionType.CHOICE)]
    depends_on = None
    if bool(triggers) and draw(st.booleans()):
        trigger = draw(st.sampled_from(triggers))
        values = draw(
            st.lists(st.sampled_from([o.value for o in trigger.options]), min_size=1, unique=True)
        )
        depends_on = Dependency(trigger.code, tuple(values))
    return dataclasses.replace(
        question, dimension=dimension, allow_na=draw(st.booleans()), depends_on=depends_on
    )


@st.composite
def dimensions(draw: st.DrawFn, code: str) -> DimensionSpec:
    held: list[QuestionSpec] = []
    for index in range(draw(st.integers(1, 5))):
        held.append(draw(questions(f"{code}-{index:02d}", code, held)))
    return DimensionSpec(code, draw(weights), draw(st.booleans()), LABEL, LABEL, tuple(held))


@st.composite
def levels(draw: st.DrawFn, held: list[DimensionSpec]) -> tuple[Level, ...]:
    count = draw(st.integers(2, 5))
    min_scores = [
        0,
        *sorted(draw(st.sets(st.integers(1, 95), min_size=count - 1, max_size=count - 1))),
    ]
    floors = sorted(draw(st.lists(st.integers(0, 80), min_size=count, max_size=count)))
    codes = [q.code for d in held for q in d.questions]
    gates = st.one_of(
        st.builds(Gate, min_score=scores, dimension=st.sampled_from([d.code for d in held])),
        st.builds(Gate, min_score=scores, question=st.sampled_from(codes)),
    )
    return tuple(
        Level(number, LABEL, LABEL, min_score, floor, tuple(draw(st.lists(gates, max_size=2))))
        for number, (min_score, floor) in enumerate(zip(min_scores, floors, strict=True), 1)
    )


@st.composite
def definitions(draw: st.DrawFn) -> Definition:
    held = [draw(dimensions(f"D{index}")) for index in range(draw(st.integers(1, 4)))]
    levels_ = draw(levels(held))
    recommendations = tuple(
        Recommendation(
            d.code, (level.number,), draw(st.sampled_from(list(Horizon))), Effort.LOW, LABEL, LABEL
        )
        for d in held
        for level in levels_
    )
    return Definition("generated", 1, LABEL, LABEL, levels_, tuple(held), recommendations)


# ---------------------------------------------------------------- answers


def valid_values(question: QuestionSpec) -> st.SearchStrategy[Any]:
    if question.type in (QuestionType.LEVEL, QuestionType.CHOICE):
        return st.sampled_from([option.value for option in question.options])
    if question.type == QuestionType.CHECKLIST:
        return st.lists(st.sampled_from([item.code for item in question.items]), unique=True)
    if question.type == QuestionType.KPI:
        return st.floats(min_value=0, max_value=100) | st.integers(0, 100)
    return st.text(min_size=1)


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


@st.composite
def answer_inputs(draw: st.DrawFn, question: QuestionSpec) -> AnswerInput | None:
    kind = draw(st.sampled_from(["missing", "na", "valid", "valid", "valid", "junk"]))
    if kind == "missing":
        return None
    value = draw(junk if kind == "junk" else valid_values(question))
    return AnswerInput(question.code, value, kind == "na", draw(st.booleans()), draw(st.booleans()))


@st.composite
def answer_sets(draw: st.DrawFn, definition: Definition) -> dict[str, AnswerInput]:
    given = {code: draw(answer_inputs(q)) for code, q in definition.questions.items()}
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
    question = data.draw(st.sampled_from(QUESTION_KINDS).flatmap(lambda kind: kind("Q")))
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
