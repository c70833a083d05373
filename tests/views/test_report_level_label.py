"""The report calls its level "核验等级 / Verified level" only when the report is signed off
and a consultant verified every gate-critical answer (the questions the levels' gates and
requires name: SEC-01 in v1), else "自评参考等级 / Self-assessed level (indicative)"; and
it counts the must-resolve warnings still open in its confidence line (review §5.5–5.6)."""

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from diagnosis.permissions import get_assessment_for_user
from diagnosis.queries.assessments import assessment_state
from diagnosis.reports.context import build_report
from diagnosis.scoring.levels import gate_critical_questions
from diagnosis.services import review
from diagnosis.services.assessments import assessment_submit
from tests.numbers_world import numbers_answer, numbers_draft

VERIFIED = {"en": "Verified level", "zh-hans": "核验等级"}
SELF = {"en": "Self-assessed level (indicative)", "zh-hans": "自评参考等级"}


def report_html(client, user, assessment, language):
    client.force_login(user)
    client.cookies["django_language"] = language
    response = client.get(reverse("report", args=[assessment.pk]))
    assert response.status_code == 200
    return response.content.decode()


def pdf_html(user, assessment, language):
    with translation.override(language):
        assessment, access = get_assessment_for_user(user, assessment.pk)
        report = build_report(assessment, access)
        return render_to_string("diagnosis/report/pdf.html", {"report": report})


def confirm(assessment, consultant, leave_out=()):
    answers = [
        answer
        for code, answer in assessment_state(assessment).answers.items()
        if code not in leave_out
    ]
    review.answers_confirm(assessment=assessment, consultant=consultant, answers=answers)


def test_v1_gates_name_sec_01(questionnaire):
    assert gate_critical_questions(questionnaire.definition.levels) == ("SEC-01",)


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_a_self_assessment_shows_a_self_assessed_level(client, respondent, submitted, language):
    html = report_html(client, respondent, submitted, language)
    assert f'data-verified="false">{SELF[language]}</div>' in html
    assert VERIFIED[language] not in html
    assert SELF[language] in pdf_html(respondent, submitted, language)


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_a_signed_report_with_verified_gate_answers_shows_a_verified_level(
    client, respondent, consultant, submitted, language
):
    confirm(submitted, consultant)
    review.review_sign_off(assessment=submitted, consultant=consultant)
    html = report_html(client, respondent, submitted, language)
    assert f'data-verified="true">{VERIFIED[language]}</div>' in html
    assert SELF[language] not in html
    pdf = pdf_html(respondent, submitted, language)
    assert VERIFIED[language] in pdf and SELF[language] not in pdf


def test_a_signed_report_with_an_unverified_gate_answer_stays_indicative(
    client, respondent, consultant, submitted
):
    confirm(submitted, consultant, leave_out={"SEC-01"})
    review.review_sign_off(assessment=submitted, consultant=consultant)
    html = report_html(client, respondent, submitted, "en")
    assert 'data-verified="false">Self-assessed level (indicative)</div>' in html
    assert 'data-testid="validated"' in html  # signed all the same


def test_verdicts_without_sign_off_do_not_verify_the_level(
    client, respondent, consultant, submitted
):
    confirm(submitted, consultant)
    html = report_html(client, respondent, submitted, "en")
    assert 'data-verified="false"' in html


@pytest.fixture
def warned(firm, respondent, consultant):
    draft = numbers_draft(firm, respondent)
    numbers_answer(draft, respondent, OPS_01=4, EQP_01=100, EQP_02=10, ENE_01=90, ENE_02=100)
    return assessment_submit(assessment=draft, user=respondent)


@pytest.mark.parametrize(
    ("language", "sentence"),
    [
        ("en", "1 consistency warning that must be resolved is not resolved by a consultant yet."),
        ("zh-hans", "1 条须处理的一致性提示尚未经诊断顾问解除。"),
    ],
)
def test_the_confidence_line_counts_open_must_resolve_warnings(
    client, respondent, consultant, warned, language, sentence
):
    assert sentence in report_html(client, respondent, warned, language)
    assert sentence in pdf_html(respondent, warned, language)
    review.warning_resolve(
        assessment=warned, consultant=consultant, code="C-NET-RATE", reason="Checked on site."
    )
    assert 'data-testid="unresolved-warnings"' not in report_html(
        client, respondent, warned, language
    )


def test_a_report_without_must_resolve_warnings_counts_none(client, respondent, submitted):
    assert 'data-testid="unresolved-warnings"' not in report_html(
        client, respondent, submitted, "en"
    )


def test_v2_names_the_capabilities_its_levels_require():
    from pathlib import Path

    from diagnosis.definitions.loader import load_definition

    path = Path(__file__).resolve().parents[2] / "diagnosis/definitions/smart-manufacturing-v2.yaml"
    codes = gate_critical_questions(load_definition(path).levels)
    assert {"NET-04", "OPS-03", "DAT-04", "SEC-06"} <= set(codes)
    assert len(codes) == len(set(codes))


@pytest.fixture
def gated(firm, respondent):
    """The numbers questionnaire with a gate on the rate EQP-03 (of EQP-02 ÷ EQP-01)."""
    from diagnosis.definitions.loader import read_definition_data
    from diagnosis.services.assessments import assessment_start
    from diagnosis.services.questionnaires import questionnaire_store
    from tests.numbers_world import NUMBERS_FILE

    data = read_definition_data(NUMBERS_FILE)
    data["questionnaire"]["code"] = "numbers-gated"
    data["levels"][1]["gates"] = [{"question": "EQP-03", "min_score": 50}]
    questionnaire_store(data=data, source="numbers-gated.yaml", publish=True)
    draft = assessment_start(firm=firm, user=respondent)
    numbers_answer(draft, respondent, OPS_01=3, EQP_01=100, EQP_02=80, ENE_01=90, ENE_02=100)
    return assessment_submit(assessment=draft, user=respondent)


def test_a_gate_on_a_rate_needs_both_figures_verified(client, respondent, consultant, gated):
    from diagnosis.reports.verification import unverified_gate_questions

    definition = gated.questionnaire.definition
    assert gate_critical_questions(definition.levels) == ("EQP-03",)
    assert unverified_gate_questions(gated, definition) == ["EQP-02", "EQP-01"]  # n, d
    confirm(gated, consultant, leave_out={"EQP-02"})
    assert unverified_gate_questions(gated, definition) == ["EQP-02"]
    review.review_sign_off(assessment=gated, consultant=consultant)
    assert 'data-verified="false"' in report_html(client, respondent, gated, "en")
