"""The report calls its level "核验等级 / Verified level" only when the report is signed off
and every gate-critical answer (the questions the levels' gates and requires name: SEC-01
in v1) is verified with evidence, an evidence file and a consultant's verdict (issue 12
item 9), else "自评参考等级 / Self-assessed level (indicative)"; and it counts the
must-resolve warnings still open in its confidence line (review §5.5–5.6)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from diagnosis.permissions import get_assessment_for_user
from diagnosis.queries.assessments import assessment_state
from diagnosis.reports.context import build_report
from diagnosis.reports.verification import gate_gaps, unverified_gate_questions
from diagnosis.scoring.levels import gate_critical_questions
from diagnosis.services import review
from diagnosis.services.assessments import AnswerEntry, answers_save, assessment_submit
from tests.answering import fill
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


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def attach_evidence(draft, user, *codes):
    """An evidence file on the draft's answers to `codes`, their values unchanged."""
    answers = assessment_state(draft).answers
    entries = [
        AnswerEntry(
            code=code,
            value=answers[code].value,
            not_applicable=answers[code].not_applicable,
            evidence=SimpleUploadedFile(f"{code}.pdf", PDF, content_type="application/pdf"),
        )
        for code in codes
    ]
    answers_save(assessment=draft, user=user, entries=entries)


@pytest.fixture
def evidenced(draft, respondent, consultant):
    """`submitted`, with an evidence file on the gate-critical answer SEC-01."""
    fill(draft, respondent)
    attach_evidence(draft, respondent, "SEC-01")
    return assessment_submit(assessment=draft, user=respondent)


def sign_off_confirmation(client, consultant, assessment, language):
    client.force_login(consultant)
    client.cookies["django_language"] = language
    response = client.post(reverse("review_decide", args=[assessment.pk]), {"decision": "sign_off"})
    assert response.status_code == 200
    return response.content.decode()


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
def test_a_signed_report_with_gate_answers_verified_with_evidence_shows_a_verified_level(
    client, respondent, consultant, evidenced, language
):
    confirm(evidenced, consultant)
    review.review_sign_off(assessment=evidenced, consultant=consultant)
    html = report_html(client, respondent, evidenced, language)
    assert f'data-verified="true">{VERIFIED[language]}</div>' in html
    assert SELF[language] not in html
    pdf = pdf_html(respondent, evidenced, language)
    assert VERIFIED[language] in pdf and SELF[language] not in pdf


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_a_gate_answer_verified_without_evidence_keeps_the_level_self_assessed(
    client, respondent, consultant, submitted, language
):
    confirm(submitted, consultant)
    assert gate_gaps(submitted, submitted.questionnaire.definition).no_evidence == ("SEC-01",)
    review.review_sign_off(assessment=submitted, consultant=consultant)
    html = report_html(client, respondent, submitted, language)
    assert f'data-verified="false">{SELF[language]}</div>' in html
    assert VERIFIED[language] not in html
    assert SELF[language] in pdf_html(respondent, submitted, language)


def test_a_signed_report_with_an_unverified_gate_answer_stays_indicative(
    client, respondent, consultant, evidenced
):
    confirm(evidenced, consultant, leave_out={"SEC-01"})
    gaps = gate_gaps(evidenced, evidenced.questionnaire.definition)
    assert (gaps.no_evidence, gaps.not_verified) == ((), ("SEC-01",))
    review.review_sign_off(assessment=evidenced, consultant=consultant)
    html = report_html(client, respondent, evidenced, "en")
    assert 'data-verified="false">Self-assessed level (indicative)</div>' in html
    assert 'data-testid="validated"' in html  # signed all the same


@pytest.mark.parametrize(
    ("language", "no_evidence", "not_verified"),
    [
        ("en", "No evidence file: SEC-01.", "Not verified by you: SEC-01."),
        ("zh-hans", "未附佐证材料：SEC-01。", "未经您核验：SEC-01。"),
    ],
)
def test_the_sign_off_confirmation_says_no_evidence_and_not_verified_apart(
    client, consultant, submitted, language, no_evidence, not_verified
):
    html = sign_off_confirmation(client, consultant, submitted, language)
    assert f'data-testid="gates-no-evidence">{no_evidence}</span>' in html
    assert f'data-testid="gates-not-verified">{not_verified}</span>' in html
    confirm(submitted, consultant)
    html = sign_off_confirmation(client, consultant, submitted, language)
    assert 'data-testid="gates-no-evidence"' in html
    assert 'data-testid="gates-not-verified"' not in html


def test_the_sign_off_confirmation_announces_a_verified_level(client, consultant, evidenced):
    html = sign_off_confirmation(client, consultant, evidenced, "en")
    assert 'data-testid="gates-no-evidence"' not in html
    assert 'data-testid="gates-not-verified">Not verified by you: SEC-01.</span>' in html
    confirm(evidenced, consultant)
    html = sign_off_confirmation(client, consultant, evidenced, "en")
    assert "The level will be called a verified level: every answer the levels rest on" in html


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


def gated_draft(firm, respondent):
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
    return draft


@pytest.fixture
def gated(firm, respondent):
    return assessment_submit(assessment=gated_draft(firm, respondent), user=respondent)


def test_a_gate_on_a_rate_needs_both_figures_verified(client, respondent, consultant, gated):
    definition = gated.questionnaire.definition
    assert gate_critical_questions(definition.levels) == ("EQP-03",)
    assert unverified_gate_questions(gated, definition) == ["EQP-02", "EQP-01"]  # n, d
    confirm(gated, consultant, leave_out={"EQP-02"})
    gaps = gate_gaps(gated, definition)
    assert (gaps.no_evidence, gaps.not_verified) == (("EQP-02", "EQP-01"), ("EQP-02",))
    review.review_sign_off(assessment=gated, consultant=consultant)
    assert 'data-verified="false"' in report_html(client, respondent, gated, "en")


def test_a_gate_on_a_rate_needs_evidence_for_both_figures(client, firm, respondent, consultant):
    draft = gated_draft(firm, respondent)
    attach_evidence(draft, respondent, "EQP-01")
    gated = assessment_submit(assessment=draft, user=respondent)
    confirm(gated, consultant)
    assert unverified_gate_questions(gated, gated.questionnaire.definition) == ["EQP-02"]
    review.review_sign_off(assessment=gated, consultant=consultant)
    assert 'data-verified="false"' in report_html(client, respondent, gated, "en")


def test_a_gate_on_a_rate_verified_with_evidence_verifies_the_level(
    client, firm, respondent, consultant
):
    draft = gated_draft(firm, respondent)
    attach_evidence(draft, respondent, "EQP-01", "EQP-02")
    gated = assessment_submit(assessment=draft, user=respondent)
    confirm(gated, consultant)
    assert not gate_gaps(gated, gated.questionnaire.definition)
    review.review_sign_off(assessment=gated, consultant=consultant)
    assert 'data-verified="true"' in report_html(client, respondent, gated, "en")
