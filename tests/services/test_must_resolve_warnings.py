"""Must-resolve consistency warnings block sign-off until the consultant resolves each one
with a reason (issue 12 item 5; review §5.5). The numbers questionnaire's C-NET-RATE
(OPS-01 at 4–5 while at most 30 % of the machines are networked) is must-resolve;
C-NET-INFO is information only."""

import pytest

from diagnosis.models import Answer, AuditEntry, ScoreResult, WarningResolution
from diagnosis.services import review
from diagnosis.services.assessments import AnswerEntry, answers_save, assessment_submit
from tests.numbers_world import numbers_answer, numbers_draft

CONTRADICTION = {"OPS_01": 4, "EQP_01": 100, "EQP_02": 10, "ENE_01": 90, "ENE_02": 100}


@pytest.fixture
def warned(firm, respondent, consultant):
    """A submitted numbers assessment whose answers raise C-NET-RATE (must resolve)."""
    draft = numbers_draft(firm, respondent)
    numbers_answer(draft, respondent, **CONTRADICTION)
    return assessment_submit(assessment=draft, user=respondent)


def answer(assessment, code):
    return Answer.objects.get(assessment=assessment, question__code=code)


def test_the_fixture_raises_the_must_resolve_warning(warned):
    card = warned.results.get(kind="self").card
    assert [(w["code"], w.get("severity")) for w in card["warnings"]] == [
        ("C-NET-RATE", "must_resolve")
    ]


def test_it_refuses_to_sign_off_while_a_must_resolve_warning_is_open(warned, consultant):
    with pytest.raises(review.ReviewError, match="C-NET-RATE"):
        review.review_sign_off(assessment=warned, consultant=consultant)
    warned.refresh_from_db()
    assert warned.status == "submitted" and warned.report_number is None
    assert not ScoreResult.objects.filter(assessment=warned, kind="validated").exists()


@pytest.mark.parametrize("reason", ["", "   \n "])
def test_it_refuses_a_resolution_without_a_reason(warned, consultant, reason):
    with pytest.raises(review.ReviewError):
        review.warning_resolve(
            assessment=warned, consultant=consultant, code="C-NET-RATE", reason=reason
        )
    assert not WarningResolution.objects.exists()
    assert not AuditEntry.objects.filter(action="diagnosis.warning.resolved").exists()


def test_it_records_and_audits_a_resolution_then_signs_off(warned, consultant):
    resolution = review.warning_resolve(
        assessment=warned,
        consultant=consultant,
        code="C-NET-RATE",
        reason="  现场核实：联网率统计口径只含数控设备。 ",
    )
    stored = WarningResolution.objects.get()
    assert stored == resolution
    assert (stored.assessment, stored.code, stored.resolved_by) == (
        warned,
        "C-NET-RATE",
        consultant,
    )
    assert stored.reason == "现场核实：联网率统计口径只含数控设备。"
    assert stored.resolved_at is not None
    entry = AuditEntry.objects.get(action="diagnosis.warning.resolved")
    assert entry.actor == consultant and entry.assessment == warned
    assert entry.data["code"] == "C-NET-RATE"
    assert entry.data["reason"] == stored.reason
    assert entry.data["questions"] == ["OPS-01", "EQP-03"]
    assert entry.data["before"] is None
    warned.refresh_from_db()
    assert warned.status == "in_review"
    review.review_sign_off(assessment=warned, consultant=consultant)
    warned.refresh_from_db()
    assert warned.status == "validated"


def test_resolving_again_replaces_the_reason_and_keeps_the_old_one_in_the_trail(warned, consultant):
    for reason in ("first reason", "second reason"):
        review.warning_resolve(
            assessment=warned, consultant=consultant, code="C-NET-RATE", reason=reason
        )
    assert WarningResolution.objects.get().reason == "second reason"
    entries = AuditEntry.objects.filter(action="diagnosis.warning.resolved")
    assert [e.data["before"] for e in entries] == [None, "first reason"]


