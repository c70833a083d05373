"""Confidence: answered, evidenced and verified shares of the applicable questions.

With PRO-03 unanswered, ``sample`` asks 7 scored questions (PRO-04 hidden, STR-03 text).
"""

from __future__ import annotations

from diagnosis.scoring import AnswerInput, Confidence, score


def test_it_measures_the_answered_share(sample, build):
    card = score(sample, build.answers(STR_01=3, SEC_01=2))
    assert card.confidence.answered_share == 0.2857  # 2 / 7


def test_it_measures_evidence_and_verification_over_the_applicable_questions(sample):
    answers = {
        "STR-01": AnswerInput("STR-01", 3, has_evidence=True, verified=True),
        "STR-02": AnswerInput("STR-02", "yes", has_evidence=True),
    }
    assert score(sample, answers).confidence == Confidence(0.2857, 0.2857, 0.1429)


def test_it_ignores_evidence_on_an_unanswered_question(sample):
    answers = {"STR-01": AnswerInput("STR-01", None, has_evidence=True, verified=True)}
    assert score(sample, answers).confidence == Confidence(0.0, 0.0, 0.0)


def test_it_leaves_hidden_and_not_applicable_questions_out(sample, build):
    answers = build.answers(
        AnswerInput("PRO-02", not_applicable=True),
        AnswerInput("SEC-02", not_applicable=True),
        STR_01=3,
        PRO_03="no",
    )
    assert score(sample, answers).confidence.answered_share == 0.4  # 2 / 5


def test_it_leaves_text_questions_out(build):
    definition = build.definition(
        build.dimension("A", build.level_question("A-01"), build.text_question("A-02"))
    )
    assert score(definition, build.answers(A_01=3)).confidence.answered_share == 1.0


def test_it_reports_zero_confidence_with_nothing_applicable(build):
    definition = build.definition(build.dimension("A", build.level_question("A-01", allow_na=True)))
    answers = {"A-01": AnswerInput("A-01", not_applicable=True)}
    assert score(definition, answers).confidence == Confidence(0.0, 0.0, 0.0)
