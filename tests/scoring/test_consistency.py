"""Consistency rules.

``sample`` rules: C-MES fires when PRO-01 is 4 or 5 and SEC-01 at most 1; C-CHK when
PRO-02 ticks c and STR-02 is no.
"""

from __future__ import annotations

from diagnosis.scoring import AnswerInput, ConsistencyWarning, score


def codes(card) -> list[str]:
    return [warning.code for warning in card.warnings]


def test_it_warns_when_every_condition_holds(sample, build):
    card = score(sample, build.answers(PRO_01=4, SEC_01=1))
    rule = sample.consistency[0]
    assert card.warnings == (ConsistencyWarning("C-MES", rule.message, ("PRO-01", "SEC-01")),)


def test_it_stays_silent_when_one_condition_fails(sample, build):
    assert codes(score(sample, build.answers(PRO_01=4, SEC_01=2))) == []


def test_it_treats_a_condition_on_an_unanswered_question_as_false(sample, build):
    assert codes(score(sample, build.answers(PRO_01=5))) == []


def test_it_treats_a_condition_on_an_invalid_answer_as_false(sample, build):
    assert codes(score(sample, build.answers(PRO_01=5, SEC_01="1"))) == []


def test_it_checks_a_ticked_item(sample, build):
    assert codes(score(sample, build.answers(PRO_02=["c"], STR_02="no"))) == ["C-CHK"]


def test_it_treats_a_condition_on_a_not_applicable_question_as_false(build, sample):
    rule = build.rule(
        "C-NONE", build.condition("PRO-02", excludes="a"), build.condition("STR-02", in_=("no",))
    )
    definition = build.definition(*sample.dimensions, consistency=[rule])
    answers = build.answers(AnswerInput("PRO-02", ["c"], not_applicable=True), STR_02="no")
    assert codes(score(definition, answers)) == []


def test_it_checks_an_unticked_item(build, sample):
    rule = build.rule(
        "C-NONE", build.condition("PRO-02", excludes="a"), build.condition("STR-02", in_=("no",))
    )
    definition = build.definition(*sample.dimensions, consistency=[rule])
    assert codes(score(definition, build.answers(PRO_02=["c"], STR_02="no"))) == ["C-NONE"]


def test_it_treats_a_condition_on_a_hidden_question_as_false(build, sample):
    rule = build.rule(
        "C-HIDDEN", build.condition("PRO-04", min=4), build.condition("PRO-01", max=5)
    )
    definition = build.definition(*sample.dimensions, consistency=[rule])
    answers = build.answers(PRO_01=1, PRO_03="no", PRO_04=5)
    assert codes(score(definition, answers)) == []


def test_it_treats_min_and_max_as_inclusive(build, sample):
    rule = build.rule("C-EDGE", build.condition("SEC-01", min=2), build.condition("SEC-02", max=30))
    definition = build.definition(*sample.dimensions, consistency=[rule])
    assert codes(score(definition, build.answers(SEC_01=2, SEC_02=30))) == ["C-EDGE"]


def test_it_checks_not_in(build, sample):
    rule = build.rule(
        "C-NOT", build.condition("STR-02", not_in=("yes",)), build.condition("PRO-03", in_=("yes",))
    )
    definition = build.definition(*sample.dimensions, consistency=[rule])
    assert codes(score(definition, build.answers(STR_02="partial", PRO_03="yes"))) == ["C-NOT"]


def test_it_lists_warnings_in_file_order(sample, build):
    answers = build.answers(PRO_01=4, SEC_01=0, PRO_02=["c"], STR_02="no")
    assert codes(score(sample, answers)) == ["C-MES", "C-CHK"]