@pytest.mark.parametrize("code", ["C-NET-INFO", "C-UNKNOWN"])
def test_it_refuses_to_resolve_a_warning_the_answers_do_not_raise(warned, consultant, code):
    with pytest.raises(review.ReviewError, match=code):
        review.warning_resolve(assessment=warned, consultant=consultant, code=code, reason="x")
    assert not WarningResolution.objects.exists()


def test_a_changed_answer_that_drops_the_warning_leaves_no_block(warned, consultant):
    review.answer_validate(
        assessment=warned,
        answer=answer(warned, "OPS-01"),
        consultant=consultant,
        confirmed=False,
        value=1,
        reason="Only a few machines are networked.",
    )
    review.review_sign_off(assessment=warned, consultant=consultant)
    validated = warned.results.get(kind="validated").card
    assert validated["warnings"] == []
    assert not WarningResolution.objects.exists()


def test_a_resolution_holds_while_the_warning_code_is_raised_again(warned, consultant):
    review.warning_resolve(
        assessment=warned, consultant=consultant, code="C-NET-RATE", reason="Checked on site."
    )
    # The consultant's change re-scores the answers; the same rule still fires.
    review.answer_validate(
        assessment=warned,
        answer=answer(warned, "EQP-02"),
        consultant=consultant,
        confirmed=False,
        value=20,
        reason="Counted twenty on site.",
    )
    review.review_sign_off(assessment=warned, consultant=consultant)
    validated = warned.results.get(kind="validated").card
    assert [w["code"] for w in validated["warnings"]] == ["C-NET-RATE"]


def test_a_resolution_holds_through_a_return_and_a_new_submission(warned, consultant, respondent):
    review.warning_resolve(
        assessment=warned, consultant=consultant, code="C-NET-RATE", reason="Checked on site."
    )
    review.review_return(assessment=warned, consultant=consultant, comment="请核对 ENE-01。")
    answers_save(assessment=warned, user=respondent, entries=[AnswerEntry("ENE-01", 95)])
    assessment_submit(assessment=warned, user=respondent)
    review.review_sign_off(assessment=warned, consultant=consultant)
    warned.refresh_from_db()
    assert warned.status == "validated"


def test_a_warning_that_appears_with_a_changed_answer_blocks_sign_off(firm, respondent, consultant):
    draft = numbers_draft(firm, respondent)
    numbers_answer(draft, respondent, **(CONTRADICTION | {"OPS_01": 2}))
    submitted = assessment_submit(assessment=draft, user=respondent)
    assert submitted.results.get(kind="self").card["warnings"] == []
    review.answer_validate(
        assessment=submitted,
        answer=answer(submitted, "OPS-01"),
        consultant=consultant,
        confirmed=False,
        value=5,
        reason="All machines report to the platform.",
    )
    with pytest.raises(review.ReviewError, match="C-NET-RATE"):
        review.review_sign_off(assessment=submitted, consultant=consultant)


def test_an_information_warning_does_not_block_sign_off(firm, respondent, consultant):
    draft = numbers_draft(firm, respondent)
    answers = CONTRADICTION | {"OPS_01": 0, "EQP_02": 90}
    numbers_answer(draft, respondent, **answers)
    submitted = assessment_submit(assessment=draft, user=respondent)
    card = submitted.results.get(kind="self").card
    assert [w["code"] for w in card["warnings"]] == ["C-NET-INFO"]
    review.review_sign_off(assessment=submitted, consultant=consultant)
    submitted.refresh_from_db()
    assert submitted.status == "validated"


def test_a_resolution_gives_the_unsigned_report_pdf_a_new_version(warned, consultant):
    from diagnosis.services.report_pdfs import report_pdf_version

    results = list(ScoreResult.objects.filter(assessment=warned))
    before = report_pdf_version(warned, results)
    review.warning_resolve(
        assessment=warned, consultant=consultant, code="C-NET-RATE", reason="Checked."
    )
    warned.status = "submitted"  # the same status: only the resolution differs
    assert report_pdf_version(warned, results) != before
