"""The score card as stored data: versions, JSON round trip, determinism."""

from __future__ import annotations

import json

import pytest

from diagnosis.scoring import SCORING_VERSION, AnswerInput, GoalInput, ScoreCard, score


@pytest.fixture
def full_card(sample, build) -> ScoreCard:
    """A card with limits, priorities, recommendations, warnings and a None score."""
    answers = build.answers(
        AnswerInput("STR-01", 4, has_evidence=True, verified=True),
        AnswerInput("SEC-02", not_applicable=True),
        PRO_01=4,
        PRO_02=["b", "c"],
        PRO_03="partial",
        PRO_04=3,
        STR_02="no",
        STR_03="一个五年规划 and a plan",
    )
    goals = {"SEC": GoalInput(target_level=4, relevance=5), "PRO": GoalInput(5, 2)}
    return score(sample, answers, goals)


def test_it_records_the_definition_and_scoring_versions(full_card):
    stamp = (full_card.definition_code, full_card.definition_version, full_card.scoring_version)
    assert stamp == ("test", 1, SCORING_VERSION)


def test_it_has_a_scoring_version_string():
    assert SCORING_VERSION == "1.1"


def test_it_round_trips_through_a_dict(full_card):
    assert ScoreCard.from_dict(full_card.to_dict()) == full_card


def test_it_round_trips_through_json(full_card):
    stored = json.loads(json.dumps(full_card.to_dict(), ensure_ascii=False))
    assert ScoreCard.from_dict(stored) == full_card


def test_it_produces_plain_json_data(full_card):
    data = full_card.to_dict()
    assert json.loads(json.dumps(data)) == data


def test_it_exercises_every_part_of_the_card(full_card):
    parts = (
        full_card.limiting,
        full_card.priorities,
        full_card.recommendations,
        full_card.warnings,
    )
    assert all(parts) and full_card.dimension("SEC").score is None


def test_it_finds_a_dimension_by_code(full_card):
    assert full_card.dimension("PRO").code == "PRO"


def test_it_raises_for_an_unknown_dimension(full_card):
    with pytest.raises(KeyError):
        full_card.dimension("NOPE")


def test_it_ignores_answers_to_unknown_questions(sample, build):
    answers = build.answers(STR_01=3)
    assert score(sample, answers | build.answers(ZZZ_01=5)) == score(sample, answers)


def test_it_gives_the_same_card_for_an_equal_definition_object(sample, build):
    rebuilt = build.definition(
        *sample.dimensions,
        levels=sample.levels,
        recommendations=sample.recommendations,
        consistency=sample.consistency,
    )
    answers = build.answers(STR_01=3, PRO_01=4, SEC_01=1)
    assert score(rebuilt, answers) == score(sample, answers)
