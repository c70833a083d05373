"""Reads for the consultant's screens, and for what the firm sees of the review."""

import hmac
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any, TypedDict

from django.db.models import Count, Exists, F, OuterRef, QuerySet
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from diagnosis.answers import display_answer
from diagnosis.models import (
    Answer,
    AnswerValidation,
    Assessment,
    Assignment,
    Provider,
    ProviderMembership,
    ReviewComment,
    User,
    WarningResolution,
)
from diagnosis.queries.assessments import AssessmentState
from diagnosis.scoring import ScoreCard, score
from diagnosis.scoring.card import ConsistencyWarning
from diagnosis.scoring.definition import Definition, DimensionSpec, QuestionSpec, Text
from diagnosis.services.scoring import validated_inputs

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations


class _QuestionCode(TypedDict):
    question_code: str


# A consultant's note as question_notes annotates it (types only: django_stubs_ext is a
# development requirement).
type NoteOnQuestion = WithAnnotations[ReviewComment, _QuestionCode]

QUEUE_STATUSES = ["submitted", "in_review", "returned", "validated"]


def queue_counts(assessments: QuerySet[Assessment]) -> dict[str, int]:
    """Assessments per review status (one aggregate query)."""
    counts = dict.fromkeys(QUEUE_STATUSES, 0)
    for row in assessments.order_by().values("status").annotate(n=Count("pk")):
        if row["status"] in counts:
            counts[row["status"]] = row["n"]
    return counts


def _text(text: Text | None) -> str:
    return text.get(get_language() or "zh-hans") if text else ""


# --- The consultant's review screen ---------------------------------------------------


@dataclass(frozen=True)
class QuestionRef:
    """A question as a link target: code, text and the dimension whose page holds it."""

    code: str
    text: str
    dimension: str


@dataclass(frozen=True)
class WarningView:
    """A consistency warning with its message and the questions it involves, as read."""

    code: str
    message: str
    questions: tuple[QuestionRef, ...]
    must_resolve: bool = False  # blocks sign-off until resolved with a reason

    def involves(self, code: str) -> bool:
        return any(question.code == code for question in self.questions)


def warning_views(warnings: tuple[ConsistencyWarning, ...], definition: Definition) -> list:
    """The card's warnings with message texts and question texts in the active language."""
    views = []
    for warning in warnings:
        questions = tuple(
            QuestionRef(code, _text(spec.text), spec.dimension)
            for code in warning.questions
            if (spec := definition.questions.get(code)) is not None
        )
        views.append(
            WarningView(warning.code, _text(warning.message), questions, warning.must_resolve)
        )
    return views


# --- Must-resolve warnings ------------------------------------------------------------


def warning_resolutions(assessment: Assessment, codes: list[str]) -> dict[str, WarningResolution]:
    """The assessment's resolutions of these warning codes, by code (no query for none)."""
    if not codes:
        return {}
    resolutions = WarningResolution.objects.filter(
        assessment=assessment, code__in=codes
    ).select_related("resolved_by")
    return {resolution.code: resolution for resolution in resolutions}


def unresolved_warnings(assessment: Assessment, card: ScoreCard) -> list[ConsistencyWarning]:
    """The card's must-resolve warnings that no consultant has resolved (sign-off waits
    for them); a resolution holds for its code, whatever re-scoring changed."""
    codes = [warning.code for warning in card.warnings if warning.must_resolve]
    resolved = warning_resolutions(assessment, codes)
    return [w for w in card.warnings if w.must_resolve and w.code not in resolved]


@dataclass
class MustResolveItem:
    """A must-resolve warning on the review screen, with its resolution if there is one
    and the consultant's form (added by the view) if not."""

    warning: WarningView
    resolution: WarningResolution | None
    form: Any = None

    @property
    def resolved(self) -> bool:
        return self.resolution is not None


