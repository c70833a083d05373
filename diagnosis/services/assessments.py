"""Writes on assessments: start, save answers and goals, submit."""

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _

from diagnosis.models import Answer, Assessment, DimensionGoal, Firm, QuestionnaireVersion, User
from diagnosis.queries.assessments import AssessmentState, assessment_state
from diagnosis.queries.evidence import evidence_bytes_used, stored_size
from diagnosis.queries.questionnaires import row_ids
from diagnosis.rows import RowUpdate
from diagnosis.services.audit import audit_log
from diagnosis.services.benchmarks import benchmark_refresh_after_commit
from diagnosis.services.evidence import evidence_files_delete, evidence_files_delete_on_commit
from diagnosis.services.notifications import notify_submitted
from diagnosis.services.questionnaires import current_questionnaire
from diagnosis.services.scoring import assessment_score


class AssessmentError(Exception):
    """A rule of the assessment's life cycle was broken; the message says which."""


class EvidenceQuotaExceeded(AssessmentError):
    """The firm's evidence files would pass EVIDENCE_QUOTA_PER_FIRM_MB; nothing was saved.
    `codes` are the questions whose new files did not fit."""

    def __init__(self, message: str, codes: list[str]) -> None:
        super().__init__(message)
        self.codes = codes


@dataclass
class _FileChanges:
    """Evidence files a save stored (new) and the ones its answers no longer reference."""

    stored: list[str] = field(default_factory=list)
    replaced: list[str] = field(default_factory=list)


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

    @property
    def is_blank(self) -> bool:
        """Says nothing: no value, not marked not applicable, no note, no file."""
        return (
            self.value in (None, "", [])
            and not self.not_applicable
            and not self.note
            and self.evidence is None
        )


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
def assessment_start(
    *, firm: Firm, user: User, questionnaire: QuestionnaireVersion | None = None
) -> Assessment:
    """Start an assessment on the current questionnaire (the newest published version); a
    firm has one open at a time. `questionnaire` names an older published version instead,
    for seeding a history taken before the current version was published."""
    if Assessment.objects.filter(firm=firm, status__in=Assessment.OPEN_STATUSES).exists():
        raise AssessmentError(_("Your firm already has an assessment in progress."))
    if questionnaire is None:
        questionnaire = current_questionnaire()
    if questionnaire is None or questionnaire.status != QuestionnaireVersion.Status.PUBLISHED:
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


ANSWER_FIELDS = [
    "value",
    "not_applicable",
    "note",
    "evidence",
    "evidence_name",
    "evidence_size",
    "revision",
    "answered_by",
    "answered_at",
]
# The autosave's write, if nobody changed the answer since it was read (see diagnosis/rows.py).
_ANSWER_UPDATE = RowUpdate(Answer, ANSWER_FIELDS, where=["id", "revision"])


@dataclass(frozen=True)
class GoalEntry:
    dimension_code: str
    target_level: int | None
    relevance: int


def answers_save(
    *,
    assessment: Assessment,
    user: User,
    entries: list[AnswerEntry],
    goal: GoalEntry | None = None,
) -> SaveResult:
    """Save a page of answers (and its goal) with one upsert each, in one transaction.

    The later save wins; answers someone else changed since the author saw them are
    reported and logged. Blank entries for questions never answered are skipped. A
    concurrent first save of the same answer is retried once, becoming an overwrite.
    """
    with _only_while_open():
        try:
            return _answers_save_or_drop_files(assessment, user, entries, goal)
        except IntegrityError as error:
            if _is_closed(error):
                raise
            return _answers_save_or_drop_files(assessment, user, entries, goal)


def _answers_save_or_drop_files(
    assessment: Assessment, user: User, entries: list[AnswerEntry], goal: GoalEntry | None
) -> SaveResult:
    """_answers_save; if it fails, the files it stored are deleted at once: the rows that
    named them were rolled back with it."""
    files = _FileChanges()
    try:
        return _answers_save(assessment, user, entries, goal, files)
    except BaseException:
        evidence_files_delete(files.stored)
        raise


