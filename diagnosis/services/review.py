"""The consultant's review: validate answers, comment, return to the firm, sign off."""

import secrets
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from diagnosis.models import (
    Answer,
    AnswerValidation,
    Assessment,
    Assignment,
    Firm,
    Provider,
    ReviewComment,
    ScoreResult,
    User,
    WarningResolution,
)
from diagnosis.queries.assessments import assessment_state
from diagnosis.queries.questionnaires import row_ids
from diagnosis.queries.review import unresolved_warnings
from diagnosis.services.audit import audit_log
from diagnosis.services.benchmarks import benchmark_refresh_after_commit
from diagnosis.services.notifications import notify_firm
from diagnosis.services.report_pdfs import prepare_report_pdfs
from diagnosis.services.scoring import assessment_score, compute_card
from diagnosis.tasks import enqueue_on_commit, tasks_run_in_process

REVIEWABLE = (Assessment.Status.SUBMITTED, Assessment.Status.IN_REVIEW)
REASON_MAX_LENGTH = 2000


class ReviewError(Exception):
    """A review rule was broken; the message says which."""


def _lock(assessment: Assessment) -> Assessment:
    locked = Assessment.objects.select_for_update().get(pk=assessment.pk)
    if locked.status not in REVIEWABLE:
        raise ReviewError(_("This assessment is not waiting for review."))
    return locked


def _start_review(assessment: Assessment, locked: Assessment, user: User) -> None:
    if locked.status == Assessment.Status.SUBMITTED:
        _set_status(assessment, Assessment.Status.IN_REVIEW, user)


def _set_status(assessment: Assessment, status: str, user: User, **data: Any) -> None:
    before = assessment.status
    assessment.status = status
    assessment.save(
        update_fields=[
            "status",
            "validated_at",
            "validated_by",
            "validated_provider",
            "report_number",
            "verification_code",
        ]
    )
    audit_log(
        f"diagnosis.assessment.{status}",
        actor=user,
        assessment=assessment,
        data={"status": {"before": before, "after": status}, **data},
    )


@transaction.atomic
def answer_validate(
    *,
    assessment: Assessment,
    answer: Answer,
    consultant: User,
    confirmed: bool,
    value: Any = None,
    not_applicable: bool = False,
    reason: str = "",
) -> AnswerValidation:
    """Confirm an answer as given, or set the validated value; a change needs a reason."""
    locked = _lock(assessment)
    reason = reason.strip()
    if not confirmed and not reason:
        raise ReviewError(_("Give a reason when you change an answer."))
    previous = AnswerValidation.objects.filter(answer=answer).first()
    validation, _created = AnswerValidation.objects.update_or_create(
        answer=answer,
        defaults={
            "confirmed": confirmed,
            "value": None if confirmed or not_applicable else value,
            "not_applicable": False if confirmed else not_applicable,
            "reason": reason,
            "validated_by": consultant,
            "validated_at": timezone.now(),
        },
    )
    _start_review(assessment, locked, consultant)
    audit_log(
        "diagnosis.answer.validated",
        actor=consultant,
        assessment=assessment,
        data={
            "question": getattr(answer, "question_code", None) or answer.question.code,
            "answer": {"value": answer.value, "not_applicable": answer.not_applicable},
            "before": _validation_data(previous),
            "after": _validation_data(validation),
            "reason": reason,
        },
    )
    return validation


def _validation_data(validation: AnswerValidation | None) -> dict | None:
    if validation is None:
        return None
    return {
        "confirmed": validation.confirmed,
        "value": validation.value,
        "not_applicable": validation.not_applicable,
    }


@transaction.atomic
def answers_confirm(
    *, assessment: Assessment, consultant: User, answers: list[Answer]
) -> list[str]:
    """Confirm, in one step, the given answers that the consultant has not changed.

    Answers with a changed value keep it; answers already confirmed since their last
    change are left alone. Returns the codes of the answers confirmed now.
    """
    locked = _lock(assessment)
    now = timezone.now()
    pending = [answer for answer in answers if _needs_confirming(answer)]
    if not pending:
        return []
    AnswerValidation.objects.bulk_create(
        [
            AnswerValidation(
                answer=answer,
                confirmed=True,
                validated_by=consultant,
                validated_at=now,
            )
            for answer in pending
        ],
        update_conflicts=True,
        unique_fields=["answer"],
        update_fields=[
            "confirmed",
            "value",
            "not_applicable",
            "reason",
            "validated_by",
            "validated_at",
        ],
    )
    _start_review(assessment, locked, consultant)
    codes = [answer.question_code for answer in pending]
    audit_log(
        "diagnosis.answers.confirmed",
        actor=consultant,
        assessment=assessment,
        data={"questions": codes},
    )
    return codes


