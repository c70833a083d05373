"""Stored report PDFs: rendered once by a background task, then served as files."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from diagnosis.models.assessment import Assessment


class ReportPdf(models.Model):
    """One rendering of an assessment's report: per language, audience (the firm's report
    or the reviewers', which shows consistency details) and version of what it shows. The
    file goes through Django's storage API; `file` is empty until the task has stored it.
    A signed report's version is its report number, so its PDF never changes."""

    class Audience(models.TextChoices):
        FIRM = "firm", _("the firm")
        REVIEW = "review", _("reviewers")

    assessment = models.ForeignKey(Assessment, models.CASCADE, related_name="pdfs")
    language = models.CharField(max_length=10)
    audience = models.CharField(max_length=10, choices=Audience)
    version = models.CharField(max_length=64)
    file = models.FileField(upload_to="reports/%Y/%m/", blank=True, max_length=300)
    download_name = models.CharField(max_length=200, blank=True)
    requested_at = models.DateTimeField()
    rendered_at = models.DateTimeField(null=True, blank=True)
    failed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("report PDF")
        verbose_name_plural = _("report PDFs")
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "language", "audience", "version"], name="report_pdf_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.assessment_id} {self.language} {self.audience} {self.version}"

    @property
    def is_ready(self) -> bool:
        return bool(self.file)
