"""Answering number questions: a figure with its unit, "not measured", refusals that keep
what was typed, and the computed rate or trend shown beside them."""

import pytest
from django.urls import reverse

from diagnosis.models import Answer
from diagnosis.scoring.definition import NOT_MEASURED
from tests.numbers_world import numbers_answer, numbers_draft


@pytest.fixture
def draft(firm, respondent):
    return numbers_draft(firm, respondent)


def save(client, assessment, code, value="", rev="0", **extra):
    data = {f"q-{code}-value": value, f"q-{code}-rev": rev}
    data |= {f"q-{code}-{name}": v for name, v in extra.items()}
    return client.post(reverse("answer_autosave", args=[assessment.pk, code]), data)


def stored(assessment, code):
    return Answer.objects.get(assessment=assessment, question__code=code)


def page(client, assessment, code="EQP"):
    return client.get(reverse("section", args=[assessment.pk, code]))


def in_english(client):
    client.cookies["django_language"] = "en"


def test_it_shows_a_number_input_with_its_unit_and_a_not_measured_box(client, respondent, draft):
    client.force_login(respondent)
    in_english(client)
    html = page(client, draft).content.decode()
    assert 'type="number" name="q-EQP-01-value"' in html
    assert 'step="1"' in html
    assert '<span class="input-group-text">machines</span>' in html
    assert 'name="q-EQP-01-not_measured"' in html
    assert "Not measured" in html
    assert "q-EQP-01-not_measured," in html  # sent with the autosave


def test_it_saves_a_typed_figure_as_a_number(client, respondent, draft):
    client.force_login(respondent)
    response = save(client, draft, "EQP-01", "1,200")
    assert response.status_code == 200
    assert stored(draft, "EQP-01").value == 1200


def test_it_accepts_full_width_digits(client, respondent, draft):
    client.force_login(respondent)
    assert save(client, draft, "ENE-01", "１２３．５").status_code == 200
    assert stored(draft, "ENE-01").value == 123.5


def test_it_saves_not_measured(client, respondent, draft):
    client.force_login(respondent)
    response = save(client, draft, "EQP-02", not_measured="on")
    assert response.status_code == 200
    assert stored(draft, "EQP-02").value == NOT_MEASURED
    assert (
        'name="q-EQP-02-not_measured" class="form-check-input" id="id_q-EQP-02-not_measured"'
        " checked" in response.content.decode()
    )


def test_it_shows_a_stored_not_measured_ticked_and_the_input_empty(client, respondent, draft):
    numbers_answer(draft, respondent, EQP_01=NOT_MEASURED)
    client.force_login(respondent)
    html = page(client, draft).content.decode()
    assert 'id="id_q-EQP-01-not_measured" checked' in html
    assert 'name="q-EQP-01-value" value=' not in html


@pytest.mark.parametrize(
    ("value", "english", "chinese"),
    [
        ("abc", "Enter a number.", "请输入数字。"),
        ("-3", "Enter a number from 0 to 100000.", "请输入 0 至 100000 之间的数字。"),
        ("12.5", "Enter a whole number.", "请输入整数。"),
    ],
)
def test_it_refuses_a_bad_figure_in_both_languages_and_keeps_what_was_typed(
    client, respondent, draft, value, english, chinese
):
    client.force_login(respondent)
    for language, message in (("en", english), ("zh-hans", chinese)):
        client.cookies["django_language"] = language
        response = save(client, draft, "EQP-01", value)
        html = response.content.decode()
        assert response.status_code == 422
        assert message in html
        assert f'value="{value}"' in html
    assert not Answer.objects.filter(assessment=draft).exists()


def test_it_refuses_a_figure_and_not_measured_together(client, respondent, draft):
    client.force_login(respondent)
    in_english(client)
    response = save(client, draft, "EQP-01", "12", not_measured="on")
    assert response.status_code == 422
    assert "not both" in response.content.decode()
    assert 'value="12"' in response.content.decode()


def test_it_keeps_the_typed_figure_when_the_page_is_saved_without_javascript(
    client, respondent, draft
):
    client.force_login(respondent)
    response = client.post(
        reverse("section", args=[draft.pk, "EQP"]),
        {
            "q-EQP-01-value": "100",
            "q-EQP-01-rev": "0",
            "q-EQP-02-value": "lots",
            "q-EQP-02-rev": "0",
            "q-ENE-01-not_measured": "on",
            "q-ENE-01-rev": "0",
        },
    )
    assert response.status_code == 400
    assert 'value="lots"' in response.content.decode()
    assert stored(draft, "EQP-01").value == 100
    assert stored(draft, "ENE-01").value == NOT_MEASURED
    assert not Answer.objects.filter(assessment=draft, question__code="EQP-02").exists()


def test_it_shows_a_rate_computed_and_without_an_input(client, respondent, draft):
    numbers_answer(draft, respondent, EQP_01=200, EQP_02=50)
    client.force_login(respondent)
    html = page(client, draft).content.decode()
    assert 'data-testid="computed-EQP-03"' in html
    assert "EQP-02 ÷ EQP-01" in html
    assert "<strong>25.0 %</strong>" in html
    assert 'name="q-EQP-03-value"' not in html


def test_it_shows_a_trend_as_the_signed_change(client, respondent, draft):
    numbers_answer(draft, respondent, ENE_01=90, ENE_02=100)
    client.force_login(respondent)
    assert "<strong>-10.0 %</strong>" in page(client, draft).content.decode()


def test_it_sends_the_rate_again_when_one_of_its_figures_is_saved(client, respondent, draft):
    numbers_answer(draft, respondent, EQP_01=200)
    client.force_login(respondent)
    html = save(client, draft, "EQP-02", "150").content.decode()
    assert 'id="q-EQP-03"' in html
    assert "<strong>75.0 %</strong>" in html
    html = save(client, draft, "EQP-02", not_measured="on", rev="1").content.decode()
    assert 'data-testid="computed-EQP-03"' in html
    assert "<strong>" not in html.split('data-testid="computed-EQP-03"')[1]


def test_it_refuses_to_autosave_a_computed_question(client, respondent, draft):
    client.force_login(respondent)
    assert save(client, draft, "EQP-03", "50").status_code == 404


def test_it_counts_numbers_but_not_rates_in_the_progress(client, respondent, draft):
    numbers_answer(draft, respondent, EQP_01=10, EQP_02=NOT_MEASURED)
    client.force_login(respondent)
    in_english(client)
    html = page(client, draft).content.decode()
    assert "2 of 5 answered" in html  # OPS-01 and four numbers: the rate and trend not
    assert ">2/4<" in html.replace(" ", "").replace("\n", "")
