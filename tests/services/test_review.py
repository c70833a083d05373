import pytest
from django.core import mail

from diagnosis.models import Answer, AuditEntry, ScoreResult
from diagnosis.services import review
from diagnosis.services.assessments import (
    AnswerEntry,
    AssessmentError,
    answers_save,
    assessment_submit,
)
from tests.answering import fill


def answer(assessment, code: str) -> Answer:
    return Answer.objects.get(assessment=assessment, question__code=code)


def test_it_emails_the_assigned_consultant_on_submission(
    draft, respondent, consultant, django_capture_on_commit_callbacks
):
    fill(draft, respondent)
    with django_capture_on_commit_callbacks(execute=True):
        assessment_submit(assessment=draft, user=respondent)
    assert [m.to for m in mail.outbox] == [[consultant.email]]
    assert draft.firm.name in mail.outbox[0].subject


def test_it_requires_a_reason_to_change_an_answer(submitted, consultant):
    with pytest.raises(review.ReviewError):
        review.answer_validate(
            assessment=submitted,
            answer=answer(submitted, "STR-01"),
            consultant=consultant,
            confirmed=False,
            value=0,
        )


def test_it_records_a_validated_answer_in_the_audit_trail(submitted, consultant):
    review.answer_validate(
        assessment=submitted,
        answer=answer(submitted, "STR-01"),
        consultant=consultant,
        confirmed=False,
        value=1,
        reason="No written plan was shown.",
    )
    entry = AuditEntry.objects.get(action="diagnosis.answer.validated")
    assert entry.actor == consultant
    assert entry.data["after"]["value"] == 1
    assert entry.data["reason"] == "No written plan was shown."
    submitted.refresh_from_db()
    assert submitted.status == "in_review"


def test_it_signs_off_with_validated_scores_beside_the_self_assessed(draft, respondent, consultant):
    fill(draft, respondent, high=True)
    submitted = assessment_submit(assessment=draft, user=respondent)
    original = answer(submitted, "EQP-01").value
    review.answer_validate(
        assessment=submitted,
        answer=answer(submitted, "EQP-01"),
        consultant=consultant,
        confirmed=False,
        value=0,
        reason="Only manual machines on site.",
    )
    review.review_sign_off(assessment=submitted, consultant=consultant)
    results = {r.kind: r for r in ScoreResult.objects.filter(assessment=submitted)}
    assert set(results) == {"self", "validated"}
    validated_eqp = next(d for d in results["validated"].card["dimensions"] if d["code"] == "EQP")
    self_eqp = next(d for d in results["self"].card["dimensions"] if d["code"] == "EQP")
    assert original != 0
    assert validated_eqp["score"] < self_eqp["score"]
    submitted.refresh_from_db()
    assert (submitted.status, submitted.validated_by) == ("validated", consultant)


def test_it_keeps_a_signed_off_assessment_immutable(submitted, consultant, respondent):
    review.review_sign_off(assessment=submitted, consultant=consultant)
    with pytest.raises(review.ReviewError):
        review.answer_validate(
            assessment=submitted,
            answer=answer(submitted, "STR-01"),
            consultant=consultant,
            confirmed=True,
        )
    with pytest.raises(AssessmentError):
        assessment_submit(assessment=submitted, user=respondent)


def test_it_returns_an_assessment_the_firm_can_edit_and_resubmit(
    submitted, consultant, respondent, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        review.review_return(assessment=submitted, consultant=consultant, comment="Check EQP-03.")
    assert sorted(m.to[0] for m in mail.outbox) == [respondent.email]
    assert "Check EQP-03." in mail.outbox[0].body
    submitted.refresh_from_db()
    assert submitted.is_open
    answers_save(
        assessment=submitted, user=respondent, entries=[AnswerEntry(code="EQP-03", value=10)]
    )
    assessment_submit(assessment=submitted, user=respondent)
    submitted.refresh_from_db()
    assert submitted.status == "submitted"


def test_it_needs_a_comment_to_return(submitted, consultant):
    with pytest.raises(review.ReviewError):
        review.review_return(assessment=submitted, consultant=consultant, comment="  ")


def test_it_emails_the_firm_when_signed_off(
    submitted, consultant, respondent, colleague, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        review.review_sign_off(assessment=submitted, consultant=consultant)
    assert sorted(m.to[0] for m in mail.outbox) == sorted([respondent.email, colleague.email])


def test_it_offers_no_way_to_change_the_audit_trail(submitted):
    entry = AuditEntry.objects.first()
    assert entry is not None
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entry.delete()
    with pytest.raises(PermissionError):
        AuditEntry.objects.all().delete()
    with pytest.raises(PermissionError):
        AuditEntry.objects.update(action="x")


def test_it_confirms_unchanged_answers_and_keeps_changed_ones(submitted, consultant):
    from django.db.models import F

    changed = answer(submitted, "EQP-01")
    review.answer_validate(
        assessment=submitted,
        answer=changed,
        consultant=consultant,
        confirmed=False,
        value=1,
        reason="只有一台数控机床",
    )
    answers = list(
        Answer.objects.filter(assessment=submitted, question__code__startswith="EQP-0")
        .select_related("validation")
        # Answer declares question_code (not a column), as queries.assessments annotates it.
        .annotate(question_code=F("question__code"))  # type: ignore[no-redef]
    )
    confirmed = review.answers_confirm(assessment=submitted, consultant=consultant, answers=answers)
    assert "EQP-01" not in confirmed and len(confirmed) == len(answers) - 1
    assert answer(submitted, "EQP-01").validation.value == 1
    entry = AuditEntry.objects.get(action="diagnosis.answers.confirmed")
    assert entry.data["questions"] == confirmed
    assert (
        review.answers_confirm(assessment=submitted, consultant=consultant, answers=answers[1:2])
        == []
    )  # already confirmed since the last change


def test_it_adds_a_note_on_a_question(submitted, consultant):
    note = review.review_comment(
        assessment=submitted, author=consultant, text="请补充", question_code="SEC-02"
    )
    assert note.question is not None
    assert note.question.code == "SEC-02" and not note.is_finding
    with pytest.raises(review.ReviewError):
        review.review_comment(
            assessment=submitted, author=consultant, text="x", question_code="NOPE-9"
        )


def test_it_marks_the_reason_for_returning(submitted, consultant):
    review.review_comment(assessment=submitted, author=consultant, text="一般意见")
    review.review_return(assessment=submitted, consultant=consultant, comment="请复核")
    reasons = submitted.comments.filter(is_return_reason=True)
    assert [c.text for c in reasons] == ["请复核"]


def test_it_numbers_signed_reports_with_a_code_that_cannot_be_guessed(
    submitted, consultant, provider
):
    review.review_sign_off(assessment=submitted, consultant=consultant)
    submitted.refresh_from_db()
    assert submitted.report_number == f"DD-{submitted.validated_at.year}-{submitted.pk:06d}"
    assert submitted.validated_provider == provider
    codes = {review.new_verification_code() for _ in range(200)}
    assert len(codes) == 200  # 80 random bits each
    assert all(len(code) == 16 and set(code) <= set(review.CODE_ALPHABET) for code in codes)
    assert len(submitted.verification_code) == 16