def must_resolve_items(
    assessment: Assessment, card: ScoreCard, definition: Definition
) -> list[MustResolveItem]:
    """The card's must-resolve warnings in file order, each with its resolution (one query,
    none when there is no such warning)."""
    warnings = tuple(warning for warning in card.warnings if warning.must_resolve)
    resolved = warning_resolutions(assessment, [warning.code for warning in warnings])
    return [
        MustResolveItem(view, resolved.get(view.code))
        for view in warning_views(warnings, definition)
    ]


@dataclass
class ReviewRow:
    """One question on the review screen: the firm's answer and the consultant's work."""

    question: QuestionSpec
    answer: Answer | None
    display: str
    validation: AnswerValidation | None
    validated_display: str
    stale: bool  # the firm changed the answer after the consultant's verdict
    warnings: list[WarningView]
    notes: list[ReviewComment]
    form: Any = None  # the consultant's form, added by the view
    just_saved: bool = False
    note_error: str = ""

    @property
    def validatable(self) -> bool:
        """Free-text answers are not scored, so there is nothing to validate."""
        return self.answer is not None and self.question.scored

    @property
    def state(self) -> str:
        """unanswered, text, open (no verdict, or a confirmation the firm's change made
        stale), confirmed or changed (the consultant's value stands, even if stale)."""
        if self.answer is None:
            return "unanswered"
        if not self.question.scored:
            return "text"
        if self.validation is None:
            return "open"
        if not self.validation.confirmed:
            return "changed"
        return "open" if self.stale else "confirmed"


def _is_stale(answer: Answer, validation: AnswerValidation | None) -> bool:
    return validation is not None and answer.answered_at > validation.validated_at


def review_row(
    state: AssessmentState,
    question: QuestionSpec,
    warnings: list[WarningView],
    notes: list[NoteOnQuestion],
) -> ReviewRow:
    answer = state.answers.get(question.code)
    validation = getattr(answer, "validation", None) if answer else None
    changed = validation is not None and not validation.confirmed
    if answer is not None:
        display = display_answer(question, answer.value, answer.not_applicable)
    elif state.defaulted(question):  # counted as "not applicable" (na_default_when)
        display = _("Not applicable (preset for the firm's industry; not answered)")
    else:
        display = "—"
    return ReviewRow(
        question=question,
        answer=answer,
        display=display,
        validation=validation,
        validated_display=display_answer(question, validation.value, validation.not_applicable)
        if changed and validation is not None
        else "",
        stale=_is_stale(answer, validation) if answer else False,
        warnings=[warning for warning in warnings if warning.involves(question.code)],
        notes=[note for note in notes if note.question_code == question.code],
    )


def question_notes(assessment: Assessment, codes: list[str]) -> list[NoteOnQuestion]:
    """The consultant's notes on the given questions, oldest first (one query)."""
    return list(
        ReviewComment.objects.filter(assessment=assessment, question__code__in=codes)
        .select_related("author")
        .annotate(question_code=F("question__code"))
    )


def review_rows(
    state: AssessmentState, dimension: DimensionSpec, warnings: list[WarningView]
) -> list[ReviewRow]:
    """The dimension's visible questions with answer, verdict, warnings and notes."""
    questions = [question for question in dimension.questions if state.visible(question)]
    notes = question_notes(state.assessment, [question.code for question in questions])
    return [review_row(state, question, warnings, notes) for question in questions]


@dataclass(frozen=True)
class DimensionLine:
    """One dimension on the review screen's score strip."""

    code: str
    name: str
    critical: bool
    self_score: float | None
    validated_score: float | None
    target_name: str
    target_score: float | None
    gap: float
    to_check: int  # answers that can be validated
    confirmed: int
    changed: int
    warned: int

    @property
    def open(self) -> int:
        return self.to_check - self.confirmed - self.changed

    @property
    def moved(self) -> bool:
        return self.self_score != self.validated_score