def _needs_confirming(answer: Answer) -> bool:
    """No verdict yet, or a confirmation of a value the firm has changed since."""
    validation = getattr(answer, "validation", None)
    if validation is None:
        return True
    return validation.confirmed and answer.answered_at > validation.validated_at


@transaction.atomic
def review_comment(
    *,
    assessment: Assessment,
    author: User,
    text: str,
    is_finding: bool = False,
    question_code: str = "",
) -> ReviewComment:
    """Add a comment, an overall finding (shown in the signed report), or a note on one
    question (`question_code`), which the firm sees at that question if it is returned."""
    text = text.strip()
    if not text:
        raise ReviewError(_("Write something first."))
    question_id = None
    if question_code:
        question_id = row_ids(assessment.questionnaire).questions.get(question_code)
        if question_id is None:
            raise ReviewError(_("There is no question %(code)s.") % {"code": question_code})
    locked = _lock(assessment)
    comment = ReviewComment.objects.create(
        assessment=assessment,
        author=author,
        question_id=question_id,
        text=text,
        is_finding=is_finding and not question_code,
        created_at=timezone.now(),
    )
    _start_review(assessment, locked, author)
    data: dict[str, Any] = {"finding": comment.is_finding, "text": text}
    if question_code:
        data["question"] = question_code
    audit_log("diagnosis.review.commented", actor=author, assessment=assessment, data=data)
    return comment


@transaction.atomic
def review_return(*, assessment: Assessment, consultant: User, comment: str) -> Assessment:
    """Send the assessment back to the firm with comments; its members may edit and resubmit."""
    if not comment.strip():
        raise ReviewError(_("Tell the firm what to change when you return the assessment."))
    _lock(assessment)
    if (
        Assessment.objects.filter(firm=assessment.firm, status__in=Assessment.OPEN_STATUSES)
        .exclude(pk=assessment.pk)
        .exists()
    ):
        raise ReviewError(
            _(
                "The firm has already started a new assessment, so this one cannot be "
                "returned; you can still sign it off."
            )
        )
    ReviewComment.objects.create(
        assessment=assessment,
        author=consultant,
        text=comment.strip(),
        is_return_reason=True,
        created_at=timezone.now(),
    )
    _set_status(assessment, Assessment.Status.RETURNED, consultant, comment=comment.strip())
    transaction.on_commit(
        lambda: notify_firm(assessment, "assessment-returned", {"comment": comment.strip()})
    )
    benchmark_refresh_after_commit()  # the provider table counts returns
    return assessment


@transaction.atomic
def warning_resolve(
    *, assessment: Assessment, consultant: User, code: str, reason: str
) -> WarningResolution:
    """Resolve a must-resolve warning that the answers, as validated so far, raise: the
    consultant says why it stands. Resolving it again replaces the reason (audited)."""
    reason = reason.strip()
    if not reason:
        raise ReviewError(_("Give the reason why the warning can be resolved."))
    if len(reason) > REASON_MAX_LENGTH:
        raise ReviewError(_("Write a reason of at most 2,000 characters."))
    locked = _lock(assessment)
    card = compute_card(assessment_state(assessment), ScoreResult.Kind.VALIDATED)
    warning = next((w for w in card.warnings if w.must_resolve and w.code == code), None)
    if warning is None:
        raise ReviewError(no_such_warning(code))
    previous = WarningResolution.objects.filter(assessment=assessment, code=code).first()
    resolution, _created = WarningResolution.objects.update_or_create(
        assessment=assessment,
        code=code,
        defaults={"reason": reason, "resolved_by": consultant, "resolved_at": timezone.now()},
    )
    _start_review(assessment, locked, consultant)
    audit_log(
        "diagnosis.warning.resolved",
        actor=consultant,
        assessment=assessment,
        data={
            "code": code,
            "message": warning.message.as_dict(),
            "questions": list(warning.questions),
            "reason": reason,
            "before": previous.reason if previous else None,
        },
    )
    return resolution


