import dataclasses
import io
from urllib.parse import quote

import pypdf
import pytest
from django.urls import reverse
from django.utils import translation

from diagnosis.models import Assessment, Firm
from diagnosis.services import review
from diagnosis.services.assessments import assessment_start, assessment_submit
from tests.answering import fill
from tests.report_pdfs import download_pdf


def pdf_text(content: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(content))
    return "".join(page.extract_text() for page in reader.pages).replace(" ", "").replace("\n", "")


def test_it_shows_the_level_and_what_holds_it_back(client, respondent, submitted):
    client.force_login(respondent)
    page = client.get(reverse("report", args=[submitted.pk])).content.decode()
    assert 'data-testid="level"' in page
    assert "<svg" in page and "chart-radar" in page
    assert 'data-testid="roadmap"' in page


def test_it_renders_the_report_within_the_query_budget(
    client, respondent, submitted, django_assert_max_num_queries
):
    client.force_login(respondent)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("report", args=[submitted.pk])).status_code == 200


def test_it_offers_respondents_a_gentle_consistency_notice(client, respondent, submitted):
    result = submitted.results.get()
    if not result.card["warnings"]:
        pytest.skip("the seeded answers raise no consistency warning")
    client.force_login(respondent)
    page = client.get(reverse("report", args=[submitted.pk])).content.decode()
    assert 'data-testid="warnings"' in page
    assert result.card["warnings"][0]["code"] not in page


def test_it_shows_consultants_consistency_warnings_in_full(client, consultant, submitted):
    result = submitted.results.get()
    if not result.card["warnings"]:
        pytest.skip("the seeded answers raise no consistency warning")
    client.force_login(consultant)
    page = client.get(reverse("report", args=[submitted.pk])).content.decode()
    warning = result.card["warnings"][0]
    block = page[page.index('data-testid="warnings"') :]
    assert warning["message"]["zh-hans"] in block
    definition = submitted.questionnaire.definition
    for code in warning["questions"]:
        assert f"{code} {definition.questions[code].text.get('zh-hans')}" in block
    assert warning["code"] not in page


def test_it_names_the_questions_not_only_their_codes_for_the_firm(client, respondent, submitted):
    result = submitted.results.get()
    if not result.card["warnings"]:
        pytest.skip("the seeded answers raise no consistency warning")
    client.force_login(respondent)
    page = client.get(reverse("report", args=[submitted.pk])).content.decode()
    block = page[page.index('data-testid="warnings"') :]
    code = result.card["warnings"][0]["questions"][0]
    text = submitted.questionnaire.definition.questions[code].text.get("zh-hans")
    assert f"{code} {text}" in block


def test_it_shows_progress_since_the_previous_assessment(client, respondent, submitted, firm):
    review.review_sign_off(assessment=submitted, consultant=submitted.firm.assignment.consultant)
    second = assessment_start(firm=firm, user=respondent)
    assert second.previous == submitted
    fill(second, respondent, high=True)
    assessment_submit(assessment=second, user=respondent)
    client.force_login(respondent)
    page = client.get(reverse("report", args=[second.pk])).content.decode()
    assert 'data-testid="delta-EQP"' in page
    assert '<td class="text-end" data-testid="delta-EQP">+' in page


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_it_renders_a_pdf_with_the_firm_name_and_level(client, respondent, submitted, language):
    client.cookies["django_language"] = language
    client.force_login(respondent)
    response = download_pdf(client, submitted.pk)
    text = pdf_text(response.getvalue())
    assert submitted.firm.name.replace(" ", "") in text
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert quote(submitted.firm.name) in disposition  # RFC 5987: filename*=utf-8''…
    level = submitted.questionnaire.definition.levels[submitted.results.get().level - 1]
    assert level.name.get(language).replace(" ", "") in text


def test_it_escapes_what_users_wrote_in_the_report_and_pdf(client, respondent, submitted):
    Firm.objects.filter(pk=submitted.firm_id).update(name="<script>alert(1)</script>")
    client.force_login(respondent)
    page = client.get(reverse("report", args=[submitted.pk])).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    text = pdf_text(download_pdf(client, submitted.pk).getvalue())
    assert "<script>alert(1)</script>" in text  # shown as text, not run


def test_it_redirects_an_open_assessment_to_answering(client, respondent, draft):
    client.force_login(respondent)
    response = client.get(reverse("report", args=[draft.pk]))
    assert response.status_code == 302


def test_it_shows_validated_against_self_assessed_after_sign_off(client, respondent, submitted):
    consultant = submitted.firm.assignment.consultant
    answer = submitted.answers.get(question__code="STR-01")
    review.answer_validate(
        assessment=submitted,
        answer=answer,
        consultant=consultant,
        confirmed=False,
        value=0,
        reason="没有书面规划 / no written plan",
    )
    review.review_sign_off(assessment=submitted, consultant=consultant)
    client.force_login(respondent)
    page = client.get(reverse("report", args=[submitted.pk])).content.decode()
    assert 'data-testid="validated"' in page
    assert 'data-testid="change-STR-01"' in page
    assert "no written plan" in page
    assert Assessment.objects.get(pk=submitted.pk).status == "validated"


