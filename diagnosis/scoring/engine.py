"""``score()``: a definition and answers (and the firm's goals) in, a ScoreCard out."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from .advice import choose_recommendations, gap_to_target, rank_priorities
from .card import Confidence, DimensionResult, Limit, ScoreCard
from .consistency import consistency_warnings
from .crosswalk import mapped_levels
from .definition import Condition, Definition
from .inputs import NO_PROFILE, AnswerInput, GoalInput, Profile, clamp_relevance
from .levels import band_level, gated_level
from .model import DefinitionModel, model_for
from .resolution import Resolution, Tally, resolve

SCORING_VERSION = "1.1"
NO_GOAL = GoalInput()


def score(
    definition: Definition,
    answers: Mapping[str, AnswerInput],
    goals: Mapping[str, GoalInput] | None = None,
    profile: Profile = NO_PROFILE,
) -> ScoreCard:
    """Return the score card of the answers (keyed by question code) against the definition,
    for a firm of this profile (industry, size: what profile conditions look at).

    Deterministic: equal inputs give equal cards whatever the order of ``answers``. Never
    raises on invalid answer values; they count as unanswered.
    """
    model = model_for(definition)
    resolution = resolve(model, answers, profile)
    dimensions = dimension_results(model, resolution.tallies, goals or {})
    overall = overall_score(model.dimension_weights, [d.score for d in dimensions])
    level, limiting = standing(model, overall, dimensions, resolution)
    priorities = rank_priorities(dimensions)
    return ScoreCard(
        definition_code=definition.code,
        definition_version=definition.version,
        scoring_version=SCORING_VERSION,
        overall=overall,
        level=level,
        uncapped_level=band_level(model.levels, overall),
        limiting=limiting,
        dimensions=dimensions,
        priorities=priorities,
        recommendations=choose_recommendations(model, dimensions, priorities, resolution),
        warnings=consistency_warnings(
            model.consistency, resolution.usable, resolution.not_applicable, profile
        ),
        confidence=confidence(resolution.tallies),
        not_measured=tuple(resolution.not_measured),
        mapped_levels=mapped_levels(model, resolution),
    )


def dimension_results(
    model: DefinitionModel, tallies: list[Tally], goals: Mapping[str, GoalInput]
) -> tuple[DimensionResult, ...]:
    """Return each dimension's score, band level and gap to the firm's target."""
    return tuple(
        dimension_result(model, index, totals, goals.get(code, NO_GOAL))
        for index, (code, totals) in enumerate(zip(model.dimension_codes, tallies, strict=True))
    )


def dimension_result(
    model: DefinitionModel, index: int, totals: Tally, goal: GoalInput
) -> DimensionResult:
    """Return one dimension's result; an unknown target level sets no target score."""
    dimension_score = totals.score()
    code = model.dimension_codes[index]
    banded = code not in model.unbanded
    target_level = goal.target_level if banded else None
    # An exact-type test: a bool is no level, and a list must not reach the dict lookup.
    target_score = model.level_min_scores.get(target_level) if type(target_level) is int else None
    return DimensionResult(
        code=code,
        score=dimension_score,
        level=band_level(model.levels, dimension_score),
        target_level=target_level,
        target_score=target_score,
        gap=gap_to_target(target_score, dimension_score),
        relevance=clamp_relevance(goal.relevance),
        weight=model.dimension_weights[index],
        answered=totals.answered,
        applicable=totals.applicable,
        banded=banded,
    )


def overall_score(weights: Sequence[float], scores: Sequence[float | None]) -> float:
    """Return the weighted mean of the scored dimensions (1 decimal), 0 when none is scored."""
    pairs = [(weight, s) for weight, s in zip(weights, scores, strict=True) if s is not None]
    total_weight = sum(weight for weight, _ in pairs)
    if total_weight <= 0:
        return 0.0
    return round(sum(weight * s for weight, s in pairs) / total_weight, 1)


def standing(
    model: DefinitionModel,
    overall: float,
    dimensions: tuple[DimensionResult, ...],
    resolution: Resolution,
) -> tuple[int, tuple[Limit, ...]]:
    """Return the gated level and what holds the firm back from the level above."""
    scores = {dimension.code: dimension.score for dimension in dimensions}
    return gated_level(
        model.levels,
        overall,
        critical_scores={code: scores[code] for code in model.critical_codes},
        dimension_score=lambda code: scores.get(code) or 0.0,
        question_score=lambda code: round(resolution.question_points(code), 1),
        holds=lambda condition: condition_holds(model, condition, resolution),
    )


def condition_holds(model: DefinitionModel, condition: Condition, resolution: Resolution) -> bool:
    """Return True when a level's requires or a gate's applies_when condition holds."""
    predicate = model.predicates[condition]
    return predicate(resolution.usable, resolution.not_applicable, resolution.profile)


def confidence(tallies: list[Tally]) -> Confidence:
    """Return the answered, evidence and verified shares over all applicable questions."""
    applicable = sum(totals.applicable for totals in tallies)
    if applicable == 0:
        return Confidence(0.0, 0.0, 0.0)
    return Confidence(
        answered_share=round(sum(t.answered for t in tallies) / applicable, 4),
        evidence_share=round(sum(t.evidence for t in tallies) / applicable, 4),
        verified_share=round(sum(t.verified for t in tallies) / applicable, 4),
    )
