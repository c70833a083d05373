"""The overall index: weighted mean of the scored dimensions' scores.

In ``sample`` the dimension weights are STR 2, PRO 3, SEC 1.
"""

from __future__ import annotations

from diagnosis.scoring import AnswerInput, score

STR_56_7 = {"STR-01": AnswerInput("STR-01", 3), "STR-02": AnswerInput("STR-02", "partial")}
PRO_20 = {  # PRO-04 hidden by "no" counts at 0 with its weight 2
    "PRO-01": AnswerInput("PRO-01", 2),
    "PRO-02": AnswerInput("PRO-02", not_applicable=True),
    "PRO-03": AnswerInput("PRO-03", "no"),
}
SEC_55 = {"SEC-01": AnswerInput("SEC-01", 2), "SEC-02": AnswerInput("SEC-02", 50)}


def test_it_weights_dimension_scores_into_the_overall_index(sample):
    card = score(sample, STR_56_7 | PRO_20 | SEC_55)
    assert card.overall == 38.1  # (2 × 56.7 + 3 × 20 + 1 × 55) / 6 = 38.07


def test_it_renormalises_weights_over_the_scored_dimensions(sample):
    card = score(sample, STR_56_7 | SEC_55)
    assert card.overall == 56.1  # (2 × 56.7 + 1 × 55) / 3 = 56.13


def test_it_gives_zero_overall_without_answers(sample):
    assert score(sample, {}).overall == 0.0


def test_it_puts_a_firm_without_answers_at_the_first_level(sample):
    assert score(sample, {}).level == 1


def test_it_sets_the_uncapped_level_from_the_overall_index_alone(sample):
    card = score(sample, STR_56_7 | SEC_55)  # overall 56.1: level 3 needs 40, level 4 60
    assert card.uncapped_level == 3
