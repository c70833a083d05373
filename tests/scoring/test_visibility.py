"""Which questions are asked: ``depends_on``."""

from __future__ import annotations

import pytest

from diagnosis.scoring import AnswerInput, is_visible, visible_questions


def test_it_shows_a_question_without_dependency(sample):
    assert is_visible(sample, "PRO-03", {})


def test_it_shows_a_dependent_question_when_the_trigger_matches(sample, build):
    assert is_visible(sample, "PRO-04", build.answers(PRO_03="partial"))


def test_it_hides_a_dependent_question_when_the_trigger_does_not_match(sample, build):
    assert not is_visible(sample, "PRO-04", build.answers(PRO_03="no"))


def test_it_hides_a_dependent_question_while_the_trigger_is_unanswered(sample):
    assert not is_visible(sample, "PRO-04", {})


def test_it_hides_a_dependent_question_when_the_trigger_is_invalid(sample, build):
    assert not is_visible(sample, "PRO-04", build.answers(PRO_03=["yes"]))


def test_it_hides_a_dependent_question_when_the_trigger_is_not_applicable(build):
    definition = build.definition(
        build.dimension(
            "A",
            build.choice_question("A-01", allow_na=True),
            build.level_question("A-02", depends_on=build.depends_on("A-01", "yes")),
        )
    )
    answers = {"A-01": AnswerInput("A-01", "yes", not_applicable=True)}
    assert not is_visible(definition, "A-02", answers)


def test_it_hides_a_question_under_a_hidden_trigger(build):
    definition = build.definition(
        build.dimension(
            "A",
            build.choice_question("A-01"),
            build.level_question("A-02", depends_on=build.depends_on("A-01", "yes")),
            build.level_question("A-03", depends_on=build.depends_on("A-02", 4, 5)),
        )
    )
    answers = build.answers(A_01="no", A_02=5)
    assert not is_visible(definition, "A-03", answers)


def test_it_follows_a_dependency_across_dimensions(build):
    definition = build.definition(
        build.dimension("A", build.choice_question("A-01")),
        build.dimension(
            "B", build.level_question("B-01", depends_on=build.depends_on("A-01", "no"))
        ),
    )
    assert is_visible(definition, "B-01", build.answers(A_01="no"))


def test_it_hides_a_question_depending_on_a_later_question(build):
    definition = build.definition(
        build.dimension(
            "A",
            build.level_question("A-01", depends_on=build.depends_on("A-02", "yes")),
            build.choice_question("A-02"),
        )
    )
    assert not is_visible(definition, "A-01", build.answers(A_02="yes"))


def test_it_lists_visible_questions_in_file_order(sample, build):
    codes = [q.code for q in visible_questions(sample, build.answers(PRO_03="yes"))]
    assert codes == [
        "STR-01",
        "STR-02",
        "STR-03",
        "PRO-01",
        "PRO-02",
        "PRO-03",
        "PRO-04",
        "SEC-01",
        "SEC-02",
    ]


def test_it_leaves_hidden_questions_out_of_the_list(sample, build):
    codes = [q.code for q in visible_questions(sample, build.answers(PRO_03="no"))]
    assert "PRO-04" not in codes


def test_it_raises_for_an_unknown_question(sample):
    with pytest.raises(KeyError):
        is_visible(sample, "NOPE-01", {})


def test_it_hides_a_question_depending_on_a_checklist(build):
    definition = build.definition(
        build.dimension(
            "A",
            build.checklist_question("A-01"),
            build.level_question("A-02", depends_on=build.depends_on("A-01", "a")),
        )
    )
    assert not is_visible(definition, "A-02", build.answers(A_01=["a"]))
