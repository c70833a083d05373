import io

import pypdf
import pytest
from django.urls import reverse

from diagnosis.models import Assessment, Firm
from diagnosis.services import review
from diagnosis.services.assessments import assessment_start, assessment_submit
from tests.answering import fill


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
    assert result.card["warnings"][0]["code"] in page


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
    response = client.get(reverse("report_pdf", args=[submitted.pk]))
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert submitted.firm.name.replace(" ", "") in text
    level = submitted.questionnaire.definition.levels[submitted.results.get().level - 1]
    assert level.name.get(language).replace(" ", "") in text


def test_it_escapes_what_users_wrote_in_the_report_and_pdf(client, respondent, submitted):
    Firm.objects.filter(pk=submitted.firm_id).update(name="<script>alert(1)</script>")
    client.force_login(respondent)
    page = client.get(reverse("report", args=[submitted.pk])).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    text = pdf_text(client.get(reverse("report_pdf", args=[submitted.pk])).content)
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