@dataclass(frozen=True)
class ReviewSummary:
    """The scores as the firm gave them and with the consultant's verdicts so far."""

    self_card: ScoreCard
    validated_card: ScoreCard
    self_level: str
    validated_level: str
    lines: list[DimensionLine]
    warnings: list[WarningView]

    @property
    def open(self) -> int:
        return sum(line.open for line in self.lines)

    @property
    def changed(self) -> int:
        return sum(line.changed for line in self.lines)

    def line(self, code: str) -> DimensionLine:
        return next(line for line in self.lines if line.code == code)


def review_summary(state: AssessmentState) -> ReviewSummary:
    """Score the answers twice (as given, and as validated so far) and count the verdicts."""
    definition = state.definition
    goals = state.goal_inputs()
    self_card = score(definition, state.inputs, goals, state.profile)
    validated_card = score(definition, validated_inputs(state), goals, state.profile)
    levels = {level.number: _text(level.name) for level in definition.levels}
    warnings = warning_views(self_card.warnings, definition)
    lines = []
    for dimension in definition.dimensions:
        mine, theirs = validated_card.dimension(dimension.code), self_card.dimension(dimension.code)
        counts = _verdict_counts(state, dimension)
        lines.append(
            DimensionLine(
                code=dimension.code,
                name=_text(dimension.name),
                critical=dimension.critical,
                self_score=theirs.score,
                validated_score=mine.score,
                target_name=levels.get(mine.target_level, "—") if mine.target_level else "—",
                target_score=mine.target_score,
                gap=mine.gap,
                warned=sum(
                    1
                    for warning in warnings
                    if any(q.dimension == dimension.code for q in warning.questions)
                ),
                **counts,
            )
        )
    return ReviewSummary(
        self_card=self_card,
        validated_card=validated_card,
        self_level=levels[self_card.level],
        validated_level=levels[validated_card.level],
        lines=lines,
        warnings=warnings,
    )


def _verdict_counts(state: AssessmentState, dimension: DimensionSpec) -> dict[str, int]:
    counts = {"to_check": 0, "confirmed": 0, "changed": 0}
    for question in dimension.questions:
        answer = state.answers.get(question.code)
        if answer is None or not question.scored or not state.visible(question):
            continue
        counts["to_check"] += 1
        validation = getattr(answer, "validation", None)
        if validation is None:
            continue
        if not validation.confirmed:
            counts["changed"] += 1
        elif not _is_stale(answer, validation):
            counts["confirmed"] += 1
    return counts


def unconfirmed_answers(state: AssessmentState, dimension: DimensionSpec) -> list[Answer]:
    """The dimension's visible scored answers the consultant has not changed, with their
    question codes (for answers_confirm)."""
    answers = []
    for question in dimension.questions:
        answer = state.answers.get(question.code)
        if answer is None or not question.scored or not state.visible(question):
            continue
        validation = getattr(answer, "validation", None)
        if validation is None or validation.confirmed:
            answers.append(answer)
    return answers


# --- What the firm sees -----------------------------------------------------------------


@dataclass(frozen=True)
class FixItem:
    """A question the consultant commented on or changed, as the firm sees it."""

    question: QuestionSpec
    notes: tuple[ReviewComment, ...]
    validated_display: str = ""
    reason: str = ""

    @property
    def changed(self) -> bool:
        return bool(self.validated_display)


@dataclass(frozen=True)
class FirmFeedback:
    """What the consultant told the firm: why it was returned, findings, what to fix."""

    reason: ReviewComment | None
    findings: tuple[ReviewComment, ...]
    comments: tuple[ReviewComment, ...]
    items: tuple[FixItem, ...]
    _by_code: dict[str, FixItem] = field(default_factory=dict, compare=False)

    def __post_init__(self) -> None:
        self._by_code.update({item.question.code: item for item in self.items})

    def item(self, code: str) -> FixItem | None:
        return self._by_code.get(code)

    @property
    def consultant(self) -> User | None:
        return self.reason.author if self.reason else None


