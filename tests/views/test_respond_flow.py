"""A respondent's whole journey through the test client: register, answer, submit, report."""

import random

import pytest
from django.core import mail
from django.urls import reverse

from diagnosis.models import Answer, Assessment, Firm, ScoreResult
from tests.answering import answer_post_data, goal_post_data
from tests.committing import committed
from tests.factories import make_user, valid_credit_code
from tests.report_pdfs import download_pdf


@pytest.fixture
def started(client, respondent, questionnaire):
    client.force_login(respondent)
    client.post(reverse("assessment_new"))
    return Assessment.objects.get(firm__memberships__user=respondent)


def answer_everything(client, assessment, *, high=None):
    """Answer every section through the no-JavaScript page form (triggers first)."""
    definition = assessment.questionnaire.definition
    rng = random.Random(7)
    for _round in range(2):  # a second pass answers questions revealed by the first
        for dimension in definition.dimensions:
            codes = [q.code for q in dimension.questions]
            data = answer_post_data(definition, codes, rng, high)
            data.update(goal_post_data(definition))
            response = client.post(reverse("section", args=[assessment.pk, dimension.code]), data)
            assert response.status_code == 302, response.content.decode()[:2000]


def test_it_registers_a_firm_with_its_owner(client, questionnaire):
    user = make_user()
    client.force_login(user)
    code = valid_credit_code()
    response = client.post(
        reverse("firm_register"),
        {
            "name": "上海测试有限公司",
            "credit_code": code.lower(),
            "industry": "36",
            "employees": "250",
            "revenue": "9000",
            "district": "jiading",
        },
    )
    assert response.status_code == 302
    firm = Firm.objects.get(credit_code=code)
    assert firm.memberships.get().user == user
    assert firm.size_class == "small"


def test_it_shows_a_clear_error_for_a_bad_credit_code(client, questionnaire):
    client.force_login(make_user())
    response = client.post(
        reverse("firm_register"),
        {
            "name": "X",
            "credit_code": "91110000600037341M",
            "industry": "36",
            "employees": "250",
            "revenue": "9000",
            "district": "jiading",
        },
    )
    assert response.status_code == 200
    assert "check character" in response.content.decode() or "校验" in response.content.decode()
    assert not Firm.objects.exists()


def test_it_asks_to_join_instead_of_registering_a_firm_twice(client, firm, respondent):
    newcomer = make_user()
    client.force_login(newcomer)
    with committed():
        response = client.post(
            reverse("firm_register"),
            {
                "name": "Another name",
                "credit_code": firm.credit_code,
                "industry": "34",
                "employees": "10",
                "revenue": "10",
                "district": "xuhui",
            },
        )
    assert response.status_code == 302
    assert Firm.objects.count() == 1
    assert firm.join_requests.get().user == newcomer
    assert mail.outbox[-1].to == [respondent.email]


def test_it_opens_the_first_section_on_a_new_assessment(client, started):
    response = client.get(reverse("assessment_resume", args=[started.pk]))
    assert response.status_code == 302
    assert response["Location"].endswith("/sections/STR/#q-STR-01")


def test_it_autosaves_one_answer(client, started):
    url = reverse("answer_autosave", args=[started.pk, "STR-01"])
    response = client.post(
        url, {"q-STR-01-value": "3", "q-STR-01-rev": "0"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    answer = Answer.objects.get(assessment=started, question__code="STR-01")
    assert answer.value == 3
    assert 'data-testid="saved"' in response.content.decode()


def test_it_resumes_at_the_first_unanswered_question(client, started):
    url = reverse("answer_autosave", args=[started.pk, "STR-01"])
    client.post(url, {"q-STR-01-value": "3", "q-STR-01-rev": "0"})
    response = client.get(reverse("assessment_resume", args=[started.pk]))
    assert response["Location"].endswith("#q-STR-02")


def test_it_refuses_to_submit_while_incomplete(client, started):
    response = client.post(reverse("submit", args=[started.pk]))
    assert response.status_code == 400
    started.refresh_from_db()
    assert started.status == "draft"
    assert "STR-01" in response.content.decode()


def test_it_submits_a_complete_assessment_and_shows_the_report(client, started):
    answer_everything(client, started)
    response = client.post(reverse("submit", args=[started.pk]), {"confirmed": "yes"})
    assert response.status_code == 302
    started.refresh_from_db()
    assert started.status == "submitted"
    result = ScoreResult.objects.get(assessment=started, kind="self")
    assert result.dimension_scores.count() == 10
    report = client.get(reverse("report", args=[started.pk]))
    assert report.status_code == 200
    assert 'data-testid="overall"' in report.content.decode()


def test_it_keeps_a_submitted_assessment_read_only(client, started):
    answer_everything(client, started, high=True)
    client.post(reverse("submit", args=[started.pk]), {"confirmed": "yes"})
    client.cookies["django_language"] = "en"
    response = client.post(
        reverse("answer_autosave", args=[started.pk, "STR-01"]),
        {"q-STR-01-value": "0", "q-STR-01-rev": "1"},
    )
    assert response.status_code == 403
    assert "can no longer be changed" in response.content.decode()
    assert Answer.objects.get(assessment=started, question__code="STR-01").value == 5


def test_it_downloads_the_report_pdf(client, started):
    answer_everything(client, started)
    client.post(reverse("submit", args=[started.pk]), {"confirmed": "yes"})
    response = download_pdf(client, started.pk)
    assert response.status_code == 200
    assert response.getvalue().startswith(b"%PDF")


def test_it_asks_for_confirmation_before_submitting(client, started):
    answer_everything(client, started)
    response = client.post(reverse("submit", args=[started.pk]))
    assert response.status_code == 200
    assert 'data-testid="confirm-submit"' in response.content.decode()
    started.refresh_from_db()
    assert started.status == "draft"
    response = client.post(reverse("submit", args=[started.pk]), {"confirmed": "yes"})
    assert response.status_code == 302
    started.refresh_from_db()
    assert started.status == "submitted"
