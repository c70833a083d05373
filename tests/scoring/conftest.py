"""Questionnaire definitions built directly as dataclasses, independent of the YAML loader.

``build`` gives factories with valid defaults; ``sample`` is a small definition that
exercises every answer type, a dependency, critical dimensions, gates, recommendations
and consistency rules.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from typing import Any

import pytest

from diagnosis.scoring import AnswerInput
from diagnosis.scoring.definition import (
    ChecklistItem,
    Condition,
    ConsistencyRule,
    Definition,
    Dependency,
    DimensionSpec,
    Effort,
    Gate,
    Horizon,
    KpiBand,
    Level,
    OptionSpec,
    QuestionSpec,
    QuestionType,
    Recommendation,
    Text,
)

LEVEL_SCORES = (0, 20, 40, 60, 80, 100)
YES_PARTIAL_NO = {"yes": 100, "partial": 50, "no": 0}
CHECKLIST_ITEMS = {"a": 1, "b": 1, "c": 2}
KPI_BANDS = ((0, 0), (20, 40), (50, 70), (80, 100))
# (min_score, critical_floor) of levels 1–5
LEVEL_THRESHOLDS = ((0, 0), (20, 0), (40, 30), (60, 50), (80, 70))


def text(label: str) -> Text:
    """Return a bilingual text with the same label in both languages."""
    return Text(zh_hans=f"{label}（中文）", en=label)


class Build:
    """Factories for definition parts; keyword arguments override any field."""

    @staticmethod
    def level_question(
        code: str, *, weight: float = 1, scores: Iterable[float] = LEVEL_SCORES, **fields: Any
    ) -> QuestionSpec:
        """Return a level question whose options 0–5 score ``scores``."""
        options = tuple(
            OptionSpec(value=value, score=points, label=text(f"L{value}"), descriptor=text("seen"))
            for value, points in enumerate(scores)
        )
        return Build.question(code, QuestionType.LEVEL, weight, options=options, **fields)

    @staticmethod
    def choice_question(
        code: str,
        *,
        weight: float = 1,
        options: Mapping[str, float] = YES_PARTIAL_NO,
        **fields: Any,
    ) -> QuestionSpec:
        """Return a choice question with the given option values and scores."""
        choices = tuple(OptionSpec(value, points, text(value)) for value, points in options.items())
        return Build.question(code, QuestionType.CHOICE, weight, options=choices, **fields)

    @staticmethod
    def checklist_question(
        code: str, *, weight: float = 1, items: Mapping[str, float] = CHECKLIST_ITEMS, **fields: Any
    ) -> QuestionSpec:
        """Return a checklist question with the given item codes and weights."""
        ticks = tuple(
            ChecklistItem(item, item_weight, text(item)) for item, item_weight in items.items()
        )
        return Build.question(code, QuestionType.CHECKLIST, weight, items=ticks, **fields)

    @staticmethod
    def kpi_question(
        code: str,
        *,
        weight: float = 1,
        minimum: float = 0,
        maximum: float = 100,
        bands: Iterable[tuple[float, float]] = KPI_BANDS,
        **fields: Any,
    ) -> QuestionSpec:
        """Return a KPI question with (start, score) bands."""
        return Build.question(
            code,
            QuestionType.KPI,
            weight,
            unit=text("%"),
            minimum=minimum,
            maximum=maximum,
            bands=tuple(KpiBand(start, points) for start, points in bands),
            **fields,
        )

    @staticmethod
    def text_question(code: str, **fields: Any) -> QuestionSpec:
        """Return an unscored free-text question."""
        return Build.question(code, QuestionType.TEXT, 0, **fields)

    @staticmethod
    def question(code: str, kind: QuestionType, weight: float, **fields: Any) -> QuestionSpec:
        """Return a question; its dimension is set when it is put in a dimension."""
        return QuestionSpec(
            code=code, dimension="", type=kind, weight=weight, text=text(code), **fields
        )

    @staticmethod
    def depends_on(question: str, *values: int | str) -> Dependency:
        """Return a dependency on an earlier question's answer being one of values."""
        return Dependency(question=question, values=values)

    @staticmethod
    def dimension(
        code: str, *questions: QuestionSpec, weight: float = 1, critical: bool = False
    ) -> DimensionSpec:
        """Return a dimension holding the questions (their ``dimension`` set to code)."""
        held = tuple(dataclasses.replace(question, dimension=code) for question in questions)
        return DimensionSpec(code, weight, critical, text(code), text(f"about {code}"), held)

    @staticmethod
    def level(
        number: int, min_score: float, critical_floor: float = 0, gates: Iterable[Gate] = ()
    ) -> Level:
        """Return a maturity level."""
        return Level(
            number, text(f"L{number}"), text("level"), min_score, critical_floor, tuple(gates)
        )

    @staticmethod
    def levels(gates: Mapping[int, Iterable[Gate]] | None = None) -> tuple[Level, ...]:
        """Return levels 1–5 at min scores 0/20/40/60/80 and floors 0/0/30/50/70."""
        gates = gates or {}
        return tuple(
            Build.level(number, min_score, floor, gates.get(number, ()))
            for number, (min_score, floor) in enumerate(LEVEL_THRESHOLDS, start=1)
        )

    @staticmethod
    def gate(
        min_score: float, *, dimension: str | None = None, question: str | None = None
    ) -> Gate:
        """Return a floor on a dimension or a question."""
        return Gate(min_score=min_score, dimension=dimension, question=question)

    @staticmethod
    def recommendation(
        dimension: str, levels: Iterable[int], horizon: str = "now", title: str = ""
    ) -> Recommendation:
        """Return a rule; the title defaults to ``<dimension>-<levels>-<horizon>``."""
        levels = tuple(levels)
        title = title or f"{dimension}-{'.'.join(map(str, levels))}-{horizon}"
        return Recommendation(
            dimension, levels, Horizon(horizon), Effort.MEDIUM, text(title), text("do it")
        )

    @staticmethod
    def condition(question: str, **comparison: Any) -> Condition:
        """Return a consistency condition; pass ``in_=(…)``, ``max=…`` and so on."""
        return Condition(question=question, **comparison)

    @staticmethod
    def rule(code: str, *conditions: Condition) -> ConsistencyRule:
        """Return a consistency rule firing when all conditions hold."""
        return ConsistencyRule(code, text(f"{code} looks contradictory"), conditions)

    @staticmethod
    def definition(
        *dimensions: DimensionSpec,
        levels: tuple[Level, ...] | None = None,
        recommendations: Iterable[Recommendation] = (),
        consistency: Iterable[ConsistencyRule] = (),
    ) -> Definition:
        """Return a definition with the default levels unless others are given."""
        return Definition(
            code="test",
            version=1,
            title=text("test questionnaire"),
            description=text("for tests"),
            levels=Build.levels() if levels is None else levels,
            dimensions=dimensions,
            recommendations=tuple(recommendations),
            consistency=tuple(consistency),
        )

    @staticmethod
    def answers(*given: AnswerInput, **values: Any) -> dict[str, AnswerInput]:
        """Return answers by code: AnswerInputs as given, plus ``STR_01=3`` style values."""
        answers = {answer.question: answer for answer in given}
        for name, value in values.items():
            code = name.replace("_", "-")
            answers[code] = AnswerInput(code, value)
        return answers


