"""Targets, gaps and priorities.

Dimensions A (weight 1), B (weight 2), C (weight 1), one level question each; levels'
min scores are 0/20/40/60/80.
"""

from __future__ import annotations

import pytest

from diagnosis.scoring import GoalInput, Priority, score
from diagnosis.scoring.definition import Definition


@pytest.fixture
def three(build) -> Definition:
    return build.definition(
        build.dimension("A", build.level_question("A-01"), weight=1),
        build.dimension("B", build.level_question("B-01"), weight=2),
        build.dimension("C", build.level_question("C-01"), weight=1),
    )


@pytest.fixture
def answers(build):
    return build.answers(A_01=1, B_01=2, C_01=4)  # A 20, B 40, C 80


def test_it_sets_the_target_score_from_the_target_level(three, answers):
    card = score(three, answers, {"A": GoalInput(target_level=4)})
    assert (card.dimension("A").target_score, card.dimension("A").gap) == (60.0, 40.0)


def test_it_never_reports_a_negative_gap(three, answers):
    card = score(three, answers, {"C": GoalInput(target_level=3)})
    assert card.dimension("C").gap == 0.0


def test_it_leaves_the_gap_at_zero_without_a_target(three, answers):
    card = score(three, answers, {"A": GoalInput(relevance=5)})
    assert (card.dimension("A").target_score, card.dimension("A").gap) == (None, 0.0)


def test_it_counts_an_unscored_dimension_as_zero_for_its_gap(three, build):
    card = score(three, build.answers(B_01=2), {"A": GoalInput(target_level=2)})
    assert card.dimension("A").gap == 20.0


def test_it_ignores_an_unknown_target_level(three, answers):
    card = score(three, answers, {"A": GoalInput(target_level=9)})
    assert (card.dimension("A").target_score, card.dimension("A").gap) == (None, 0.0)


def test_it_ranks_priorities_by_gap_times_weight_times_relevance(three, answers):
    goals = {
        "A": GoalInput(target_level=4, relevance=3),  # 40 × 1 × 3 = 120
        "B": GoalInput(target_level=4, relevance=5),  # 20 × 2 × 5 = 200
    }
    assert score(three, answers, goals).priorities == (
        Priority(rank=1, dimension="B", gap=20.0, weight=2.0, relevance=5, value=200.0),
        Priority(rank=2, dimension="A", gap=40.0, weight=1.0, relevance=3, value=120.0),
    )


def test_it_breaks_priority_ties_by_dimension_order(three, answers):
    goals = {
        "B": GoalInput(target_level=4, relevance=2),  # 20 × 2 × 2 = 80
        "A": GoalInput(target_level=4, relevance=2),  # 40 × 1 × 2 = 80
    }
    ranked = [priority.dimension for priority in score(three, answers, goals).priorities]
    assert ranked == ["A", "B"]


def test_it_leaves_dimensions_without_a_gap_out_of_priorities(three, answers):
    goals = {"A": GoalInput(target_level=3), "C": GoalInput(target_level=3)}
    ranked = [priority.dimension for priority in score(three, answers, goals).priorities]
    assert ranked == ["A"]


def test_it_defaults_relevance_to_three(three, answers):
    assert score(three, answers).dimension("A").relevance == 3


def test_it_clamps_relevance_to_one_to_five(three, answers):
    card = score(three, answers, {"A": GoalInput(relevance=9), "B": GoalInput(relevance=0)})
    assert (card.dimension("A").relevance, card.dimension("B").relevance) == (5, 1)


def test_it_ignores_goals_for_unknown_dimensions(three, answers):
    card = score(three, answers, {"ZZZ": GoalInput(target_level=5)})
    assert card == score(three, answers)
