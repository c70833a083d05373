"""Indicative MIIT 2024 (L1–L4) and CMMM (GB/T 39116, 1–5) levels from the mapped answers.

Content review v1 §5.7. Level questions may carry a ``scenario`` (a MIIT 2024 business
scenario and the scenario level L0–L4 of each answer 0–5) and ``cmmm`` codes (CMMM
capability sub-domains; answer level k ≈ CMMM level k). The engine stores each mapped
question's answer in the card (``mapped_levels``); the rules below turn them, with the
reference lists of frameworks.yaml, into estimates. Pure Python.

How the levels are combined, and why:

- **A scenario's or sub-domain's level is the lowest level among its answered questions**,
  not their median. MIIT's scenario descriptors and CMMM's level requirements are
  cumulative: a level is reached when everything it describes is in place, and each
  mapped question measures one part of that (S07 quality management: trace time *and*
  inspection/SPC). The weakest part bounds the whole, one strong answer cannot lift it (the
  app's own levels follow the same idea: a high average must not hide a critical gap),
  and with two or three questions a median is either the mean of two answers or the
  middle one of three, which lets one optimistic self-assessment count for a level.
- **MIIT 2024 rule** (unverified, review §1): level L needs the points *and* a number of
  scenarios at ≥ L with a minimum of constraint (约束性) scenarios among them. The
  official MIIT 100-point score is not reproduced: the app's overall index (0–100)
  stands in for it. A scenario answered "not applicable" counts as not reached.
- **CMMM**: the highest k such that ≥ 80 % of the applicable sub-domains are at ≥ k (the
  0.8 rule is unverified, review §1). A sub-domain whose questions are all "not
  applicable" is not applicable.
- **Missing answers never become a number.** A scenario or sub-domain without a complete
  answer (a mapped question unanswered, or none mapped at all) could be anywhere from 0 to
  the top level. The rules are applied twice, with every such entry at 0 and at the top:
  when both give the same level, the missing answers cannot change it and it is the
  estimate; otherwise there is no estimate (``Estimate.level`` None) and the entries that
  would decide it are named.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol

from .card import NOT_APPLICABLE, MappedAnswer, ScoreCard
from .definition import Definition, QuestionSpec, Text
from .model import DefinitionModel
from .resolution import Resolution, shown_for

MIIT_TOP = 4
CMMM_TOP = 5
# CMMM: a level needs at least CMMM_SHARE of the applicable sub-domains at or above it.
CMMM_SHARE_NUMERATOR, CMMM_SHARE_DENOMINATOR = 4, 5  # 80 %, compared exactly


@dataclass(frozen=True, slots=True)
class MiitRule:
    """MIIT 2024: level ``level`` needs ``points`` and ``scenarios`` scenarios at ≥ level,
    at least ``constraint`` of them constraint scenarios."""

    level: int
    points: float
    scenarios: int
    constraint: int


MIIT_RULES = (
    MiitRule(1, 20, 6, 3),
    MiitRule(2, 40, 6, 3),
    MiitRule(3, 60, 8, 5),
    MiitRule(4, 80, 10, 6),
)


class ReferenceItem(Protocol):
    """A frameworks.yaml item (definitions.frameworks.FrameworkItem)."""

    @property
    def code(self) -> str: ...
    @property
    def name(self) -> Text: ...
    @property
    def constraint(self) -> bool: ...


# ------------------------------------------------------------------ the card's part


def mapped_levels(
    model: DefinitionModel, resolution: Resolution
) -> tuple[tuple[str, MappedAnswer], ...] | None:
    """Return each mapped question that exists for the firm with its answer: the level, "na"
    or None (unanswered, or hidden by an unanswered trigger); a follow-up hidden because its
    trigger denies the capability is level 0. None when the definition maps no question."""
    if not model.mapped:
        return None
    return tuple(
        (question.code, _mapped_answer(question.code, resolution))
        for question in model.mapped
        if _exists(model, question.code, resolution)
    )


def _mapped_answer(code: str, resolution: Resolution) -> MappedAnswer:
    if code in resolution.not_applicable:
        return NOT_APPLICABLE
    if code in resolution.denied:
        return 0
    value = resolution.usable.get(code)
    return value if type(value) is int else None


def _exists(model: DefinitionModel, code: str, resolution: Resolution) -> bool:
    """False when the question's show_when (or its trigger's, down the chain) fails."""
    question = model.questions[model.position[code]]
    if question.show_when and not shown_for(question, resolution.profile):
        return False
    trigger = question.trigger
    return not trigger or trigger not in model.position or _exists(model, trigger, resolution)


# ------------------------------------------------------------------ the estimates


@dataclass(frozen=True, slots=True)
class Evidence:
    """One MIIT scenario or CMMM sub-domain as the mapped answers evidence it.

    ``level``: the lowest answered level (None when no mapped question has a level answer);
    ``lowest``/``highest``: the range the unanswered questions leave (equal when settled).
    """

    code: str
    name: Text
    constraint: bool
    questions: tuple[str, ...]  # the mapped questions that exist for the firm
    level: int | None
    unanswered: int
    not_applicable: bool  # every mapped question answered "not applicable"
    lowest: int
    highest: int

    @property
    def covered(self) -> bool:
        return bool(self.questions)

    @property
    def settled(self) -> bool:
        return self.lowest == self.highest


@dataclass(frozen=True, slots=True)
class Estimate:
    """An indicative level: ``level`` None when it cannot be estimated, i.e. the missing
    answers leave it anywhere from ``lowest`` to ``highest``; ``missing`` names the
    entries that would decide it. Level 0: below the first level."""

    level: int | None
    lowest: int
    highest: int
    missing: tuple[Evidence, ...] = ()


@dataclass(frozen=True, slots=True)
class MiitCheck:
    """One level's requirements against the answers given (unanswered: not reached)."""

    rule: MiitRule
    index_met: bool
    scenarios: int
    constraint: int

    @property
    def met(self) -> bool:
        rule = self.rule
        return (
            self.index_met
            and self.scenarios >= rule.scenarios
            and self.constraint >= rule.constraint
        )