FEEDBACK_STATUSES = (Assessment.Status.RETURNED, Assessment.Status.VALIDATED)


def firm_feedback(assessment: Assessment) -> FirmFeedback | None:
    """The consultant's feedback on a returned or signed-off assessment (two queries);
    None in any other state, where the consultant's work is not the firm's to see yet.

    Notes and comments are those of the last round (since the last submission); the
    values the consultant set are all those standing.
    """
    if assessment.status not in FEEDBACK_STATUSES:
        return None
    definition = assessment.questionnaire.definition
    comments = list(
        ReviewComment.objects.filter(assessment=assessment)
        .select_related("author")
        .annotate(question_code=F("question__code"))
    )
    since = assessment.submitted_at
    this_round = [c for c in comments if since is None or c.created_at >= since]
    changes = {
        validation.code: validation
        for validation in AnswerValidation.objects.filter(
            answer__assessment=assessment, confirmed=False
        ).annotate(code=F("answer__question__code"))
    }
    items = []
    for code, question in definition.questions.items():
        notes = tuple(c for c in this_round if c.question_code == code)
        change = changes.get(code)
        if not notes and change is None:
            continue
        items.append(
            FixItem(
                question=question,
                notes=notes,
                validated_display=display_answer(question, change.value, change.not_applicable)
                if change
                else "",
                reason=change.reason if change else "",
            )
        )
    reasons = [c for c in comments if c.is_return_reason]
    return FirmFeedback(
        reason=reasons[-1] if reasons else None,
        findings=tuple(c for c in comments if c.is_finding),
        comments=tuple(
            c for c in this_round if not (c.question_code or c.is_finding or c.is_return_reason)
        ),
        items=tuple(items),
    )


@dataclass(frozen=True)
class ReviewContact:
    """Who reviews the firm's assessments: the provider and its consultant, if assigned."""

    provider: Provider | None
    consultant: User | None


def review_contact(firm_id: int) -> ReviewContact:
    """The firm's provider and consultant (one query). A consultant who no longer works
    for the provider is not named: their cases wait for a new one."""
    current = ProviderMembership.objects.filter(
        user=OuterRef("consultant"), provider=OuterRef("provider")
    )
    assignment = (
        Assignment.objects.filter(firm_id=firm_id)
        .select_related("provider", "consultant")
        .annotate(consultant_is_current=Exists(current))
        .first()
    )
    if assignment is None:
        return ReviewContact(provider=None, consultant=None)
    consultant = assignment.consultant if assignment.consultant_is_current else None
    return ReviewContact(provider=assignment.provider, consultant=consultant)


# --- The public check of a signed report -----------------------------------------------


@dataclass(frozen=True)
class SignedReportFacts:
    """All the public check reveals: the number was signed, for which firm, when."""

    number: str
    firm_name: str
    signed_at: datetime


# Crockford's reading of characters that look alike.
_LOOKALIKES = str.maketrans({"I": "1", "L": "1", "O": "0"})


def normalise_code(code: str) -> str:
    """A verification code as stored: upper case, without spaces or dashes."""
    return "".join(code.split()).replace("-", "").upper().translate(_LOOKALIKES)


def signed_report(number: str, code: str) -> SignedReportFacts | None:
    """The facts of the signed report with this number, if the code is its code (one
    query); None for an unknown number, a wrong code or an unsigned report alike."""
    row = (
        Assessment.objects.filter(
            report_number=number.strip().upper(), status=Assessment.Status.VALIDATED
        )
        .values("report_number", "verification_code", "firm__name", "validated_at")
        .first()
    )
    given = normalise_code(code)
    if row is None or not row["verification_code"] or not given:
        return None
    if not hmac.compare_digest(row["verification_code"].encode(), given.encode()):
        return None
    # review_sign_off sets the number and the signing time with the verification code.
    assert row["report_number"] is not None and row["validated_at"] is not None
    return SignedReportFacts(row["report_number"], row["firm__name"], row["validated_at"])
