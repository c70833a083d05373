"""The engine's result: a frozen ``ScoreCard`` that round-trips through plain JSON data.

``ScoreCard.from_dict(card.to_dict()) == card`` holds for every card, also after a trip
through ``json.dumps``/``json.loads``; that is what lets a stored result be shown again
exactly as it was computed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from .definition import Effort, Horizon, Text

LimitKind = Literal["critical_floor", "dimension", "question", "requires"]
# A mapped level question's answer as the crosswalk reads it (crosswalk.py): the level
# 0–5, NOT_APPLICABLE, or None when it has no usable answer (yet).
MappedAnswer = int | Literal["na"] | None
NOT_APPLICABLE: Literal["na"] = "na"


def text_to_dict(text: Text) -> dict[str, str]:
    """Return the text as ``{"zh-hans": …, "en": …}``."""
    return text.as_dict()


def text_from_dict(data: dict[str, str]) -> Text:
    """Return the Text stored by ``text_to_dict``."""
    return Text(zh_hans=data["zh-hans"], en=data["en"])


def optional_float(value: float | None) -> float | None:
    """Return value as a float, keeping None."""
    return None if value is None else float(value)


@dataclass(frozen=True, slots=True)
class Limit:
    """A requirement of ``level`` that the firm fails: ``actual`` is below ``required``.

    For an unmet ``requires`` condition (kind "requires"), ``requirement`` is its index in
    the level's ``requires``, ``code`` the questions it looks at (joined by "/", empty for a
    profile condition), ``required`` 1 and ``actual`` 0.
    """

    level: int
    kind: LimitKind
    code: str
    required: float
    actual: float
    requirement: int | None = None

    def to_dict(self) -> dict[str, Any]:
        """Return the limit as JSON-safe data."""
        data: dict[str, Any] = {
            "level": self.level,
            "kind": self.kind,
            "code": self.code,
            "required": float(self.required),
            "actual": float(self.actual),
        }
        if self.requirement is not None:
            data["requirement"] = self.requirement
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Limit:
        """Return the limit stored by ``to_dict``."""
        return cls(
            level=data["level"],
            kind=data["kind"],
            code=data["code"],
            required=float(data["required"]),
            actual=float(data["actual"]),
            requirement=data.get("requirement"),
        )


@dataclass(frozen=True, slots=True)
class DimensionResult:
    """One dimension's result; ``score`` is None when nothing applicable was answered."""

    code: str
    score: float | None
    level: int
    target_level: int | None
    target_score: float | None
    gap: float
    relevance: int
    weight: float
    answered: int
    applicable: int
    banded: bool = True  # False: an outcomes panel without maturity band (``level`` unused)

    def to_dict(self) -> dict[str, Any]:
        """Return the dimension result as JSON-safe data."""
        data = {
            "code": self.code,
            "score": optional_float(self.score),
            "level": self.level,
            "target_level": self.target_level,
            "target_score": optional_float(self.target_score),
            "gap": float(self.gap),
            "relevance": self.relevance,
            "weight": float(self.weight),
            "answered": self.answered,
            "applicable": self.applicable,
        }
        if not self.banded:
            data["banded"] = False
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> DimensionResult:
        """Return the dimension result stored by ``to_dict``."""
        return cls(
            code=data["code"],
            score=optional_float(data["score"]),
            level=data["level"],
            target_level=data["target_level"],
            target_score=optional_float(data["target_score"]),
            gap=float(data["gap"]),
            relevance=data["relevance"],
            weight=float(data["weight"]),
            answered=data["answered"],
            applicable=data["applicable"],
            banded=data.get("banded", True),
        )