@dataclass(frozen=True, slots=True)
class MiitEstimate:
    index: float  # the app's overall index, standing in for MIIT's 100 points
    scenarios: tuple[Evidence, ...]
    checks: tuple[MiitCheck, ...]
    estimate: Estimate


@dataclass(frozen=True, slots=True)
class CmmmEstimate:
    subdomains: tuple[Evidence, ...]
    estimate: Estimate

    @property
    def applicable(self) -> int:
        return sum(not sub.not_applicable for sub in self.subdomains)


@dataclass(frozen=True, slots=True)
class Crosswalk:
    miit: MiitEstimate | None  # None: the definition maps no question to a scenario
    cmmm: CmmmEstimate | None  # None: the definition maps no question to a sub-domain


def crosswalk(
    definition: Definition,
    card: ScoreCard,
    scenarios: Sequence[ReferenceItem],
    subdomains: Sequence[ReferenceItem],
) -> Crosswalk | None:
    """Return the indicative levels of the card; None when its definition maps nothing
    (or the card was computed before the crosswalk existed)."""
    if card.mapped_levels is None:
        return None
    answers = dict(card.mapped_levels)
    questions = [definition.questions[code] for code in answers if code in definition.questions]
    miit = miit_estimate(card.overall, scenario_evidence(questions, answers, scenarios))
    cmmm = cmmm_estimate(cmmm_evidence(questions, answers, subdomains))
    has_scenarios = any(q.scenario for q in questions)
    has_cmmm = any(q.cmmm for q in questions)
    if not has_scenarios and not has_cmmm:
        return None
    return Crosswalk(miit if has_scenarios else None, cmmm if has_cmmm else None)


Answers = list[tuple[str, MappedAnswer]]  # (question code, level | "na" | None)


def scenario_evidence(
    questions: Iterable[QuestionSpec],
    answers: dict[str, MappedAnswer],
    items: Sequence[ReferenceItem],
) -> tuple[Evidence, ...]:
    """Return each scenario of ``items`` with the scenario levels of its mapped answers."""
    levels: dict[str, Answers] = {item.code: [] for item in items}
    for question in questions:
        scenario = question.scenario
        if scenario is None or scenario.code not in levels:
            continue
        answer = _readable(answers.get(question.code), len(scenario.levels) - 1)
        if type(answer) is int:
            answer = scenario.levels[answer]
        levels[scenario.code].append((question.code, answer))
    return tuple(_evidence(item, levels[item.code], MIIT_TOP) for item in items)


