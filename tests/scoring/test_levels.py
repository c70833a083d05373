"""The gated overall level and what limits it.

``sample`` levels: 1 (0), 2 (20), 3 (40, critical floor 30, SEC ≥ 40),
4 (60, floor 50, question SEC-01 ≥ 60), 5 (80, floor 70). PRO and SEC are critical.
"""

from __future__ import annotations

from diagnosis.scoring import AnswerInput, Limit, score

TOP_STR = {"STR-01": AnswerInput("STR-01", 5), "STR-02": AnswerInput("STR-02", "yes")}
TOP_PRO = {
    "PRO-01": AnswerInput("PRO-01", 5),
    "PRO-02": AnswerInput("PRO-02", ["a", "b", "c"]),
    "PRO-03": AnswerInput("PRO-03", "yes"),
    "PRO-04": AnswerInput("PRO-04", 5),
}
TOP_SEC = {"SEC-01": AnswerInput("SEC-01", 5), "SEC-02": AnswerInput("SEC-02", 100)}


def sec(level: int | None, kpi: float) -> dict[str, AnswerInput]:
    """Return SEC answers; level None leaves SEC-01 unanswered."""
    answers = {"SEC-02": AnswerInput("SEC-02", kpi)}
    if level is not None:
        answers["SEC-01"] = AnswerInput("SEC-01", level)
    return answers


def test_it_reaches_the_top_level_with_top_answers(sample):
    card = score(sample, TOP_STR | TOP_PRO | TOP_SEC)
    assert (card.level, card.limiting) == (5, ())


def test_it_caps_the_level_at_a_failed_critical_floor(sample):
    weak_production = {
        "PRO-01": AnswerInput("PRO-01", 1),
        "PRO-02": AnswerInput("PRO-02", ["a"]),
        "PRO-03": AnswerInput("PRO-03", "no"),
    }  # (3 × 20 + 25 + 0) / 5 = 17
    card = score(sample, TOP_STR | weak_production | TOP_SEC)  # overall 58.5
    assert (card.uncapped_level, card.level) == (3, 2)


def test_it_names_the_critical_dimension_below_its_floor(sample):
    weak_production = {"PRO-01": AnswerInput("PRO-01", 1), "PRO-03": AnswerInput("PRO-03", "no")}
    card = score(sample, TOP_STR | weak_production | TOP_SEC)  # PRO (60 + 0 + 0) / 6 = 10
    assert card.limiting == (Limit(3, "critical_floor", "PRO", 30.0, 10.0),)


def test_it_caps_the_level_at_a_failed_dimension_gate(sample):
    card = score(sample, TOP_STR | TOP_PRO | sec(1, 20))  # SEC (20 + 40) / 2 = 30
    assert (card.level, card.limiting) == (2, (Limit(3, "dimension", "SEC", 40.0, 30.0),))


def test_it_lists_every_failed_requirement_of_the_next_level_floors_first(sample):
    card = score(sample, TOP_STR | TOP_PRO | sec(0, 0))
    assert card.limiting == (
        Limit(3, "critical_floor", "SEC", 30.0, 0.0),
        Limit(3, "dimension", "SEC", 40.0, 0.0),
    )


def test_it_caps_the_level_at_a_failed_question_gate(sample):
    card = score(sample, TOP_STR | TOP_PRO | sec(2, 100))  # SEC-01 scores 40
    assert (card.level, card.limiting) == (3, (Limit(4, "question", "SEC-01", 60.0, 40.0),))


def test_it_counts_an_unanswered_gated_question_as_zero(sample):
    card = score(sample, TOP_STR | TOP_PRO | sec(None, 100))
    assert card.limiting == (Limit(4, "question", "SEC-01", 60.0, 0.0),)


def test_it_counts_a_hidden_gated_question_as_zero(sample, build):
    levels = build.levels({2: [build.gate(10, question="PRO-04")]})
    definition = build.definition(*sample.dimensions, levels=levels)
    answers = TOP_STR | TOP_PRO | TOP_SEC | build.answers(PRO_03="no")
    assert score(definition, answers).limiting == (Limit(2, "question", "PRO-04", 10.0, 0.0),)


def test_it_counts_a_not_applicable_gated_question_as_zero(sample, build):
    levels = build.levels({2: [build.gate(10, question="SEC-02")]})
    definition = build.definition(*sample.dimensions, levels=levels)
    answers = TOP_STR | TOP_PRO | TOP_SEC | {"SEC-02": AnswerInput("SEC-02", not_applicable=True)}
    assert score(definition, answers).limiting == (Limit(2, "question", "SEC-02", 10.0, 0.0),)


def test_it_counts_an_unscored_critical_dimension_as_zero(sample):
    card = score(sample, TOP_STR | TOP_PRO)
    assert (card.overall, card.level) == (100.0, 2)


def test_it_requires_every_lower_level(sample, build):
    levels = build.levels({3: [build.gate(90, dimension="STR")]})
    definition = build.definition(*sample.dimensions, levels=levels)
    answers = TOP_PRO | TOP_SEC | build.answers(STR_01=4, STR_02="yes")  # STR 86.7
    assert score(definition, answers).level == 2


def test_it_leaves_limiting_empty_when_only_the_overall_index_falls_short(build):
    definition = build.definition(build.dimension("A", build.level_question("A-01")))
    card = score(definition, build.answers(A_01=3))  # 60: level 4; level 5 needs 80
    assert (card.level, card.limiting) == (4, ())


def test_it_always_grants_the_first_level(build):
    levels = (build.level(1, 0, critical_floor=50), build.level(2, 20))
    definition = build.definition(
        build.dimension("A", build.level_question("A-01"), critical=True), levels=levels
    )
    assert score(definition, build.answers(A_01=0)).level == 1
