"""The report's indicative MIIT and CMMM levels (issue 12, review §5.7): page and PDF, both
languages, only for a questionnaire that carries the mappings, at no extra query."""

import io

import pypdf
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from diagnosis.definitions.loader import BUNDLED_DIR
from diagnosis.models import Assessment, ScoreResult
from diagnosis.queries.assessments import assessment_state
from diagnosis.scoring.definition import QuestionSpec, QuestionType
from diagnosis.services import review
from diagnosis.services.assessments import (
    AnswerEntry,
    answers_save,
    assessment_start,
    assessment_submit,
    goal_save,
)
from diagnosis.services.scoring import result_rescore
from tests.report_pdfs import download_pdf
from tests.versions_world import publish_v2

V2_FILE = BUNDLED_DIR / "smart-manufacturing-v2.yaml"


def raw_value(question: QuestionSpec, level: int) -> object:
    """A cleaned answer: ``level`` for level questions, the first option of a choice (for
    v2's triggers: "yes"), every item of a checklist, a figure, a text."""
    kind = question.type
    if kind is QuestionType.LEVEL:
        return level
    if kind is QuestionType.CHOICE:
        return question.options[0].value
    if kind is QuestionType.CHECKLIST:
        return [item.code for item in question.items]
    if kind in (QuestionType.NUMBER, QuestionType.KPI):
        low, top = question.minimum or 0, question.maximum
        value = 100 if top is None else min(top, max(low, 100))
        return int(value) if question.integer else float(value)
    return "示例 / example"


def v2_submitted(firm, user, level: int = 4) -> Assessment:
    """An assessment of firm on the shipped v2 questionnaire, every question it is asked
    answered (level questions at ``level``), every target set, submitted."""
    publish_v2()
    assessment = assessment_start(firm=firm, user=user)
    definition = assessment.questionnaire.definition
    for _round in range(5):  # follow-ups appear once their triggers are answered
        missing = assessment_state(assessment).missing_questions()
        if not missing:
            break
        entries = [AnswerEntry(code=q.code, value=raw_value(q, level)) for q in missing]
        answers_save(assessment=assessment, user=user, entries=entries)
    for dimension in definition.dimensions:
        if dimension.banded:
            goal_save(
                assessment=assessment, dimension_code=dimension.code, target_level=4, relevance=3
            )
    return assessment_submit(assessment=assessment, user=user)


@pytest.fixture
def v2_report(firm, respondent) -> Assessment:
    return v2_submitted(firm, respondent)


def pdf_text(content: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(content))
    return "".join(page.extract_text() for page in reader.pages).replace(" ", "").replace("\n", "")


WORDS = {
    "zh-hans": {
        "heading": "工信部与智能制造能力成熟度参考等级",
        "miit": "L3",
        "cmmm": "四级（优化级）",
        "official": "zjtx.miit.gov.cn",
        "standard": "GB/T 39117",
        "unverified": "未经官方文本核实",
        "scenario": "质量管理",
    },
    "en": {
        "heading": "Indicative MIIT and CMMM levels",
        "miit": "L3",
        "cmmm": "Level 4 (Optimised)",
        "official": "zjtx.miit.gov.cn",
        "standard": "GB/T 39117",
        "unverified": "not verified against the official text",
        "scenario": "Quality management",
    },
}


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_it_shows_the_indicative_levels_and_the_scenario_table(
    client, respondent, v2_report, language
):
    client.cookies["django_language"] = language
    client.force_login(respondent)
    page = client.get(reverse("report", args=[v2_report.pk])).content.decode()
    words = WORDS[language]
    block = page[page.index('data-testid="crosswalk"') :]
    assert words["heading"] in page
    assert f'data-testid="miit-level">{words["miit"]}<' in block
    assert f'data-testid="cmmm-level">{words["cmmm"]}<' in block
    for key in ("official", "standard", "unverified"):
        assert words[key] in block
    rows = block[block.index('data-testid="miit-scenarios"') :]
    assert rows.count('data-testid="scenario-S') == 16
    quality = rows[rows.index('data-testid="scenario-S07"') :]
    assert quality.index(words["scenario"]) < quality.index("★") < quality.index("</tr>")
    office = rows[rows.index('data-testid="scenario-S15"') :]
    assert "★" not in office[: office.index("</tr>")]


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_it_prints_the_indicative_levels_in_the_pdf(client, respondent, v2_report, language):
    client.cookies["django_language"] = language
    client.force_login(respondent)
    text = pdf_text(download_pdf(client, v2_report.pk).getvalue())
    words = WORDS[language]
    for key in ("heading", "cmmm", "standard", "scenario"):
        assert words[key].replace(" ", "") in text


