"""A returned assessment says why, where the firm works; nobody waits in silence."""

import pytest
from django.urls import reverse

from diagnosis.models import Assignment
from diagnosis.services import review
from diagnosis.services.assessments import AnswerEntry, answers_save, assessment_submit

REASON = "请核对设备数控化率，并补充联网设备清单。"
NOTE = "请上传联网设备清单 <b>"
FINDING = "车间数据采集已起步，但尚未形成闭环。"


@pytest.fixture
def returned(submitted, consultant):
    """`submitted`, with a note on EQP-03, a changed EQP-02, a finding, returned."""
    review.review_comment(
        assessment=submitted, author=consultant, text=NOTE, question_code="EQP-03"
    )
    review.review_comment(assessment=submitted, author=consultant, text=FINDING, is_finding=True)
    review.answer_validate(
        assessment=submitted,
        answer=submitted.answers.get(question__code="EQP-02"),
        consultant=consultant,
        confirmed=False,
        value=20,
        reason="现场只看到两台数控机床",
    )
    review.review_return(assessment=submitted, consultant=consultant, comment=REASON)
    return submitted


def section(client, assessment, code: str) -> str:
    response = client.get(reverse("section", args=[assessment.pk, code]))
    assert response.status_code == 200
    return response.content.decode()


def test_it_shows_why_on_the_firm_page(client, respondent, returned):
    client.force_login(respondent)
    html = client.get(reverse("firm_detail")).content.decode()
    assert 'data-testid="returned"' in html
    assert REASON in html and FINDING in html
    eqp = reverse("section", args=[returned.pk, "EQP"])
    assert f'href="{eqp}#q-EQP-02"' in html and f'href="{eqp}#q-EQP-03"' in html
    assert "请上传联网设备清单 &lt;b&gt;" in html  # escaped
    assert "20 %" in html  # the value the consultant set


def test_it_continues_on_the_first_page_which_says_why(client, respondent, returned):
    client.force_login(respondent)
    response = client.get(reverse("assessment_resume", args=[returned.pk]))
    first = returned.questionnaire.definition.dimensions[0].code
    assert response["Location"] == reverse("section", args=[returned.pk, first])
    html = section(client, returned, first)
    assert 'data-testid="returned"' in html and REASON in html and FINDING in html
    assert 'data-testid="fix-EQP-02"' in html and 'data-testid="fix-EQP-03"' in html


def test_it_puts_the_consultants_note_and_value_at_the_questions(client, respondent, returned):
    client.force_login(respondent)
    html = section(client, returned, "EQP")
    note = html.index('data-testid="consultant-note-EQP-03"')
    assert html.index('id="q-EQP-03"') < note < html.index('id="q-EQP-04"')
    assert "请上传联网设备清单 &lt;b&gt;" in html[note : note + 600]
    value = html.index('data-testid="consultant-note-EQP-02"')
    assert "20 %" in html[value : value + 600] and "现场只看到两台数控机床" in html
    assert 'data-testid="returned-compact"' in html  # a line, not the whole block again


def test_it_keeps_the_note_at_the_question_after_an_autosave(client, respondent, returned):
    client.force_login(respondent)
    revision = returned.answers.get(question__code="EQP-03").revision
    response = client.post(
        reverse("answer_autosave", args=[returned.pk, "EQP-03"]),
        {"q-EQP-03-value": "55", "q-EQP-03-rev": str(revision)},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert 'data-testid="consultant-note-EQP-03"' in response.content.decode()


def test_it_shows_the_next_rounds_notes_not_the_last_ones(client, respondent, consultant, returned):
    """The page cache must not serve the first round's page in the second round."""
    client.force_login(respondent)
    first = returned.questionnaire.definition.dimensions[0].code
    assert REASON in section(client, returned, first)
    assessment_submit(assessment=returned, user=respondent)  # nothing changed
    review.review_return(assessment=returned, consultant=consultant, comment="第二轮：请补充证据。")
    html = section(client, returned, first)
    assert "第二轮：请补充证据。" in html


def test_it_shows_the_feedback_on_the_submit_page(client, respondent, returned):
    client.force_login(respondent)
    html = client.get(reverse("submit", args=[returned.pk])).content.decode()
    assert 'data-testid="returned"' in html and REASON in html


def test_it_shows_nothing_of_the_review_to_the_firm_before_it_comes_back(
    client, respondent, submitted, consultant
):
    review.review_comment(
        assessment=submitted, author=consultant, text=NOTE, question_code="EQP-03"
    )
    client.force_login(respondent)
    assert "请上传联网设备清单" not in section(client, submitted, "EQP")
    assert "请上传联网设备清单" not in client.get(reverse("firm_detail")).content.decode()


@pytest.mark.parametrize("page", ["firm_detail", "report"])
def test_it_says_what_happens_next_and_who_reviews(client, respondent, submitted, page):
    client.force_login(respondent)
    url = reverse(page) if page == "firm_detail" else reverse(page, args=[submitted.pk])
    html = client.get(url).content.decode()
    assert 'data-testid="next-step"' in html
    assert "陈静" in html and "示范诊断服务商" in html  # the consultant and the provider


@pytest.mark.parametrize("page", ["firm_detail", "report"])
def test_it_says_when_no_consultant_is_assigned_yet(client, respondent, submitted, page):
    Assignment.objects.filter(firm=submitted.firm).update(consultant=None)
    client.force_login(respondent)
    url = reverse(page) if page == "firm_detail" else reverse(page, args=[submitted.pk])
    html = client.get(url).content.decode()
    assert "尚未指派诊断顾问" in html and "陈静" not in html


def test_it_says_when_no_provider_is_assigned_yet(client, respondent, submitted):
    Assignment.objects.filter(firm=submitted.firm).delete()
    client.force_login(respondent)
    html = client.get(reverse("report", args=[submitted.pk])).content.decode()
    assert "尚未为企业指派诊断服务商" in html


def test_it_names_no_consultant_who_left_the_provider(client, respondent, submitted, consultant):
    consultant.provider_memberships.all().delete()
    client.force_login(respondent)
    html = client.get(reverse("firm_detail")).content.decode()
    assert "陈静" not in html


def test_it_keeps_the_consultants_values_when_the_firm_changes_the_answer(
    client, respondent, returned
):
    answers_save(
        assessment=returned, user=respondent, entries=[AnswerEntry(code="EQP-02", value=35)]
    )
    client.force_login(respondent)
    html = client.get(reverse("firm_detail")).content.decode()
    assert "20 %" in html  # what the consultant set still stands until they change it
