"""Dimension scores: weighted means over the answered, visible, applicable questions.

In ``sample``: STR-01 weighs 2, STR-02 1; PRO-01 3, PRO-02 1, PRO-03 1, PRO-04 2.
"""

from __future__ import annotations

from diagnosis.scoring import AnswerInput, score


def test_it_weights_question_scores_within_a_dimension(sample, build):
    card = score(sample, build.answers(STR_01=3, STR_02="partial"))
    assert card.dimension("STR").score == 56.7  # (2 × 60 + 1 × 50) / 3


def test_it_leaves_not_applicable_out_of_the_denominator(sample, build):
    answers = build.answers(AnswerInput("PRO-02", not_applicable=True), PRO_01=2, PRO_03="no")
    # PRO-04, hidden by "no", counts at its lowest score: 3 × 40 / (3 + 1 + 2)
    assert score(sample, answers).dimension("PRO").score == 20.0


def test_it_counts_not_applicable_as_unanswered_where_not_allowed(sample, build):
    answers = build.answers(AnswerInput("PRO-03", "yes", not_applicable=True), PRO_01=2)
    assert score(sample, answers).dimension("PRO").score == 55.0  # (3 × 40 + 1 × 100) / 4


def test_it_counts_a_follow_up_denied_by_its_trigger_at_its_lowest_score(sample, build):
    answers = build.answers(PRO_01=2, PRO_02=["a", "b", "c"], PRO_03="no", PRO_04=5)
    assert score(sample, answers).dimension("PRO").score == 31.4  # (120 + 100 + 0 + 0) / 7


def test_it_counts_a_denied_follow_up_at_its_lowest_option_score(build):
    follow_up = build.level_question(
        "A-02",
        weight=2,
        scores=(10, 20, 40, 60, 80, 100),
        depends_on=build.depends_on("A-01", "yes"),
    )
    definition = build.definition(build.dimension("A", build.choice_question("A-01"), follow_up))
    card = score(definition, build.answers(A_01="no"))
    assert card.dimension("A").score == 6.7  # (0 + 2 × 10) / 3
    assert (card.dimension("A").answered, card.dimension("A").applicable) == (1, 1)


def test_it_counts_a_follow_up_under_a_denied_trigger_as_denied(build):
    definition = build.definition(
        build.dimension(
            "A",
            build.choice_question("A-01", weight=2),
            build.level_question("A-02", depends_on=build.depends_on("A-01", "yes")),
            build.level_question(
                "A-03", scores=(30, 40, 50, 60, 70, 80), depends_on=build.depends_on("A-02", 4, 5)
            ),
        )
    )
    assert score(definition, build.answers(A_01="no")).dimension("A").score == 7.5  # 30 / 4


def test_it_leaves_a_follow_up_out_while_its_trigger_is_unanswered_or_not_applicable(build):
    definition = build.definition(
        build.dimension(
            "A",
            build.choice_question("A-01", allow_na=True),
            build.level_question("A-02", weight=5, depends_on=build.depends_on("A-01", "yes")),
            build.level_question("A-03"),
        )
    )
    unanswered = score(definition, build.answers(A_03=3))
    not_applicable = score(definition, build.answers(AnswerInput("A-01", None, True), A_03=3))
    assert unanswered.dimension("A").score == not_applicable.dimension("A").score == 60.0


def test_it_counts_a_dependent_question_once_it_is_shown(sample, build):
    answers = build.answers(PRO_01=2, PRO_02=["a", "b", "c"], PRO_03="yes", PRO_04=5)
    assert score(sample, answers).dimension("PRO").score == 74.3  # (120 + 100 + 100 + 200) / 7


def test_it_leaves_text_out_of_the_score(sample, build):
    without_text = score(sample, build.answers(STR_01=3))
    with_text = score(sample, build.answers(STR_01=3, STR_03="a five-year plan"))
    assert with_text.dimension("STR") == without_text.dimension("STR")


def test_it_ignores_an_invalid_value(sample, build):
    card = score(sample, build.answers(STR_01="3", STR_02="partial"))
    assert card.dimension("STR").score == 50.0


def test_it_scores_a_dimension_without_applicable_answers_as_none(sample, build):
    card = score(sample, build.answers(STR_01=5))
    assert card.dimension("SEC").score is None


def test_it_puts_an_unscored_dimension_at_level_one(sample, build):
    card = score(sample, build.answers(STR_01=5))
    assert card.dimension("SEC").level == 1


def test_it_counts_answered_and_applicable_questions(sample, build):
    card = score(sample, build.answers(PRO_01=2, PRO_03="no", PRO_04=5))
    production = card.dimension("PRO")
    assert (production.answered, production.applicable) == (2, 3)


def test_it_bands_a_dimension_level_by_min_score_alone(sample, build):
    card = score(sample, build.answers(SEC_01=2, SEC_02=50))  # (40 + 70) / 2 = 55
    assert card.dimension("SEC").level == 3


def test_it_reports_the_dimension_weight(sample):
    assert score(sample, {}).dimension("PRO").weight == 3.0
