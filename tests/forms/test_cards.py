"""The question cards written in Python (forms/cards.py) show what Django's widgets show."""

import pytest

from diagnosis.forms.answers import AnswerForm
from diagnosis.forms.cards import widget_html
from diagnosis.scoring.definition import QuestionType

VALUES = ["", "0", "12.5", "<b>\"x\" & 'y'</b>", "csrf-token-of-this-request", "第一稿\n第二行"]


def questions_of(questionnaire, *types):
    return [q for q in questionnaire.definition.questions.values() if q.type in types]


@pytest.mark.parametrize("value", VALUES)
def test_it_writes_number_and_text_inputs_as_django_does(questionnaire, value):
    for question in questions_of(questionnaire, QuestionType.KPI, QuestionType.TEXT):
        code = question.code
        for form in (
            AnswerForm(question, initial={"value": value, "rev": 0}),
            AnswerForm(question, data={f"q-{code}-value": value, f"q-{code}-rev": "0"}),
        ):
            if form.is_bound and not form.is_valid():
                continue  # a field with errors is rendered by Django itself
            assert widget_html(form["value"], question) == str(form["value"])


@pytest.mark.parametrize("not_applicable", [True, False, None])
def test_it_writes_the_not_applicable_box_as_django_does(questionnaire, not_applicable):
    questions = [q for q in questionnaire.definition.questions.values() if q.allow_na]
    assert questions
    for question in questions:
        form = AnswerForm(question, initial={"na": not_applicable, "rev": 0})
        assert widget_html(form["na"], question) == str(form["na"])
        data = {f"q-{question.code}-rev": "0"} | (
            {f"q-{question.code}-na": "on"} if not_applicable else {}
        )
        bound = AnswerForm(question, data=data)
        assert widget_html(bound["na"], question) == str(bound["na"])


def test_it_leaves_disabled_and_invalid_fields_to_django(questionnaire):
    question = questions_of(questionnaire, QuestionType.KPI)[0]
    form = AnswerForm(
        question, data={f"q-{question.code}-value": "abc", f"q-{question.code}-rev": "0"}
    )
    assert not form.is_valid()
    assert widget_html(form["value"], question) == str(form["value"])
    assert 'aria-invalid="true"' in widget_html(form["value"], question)
    form = AnswerForm(question, initial={"value": "3", "rev": 0})
    form.fields["value"].disabled = True
    assert " disabled" in widget_html(form["value"], question)