@pytest.fixture(scope="session")
def build() -> type[Build]:
    """The definition factories."""
    return Build


@pytest.fixture(scope="session")
def sample() -> Definition:
    """Three dimensions: STR (weight 2), PRO (weight 3, critical), SEC (weight 1, critical).

    PRO-04 is asked only when PRO-03 is yes or partial. Level 3 needs SEC ≥ 40, level 4
    needs question SEC-01 ≥ 60. Every dimension × level has a recommendation.
    """
    b = Build
    strategy = b.dimension(
        "STR",
        b.level_question("STR-01", weight=2),
        b.choice_question("STR-02"),
        b.text_question("STR-03"),
        weight=2,
    )
    production = b.dimension(
        "PRO",
        b.level_question("PRO-01", weight=3),
        b.checklist_question("PRO-02", allow_na=True),
        b.choice_question("PRO-03"),
        b.level_question("PRO-04", weight=2, depends_on=b.depends_on("PRO-03", "yes", "partial")),
        weight=3,
        critical=True,
    )
    security = b.dimension(
        "SEC",
        b.level_question("SEC-01"),
        b.kpi_question("SEC-02", allow_na=True),
        weight=1,
        critical=True,
    )
    return b.definition(
        strategy,
        production,
        security,
        levels=b.levels({3: [b.gate(40, dimension="SEC")], 4: [b.gate(60, question="SEC-01")]}),
        recommendations=[
            b.recommendation(code, levels, horizon)
            for code in ("STR", "PRO", "SEC")
            for levels, horizon in (((1, 2), "now"), ((3,), "next"), ((4, 5), "later"))
        ],
        consistency=[
            b.rule("C-MES", b.condition("PRO-01", in_=(4, 5)), b.condition("SEC-01", max=1)),
            b.rule(
                "C-CHK", b.condition("PRO-02", includes="c"), b.condition("STR-02", in_=("no",))
            ),
        ],
    )