def cmmm_evidence(
    questions: Iterable[QuestionSpec],
    answers: dict[str, MappedAnswer],
    items: Sequence[ReferenceItem],
) -> tuple[Evidence, ...]:
    """Return each sub-domain of ``items`` with the levels of its mapped answers."""
    levels: dict[str, Answers] = {item.code: [] for item in items}
    for question in questions:
        answer = _readable(answers.get(question.code), CMMM_TOP)
        for code in question.cmmm:
            if code in levels:
                levels[code].append((question.code, answer))
    return tuple(_evidence(item, levels[item.code], CMMM_TOP) for item in items)


def _readable(answer: object, top: int) -> MappedAnswer:
    """Return the stored answer if it is a level 0..top or "na", else None (unanswered)."""
    if type(answer) is int and 0 <= answer <= top:
        return answer
    return NOT_APPLICABLE if answer == NOT_APPLICABLE else None


def _evidence(item: ReferenceItem, answers: Answers, top: int) -> Evidence:
    """Return the item's evidence; its level is the lowest of the answered levels."""
    known = [level for _code, level in answers if isinstance(level, int)]
    unanswered = sum(level is None for _code, level in answers)
    not_applicable = bool(answers) and not known and not unanswered
    level = min(known) if known else None
    if not_applicable:
        lowest = highest = 0
    else:
        highest = top if level is None else level
        lowest = 0 if unanswered or level is None else level
    return Evidence(
        code=item.code,
        name=item.name,
        constraint=item.constraint,
        questions=tuple(code for code, _level in answers),
        level=level,
        unanswered=unanswered,
        not_applicable=not_applicable,
        lowest=lowest,
        highest=highest,
    )


def miit_estimate(index: float, scenarios: tuple[Evidence, ...]) -> MiitEstimate:
    """Return the indicative MIIT level under the 2024 rule (index as the points proxy)."""
    answered = [scenario.lowest for scenario in scenarios]
    checks = tuple(_miit_check(rule, index, answered, scenarios) for rule in MIIT_RULES)
    lowest = _miit_level(index, answered, scenarios)
    highest = _miit_level(index, [scenario.highest for scenario in scenarios], scenarios)
    return MiitEstimate(index, scenarios, checks, _estimate(lowest, highest, scenarios))


def _miit_check(
    rule: MiitRule, index: float, levels: list[int], scenarios: tuple[Evidence, ...]
) -> MiitCheck:
    """Return the rule checked with each scenario at ``levels`` (in scenario order)."""
    pairs = list(zip(levels, scenarios, strict=True))
    return MiitCheck(
        rule=rule,
        index_met=index >= rule.points,
        scenarios=sum(level >= rule.level for level, _s in pairs),
        constraint=sum(level >= rule.level and s.constraint for level, s in pairs),
    )


def _miit_level(index: float, levels: list[int], scenarios: tuple[Evidence, ...]) -> int:
    """The highest level whose requirements, and those of every level below, are met."""
    reached = 0
    for rule in MIIT_RULES:
        if not _miit_check(rule, index, levels, scenarios).met:
            break
        reached = rule.level
    return reached


def cmmm_estimate(subdomains: tuple[Evidence, ...]) -> CmmmEstimate:
    """Return the indicative CMMM level: the highest k with ≥ 80 % of the applicable
    sub-domains at ≥ k (0: below level 1)."""
    applicable = [sub for sub in subdomains if not sub.not_applicable]
    if not applicable:
        return CmmmEstimate(subdomains, Estimate(None, 0, 0))
    lowest = _cmmm_level([sub.lowest for sub in applicable])
    highest = _cmmm_level([sub.highest for sub in applicable])
    return CmmmEstimate(subdomains, _estimate(lowest, highest, subdomains))


def _cmmm_level(levels: list[int]) -> int:
    reached = 0
    for k in range(1, CMMM_TOP + 1):
        at_least = sum(level >= k for level in levels)
        if at_least * CMMM_SHARE_DENOMINATOR < len(levels) * CMMM_SHARE_NUMERATOR:
            break
        reached = k
    return reached


def _estimate(lowest: int, highest: int, entries: tuple[Evidence, ...]) -> Estimate:
    if lowest == highest:
        return Estimate(lowest, lowest, highest)
    missing = tuple(entry for entry in entries if not entry.settled)
    return Estimate(None, lowest, highest, missing)
