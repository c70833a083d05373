import pytest
from django.db.models import F
from django.urls import reverse

from diagnosis.services import review


@pytest.fixture
def changed(submitted, consultant):
    """EQP-01 changed by the consultant from the firm's answer to level 3, with a reason."""
    answer = submitted.answers.get(question__code="EQP-01")
    review.answer_validate(
        assessment=submitted,
        answer=answer,
        consultant=consultant,
        confirmed=False,
        value=3,
        reason="产线已自动输送 <i>",
    )
    return submitted


def history(client, user, assessment, language="zh-hans") -> str:
    client.cookies["django_language"] = language
    client.force_login(user)
    return client.get(reverse("history", args=[assessment.pk])).content.decode()


def test_it_tells_who_changed_what_from_what_to_what(client, respondent, consultant, changed):
    definition = changed.questionnaire.definition
    question = definition.questions["EQP-01"]
    before = changed.answers.get(question__code="EQP-01").value
    html = history(client, respondent, changed, "en")
    option = question.option(3).label.get("en")
    previous = question.option(before).label.get("en")
    assert (
        f"{consultant} changed EQP-01 “{question.text.get('en')}” from “{before} · {previous}” "
        f"to “3 · {option}”. Reason: 产线已自动输送 &lt;i&gt;" in html
    )
    assert f"{submitted_by(changed)} submitted the assessment." in html


def submitted_by(assessment) -> str:
    return str(assessment.created_by)


def test_it_reads_as_chinese_sentences(client, respondent, consultant, changed):
    html = history(client, respondent, changed)
    question = changed.questionnaire.definition.questions["EQP-01"]
    assert f"{consultant} 将 EQP-01 “{question.text.get('zh-hans')}”" in html
    assert "提交了诊断" in html
    assert "diagnosis.answer.validated" not in html  # no raw codes for the firm


def test_it_shows_the_recorded_data_only_to_the_programme_office(
    client, respondent, administrator, changed
):
    assert "diagnosis.answer.validated" not in history(client, respondent, changed)
    assert "diagnosis.answer.validated" in history(client, administrator, changed)


def test_it_puts_notes_confirmations_and_the_return_in_words(
    client, respondent, consultant, submitted
):
    review.review_comment(
        assessment=submitted, author=consultant, text="请补充证据", question_code="SEC-02"
    )
    review.answers_confirm(
        assessment=submitted,
        consultant=consultant,
        answers=list(
            submitted.answers.filter(question__code__in=["STR-01", "STR-02"]).annotate(
                question_code=F("question__code")
            )
        ),
    )
    review.review_return(assessment=submitted, consultant=consultant, comment="请复核安全部分")
    html = history(client, respondent, submitted, "en")
    assert f"{consultant} noted on SEC-02" in html and "“请补充证据”" in html
    assert f"{consultant} confirmed 2 answers of Strategy and organisation as given" in html
    assert f"{consultant} returned the assessment to the firm: “请复核安全部分”" in html


def test_it_hides_the_history_from_other_firms(client, other_respondent, submitted):
    client.force_login(other_respondent)
    assert client.get(reverse("history", args=[submitted.pk])).status_code == 404
