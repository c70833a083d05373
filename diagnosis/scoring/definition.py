"""The questionnaire definition as frozen dataclasses.

Built by ``diagnosis.definitions.loader`` from a YAML file; read by the scoring engine,
the forms and the loader into the database. Pure Python: no Django import here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

LANGUAGES = ("zh-hans", "en")


@dataclass(frozen=True, slots=True)
class Text:
    """A bilingual text."""

    zh_hans: str
    en: str

    def get(self, language: str) -> str:
        return self.en if language.lower().startswith("en") else self.zh_hans

    def as_dict(self) -> dict[str, str]:
        return {"zh-hans": self.zh_hans, "en": self.en}


class QuestionType(StrEnum):
    LEVEL = "level"
    CHOICE = "choice"
    CHECKLIST = "checklist"
    KPI = "kpi"
    TEXT = "text"


class Horizon(StrEnum):
    NOW = "now"
    NEXT = "next"
    LATER = "later"


class Effort(StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"


@dataclass(frozen=True, slots=True)
class OptionSpec:
    value: int | str
    score: float
    label: Text
    descriptor: Text | None = None


@dataclass(frozen=True, slots=True)
class ChecklistItem:
    code: str
    weight: float
    label: Text


@dataclass(frozen=True, slots=True)
class KpiBand:
    start: float  # "from" in the file
    score: float


@dataclass(frozen=True, slots=True)
class Dependency:
    question: str
    values: tuple[int | str, ...]


@dataclass(frozen=True, slots=True)
class QuestionSpec:
    code: str
    dimension: str
    type: QuestionType
    weight: float
    text: Text
    help: Text | None = None
    allow_na: bool = False
    depends_on: Dependency | None = None
    options: tuple[OptionSpec, ...] = ()
    items: tuple[ChecklistItem, ...] = ()
    unit: Text | None = None
    minimum: float | None = None
    maximum: float | None = None
    bands: tuple[KpiBand, ...] = ()

    @property
    def scored(self) -> bool:
        return self.type is not QuestionType.TEXT

    def option(self, value: Any) -> OptionSpec | None:
        for option in self.options:
            if option.value == value:
                return option
        return None


@dataclass(frozen=True, slots=True)
class DimensionSpec:
    code: str
    weight: float
    critical: bool
    name: Text
    description: Text
    questions: tuple[QuestionSpec, ...]


@dataclass(frozen=True, slots=True)
class Gate:
    """A floor: the named dimension or question must score at least min_score."""

    min_score: float
    dimension: str | None = None
    question: str | None = None


@dataclass(frozen=True, slots=True)
class Level:
    number: int
    name: Text
    description: Text
    min_score: float
    critical_floor: float = 0
    gates: tuple[Gate, ...] = ()


@dataclass(frozen=True, slots=True)
class Recommendation:
    dimension: str
    levels: tuple[int, ...]
    horizon: Horizon
    effort: Effort
    title: Text
    text: Text


@dataclass(frozen=True, slots=True)
class Condition:
    """One clause of a consistency rule: exactly one of the comparisons is set."""

    question: str
    in_: tuple[int | str, ...] | None = None
    not_in: tuple[int | str, ...] | None = None
    min: float | None = None
    max: float | None = None
    includes: str | None = None
    excludes: str | None = None


@dataclass(frozen=True, slots=True)
class ConsistencyRule:
    code: str
    message: Text
    when: tuple[Condition, ...]


@dataclass(frozen=True, slots=True)
class Definition:
    code: str
    version: int
    title: Text
    description: Text
    levels: tuple[Level, ...]
    dimensions: tuple[DimensionSpec, ...]
    recommendations: tuple[Recommendation, ...]
    consistency: tuple[ConsistencyRule, ...] = ()
    _questions: dict[str, QuestionSpec] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        for dimension in self.dimensions:
            for question in dimension.questions:
                self._questions[question.code] = question

    @property
    def questions(self) -> dict[str, QuestionSpec]:
        """All questions by code, in file order."""
        return self._questions

    def dimension(self, code: str) -> DimensionSpec:
        return next(d for d in self.dimensions if d.code == code)