@transaction.atomic
def _answers_save(
    assessment: Assessment,
    user: User,
    entries: list[AnswerEntry],
    goal: GoalEntry | None,
    files: _FileChanges,
) -> SaveResult:
    ids = row_ids(assessment.questionnaire).questions
    now = timezone.now()
    existing = {
        answer.question_id: answer
        for answer in Answer.objects.select_for_update(of=("self",))
        .select_related("answered_by")
        .filter(assessment=assessment, question_id__in=[ids[e.code] for e in entries])
    }
    _check_evidence_quota(assessment, entries, {e.code: existing.get(ids[e.code]) for e in entries})
    result = SaveResult()
    for entry in entries:
        answer = existing.get(ids[entry.code])
        if answer is None:
            if entry.is_blank:
                continue
            answer = Answer(assessment=assessment, question_id=ids[entry.code], revision=0)
        else:
            _note_overwrite(result, answer, entry)
        _apply(answer, entry, user, now, files)
        answer.question_code = entry.code
        result.answers[entry.code] = answer
    if result.answers:
        for answer in result.answers.values():
            answer.pk = None  # new and existing rows alike: one INSERT … ON CONFLICT UPDATE
        Answer.objects.bulk_create(
            list(result.answers.values()),
            update_conflicts=True,
            unique_fields=["assessment", "question"],
            update_fields=ANSWER_FIELDS,
        )
    if goal is not None:
        _goal_upsert(assessment, goal)
    _log_overwrites(assessment, user, result)
    evidence_files_delete_on_commit(files.replaced)
    return result


def _check_evidence_quota(
    assessment: Assessment, entries: list[AnswerEntry], existing: dict[str, Answer | None]
) -> None:
    """EvidenceQuotaExceeded if the new files would take the firm past its quota (the
    files they replace no longer count). The firm's row is locked first, so that two
    uploads at once cannot both take the last room."""
    quota = settings.EVIDENCE_QUOTA_PER_FIRM_BYTES
    uploads = [entry for entry in entries if entry.evidence is not None]
    if not quota or not uploads:
        return
    Firm.objects.select_for_update().filter(pk=assessment.firm_id).first()
    freed = sum(
        _evidence_bytes(answer)
        for entry in entries
        if (entry.evidence is not None or entry.remove_evidence)
        and (answer := existing.get(entry.code)) is not None
    )
    incoming = sum(entry.evidence.size or 0 for entry in uploads if entry.evidence is not None)
    used = evidence_bytes_used(assessment.firm) - freed
    if used + incoming <= quota:
        return
    raise EvidenceQuotaExceeded(
        _(
            "Your firm's evidence files may take %(quota)s together; %(used)s are used, and "
            "this file needs %(size)s. Remove files you no longer need, or upload a smaller "
            "one."
        )
        % {
            "quota": filesizeformat(quota),
            "used": filesizeformat(max(used, 0)),
            "size": filesizeformat(incoming),
        },
        codes=[entry.code for entry in uploads],
    )


def _evidence_bytes(answer: Answer) -> int:
    if not answer.evidence:
        return 0
    if answer.evidence_size is not None:
        return answer.evidence_size
    return stored_size(answer.evidence.name or "")