def test_it_states_the_index_and_names_each_limiting_dimension_once(submitted):
    from diagnosis.reports.context import explain_level
    from diagnosis.scoring import ScoreCard
    from diagnosis.scoring.card import Limit

    definition = submitted.questionnaire.definition
    card = ScoreCard.from_dict(submitted.results.get().card)
    limits = (
        Limit(3, "critical_floor", "SEC", 35.0, 30.0),
        Limit(3, "dimension", "SEC", 40.0, 30.0),
        Limit(3, "critical_floor", "DAT", 35.0, 20.0),
    )
    card = dataclasses.replace(card, level=2, uncapped_level=3, overall=55.1, limiting=limits)
    with translation.override("en"):
        sentences = explain_level(card, definition)
    assert sentences[0] == "Your overall index is 55.1: level Standardised."
    security = [s for s in sentences if "Cybersecurity" in s]
    assert security == [
        "To reach Integrated, Cybersecurity and safe production needs at least 40; it is at 30.0."
    ]
    assert sum("Data and intelligence" in s for s in sentences) == 1


def test_it_keeps_at_most_five_actions_for_now_in_priority_order(submitted):
    from diagnosis.reports.context import NOW_AT_MOST, _roadmap
    from diagnosis.scoring import ScoreCard
    from diagnosis.scoring.definition import Horizon, Text

    card = ScoreCard.from_dict(submitted.results.get().card)
    base = card.recommendations[0]
    now = [
        dataclasses.replace(
            base, horizon=Horizon.NOW, priority_rank=rank, title=Text(f"现{rank}", "")
        )
        for rank in range(1, 9)
    ]
    later = dataclasses.replace(base, horizon=Horizon.NEXT, title=Text("下一步", ""))
    card = dataclasses.replace(card, recommendations=(*now, later))
    groups = _roadmap(card, submitted.questionnaire.definition)
    roadmap = {key: [entry["recommendation"] for entry in items] for key, _t, items in groups}
    assert roadmap["now"] == now[:NOW_AT_MOST]
    assert roadmap["next"] == [*now[NOW_AT_MOST:], later]


@pytest.mark.parametrize(
    ("language", "words"), [("zh-hans", "问卷第 1 版"), ("en", "Questionnaire version 1")]
)
def test_it_reads_versions_as_words(client, respondent, submitted, language, words):
    client.cookies["django_language"] = language
    client.force_login(respondent)
    page = client.get(reverse("report", args=[submitted.pk])).content.decode()
    assert words in page
    assert "smart-manufacturing@1" not in page


def test_it_prints_the_provider_number_and_code_on_a_signed_report(
    client, respondent, consultant, submitted
):
    review.review_sign_off(assessment=submitted, consultant=consultant)
    submitted.refresh_from_db()
    client.force_login(respondent)
    page = client.get(reverse("report", args=[submitted.pk])).content.decode()
    code = submitted.verification_code
    grouped = "-".join(code[i : i + 4] for i in range(0, len(code), 4))
    assert submitted.report_number in page and grouped in page
    text = pdf_text(download_pdf(client, submitted.pk).getvalue())
    for printed in ("示范诊断服务商", submitted.report_number, grouped, reverse("report_verify")):
        assert printed in text


def test_it_says_signed_off_and_offers_no_submission_afterwards(
    client, respondent, consultant, submitted
):
    answer = submitted.answers.get(question__code="STR-01")
    review.answer_validate(
        assessment=submitted,
        answer=answer,
        consultant=consultant,
        confirmed=False,
        value=0,
        reason="没有书面规划",
    )
    review.review_sign_off(assessment=submitted, consultant=consultant)
    client.force_login(respondent)
    page = client.get(reverse("section", args=[submitted.pk, "STR"])).content.decode()
    assert "已签发" in page
    assert reverse("submit", args=[submitted.pk]) not in page
    note = page[page.index('data-testid="consultant-note-STR-01"') :]
    assert "0 · " in note[:400] and "没有书面规划" in note[:600]
    firm = client.get(reverse("firm_detail")).content.decode()
    assert "已签发" in firm


def test_it_promises_no_consultant_who_does_not_exist(client, respondent, submitted):
    from diagnosis.models import Assignment

    result = submitted.results.get()
    if not result.card["warnings"]:
        pytest.skip("the seeded answers raise no consistency warning")
    Assignment.objects.filter(firm=submitted.firm).delete()
    client.force_login(respondent)
    page = client.get(reverse("report", args=[submitted.pk])).content.decode()
    assert "您的诊断顾问" not in page
