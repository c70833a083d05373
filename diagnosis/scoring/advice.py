"""Gaps to the firm's targets, priorities, and the recommendations that apply."""

from __future__ import annotations

from .card import ChosenRecommendation, DimensionResult, Priority
from .model import DefinitionModel, RuleModel
from .resolution import Resolution

UNRANKED = 1 << 30  # sorts non-prioritised dimensions after every ranked one
MAX_ACTIONS = 8  # with solution categories (v2): at most this many recommendations


def gap_to_target(target_score: float | None, score: float | None) -> float:
    """Return how far score (0 when None) is below the target score; 0 without a target."""
    if target_score is None:
        return 0.0
    return round(max(0.0, target_score - (score or 0.0)), 1)


def rank_priorities(dimensions: tuple[DimensionResult, ...]) -> tuple[Priority, ...]:
    """Return the dimensions with a gap, by gap × weight × relevance (highest first);
    equal values keep the definition's dimension order."""
    valued = [(round(d.gap * d.weight * d.relevance, 2), d) for d in dimensions if d.gap > 0]
    valued.sort(key=lambda pair: -pair[0])  # stable: ties stay in definition order
    return tuple(
        Priority(rank, d.code, d.gap, d.weight, d.relevance, value)
        for rank, (value, d) in enumerate(valued, start=1)
    )


def choose_recommendations(
    model: DefinitionModel,
    dimensions: tuple[DimensionResult, ...],
    priorities: tuple[Priority, ...],
    resolution: Resolution | None = None,
) -> tuple[ChosenRecommendation, ...]:
    """Return the rules matching each banded dimension's level whose ``when`` holds,
    prioritised dimensions first (by rank), then by horizon (now, next, later), then in
    file order. With solution categories (v2) only the first rule of each category is
    kept, and at most MAX_ACTIONS rules."""
    ranks = {priority.dimension: priority.rank for priority in priorities}
    keyed: list[tuple[tuple[int, int, int], ChosenRecommendation]] = []
    for dimension in dimensions:
        if not dimension.banded:
            continue
        rank = ranks.get(dimension.code)
        for rule in model.rules.get((dimension.code, dimension.level), ()):
            if not rule_applies(rule, resolution):
                continue
            key = (UNRANKED if rank is None else rank, rule.horizon_rank, rule.order)
            keyed.append((key, chosen(model, rule, dimension.level, rank)))
    keyed.sort(key=lambda pair: pair[0])
    ranked = tuple(recommendation for _, recommendation in keyed)
    return first_per_category(ranked)[:MAX_ACTIONS] if model.ranked_advice else ranked


def rule_applies(rule: RuleModel, resolution: Resolution | None) -> bool:
    """Return True when the rule has no when conditions, or they hold (never without
    answers)."""
    if rule.applies is None:
        return True
    if resolution is None:
        return False
    return rule.applies(resolution.usable, resolution.not_applicable, resolution.profile)


def first_per_category(
    recommendations: tuple[ChosenRecommendation, ...],
) -> tuple[ChosenRecommendation, ...]:
    """Return the recommendations without a later one of a category already listed."""
    seen: set[str] = set()
    kept = []
    for recommendation in recommendations:
        if recommendation.category is not None:
            if recommendation.category in seen:
                continue
            seen.add(recommendation.category)
        kept.append(recommendation)
    return tuple(kept)


def chosen(
    model: DefinitionModel, rule: RuleModel, level: int, rank: int | None
) -> ChosenRecommendation:
    """Return the rule as chosen for a dimension at ``level``, reusing the model's copy."""
    key = (rule.order, level, rank)
    recommendation = model.chosen.get(key)
    if recommendation is None:
        recommendation = model.chosen[key] = build_chosen(rule, level, rank)
    return recommendation


def build_chosen(rule: RuleModel, level: int, rank: int | None) -> ChosenRecommendation:
    """Return a new chosen recommendation for the rule at ``level``."""
    recommendation = rule.rule
    return ChosenRecommendation(
        dimension=recommendation.dimension,
        level=level,
        horizon=recommendation.horizon,
        effort=recommendation.effort,
        title=recommendation.title,
        text=recommendation.text,
        priority_rank=rank,
        category=recommendation.category,
        budget_min=recommendation.budget.minimum if recommendation.budget else None,
        budget_max=recommendation.budget.maximum if recommendation.budget else None,
        owner=str(recommendation.owner) if recommendation.owner else None,
        kpi=recommendation.kpi,
    )
