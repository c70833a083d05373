"""Firms with stored results written directly (no scoring): exact dimension scores and
levels, so the programme's result figures can be checked by hand."""

from datetime import timedelta

from django.utils import timezone

from diagnosis.models import (
    Assessment,
    Dimension,
    DimensionScore,
    Firm,
    QuestionnaireVersion,
    ScoreResult,
)
from tests.factories import make_firm


def scored(
    firm: Firm,
    questionnaire: QuestionnaireVersion,
    scores: dict[str, float | None],
    *,
    level: int = 2,
    status: str = "submitted",
    validated: dict[str, float | None] | None = None,
    validated_level: int | None = None,
    previous: Assessment | None = None,
    days_ago: int = 0,
) -> Assessment:
    """An assessment of `firm` with a self-assessed result (`scores`, `level`) and, when
    `validated` is given, a validated one; started `days_ago` days ago."""
    started = timezone.now() - timedelta(days=days_ago)
    assessment = Assessment.objects.create(
        firm=firm,
        questionnaire=questionnaire,
        status=status,
        submitted_at=None if status == "draft" else started,
        previous=previous,
    )
    Assessment.objects.filter(pk=assessment.pk).update(created_at=started)
    if status == "draft":
        return assessment
    _result(assessment, "self", scores, level)
    if validated is not None:
        _result(
            assessment,
            "validated",
            validated,
            level if validated_level is None else validated_level,
        )
    return assessment


def _result(assessment: Assessment, kind: str, scores: dict[str, float | None], level: int) -> None:
    result = ScoreResult.objects.create(
        assessment=assessment,
        kind=kind,
        overall=50,
        level=level,
        card={},
        definition_version="test",
        scoring_version="test",
        computed_at=timezone.now(),
    )
    dimensions = dict(
        Dimension.objects.filter(questionnaire=assessment.questionnaire_id).values_list(
            "code", "pk"
        )
    )
    DimensionScore.objects.bulk_create(
        DimensionScore(result=result, dimension_id=dimensions[code], score=score, level=0)
        for code, score in scores.items()
    )


def scored_firm(
    questionnaire: QuestionnaireVersion, scores: dict[str, float | None], **fields
) -> Firm:
    """A new firm (`fields`: district, industry, employees…) with one submitted assessment."""
    level = fields.pop("level", 2)
    firm = make_firm(**fields)
    scored(firm, questionnaire, scores, level=level)
    return firm