def no_such_warning(code: str) -> str:
    return _("The answers raise no warning %(code)s that must be resolved.") % {"code": code}


def sign_off_refusal(codes: list[str]) -> str:
    """Why sign-off waits: the must-resolve warnings still open, by code."""
    return ngettext(
        "Sign-off must wait: resolve the warning %(codes)s with a reason first.",
        "Sign-off must wait: resolve the warnings %(codes)s, each with a reason, first.",
        len(codes),
    ) % {"codes": ", ".join(codes)}


@transaction.atomic
def review_sign_off(*, assessment: Assessment, consultant: User) -> ScoreResult:
    """Freeze the review: store the validated score card; the report becomes official.

    Refused while the validated answers raise a must-resolve warning that no consultant
    has resolved (warning_resolve). The signed report gets the provider that vouches for
    it, a report number and a verification code that cannot be guessed, for the public
    check (report_verify).
    """
    _lock(assessment)
    state = assessment_state(assessment)
    card = compute_card(state, ScoreResult.Kind.VALIDATED)
    unresolved = [warning.code for warning in unresolved_warnings(assessment, card)]
    if unresolved:
        raise ReviewError(sign_off_refusal(unresolved))
    now = timezone.now()
    assessment.validated_at = now
    assessment.validated_by = consultant
    assignment = Assignment.objects.filter(firm_id=assessment.firm_id).first()
    assessment.validated_provider_id = assignment.provider_id if assignment else None
    assessment.report_number = report_number(assessment.pk, now.year)
    assessment.verification_code = new_verification_code()
    result = assessment_score(assessment=assessment, state=state, kind=ScoreResult.Kind.VALIDATED)
    _set_status(
        assessment,
        Assessment.Status.VALIDATED,
        consultant,
        overall={"self": _self_overall(assessment), "validated": result.overall},
        level=result.level,
    )
    if not tasks_run_in_process():  # else the sign-off would wait for four PDFs
        enqueue_on_commit(prepare_report_pdfs, assessment.pk)  # its PDFs as signed, once
    transaction.on_commit(lambda: notify_firm(assessment, "assessment-signed-off"))
    benchmark_refresh_after_commit()
    return result


REPORT_NUMBER_PREFIX = "DD"
# Crockford's base32: no I, L, O or U, so a code read aloud or retyped is not misread.
CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 16  # 80 random bits


def report_number(assessment_pk: int, year: int) -> str:
    """The printed number of a signed report, e.g. DD-2026-000042."""
    return f"{REPORT_NUMBER_PREFIX}-{year}-{assessment_pk:06d}"


def new_verification_code() -> str:
    """A random code of CODE_LENGTH characters (80 bits), stored without separators."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def _self_overall(assessment: Assessment) -> float | None:
    return (
        ScoreResult.objects.filter(assessment=assessment, kind=ScoreResult.Kind.SELF)
        .values_list("overall", flat=True)
        .first()
    )


def assignment_set_provider(*, firm: Firm, provider: Provider, actor: User) -> Assignment:
    """Assign a firm to a provider; its consultant stays only if the provider is unchanged."""
    current = Assignment.objects.filter(firm=firm).select_related("consultant").first()
    keep = current.consultant if current and current.provider_id == provider.pk else None
    return assignment_set(firm=firm, provider=provider, consultant=keep, actor=actor)


@transaction.atomic
def assignment_set(
    *, firm: Firm, provider: Provider, consultant: User | None, actor: User
) -> Assignment:
    """Assign a firm to a provider (and optionally one of its consultants)."""
    if (
        consultant is not None
        and not consultant.provider_memberships.filter(provider=provider).exists()
    ):
        raise ReviewError(_("That consultant does not work for this provider."))
    previous = Assignment.objects.filter(firm=firm).first()
    assignment, _created = Assignment.objects.update_or_create(
        firm=firm, defaults={"provider": provider, "consultant": consultant}
    )
    benchmark_refresh_after_commit()  # the provider table counts the firm's history anew
    audit_log(
        "diagnosis.firm.assigned",
        actor=actor,
        firm=firm,
        data={
            "before": {
                "provider": previous.provider_id if previous else None,
                "consultant": previous.consultant_id if previous else None,
            },
            "after": {"provider": provider.pk, "consultant": consultant.pk if consultant else None},
        },
    )
    return assignment
