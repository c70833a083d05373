"""Assessments, their answers and goals, and the stored score results."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from diagnosis.models.organisation import Firm
from diagnosis.models.questionnaire import Dimension, Question, QuestionnaireVersion


class Assessment(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("In progress")
        SUBMITTED = "submitted", _("Submitted")
        IN_REVIEW = "in_review", _("In review")
        RETURNED = "returned", _("Returned to the firm")
        VALIDATED = "validated", _("Signed off")

    # Respondents may change answers only while the assessment is open.
    OPEN_STATUSES = (Status.DRAFT, Status.RETURNED)

    firm = models.ForeignKey(Firm, models.CASCADE, related_name="assessments")
    questionnaire = models.ForeignKey(QuestionnaireVersion, models.PROTECT, related_name="+")
    status = models.CharField(_("status"), max_length=12, choices=Status, default=Status.DRAFT)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True)
    created_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    validated_at = models.DateTimeField(null=True, blank=True)
    validated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Set at sign-off: who vouches for the report, and how anyone can check it. (Nullable
    # and unique through a constraint, so that SQLite adds the columns in place: rebuilding
    # this table would break the triggers of migration 0002 that read it.)
    validated_provider = models.ForeignKey(
        "diagnosis.Provider", models.PROTECT, null=True, blank=True, related_name="+"
    )
    report_number = models.CharField(max_length=20, null=True, blank=True)
    verification_code = models.CharField(max_length=32, null=True, blank=True)
    previous = models.ForeignKey(
        "self",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="The firm's previous assessment, for progress.",
    )

    class Meta:
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["firm"],
                condition=models.Q(status__in=["draft", "returned"]),
                name="assessment_one_open_per_firm",
            ),
            models.UniqueConstraint(
                fields=["report_number"],
                condition=models.Q(report_number__isnull=False),
                name="assessment_report_number_unique",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "submitted_at"]),
            # Each firm's latest assessment and its status, read for every population firm
            # by coverage and the directory: an index-only scan on PostgreSQL (the covering
            # column is left out on SQLite).
            models.Index(
                fields=["firm", "-created_at", "-id"],
                include=["status"],
                name="assessment_latest_of_firm",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.firm} · {self.questionnaire} · {self.created_at:%Y-%m-%d}"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES


class Answer(models.Model):
    """One answer per assessment × question; `revision` counts saves for the version check."""

    assessment = models.ForeignKey(Assessment, models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, models.PROTECT, related_name="+")
    value = models.JSONField(null=True, blank=True)
    not_applicable = models.BooleanField(default=False)
    note = models.TextField(blank=True, max_length=2000)
    evidence = models.FileField(upload_to="evidence/%Y/%m/", blank=True, max_length=300)
    evidence_name = models.CharField(max_length=200, blank=True)
    # Bytes of the evidence file, so that a firm's storage use is one SUM (the quota). Null
    # for files stored before the column existed (queries/evidence.py sizes them): a NOT
    # NULL column would make SQLite rebuild the table and lose the triggers of 0002.
    evidence_size = models.PositiveBigIntegerField(null=True, blank=True)
    revision = models.PositiveIntegerField(default=1)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True)
    answered_at = models.DateTimeField()
    # Not a column: the question's code, which queries/assessments.py annotates on the answers
    # it reads and the services set on the answers they save (answers are handled by code).
    question_code: str

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(fields=["assessment", "question"], name="answer_unique")
        ]

    def __str__(self) -> str:
        return f"{self.question.code}={self.value!r}"


class DimensionGoal(models.Model):
    """The firm's ambition for a dimension: target level and how much it matters (1–5)."""

    assessment = models.ForeignKey(Assessment, models.CASCADE, related_name="goals")
    dimension = models.ForeignKey(Dimension, models.PROTECT, related_name="+")
    target_level = models.PositiveSmallIntegerField(null=True, blank=True)
    relevance = models.PositiveSmallIntegerField(default=3)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("dimension goal")
        verbose_name_plural = _("dimension goals")
        constraints = [
            models.UniqueConstraint(fields=["assessment", "dimension"], name="goal_unique")
        ]

    def __str__(self) -> str:
        return f"{self.assessment_id}:{self.dimension_id} → {self.target_level}"


class ScoreResult(models.Model):
    """A stored score card: self-assessed at submission, validated at sign-off."""

    class Kind(models.TextChoices):
        SELF = "self", _("Self-assessed")
        VALIDATED = "validated", _("Validated")

    assessment = models.ForeignKey(Assessment, models.CASCADE, related_name="results")
    kind = models.CharField(max_length=10, choices=Kind)
    overall = models.FloatField()
    level = models.PositiveSmallIntegerField()
    card = models.JSONField()
    definition_version = models.CharField(max_length=80)
    scoring_version = models.CharField(max_length=20)
    computed_at = models.DateTimeField()

    class Meta:
        verbose_name = _("score result")
        verbose_name_plural = _("score results")
        constraints = [models.UniqueConstraint(fields=["assessment", "kind"], name="result_unique")]

    def __str__(self) -> str:
        return f"{self.assessment_id} {self.kind} {self.overall}"


class DimensionScore(models.Model):
    """One row per dimension of a stored result, so SQL can aggregate and rank them."""

    result = models.ForeignKey(ScoreResult, models.CASCADE, related_name="dimension_scores")
    dimension = models.ForeignKey(Dimension, models.PROTECT, related_name="+")
    score = models.FloatField(null=True)
    level = models.PositiveSmallIntegerField()
    gap = models.FloatField(default=0)

    class Meta:
        verbose_name = _("dimension score")
        verbose_name_plural = _("dimension scores")
        constraints = [
            models.UniqueConstraint(fields=["result", "dimension"], name="dimension_score_unique")
        ]
        indexes = [models.Index(fields=["dimension", "score"])]

    def __str__(self) -> str:
        return f"{self.result_id}:{self.dimension_id}={self.score}"


class FirmCurrent(models.Model):
    """Each firm's latest assessment with its status, dates and headline result (validated
    once signed off, else self-assessed): what the programme pages filter and sort on.

    Derived data, kept by diagnosis.current: rewritten for a firm whenever one of its
    assessments or results is saved or deleted (signals, so the admin keeps it too), and
    for every firm by `refresh_current()` after bulk writes. A firm without an assessment
    has no row.
    """

    firm = models.OneToOneField(Firm, models.CASCADE, primary_key=True, related_name="current")
    assessment = models.OneToOneField(Assessment, models.CASCADE, related_name="+")
    status = models.CharField(max_length=12, choices=Assessment.Status)
    created_at = models.DateTimeField()
    submitted_at = models.DateTimeField(null=True)
    validated_at = models.DateTimeField(null=True)
    overall = models.FloatField(null=True)
    level = models.PositiveSmallIntegerField(null=True)

    class Meta:
        verbose_name = _("firm's current assessment")
        verbose_name_plural = _("firms' current assessments")
        indexes = [
            models.Index(fields=["status", "overall"], name="firm_current_status_overall"),
        ]

    def __str__(self) -> str:
        return f"{self.firm_id}: {self.assessment_id} {self.status}"
