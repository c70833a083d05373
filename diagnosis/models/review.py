"""Diagnosis providers, their consultants, assignments and the consultant's review."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from diagnosis.models.assessment import Answer, Assessment
from diagnosis.models.organisation import Firm
from diagnosis.models.questionnaire import Question


class Provider(models.Model):
    """An approved diagnosis provider."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("diagnosis provider")
        verbose_name_plural = _("diagnosis providers")

    def __str__(self) -> str:
        return self.name


class ProviderMembership(models.Model):
    class Role(models.TextChoices):
        CONSULTANT = "consultant", _("Consultant")
        MANAGER = "manager", _("Provider manager")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="provider_memberships"
    )
    provider = models.ForeignKey(Provider, models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=12, choices=Role, default=Role.CONSULTANT)

    class Meta:
        verbose_name = _("provider membership")
        verbose_name_plural = _("provider memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "provider"], name="provider_membership_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.provider} ({self.role})"


class Assignment(models.Model):
    """A firm assigned to a provider (by the programme office) and to one of its consultants."""

    firm = models.OneToOneField(Firm, models.CASCADE, related_name="assignment")
    provider = models.ForeignKey(Provider, models.PROTECT, related_name="assignments")
    consultant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="assignments",
        verbose_name=_("consultant"),
    )
    assigned_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")

    def __str__(self) -> str:
        return f"{self.firm_id} → {self.provider_id}/{self.consultant_id}"


class AnswerValidation(models.Model):
    """A consultant's verdict on one answer: confirmed as given, or replaced with a reason."""

    answer = models.OneToOneField(Answer, models.CASCADE, related_name="validation")
    confirmed = models.BooleanField(default=True)
    value = models.JSONField(null=True, blank=True)
    not_applicable = models.BooleanField(default=False)
    reason = models.TextField(blank=True, max_length=2000)
    validated_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    validated_at = models.DateTimeField()

    class Meta:
        verbose_name = _("answer validation")
        verbose_name_plural = _("answer validations")

    def __str__(self) -> str:
        return f"{self.answer_id} {'confirmed' if self.confirmed else self.value!r}"


class ReviewComment(models.Model):
    """Findings and comments on an assessment, from the consultant or the firm.

    A comment on one question (`question`) is the consultant's note the firm sees at that
    question when the assessment comes back; `is_return_reason` marks the text the
    consultant gave when returning it.
    """

    assessment = models.ForeignKey(Assessment, models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    question = models.ForeignKey(Question, models.PROTECT, null=True, blank=True, related_name="+")
    text = models.TextField(max_length=5000)
    is_finding = models.BooleanField(default=False)
    is_return_reason = models.BooleanField(default=False)
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("review comment")
        verbose_name_plural = _("review comments")
        ordering = ["created_at"]

    def __str__(self) -> str:
        return self.text[:60]


class WarningResolution(models.Model):
    """A consultant's resolution of a must-resolve consistency warning, with the reason.

    Kept by the warning's (rule) code for the assessment: it holds as long as a rule of that
    code fires, through re-scoring, changed answers and a return to the firm. A warning
    that no longer fires needs nothing; its resolution stays on record.
    """

    assessment = models.ForeignKey(Assessment, models.CASCADE, related_name="warning_resolutions")
    code = models.CharField(_("warning"), max_length=100)
    reason = models.TextField(_("reason"), max_length=2000)
    resolved_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    resolved_at = models.DateTimeField()

    class Meta:
        verbose_name = _("resolved warning")
        verbose_name_plural = _("resolved warnings")
        ordering = ["resolved_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "code"], name="warning_resolution_unique")
        ]

    def __str__(self) -> str:
        return f"{self.assessment_id} {self.code}"
