"""The programme's result figures, pre-aggregated (README "Coverage and results"): how many
firms have each value of each measure in each segment. services/result_figures.py rewrites
every cell at once; the results page sums cells and reads its quartiles off the counts, so
its cost does not grow with the number of assessments."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ResultCell(models.Model):
    """`firms` firms of a segment have `value` on `measure` (of `dimension`).

    A segment is a district × division × size class (BASE), one of the three alone, or the
    whole city (ALL); the fields a level does not use hold "" or 0. Values: SCORE and CHANGE
    in tenths of a point (scores are stored to one decimal, so the counts are exact),
    LEVEL the maturity level, MOVED 1 if the level rose since the previous assessment, else 0.
    """

    class Level(models.TextChoices):
        BASE = "base", _("district, division and size class")
        DISTRICT = "district", _("district")
        INDUSTRY = "industry", _("industry division")
        SIZE = "size", _("size class")
        ALL = "all", _("whole city")

    class Measure(models.TextChoices):
        SCORE = "score", _("dimension score")
        CHANGE = "change", _("change of a dimension score")
        LEVEL = "level", _("maturity level")
        MOVED = "moved", _("level rose")

    level = models.CharField(max_length=10, choices=Level)
    measure = models.CharField(max_length=10, choices=Measure)
    district = models.CharField(max_length=20, blank=True)
    industry = models.PositiveSmallIntegerField(default=0)
    size_class = models.CharField(max_length=10, blank=True)
    dimension = models.CharField(max_length=20, blank=True)  # "" for LEVEL and MOVED
    value = models.IntegerField()
    firms = models.PositiveIntegerField()

    class Meta:
        verbose_name = _("result cell")
        verbose_name_plural = _("result cells")
        indexes = [
            models.Index(
                fields=["level", "measure", "district", "industry", "size_class"],
                name="result_cell_segment",
            )
        ]

    def __str__(self) -> str:
        where = "/".join(str(part) for part in (self.district, self.industry, self.size_class))
        return f"{self.level} {where} {self.measure} {self.dimension}={self.value}: {self.firms}"


class ResultRefresh(models.Model):
    """The one row (pk 1) saying when the result cells were last computed, or why not."""

    computed_at = models.DateTimeField(null=True)
    seconds = models.FloatField(default=0)
    failed_at = models.DateTimeField(null=True)
    error = models.TextField(blank=True)

    class Meta:
        verbose_name = _("result figures refresh")
        verbose_name_plural = _("result figures refreshes")

    def __str__(self) -> str:
        return f"result figures computed at {self.computed_at}"


class ReviewFigure(models.Model):
    """One provider's or consultant's city-wide review history, pre-aggregated with the
    result cells (same refresh, same "as of" time): assessments submitted and returned at
    least once, answers validated and changed, median days from submission to sign-off.
    The provider table reads these for the programme office and the providers' managers;
    the live columns (firms assigned, waiting, overdue) are counted on every request, and a
    district officer's figures, which cover only their districts, are computed live."""

    class Group(models.TextChoices):
        PROVIDER = "provider", _("provider")
        CONSULTANT = "consultant", _("consultant")

    group = models.CharField(max_length=10, choices=Group)
    key = models.IntegerField()  # the provider's or the consultant's id
    submitted = models.IntegerField(default=0)
    returned = models.IntegerField(default=0)
    answers_validated = models.IntegerField(default=0)
    answers_changed = models.IntegerField(default=0)
    median_days = models.FloatField(null=True)

    class Meta:
        verbose_name = _("review figure")
        verbose_name_plural = _("review figures")
        constraints = [
            models.UniqueConstraint(fields=["group", "key"], name="review_figure_unique")
        ]

    def __str__(self) -> str:
        return f"{self.group} {self.key}"
