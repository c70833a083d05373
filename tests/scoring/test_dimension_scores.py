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
    assert score(sample, answers).dimension("PRO").score == 30.0  # 3 × 40 / (3 + 1)


def test_it_counts_not_applicable_as_unanswered_where_not_allowed(sample, build):
    answers = build.answers(AnswerInput("PRO-03", "yes", not_applicable=True), PRO_01=2)
    assert score(sample, answers).dimension("PRO").score == 55.0  # (3 × 40 + 1 × 100) / 4


def test_it_leaves_hidden_questions_out_of_the_denominator(sample, build):
    answers = build.answers(PRO_01=2, PRO_02=["a", "b", "c"], PRO_03="no", PRO_04=5)
    assert score(sample, answers).dimension("PRO").score == 44.0  # (120 + 100 + 0) / 5


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