def test_it_says_why_it_cannot_estimate_instead_of_giving_a_number(client, respondent, v2_report):
    result = ScoreResult.objects.get(assessment=v2_report)
    card = result.card
    for code in ("RND-02", "RND-04", "SVC-01", "SVC-02", "MGT-01", "MGT-02", "MGT-03"):
        card["mapped_levels"][code] = None
    ScoreResult.objects.filter(pk=result.pk).update(card=card)
    client.cookies["django_language"] = "en"
    client.force_login(respondent)
    page = client.get(reverse("report", args=[v2_report.pk])).content.decode()
    block = page[page.index('data-testid="crosswalk-miit"') :]
    assert 'data-testid="miit-level">cannot be estimated<' in block
    assert "between L3 and L4" in block and "Product design" in block


def test_it_shows_nothing_for_a_questionnaire_without_mappings(client, respondent, submitted):
    client.force_login(respondent)
    page = client.get(reverse("report", args=[submitted.pk])).content.decode()
    assert 'data-testid="level"' in page
    assert 'data-testid="crosswalk"' not in page


def test_it_adds_no_query_to_the_report(client, respondent, v2_report, django_assert_num_queries):
    """The same report with the card stripped of its mapped answers (no crosswalk shown)
    takes as many statements."""
    client.force_login(respondent)
    url = reverse("report", args=[v2_report.pk])
    client.get(url)
    old = ScoreResult.objects.get(assessment=v2_report)
    card = {k: v for k, v in old.card.items() if k != "mapped_levels"}
    ScoreResult.objects.filter(pk=old.pk).update(card=card)
    with CaptureQueriesContext(connection) as without:
        page = client.get(url).content.decode()
    assert 'data-testid="crosswalk"' not in page
    ScoreResult.objects.filter(pk=old.pk).update(card=old.card)
    with django_assert_num_queries(len(without.captured_queries)):
        page = client.get(url).content.decode()
    assert 'data-testid="crosswalk"' in page


def test_rescoring_adds_the_mapped_answers_to_a_card_stored_without_them(v2_report):
    result = ScoreResult.objects.get(assessment=v2_report)
    stored = result.card
    card = {k: v for k, v in stored.items() if k != "mapped_levels"}
    ScoreResult.objects.filter(pk=result.pk).update(card=card)
    result.refresh_from_db()
    change = result_rescore(result=result, write=True)
    assert change is not None and "crosswalk" in change
    assert ScoreResult.objects.get(pk=result.pk).card["mapped_levels"] == stored["mapped_levels"]


def test_it_estimates_from_the_validated_answers_after_sign_off(
    client, respondent, consultant, v2_report
):
    answer = v2_report.answers.get(question__code="SCM-01")
    review.answer_validate(
        assessment=v2_report,
        answer=answer,
        consultant=consultant,
        confirmed=False,
        value=0,
        reason="采购仍靠电话和Excel / purchasing still by phone and Excel",
    )
    # Purchasing back on phone and Excel contradicts the supplier portal: a must-resolve
    # warning, which the consultant resolves before signing off.
    review.warning_resolve(
        assessment=v2_report,
        consultant=consultant,
        code="C-SCM-PORTAL",
        reason="门户只用于报价 / the portal is used for quotations only",
    )
    review.review_sign_off(assessment=v2_report, consultant=consultant)
    client.force_login(respondent)
    page = client.get(reverse("report", args=[v2_report.pk])).content.decode()
    row = page[page.index('data-testid="scenario-S11"') :]
    assert "<td>L0</td>" in row[: row.index("</tr>")]
    self_card = ScoreResult.objects.get(assessment=v2_report, kind=ScoreResult.Kind.SELF).card
    assert self_card["mapped_levels"]["SCM-01"] == 4