def answer_save(
    *, assessment: Assessment, user: User, entry: AnswerEntry, current: Answer | None
) -> SaveResult:
    """Save one answer with a single statement when nobody wrote it meanwhile.

    `current` is the answer as the caller read it. The write only succeeds if the stored
    revision is still that one (optimistic locking); otherwise, or if someone created the
    answer first, it falls back to the locking bulk path. Raises AssessmentError if the
    assessment was submitted meanwhile. A file stored, replaced or removed always takes
    the locking path, which checks the firm's quota and deletes replaced files on commit.
    """
    if entry.evidence is not None or entry.remove_evidence:
        return answers_save(assessment=assessment, user=user, entries=[entry])
    answer = current or Answer(
        assessment=assessment,
        question_id=row_ids(assessment.questionnaire).questions[entry.code],
        revision=0,
    )
    result = SaveResult()
    if current is not None:
        _note_overwrite(result, current, entry)
    read_revision = answer.revision
    _apply(answer, entry, user, timezone.now(), _FileChanges())
    answer.question_code = entry.code
    with _only_while_open():
        if current is None:
            try:
                answer.save(force_insert=True)
            except IntegrityError as error:
                if _is_closed(error):
                    raise
                return answers_save(assessment=assessment, user=user, entries=[entry])
        else:
            written = _ANSWER_UPDATE.execute(answer, [answer.pk, read_revision])
            if not written:
                return answers_save(assessment=assessment, user=user, entries=[entry])
    result.answers[entry.code] = answer
    _log_overwrites(assessment, user, result)
    return result


def _note_overwrite(result: SaveResult, answer: Answer, entry: AnswerEntry) -> None:
    overwrite = _overwrite(answer, entry)
    if overwrite:
        result.overwrites.append(overwrite)


def _log_overwrites(assessment: Assessment, user: User, result: SaveResult) -> None:
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


def _overwrite(answer: Answer, entry: AnswerEntry) -> Overwrite | None:
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


def _apply(
    answer: Answer, entry: AnswerEntry, user: User, now: datetime, files: _FileChanges
) -> None:
    answer.value = None if entry.not_applicable else entry.value
    answer.not_applicable = entry.not_applicable
    answer.note = entry.note
    previous = answer.evidence.name or ""
    if entry.evidence is not None:
        # Stored under a random name: users' file names may be long, odd or hostile.
        name = Path(entry.evidence.name or "")
        suffix = name.suffix.lower()[:10]
        answer.evidence.save(uuid.uuid4().hex + suffix, entry.evidence, save=False)
        files.stored.append(answer.evidence.name or "")
        answer.evidence_name = name.name[-200:]
        answer.evidence_size = entry.evidence.size
    elif entry.remove_evidence:
        answer.evidence = ""
        answer.evidence_name = ""
        answer.evidence_size = None
    if previous and previous != (answer.evidence.name or ""):
        files.replaced.append(previous)
    answer.revision += 1
    answer.answered_by = user
    answer.answered_at = now


def goal_save(
    *, assessment: Assessment, dimension_code: str, target_level: int | None, relevance: int
) -> None:
    """Store the firm's target level and relevance (1–5) for one dimension (one upsert)."""
    with _only_while_open():
        _goal_upsert(assessment, GoalEntry(dimension_code, target_level, relevance))


# The database refuses changes to answers and goals of an assessment that is not open
# (migration 0002), which also stops a save that raced a colleague's submission.
CLOSED_MARKER = "assessment is not open for answers"


def _is_closed(error: IntegrityError) -> bool:
    return CLOSED_MARKER in str(error)


@contextmanager
def _only_while_open() -> Iterator[None]:
    """Turn the database's refusal to change a closed assessment into an AssessmentError."""
    try:
        yield
    except IntegrityError as error:
        if not _is_closed(error):
            raise
        raise AssessmentError(
            _("This assessment has been submitted and can no longer be changed.")
        ) from None


def _goal_upsert(assessment: Assessment, goal: GoalEntry) -> None:
    dimension_id = row_ids(assessment.questionnaire).dimensions[goal.dimension_code]
    DimensionGoal.objects.bulk_create(
        [
            DimensionGoal(
                assessment=assessment,
                dimension_id=dimension_id,
                target_level=goal.target_level,
                relevance=goal.relevance,
            )
        ],
        update_conflicts=True,
        unique_fields=["assessment", "dimension"],
        update_fields=["target_level", "relevance", "updated_at"],
    )


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
    benchmark_refresh_after_commit()  # the programme's result figures count submissions
    return assessment
