"""Whether a question counts as answered."""

from __future__ import annotations

from diagnosis.scoring import AnswerInput, is_answered


def test_it_treats_a_missing_answer_as_unanswered(build):
    assert not is_answered(build.level_question("Q"), None)


def test_it_counts_a_zero_score_as_answered(build):
    assert is_answered(build.level_question("Q"), AnswerInput("Q", 0))


def test_it_counts_not_applicable_where_allowed(build):
    question = build.level_question("Q", allow_na=True)
    assert is_answered(question, AnswerInput("Q", not_applicable=True))


def test_it_ignores_not_applicable_where_not_allowed(build):
    question = build.level_question("Q")
    assert not is_answered(question, AnswerInput("Q", not_applicable=True))


def test_it_treats_an_invalid_value_as_unanswered(build):
    assert not is_answered(build.choice_question("Q"), AnswerInput("Q", "maybe"))


def test_it_counts_text_as_answered(build):
    assert is_answered(build.text_question("Q"), AnswerInput("Q", "SAP since 2019"))


def test_it_treats_blank_text_as_unanswered(build):
    assert not is_answered(build.text_question("Q"), AnswerInput("Q", "  \n"))
