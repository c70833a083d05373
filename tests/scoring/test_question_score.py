"""Scoring one answer: every answer type, and invalid values."""

from __future__ import annotations

import math
from decimal import Decimal
from typing import Any

import pytest

from diagnosis.scoring import question_score


def test_it_scores_a_level_answer_by_its_option(build):
    question = build.level_question("Q", scores=(0, 10, 30, 55, 80, 100))
    assert question_score(question, 3) == 55


def test_it_scores_a_choice_answer_by_its_option(build):
    assert question_score(build.choice_question("Q"), "partial") == 50


def test_it_scores_a_checklist_by_the_ticked_share_of_weight(build):
    question = build.checklist_question("Q", items={"a": 1, "b": 1, "c": 2})
    assert question_score(question, ["a", "c"]) == 75


def test_it_scores_an_empty_checklist_as_zero(build):
    assert question_score(build.checklist_question("Q"), []) == 0


def test_it_counts_a_ticked_item_once(build):
    question = build.checklist_question("Q", items={"a": 1, "b": 1, "c": 2})
    assert question_score(question, ["c", "c"]) == 50


def test_it_scores_a_kpi_by_the_last_band_starting_at_or_below_the_value(build):
    question = build.kpi_question("Q", bands=((0, 0), (20, 40), (50, 70), (80, 100)))
    assert question_score(question, 49.9) == 40


def test_it_scores_a_kpi_on_a_band_start_with_that_band(build):
    question = build.kpi_question("Q", bands=((0, 0), (20, 40), (50, 70), (80, 100)))
    assert question_score(question, 50) == 70


def test_it_scores_a_kpi_whose_bands_fall_as_the_value_rises(build):
    question = build.kpi_question("Q", bands=((0, 100), (5, 50), (10, 0)))
    assert question_score(question, 7) == 50


def test_it_accepts_a_decimal_kpi_value(build):
    assert question_score(build.kpi_question("Q"), Decimal("55")) == 70


def test_it_does_not_score_text(build):
    assert question_score(build.text_question("Q"), "we use ERP") is None


INVALID_VALUES: list[tuple[str, Any]] = [
    ("level", "3"),
    ("level", 3.0),
    ("level", True),
    ("level", 6),
    ("level", None),
    ("level", [3]),
    ("choice", "maybe"),
    ("choice", ["yes"]),
    ("checklist", "a"),
    ("checklist", ["a", "z"]),
    ("checklist", [1]),
    ("checklist", {"a": True}),
    ("kpi", -1),
    ("kpi", 100.5),
    ("kpi", "50"),
    ("kpi", math.nan),
    ("kpi", math.inf),
    ("kpi", False),
    ("kpi", 10**400),
    ("kpi", Decimal("sNaN")),
]


@pytest.mark.parametrize(("kind", "value"), INVALID_VALUES)
def test_it_gives_no_score_for_an_invalid_value(build, kind, value):
    question = getattr(build, f"{kind}_question")("Q")
    assert question_score(question, value) is None
