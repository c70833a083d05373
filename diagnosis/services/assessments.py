"""Writes on assessments: start, save answers and goals, submit."""

from dataclasses import dataclass, field
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from diagnosis.models import Answer, Assessment, DimensionGoal, Firm, User
from diagnosis.queries.assessments import AssessmentState, assessment_state
from diagnosis.queries.questionnaires import row_ids
from diagnosis.services.audit import audit_log
from diagnosis.services.notifications import notify_submitted
from diagnosis.services.questionnaires import current_questionnaire
from diagnosis.services.scoring import assessment_score


class AssessmentError(Exception):
    """A rule of the assessment's life cycle was broken; the message says which."""


@dataclass(frozen=True)
class AnswerEntry:
    """One question's cleaned input. `seen_revision` is the revision the author last saw."""

    code: str
    value: Any
    not_applicable: bool = False
    note: str = ""
    evidence: UploadedFile | None = None
    remove_evidence: bool = False
    seen_revision: int | None = None


@dataclass(frozen=True)
class Overwrite:
    """An answer someone else changed after the author last saw it; the save still won."""

    code: str
    previous_value: Any
    previous_not_applicable: bool
    previous_author: str
    previous_at: Any


@dataclass
class SaveResult:
    answers: dict[str, Answer] = field(default_factory=dict)
    overwrites: list[Overwrite] = field(default_factory=list)


@transaction.atomic
def assessment_start(*, firm: Firm, user: User) -> Assessment:
    """Start an assessment on the current questionnaire; a firm has one open at a time."""
    if Assessment.objects.filter(firm=firm, status__in=Assessment.OPEN_STATUSES).exists():
        raise AssessmentError(_("Your firm already has an assessment in progress."))
    questionnaire = current_questionnaire()
    if questionnaire is None:
        raise AssessmentError(_("No questionnaire is published yet."))
    previous = (
        Assessment.objects.filter(firm=firm)
        .exclude(status__in=Assessment.OPEN_STATUSES)
        .order_by("-submitted_at")
        .first()
    )
    try:
        with transaction.atomic():
            assessment = Assessment.objects.create(
                firm=firm, questionnaire=questionnaire, created_by=user, previous=previous
            )
    except IntegrityError:
        raise AssessmentError(_("Your firm already has an assessment in progress.")) from None
    audit_log("diagnosis.assessment.started", actor=user, assessment=assessment)
    return assessment


def answers_save(*, assessment: Assessment, user: User, entries: list[AnswerEntry]) -> SaveResult:
    """Save answers in bulk, in one transaction; the later save wins, overwrites are reported.

    A concurrent first save of the same answer (unique constraint) is retried once, so
    that it becomes an ordinary overwrite.
    """
    try:
        return _answers_save(assessment, user, entries)
    except IntegrityError:
        return _answers_save(assessment, user, entries)


@transaction.atomic
def _answers_save(assessment: Assessment, user: User, entries: list[AnswerEntry]) -> SaveResult:
    ids = row_ids(assessment.questionnaire).questions
    now = timezone.now()
    existing = {
        answer.question_id: answer
        for answer in Answer.objects.select_for_update()
        .select_related("answered_by")
        .filter(assessment=assessment, question_id__in=[ids[e.code] for e in entries])
    }
    result = SaveResult()
    to_create, to_update = [], []
    for entry in entries:
        answer = existing.get(ids[entry.code])
        if answer is None:
            answer = Answer(assessment=assessment, question_id=ids[entry.code], revision=0)
            to_create.append(answer)
        else:
            overwrite = _overwrite(answer, entry, user)
            if overwrite:
                result.overwrites.append(overwrite)
            to_update.append(answer)
        _apply(answer, entry, user, now)
        answer.question_code = entry.code
        result.answers[entry.code] = answer
    Answer.objects.bulk_create(to_create)
    if to_update:
        Answer.objects.bulk_update(
            to_update,
            [
                "value",
                "not_applicable",
                "note",
                "evidence",
                "evidence_name",
                "revision",
                "answered_by",
                "answered_at",
            ],
        )
    for overwrite in result.overwrites:
        audit_log(
            "diagnosis.answer.overwritten",
            actor=user,
            assessment=assessment,
            data={
                "question": overwrite.code,
                "before": overwrite.previous_value,
                "before_not_applicable": overwrite.previous_not_applicable,
                "before_author": overwrite.previous_author,
                "after": result.answers[overwrite.code].value,
            },
        )
    return result


def _overwrite(answer: Answer, entry: AnswerEntry, user: User) -> Overwrite | None:
    """An Overwrite if the stored answer changed since the author saw it and now differs."""
    if entry.seen_revision is None or entry.seen_revision == answer.revision:
        return None
    if answer.value == entry.value and answer.not_applicable == entry.not_applicable:
        return None
    return Overwrite(
        code=entry.code,
        previous_value=answer.value,
        previous_not_applicable=answer.not_applicable,
        previous_author=str(answer.answered_by or _("someone")),
        previous_at=answer.answered_at,
    )


def _apply(answer: Answer, entry: AnswerEntry, user: User, now) -> None:
    answer.value = None if entry.not_applicable else entry.value
    answer.not_applicable = entry.not_applicable
    answer.note = entry.note
    if entry.evidence is not None:
        answer.evidence.save(entry.evidence.name, entry.evidence, save=False)
        answer.evidence_name = entry.evidence.name[:200]
    elif entry.remove_evidence:
        answer.evidence = ""
        answer.evidence_name = ""
    answer.revision += 1
    answer.answered_by = user
    answer.answered_at = now


@transaction.atomic
def goal_save(
    *, assessment: Assessment, dimension_code: str, target_level: int | None, relevance: int
) -> DimensionGoal:
    """Store the firm's target level and relevance (1–5) for one dimension."""
    dimension_id = row_ids(assessment.questionnaire).dimensions[dimension_code]
    goal, _created = DimensionGoal.objects.update_or_create(
        assessment=assessment,
        dimension_id=dimension_id,
        defaults={"target_level": target_level, "relevance": relevance},
    )
    goal.dimension_code = dimension_code
    return goal


def submission_problems(state: AssessmentState) -> list[str]:
    """Human-readable reasons the assessment cannot be submitted yet (empty: it can)."""
    problems = []
    missing = state.missing_questions()
    if missing:
        problems.append(_("%(count)d questions are not answered yet.") % {"count": len(missing)})
    if state.missing_targets():
        problems.append(
            _("%(count)d dimensions have no target level.")
            % {"count": len(state.missing_targets())}
        )
    return problems


@transaction.atomic
def assessment_submit(*, assessment: Assessment, user: User) -> Assessment:
    """Freeze a complete assessment and store its self-assessed score card."""
    locked = Assessment.objects.select_for_update().get(pk=assessment.pk)
    if not locked.is_open:
        raise AssessmentError(_("This assessment has already been submitted."))
    state = assessment_state(assessment)
    problems = submission_problems(state)
    if problems:
        raise AssessmentError(" ".join(problems))
    assessment.status = Assessment.Status.SUBMITTED
    assessment.submitted_at = timezone.now()
    assessment.save(update_fields=["status", "submitted_at"])
    assessment_score(assessment=assessment, state=state)
    audit_log(
        "diagnosis.assessment.submitted",
        actor=user,
        assessment=assessment,
        data={"status": {"before": locked.status, "after": assessment.status}},
    )
    transaction.on_commit(lambda: notify_submitted(assessment.pk))
    return assessment