@dataclass(frozen=True, slots=True)
class Priority:
    """A dimension to work on; rank 1 comes first. ``value`` = gap × weight × relevance."""

    rank: int
    dimension: str
    gap: float
    weight: float
    relevance: int
    value: float

    def to_dict(self) -> dict[str, Any]:
        """Return the priority as JSON-safe data."""
        return {
            "rank": self.rank,
            "dimension": self.dimension,
            "gap": float(self.gap),
            "weight": float(self.weight),
            "relevance": self.relevance,
            "value": float(self.value),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Priority:
        """Return the priority stored by ``to_dict``."""
        return cls(
            rank=data["rank"],
            dimension=data["dimension"],
            gap=float(data["gap"]),
            weight=float(data["weight"]),
            relevance=data["relevance"],
            value=float(data["value"]),
        )


@dataclass(frozen=True, slots=True)
class ChosenRecommendation:
    """A recommendation rule that applies to a dimension at its current level."""

    dimension: str
    level: int
    horizon: Horizon
    effort: Effort
    title: Text
    text: Text
    priority_rank: int | None
    category: str | None = None
    budget_min: float | None = None  # 万元
    budget_max: float | None = None
    owner: str | None = None  # a role
    kpi: Text | None = None

    def to_dict(self) -> dict[str, Any]:
        """Return the recommendation as JSON-safe data (v2 fields only when set)."""
        data: dict[str, Any] = {
            "dimension": self.dimension,
            "level": self.level,
            "horizon": str(self.horizon),
            "effort": str(self.effort),
            "title": text_to_dict(self.title),
            "text": text_to_dict(self.text),
            "priority_rank": self.priority_rank,
        }
        if self.category is not None:
            data["category"] = self.category
        if self.budget_min is not None and self.budget_max is not None:
            data["budget_wan"] = [float(self.budget_min), float(self.budget_max)]
        if self.owner is not None:
            data["owner"] = self.owner
        if self.kpi is not None:
            data["kpi"] = text_to_dict(self.kpi)
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ChosenRecommendation:
        """Return the recommendation stored by ``to_dict``."""
        return cls(
            dimension=data["dimension"],
            level=data["level"],
            horizon=Horizon(data["horizon"]),
            effort=Effort(data["effort"]),
            title=text_from_dict(data["title"]),
            text=text_from_dict(data["text"]),
            priority_rank=data["priority_rank"],
            category=data.get("category"),
            budget_min=data["budget_wan"][0] if "budget_wan" in data else None,
            budget_max=data["budget_wan"][1] if "budget_wan" in data else None,
            owner=data.get("owner"),
            kpi=text_from_dict(data["kpi"]) if "kpi" in data else None,
        )


@dataclass(frozen=True, slots=True)
class ConsistencyWarning:
    """A consistency rule that fired, with the questions it looked at."""

    code: str
    message: Text
    questions: tuple[str, ...]
    severity: str = "info"  # info | must_resolve

    @property
    def must_resolve(self) -> bool:
        return self.severity == "must_resolve"

    def to_dict(self) -> dict[str, Any]:
        """Return the warning as JSON-safe data."""
        data: dict[str, Any] = {
            "code": self.code,
            "message": text_to_dict(self.message),
            "questions": list(self.questions),
        }
        if self.severity != "info":
            data["severity"] = self.severity
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ConsistencyWarning:
        """Return the warning stored by ``to_dict``."""
        return cls(
            code=data["code"],
            message=text_from_dict(data["message"]),
            questions=tuple(data["questions"]),
            severity=data.get("severity", "info"),
        )


@dataclass(frozen=True, slots=True)
class Confidence:
    """Shares (0–1) of the visible, applicable, scored questions that are answered,
    answered with evidence, and answered and verified by a consultant."""

    answered_share: float
    evidence_share: float
    verified_share: float

    def to_dict(self) -> dict[str, Any]:
        """Return the confidence as JSON-safe data."""
        return {
            "answered_share": float(self.answered_share),
            "evidence_share": float(self.evidence_share),
            "verified_share": float(self.verified_share),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Confidence:
        """Return the confidence stored by ``to_dict``."""
        return cls(
            answered_share=float(data["answered_share"]),
            evidence_share=float(data["evidence_share"]),
            verified_share=float(data["verified_share"]),
        )


@dataclass(frozen=True, slots=True)
class ScoreCard:
    """Everything the engine concludes about one set of answers."""

    definition_code: str
    definition_version: int
    scoring_version: str
    overall: float
    level: int
    uncapped_level: int
    limiting: tuple[Limit, ...]
    dimensions: tuple[DimensionResult, ...]
    priorities: tuple[Priority, ...]
    recommendations: tuple[ChosenRecommendation, ...]
    warnings: tuple[ConsistencyWarning, ...]
    confidence: Confidence
    # Number questions answered "not measured", and the rates and trends that scored 0 for
    # it: findings for the report (SPEC12 §3).
    not_measured: tuple[str, ...] = ()
    # The answers of the level questions mapped to a MIIT scenario or a CMMM sub-domain that
    # exist for the firm, as (code, answer) in file order (crosswalk.py); None when the
    # definition maps none (v1) or the card was computed before the crosswalk existed.
    mapped_levels: tuple[tuple[str, MappedAnswer], ...] | None = None

    def dimension(self, code: str) -> DimensionResult:
        """Return the named dimension's result; KeyError when there is none."""
        for dimension in self.dimensions:
            if dimension.code == code:
                return dimension
        raise KeyError(code)

    def to_dict(self) -> dict[str, Any]:
        """Return the card as JSON-safe data (dicts, lists, str, int, float, None); keys
        that v2 added appear only when set, so a v1 card's data is as it always was."""
        data = {
            "definition_code": self.definition_code,
            "definition_version": self.definition_version,
            "scoring_version": self.scoring_version,
            "overall": float(self.overall),
            "level": self.level,
            "uncapped_level": self.uncapped_level,
            "limiting": [limit.to_dict() for limit in self.limiting],
            "dimensions": [dimension.to_dict() for dimension in self.dimensions],
            "priorities": [priority.to_dict() for priority in self.priorities],
            "recommendations": [chosen.to_dict() for chosen in self.recommendations],
            "warnings": [warning.to_dict() for warning in self.warnings],
            "confidence": self.confidence.to_dict(),
        }
        if self.not_measured:
            data["not_measured"] = list(self.not_measured)
        if self.mapped_levels is not None:
            data["mapped_levels"] = dict(self.mapped_levels)
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ScoreCard:
        """Return the card stored by ``to_dict``; KeyError when a field is missing."""
        return cls(
            definition_code=data["definition_code"],
            definition_version=data["definition_version"],
            scoring_version=data["scoring_version"],
            overall=float(data["overall"]),
            level=data["level"],
            uncapped_level=data["uncapped_level"],
            limiting=tuple(Limit.from_dict(item) for item in data["limiting"]),
            dimensions=tuple(DimensionResult.from_dict(item) for item in data["dimensions"]),
            priorities=tuple(Priority.from_dict(item) for item in data["priorities"]),
            recommendations=tuple(
                ChosenRecommendation.from_dict(item) for item in data["recommendations"]
            ),
            warnings=tuple(ConsistencyWarning.from_dict(item) for item in data["warnings"]),
            confidence=Confidence.from_dict(data["confidence"]),
            not_measured=tuple(data.get("not_measured", ())),
            mapped_levels=(
                tuple(data["mapped_levels"].items()) if "mapped_levels" in data else None
            ),
        )
