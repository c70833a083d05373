"""Recommendations chosen by dimension level, ordered by priority, horizon, file order."""

from __future__ import annotations

import pytest

from diagnosis.scoring import GoalInput, score
from diagnosis.scoring.definition import Definition


@pytest.fixture
def advised(build) -> Definition:
    """A and B, one level question each; A has three rules for levels 1–2, in file order
    later, now, next; B has one rule per band."""
    rule = build.recommendation
    return build.definition(
        build.dimension("A", build.level_question("A-01")),
        build.dimension("B", build.level_question("B-01")),
        recommendations=[
            rule("A", (1, 2), "later", title="A-later"),
            rule("A", (1, 2), "now", title="A-now"),
            rule("B", (1, 2), "now", title="B-low"),
            rule("B", (3,), "next", title="B-mid"),
            rule("B", (4, 5), "later", title="B-high"),
            rule("A", (3, 4, 5), "now", title="A-high"),
            rule("A", (1, 2), "now", title="A-now-2"),
        ],
    )


def titles(card) -> list[str]:
    return [chosen.title.en for chosen in card.recommendations]


def test_it_chooses_the_rules_for_each_dimensions_level(advised, build):
    card = score(advised, build.answers(A_01=5, B_01=4))
    assert titles(card) == ["A-high", "B-high"]


def test_it_orders_by_horizon_then_file_order_within_a_dimension(advised, build):
    card = score(advised, build.answers(A_01=1, B_01=5))
    assert titles(card) == ["A-now", "A-now-2", "A-later", "B-high"]


def test_it_puts_prioritised_dimensions_first_in_rank_order(advised, build):
    card = score(advised, build.answers(A_01=1, B_01=1), {"B": GoalInput(target_level=5)})
    assert titles(card) == ["B-low", "A-now", "A-now-2", "A-later"]


def test_it_gives_the_priority_rank_of_the_dimension(advised, build):
    card = score(advised, build.answers(A_01=5, B_01=2), {"B": GoalInput(target_level=5)})
    assert [chosen.priority_rank for chosen in card.recommendations] == [1, None]


def test_it_records_the_dimension_level_the_rule_was_chosen_for(advised, build):
    card = score(advised, build.answers(A_01=5, B_01=2))  # B scores 40: level 3
    assert [(c.dimension, c.level) for c in card.recommendations] == [("A", 5), ("B", 3)]


def test_it_recommends_for_an_unscored_dimension_at_level_one(advised, build):
    card = score(advised, build.answers(A_01=5))
    assert "B-low" in titles(card)
