"""Firms with stored results written directly (no scoring): exact dimension scores and
levels, so the programme's result figures can be checked by hand."""

from datetime import timedelta

from django.utils import timezone

from diagnosis.models import (
    Assessment,
    Firm,
    QuestionnaireVersion,
)
from tests.factories import make_firm, make_score_result


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
    make_score_result(assessment, "self", scores, level=level)
    if validated is not None:
        final = level if validated_level is None else validated_level
        make_score_result(assessment, "validated", validated, level=final)
    return assessment


def scored_firm(
    questionnaire: QuestionnaireVersion, scores: dict[str, float | None], **fields
) -> Firm:
    """A new firm (`fields`: district, industry, employees…) with one submitted assessment."""
    level = fields.pop("level", 2)
    firm = make_firm(**fields)
    scored(firm, questionnaire, scores, level=level)
    return firm
