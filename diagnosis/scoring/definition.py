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
    NUMBER = "number"  # a raw figure, never scored by itself; "not measured" always offered
    RATE = "rate"  # computed: 100 × numerator ÷ denominator, banded
    TREND = "trend"  # computed: change between two years, by the published ±5 % rule


COMPUTED_TYPES = frozenset({QuestionType.RATE, QuestionType.TREND})
UNSCORED_TYPES = frozenset({QuestionType.TEXT, QuestionType.NUMBER})
# The stored value of a number question answered "not measured / 不统计".
NOT_MEASURED = "not-measured"


class Role(StrEnum):
    """Who in the firm usually knows the answer (and owns a recommendation)."""

    GM = "gm"
    IT = "it"
    PRODUCTION = "production"
    QUALITY = "quality"
    EHS = "ehs"
    PURCHASING = "purchasing"
    FINANCE = "finance"
    HR = "hr"
    SALES = "sales"
    RND = "rnd"


class Severity(StrEnum):
    INFO = "info"
    MUST_RESOLVE = "must_resolve"


class Better(StrEnum):
    HIGHER = "higher"
    LOWER = "lower"


class ProfileField(StrEnum):
    INDUSTRY = "industry"  # GB/T 4754 manufacturing division, 13–43
    SIZE = "size"  # MIIT size class


SIZE_CLASSES = ("micro", "small", "medium", "large")
INDUSTRY_DIVISIONS = range(13, 44)


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
class Condition:
    """One condition (SPEC12 §1). Exactly one kind is set:

    - an answer condition: ``question`` with one of in_/not_in/min/max/includes/excludes,
      or ``na`` (answered "not applicable") or ``not_measured`` (number "not measured");
    - a profile condition: ``profile`` (industry or size) with in_ or not_in;
    - ``any_of``: at least one of these conditions holds.
    """

    question: str = ""
    in_: tuple[int | str, ...] | None = None
    not_in: tuple[int | str, ...] | None = None
    min: float | None = None
    max: float | None = None
    includes: str | None = None
    excludes: str | None = None
    na: bool = False
    not_measured: bool = False
    profile: ProfileField | None = None
    any_of: tuple[Condition, ...] = ()

    def questions(self) -> tuple[str, ...]:
        """Return the question codes the condition looks at, in order."""
        if self.any_of:
            return tuple(dict.fromkeys(code for c in self.any_of for code in c.questions()))
        return (self.question,) if self.question else ()

    @property
    def on_profile(self) -> bool:
        """True when the condition depends on the firm's profile (also inside any_of)."""
        return self.profile is not None or any(c.on_profile for c in self.any_of)


@dataclass(frozen=True, slots=True)
class Scenario:
    """A level question's MIIT scenario: answer level 0..5 → scenario level ``levels[k]``."""

    code: str
    levels: tuple[int, ...]


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
    role: Role | None = None
    evidence: Text | None = None
    covers: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (framework, item codes)
    show_when: tuple[Condition, ...] = ()  # profile conditions only
    # Profile conditions (allow_na only): when all hold, no answer counts as "not applicable".
    na_default_when: tuple[Condition, ...] = ()
    unscored: bool = False
    scenario: Scenario | None = None
    cmmm: tuple[str, ...] = ()
    integer: bool = False  # number questions: whole numbers only
    numerator: str = ""  # rate
    denominator: str = ""  # rate
    current: str = ""  # trend
    previous: str = ""  # trend
    per_current: str = ""  # trend of an intensity
    per_previous: str = ""  # trend of an intensity
    better: Better | None = None  # trend

    @property
    def scored(self) -> bool:
        return self.type not in UNSCORED_TYPES and not self.unscored

    @property
    def asked(self) -> bool:
        """False for rate and trend questions: the engine computes them from numbers."""
        return self.type not in COMPUTED_TYPES

    @property
    def inputs(self) -> tuple[str, ...]:
        """Return the number questions a rate or trend is computed from (empty otherwise)."""
        codes = (
            self.numerator,
            self.denominator,
            self.current,
            self.previous,
            self.per_current,
            self.per_previous,
        )
        return tuple(code for code in codes if code)

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
    banded: bool = True  # false: an outcomes panel, in the index but without maturity bands
    compares_as: str = ""  # the comparison key if not the code (FORMAT.md, `compares_as`)

    @property
    def comparison_key(self) -> str:
        """What other questionnaire versions' dimensions are matched on: a dimension of
        another version is compared with this one only when their keys are equal."""
        return self.compares_as or self.code


@dataclass(frozen=True, slots=True)
class Gate:
    """A floor: the named dimension or question must score at least min_score."""

    min_score: float
    dimension: str | None = None
    question: str | None = None
    applies_when: tuple[Condition, ...] = ()  # profile conditions: the gate applies only then


@dataclass(frozen=True, slots=True)
class Level:
    number: int
    name: Text
    description: Text
    min_score: float
    critical_floor: float = 0
    gates: tuple[Gate, ...] = ()
    requires: tuple[Condition, ...] = ()  # the level's defining capability: all must hold


@dataclass(frozen=True, slots=True)
class Recommendation:
    dimension: str
    levels: tuple[int, ...]
    horizon: Horizon
    effort: Effort
    title: Text
    text: Text
    when: tuple[Condition, ...] = ()
    category: str | None = None  # solution category slug: rules are de-duplicated by it
    budget: Budget | None = None
    owner: Role | None = None
    kpi: Text | None = None


@dataclass(frozen=True, slots=True)
class Budget:
    """An indicative SME budget range in 万元 (10,000 yuan)."""

    minimum: float
    maximum: float


@dataclass(frozen=True, slots=True)
class ConsistencyRule:
    code: str
    message: Text
    when: tuple[Condition, ...]
    severity: Severity = Severity.INFO


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
    def uses_profile(self) -> bool:
        """True when anything in the definition depends on the firm's industry or size."""
        conditions = [
            *(c for q in self._questions.values() for c in q.show_when),
            *(c for q in self._questions.values() for c in q.na_default_when),
            *(c for level in self.levels for c in level.requires),
            *(c for level in self.levels for gate in level.gates for c in gate.applies_when),
            *(c for rule in self.recommendations for c in rule.when),
            *(c for rule in self.consistency for c in rule.when),
        ]
        return any(condition.on_profile for condition in conditions)

    @property
    def has_na_defaults(self) -> bool:
        """True when a question presets "not applicable" by profile (na_default_when)."""
        return any(question.na_default_when for question in self._questions.values())

    @property
    def ranked_advice(self) -> bool:
        """True when the rules carry solution categories (v2): the engine then
        de-duplicates the chosen rules by category and keeps the first eight."""
        return any(rule.category for rule in self.recommendations)

    @property
    def questions(self) -> dict[str, QuestionSpec]:
        """All questions by code, in file order."""
        return self._questions

    def dimension(self, code: str) -> DimensionSpec:
        return next(d for d in self.dimensions if d.code == code)
