"""Firms with stored results written directly (no scoring), for the peer benchmarks: exact
overall indexes and dimension scores, signed off (validated result) or only submitted."""

from datetime import timedelta

from django.utils import timezone

from diagnosis.models import (
    Assessment,
    Firm,
    QuestionnaireVersion,
)
from tests.factories import make_firm, make_score_result


def assessed(
    firm: Firm,
    questionnaire: QuestionnaireVersion,
    overall: float,
    scores: dict[str, float | None] | None = None,
    *,
    status: str = "validated",
    self_overall: float | None = None,
    days_ago: int = 0,
) -> Assessment:
    """An assessment of `firm`: a self-assessed result (`self_overall`, default `overall`)
    and, when signed off (`status` validated), a validated one with `overall`."""
    started = timezone.now() - timedelta(days=days_ago)
    assessment = Assessment.objects.create(
        firm=firm,
        questionnaire=questionnaire,
        status=status,
        submitted_at=started,
        validated_at=started if status == "validated" else None,
    )
    Assessment.objects.filter(pk=assessment.pk).update(created_at=started)
    scores = scores or {}
    own = overall if self_overall is None else self_overall
    own_scores: dict[str, float | None] = {code: own for code in scores} if self_overall else scores
    make_score_result(assessment, "self", own_scores, overall=own)
    if status == "validated":
        make_score_result(assessment, "validated", scores, overall=overall)
    return assessment


def peer(
    questionnaire: QuestionnaireVersion,
    overall: float,
    scores: dict[str, float | None] | None = None,
    *,
    size_class: str = "small",
    status: str = "validated",
    **fields,
) -> Firm:
    """A new firm (default: division 34, small, minhang) with one assessment."""
    firm = make_firm(**fields)
    if firm.size_class != size_class:
        Firm.objects.filter(pk=firm.pk).update(size_class=size_class)
        firm.size_class = size_class
    assessed(firm, questionnaire, overall, scores, status=status)
    return firm
