"""A definition prepared for fast scoring, built once per definition object and cached.

The cache is keyed by ``id(definition)`` and keeps a reference to the definition, so an id
can never be reused by another definition while its entry lives.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .card import ChosenRecommendation
from .conditions import Predicate, all_of, compile_condition
from .consistency import RuleCheck, rule_check
from .definition import (
    COMPUTED_TYPES,
    Condition,
    Definition,
    Level,
    QuestionSpec,
    QuestionType,
    Recommendation,
)
from .questions import (
    Scorer,
    band_scorer,
    has_text,
    lowest_score,
    make_scorer,
    number_accepts,
)

CACHE_SIZE = 32
TRIGGER_TYPES = (QuestionType.LEVEL, QuestionType.CHOICE)
HORIZON_ORDER = {"now": 0, "next": 1, "later": 2}

_cache: dict[int, DefinitionModel] = {}
_cache_lock = threading.Lock()


@dataclass(frozen=True, slots=True)
class QuestionModel:
    """A question with its scorer and its dependency resolved.

    The question is shown when ``trigger_values`` is None (no dependency) or holds the
    usable answer to ``trigger``; it is empty when the dependency can never be met (it
    names no earlier level/choice question). ``floor`` is the lowest score a valid answer
    can get: what the question counts as when its trigger denies the capability.
    """

    question: QuestionSpec
    code: str
    dimension: int
    weight: float
    scored: bool
    allow_na: bool
    scorer: Scorer
    trigger: str
    trigger_values: frozenset[Any] | None
    floor: float
    accepts: Callable[[Any], bool]  # the validity test of an answer value
    show_when: tuple[Predicate, ...] = ()  # profile predicates: all hold, or no question
    na_default: tuple[Predicate, ...] = ()  # profile predicates: all hold, no answer is "n/a"
    inputs: tuple[str, ...] = ()  # rates and trends: the number questions they read
    band_score: Callable[[float], float] | None = None  # rates: points of a percentage


NEVER = object()  # stands for "no usable answer": never among a dependency's values


@dataclass(frozen=True, slots=True)
class RuleModel:
    """A recommendation rule with its position in the file, its horizon's rank and its
    ``when`` conditions compiled."""

    order: int
    horizon_rank: int
    rule: Recommendation
    applies: Predicate | None = None  # all of the rule's when, one call (None: no conditions)


@dataclass(frozen=True, slots=True)
class DefinitionModel:
    """Everything ``score()`` needs from a definition, in lookup-friendly shapes."""

    definition: Definition
    questions: tuple[QuestionModel, ...]
    position: dict[str, int]
    dimension_codes: tuple[str, ...]
    dimension_weights: tuple[float, ...]
    critical_codes: tuple[str, ...]
    levels: tuple[Level, ...]
    level_min_scores: dict[int, float]
    rules: dict[tuple[str, int], tuple[RuleModel, ...]]
    consistency: tuple[RuleCheck, ...]
    predicates: dict[Condition, Predicate]  # every level requires / gate applies_when
    unbanded: frozenset[str]
    ranked_advice: bool
    uses_profile: bool
    mapped: tuple[QuestionModel, ...]  # level questions with a scenario or cmmm mapping
    na_defaults: tuple[QuestionModel, ...]  # questions with na_default_when (see defaults.py)
    # Chosen recommendations by (rule order, level, priority rank), filled as cards need
    # them and shared between cards (they are immutable): rebuilding them for every card
    # cost a tenth of the scoring time.
    chosen: dict[tuple[int, int, int | None], ChosenRecommendation]


def model_for(definition: Definition) -> DefinitionModel:
    """Return the cached model of this definition object, building it on first use."""
    model = _cache.get(id(definition))
    if model is not None and model.definition is definition:
        return model
    model = build_model(definition)
    with _cache_lock:
        if len(_cache) >= CACHE_SIZE:
            _cache.pop(next(iter(_cache)))
        _cache[id(definition)] = model
    return model


def build_model(definition: Definition) -> DefinitionModel:
    """Return a fresh model of the definition (no cache)."""
    questions = question_models(definition)
    levels = tuple(sorted(definition.levels, key=lambda level: level.number))
    return DefinitionModel(
        definition=definition,
        questions=questions,
        position={question.code: index for index, question in enumerate(questions)},
        dimension_codes=tuple(dimension.code for dimension in definition.dimensions),
        dimension_weights=tuple(float(dimension.weight) for dimension in definition.dimensions),
        critical_codes=tuple(d.code for d in definition.dimensions if d.critical),
        levels=levels,
        level_min_scores={level.number: float(level.min_score) for level in levels},
        rules=rules_by_band(definition),
        consistency=tuple(rule_check(rule) for rule in definition.consistency),
        predicates=level_predicates(levels),
        unbanded=frozenset(d.code for d in definition.dimensions if not d.banded),
        ranked_advice=definition.ranked_advice,
        uses_profile=definition.uses_profile,
        mapped=tuple(q for q in questions if q.question.scenario or q.question.cmmm),
        na_defaults=tuple(q for q in questions if q.na_default),
        chosen={},
    )


def level_predicates(levels: tuple[Level, ...]) -> dict[Condition, Predicate]:
    """Return the compiled conditions of the levels' requires and gates' applies_when."""
    conditions = [
        *(c for level in levels for c in level.requires),
        *(c for level in levels for gate in level.gates for c in gate.applies_when),
    ]
    return {condition: compile_condition(condition) for condition in conditions}


def question_models(definition: Definition) -> tuple[QuestionModel, ...]:
    """Return the questions in file order, each knowing which dimension index holds it."""
    models: list[QuestionModel] = []
    triggers: dict[str, QuestionSpec] = {}
    for index, dimension in enumerate(definition.dimensions):
        for question in dimension.questions:
            models.append(question_model(question, index, triggers))
            if question.type in TRIGGER_TYPES:
                triggers[question.code] = question
    return tuple(models)


def question_model(
    question: QuestionSpec, dimension: int, triggers: dict[str, QuestionSpec]
) -> QuestionModel:
    """Return the question's model; ``triggers`` holds the earlier level/choice questions."""
    dependency = question.depends_on
    trigger_values: frozenset[Any] | None = None
    if dependency is not None:
        valid = dependency.question in triggers
        trigger_values = frozenset(dependency.values) if valid else frozenset()
    return QuestionModel(
        question=question,
        code=question.code,
        dimension=dimension,
        weight=float(question.weight),
        scored=question.scored,
        allow_na=question.allow_na,
        scorer=make_scorer(question),
        trigger=dependency.question if dependency else "",
        trigger_values=trigger_values,
        floor=lowest_score(question),
        accepts=answer_test(question),
        show_when=tuple(compile_condition(condition) for condition in question.show_when),
        na_default=tuple(compile_condition(c) for c in question.na_default_when)
        if question.allow_na
        else (),
        inputs=question.inputs if question.type in COMPUTED_TYPES else (),
        band_score=band_scorer(question) if question.type is QuestionType.RATE else None,
    )


def answer_test(question: QuestionSpec) -> Callable[[Any], bool]:
    """Return the test of a valid answer value: non-blank text, a number in range or "not
    measured", else a value the scorer scores (unscored questions included)."""
    if question.type is QuestionType.TEXT:
        return has_text
    if question.type is QuestionType.NUMBER:
        return number_accepts(question)
    scorer = make_scorer(question)
    return lambda value: scorer(value) is not None


def rules_by_band(definition: Definition) -> dict[tuple[str, int], tuple[RuleModel, ...]]:
    """Return the recommendation rules per (dimension code, level), in file order."""
    bands: dict[tuple[str, int], list[RuleModel]] = {}
    for order, rule in enumerate(definition.recommendations):
        horizon = HORIZON_ORDER.get(str(rule.horizon), len(HORIZON_ORDER))
        applies = all_of(tuple(compile_condition(condition) for condition in rule.when))
        model = RuleModel(order, horizon, rule, applies)
        for level in dict.fromkeys(rule.levels):
            bands.setdefault((rule.dimension, level), []).append(model)
    return {band: tuple(models) for band, models in bands.items()}
