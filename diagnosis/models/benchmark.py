"""Peer benchmarks: precomputed statistics of comparable firms' scores (README "Peer
benchmarks"). services/benchmarks.py rewrites every cell at once; reports read them."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from diagnosis.models.questionnaire import QuestionnaireVersion

# The cell of the overall index has this dimension code; dimension codes are never empty.
OVERALL = ""
# A cell keeps the percentiles 0, 1, …, 100 of its scores (percentile_cont), from which a
# firm's percentile rank is read to within one percentage point.
PERCENTILE_STEPS = 100


class BenchmarkCell(models.Model):
    """The scores of one segment of firms on one dimension (or the overall index) of a
    questionnaire version: how many firms, their quartiles and percentiles.

    A segment is a division × size class × district, a division × size class, a division,
    or all firms; the fields a segment does not use hold 0 or "". Only cells of at least
    PEER_MIN_COUNT firms are stored, and reports read only those.
    """

    class Segment(models.TextChoices):
        # In the order a report tries them: the first with enough firms is the peer group.
        DIVISION_SIZE_DISTRICT = (
            "division_size_district",
            _("same industry division, size class and district"),
        )
        DIVISION_SIZE = "division_size", _("same industry division and size class")
        DIVISION = "division", _("same industry division")
        ALL = "all", _("all firms")

    questionnaire = models.ForeignKey(QuestionnaireVersion, models.CASCADE, related_name="+")
    segment = models.CharField(max_length=24, choices=Segment)
    industry = models.PositiveSmallIntegerField(default=0)  # 0: every division
    size_class = models.CharField(max_length=10, blank=True)
    district = models.CharField(max_length=20, blank=True)
    dimension = models.CharField(max_length=20, blank=True)  # OVERALL: the overall index
    firms = models.PositiveIntegerField(help_text="Distinct firms, one score each.")
    self_assessed = models.PositiveIntegerField(
        default=0, help_text="Of them, firms whose score is self-assessed (not yet validated)."
    )
    p25 = models.FloatField()
    median = models.FloatField()
    p75 = models.FloatField()
    percentiles = models.JSONField(help_text="percentile_cont at 0, 0.01, …, 1 (101 values).")
    computed_at = models.DateTimeField()

    class Meta:
        verbose_name = _("benchmark cell")
        verbose_name_plural = _("benchmark cells")
        constraints = [
            # Also the index a report reads its four segments through.
            models.UniqueConstraint(
                fields=[
                    "questionnaire",
                    "segment",
                    "industry",
                    "size_class",
                    "district",
                    "dimension",
                ],
                name="benchmark_cell_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.segment} {self.industry}/{self.size_class}/{self.district} {self.dimension}"


class BenchmarkRefresh(models.Model):
    """One row (pk 1): when a refresh of the cells was last queued, started and finished,
    and how the last one ended. Makes refreshes after sign-offs debounced."""

    queued_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    succeeded = models.BooleanField(null=True)
    error = models.TextField(blank=True)
    cells = models.PositiveIntegerField(default=0)
    seconds = models.FloatField(null=True, blank=True)

    class Meta:
        verbose_name = _("benchmark refresh")
        verbose_name_plural = _("benchmark refreshes")

    def __str__(self) -> str:
        return f"benchmark refresh {self.finished_at} ok={self.succeeded}"
