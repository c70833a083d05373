"""Questionnaire versions and their dimensions, questions and options as rows.

The definition file is stored whole as a JSON snapshot (what the scoring engine reads);
the rows exist so that SQL can join answers and scores to dimensions and questions.
"""

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from diagnosis.scoring.definition import Definition

# Parsed definitions by checksum: equal content (whichever row holds it) parses alike.
_DEFINITIONS: dict[str, Definition] = {}


def localised(zh_hans: str, en: str) -> str:
    """Return the text in the active language."""
    return en if (get_language() or "").startswith("en") else zh_hans


class QuestionnaireVersion(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        RETIRED = "retired", _("Retired")

    code = models.SlugField(_("code"), max_length=60)
    version = models.PositiveIntegerField(_("version"))
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.DRAFT)
    title_zh_hans = models.CharField(max_length=200)
    title_en = models.CharField(max_length=200)
    snapshot = models.JSONField(help_text="The definition file as loaded.")
    checksum = models.CharField(max_length=64)
    loaded_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("questionnaire version")
        verbose_name_plural = _("questionnaire versions")
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="questionnaire_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.code} v{self.version}"

    @property
    def title(self) -> str:
        return localised(self.title_zh_hans, self.title_en)

    @property
    def definition(self) -> Definition:
        """The parsed definition; cached per process (a version's content never changes)."""
        if self.checksum not in _DEFINITIONS:
            from diagnosis.definitions.loader import UNCHECKED, parse_definition

            # The covers codes were checked against frameworks.yaml when it was loaded.
            _DEFINITIONS[self.checksum] = parse_definition(
                self.snapshot, source=str(self), frameworks=UNCHECKED
            )
        return _DEFINITIONS[self.checksum]


class Dimension(models.Model):
    questionnaire = models.ForeignKey(
        QuestionnaireVersion, models.CASCADE, related_name="dimensions"
    )
    code = models.CharField(max_length=20)
    # The comparison key (FORMAT.md `compares_as`; the code when the file sets none): other
    # versions' dimensions are compared with this one only when their keys are equal.
    compares_as = models.CharField(max_length=20)
    position = models.PositiveSmallIntegerField()
    weight = models.FloatField()
    critical = models.BooleanField(default=False)
    name_zh_hans = models.CharField(max_length=200)
    name_en = models.CharField(max_length=200)

    class Meta:
        verbose_name = _("dimension")
        verbose_name_plural = _("dimensions")
        ordering = ["questionnaire", "position"]
        constraints = [
            models.UniqueConstraint(fields=["questionnaire", "code"], name="dimension_unique"),
            # Also the index the comparisons across versions join through.
            models.UniqueConstraint(
                fields=["questionnaire", "compares_as"], name="dimension_comparison_key_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def name(self) -> str:
        return localised(self.name_zh_hans, self.name_en)


class Question(models.Model):
    questionnaire = models.ForeignKey(
        QuestionnaireVersion, models.CASCADE, related_name="questions"
    )
    dimension = models.ForeignKey(Dimension, models.CASCADE, related_name="questions")
    code = models.CharField(max_length=30)
    position = models.PositiveSmallIntegerField()
    type = models.CharField(max_length=20)
    weight = models.FloatField(default=0)
    allow_na = models.BooleanField(default=False)
    depends_on = models.CharField(max_length=30, blank=True)
    text_zh_hans = models.TextField()
    text_en = models.TextField()

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["questionnaire", "position"]
        constraints = [
            models.UniqueConstraint(fields=["questionnaire", "code"], name="question_unique")
        ]

    def __str__(self) -> str:
        return self.code


class Option(models.Model):
    question = models.ForeignKey(Question, models.CASCADE, related_name="options")
    value = models.CharField(max_length=60)
    position = models.PositiveSmallIntegerField()
    score = models.FloatField()
    label_zh_hans = models.CharField(max_length=300)
    label_en = models.CharField(max_length=300)

    class Meta:
        verbose_name = _("answer option")
        verbose_name_plural = _("answer options")
        ordering = ["question", "position"]
        constraints = [models.UniqueConstraint(fields=["question", "value"], name="option_unique")]

    def __str__(self) -> str:
        return f"{self.question.code}={self.value}"
