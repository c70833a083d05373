"""Computing and storing score cards; the engine itself lives in diagnosis.scoring."""

import logging

from django.db import transaction
from django.utils import timezone

from diagnosis.models import Assessment, DimensionScore, ScoreResult
from diagnosis.queries.assessments import AssessmentState, assessment_state
from diagnosis.queries.questionnaires import row_ids
from diagnosis.scoring import AnswerInput, ScoreCard, score
from diagnosis.tasks import background_task

logger = logging.getLogger("diagnosis.rescore")


def definition_version(assessment: Assessment) -> str:
    return f"{assessment.questionnaire.code}@{assessment.questionnaire.version}"


def compute_card(state: AssessmentState, kind: str = ScoreResult.Kind.SELF) -> ScoreCard:
    """Score the stored answers (with consultants' validated values for `validated`)."""
    inputs = state.inputs
    if kind == ScoreResult.Kind.VALIDATED:
        inputs = validated_inputs(state)
    return score(state.definition, inputs, state.goal_inputs(), state.profile)


def validated_inputs(state: AssessmentState) -> dict[str, AnswerInput]:
    """The answers as a consultant validated them: replaced values win; all are verified."""
    inputs = {}
    for code, answer in state.answers.items():
        validation = getattr(answer, "validation", None)
        base = state.inputs[code]
        if validation is not None and not validation.confirmed:
            base = AnswerInput(
                question=code,
                value=validation.value,
                not_applicable=validation.not_applicable,
                has_evidence=base.has_evidence,
            )
        inputs[code] = AnswerInput(
            question=code,
            value=base.value,
            not_applicable=base.not_applicable,
            has_evidence=base.has_evidence,
            verified=validation is not None,
        )
    return inputs


@transaction.atomic
def assessment_score(
    *,
    assessment: Assessment,
    state: AssessmentState | None = None,
    kind: str = ScoreResult.Kind.SELF,
) -> ScoreResult:
    """Compute the card and store it with one row per dimension (replacing an older one)."""
    state = state or assessment_state(assessment)
    card = compute_card(state, kind)
    result, _created = ScoreResult.objects.update_or_create(
        assessment=assessment,
        kind=kind,
        defaults={
            "overall": card.overall,
            "level": card.level,
            "card": card.to_dict(),
            "definition_version": definition_version(assessment),
            "scoring_version": card.scoring_version,
            "computed_at": timezone.now(),
        },
    )
    dimension_ids = row_ids(assessment.questionnaire).dimensions
    DimensionScore.objects.filter(result=result).delete()
    DimensionScore.objects.bulk_create(
        DimensionScore(
            result=result,
            dimension_id=dimension_ids[dimension.code],
            score=dimension.score,
            level=dimension.level,
            gap=dimension.gap,
        )
        for dimension in card.dimensions
    )
    return result


def result_rescore(*, result: ScoreResult, write: bool) -> str | None:
    """Recompute a stored result with the current engine; returns what changed, in words
    (None if nothing did), and stores the new card (in one transaction) if `write`."""
    state = assessment_state(result.assessment)
    card = compute_card(state, result.kind)
    differences = describe_changes(ScoreCard.from_dict(result.card), card)
    if not differences and result.scoring_version == card.scoring_version:
        return None
    if write:
        assessment_score(assessment=result.assessment, state=state, kind=result.kind)
    return f"assessment {result.assessment_id} ({result.kind}): " + (
        "; ".join(differences) or f"scoring version → {card.scoring_version}"
    )


@background_task()
def rescore_results(result_ids: list[int]) -> list[str]:
    """Re-score these stored results (`manage.py rescore` queues them in chunks); returns
    and logs what changed. Each result is stored in one transaction, so a worker killed
    half-way leaves every result either old or new; running the chunk again re-scores
    what is left (a result already new does not change again)."""
    results = ScoreResult.objects.filter(pk__in=result_ids).select_related(
        "assessment__questionnaire", "assessment__firm"
    )
    changes = []
    for result in results.order_by("pk"):
        change = result_rescore(result=result, write=True)
        if change:
            logger.info("%s", change)
            changes.append(change)
    return changes


def describe_changes(before: ScoreCard, after: ScoreCard) -> list[str]:
    """Human-readable differences in overall index, level, dimension scores and the answers
    the crosswalk reads (a card stored before it existed gains them)."""
    changes = []
    if before.overall != after.overall:
        changes.append(f"overall {before.overall} → {after.overall}")
    if before.level != after.level:
        changes.append(f"level {before.level} → {after.level}")
    old = {d.code: d.score for d in before.dimensions}
    for dimension in after.dimensions:
        if old.get(dimension.code) != dimension.score:
            changes.append(f"{dimension.code} {old.get(dimension.code)} → {dimension.score}")
    if before.mapped_levels != after.mapped_levels:
        changes.append(
            "crosswalk answers " + ("added" if before.mapped_levels is None else "changed")
        )
    return changes
