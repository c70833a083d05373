"""Everything the report (page and PDF) shows, read from stored results only."""

from dataclasses import dataclass, field

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from diagnosis.answers import display_answer
from diagnosis.models import AnswerValidation, Assessment, ReviewComment, ScoreResult
from diagnosis.permissions import Access
from diagnosis.reports.charts import Series, bar_svg, radar_svg
from diagnosis.scoring import ScoreCard
from diagnosis.scoring.definition import Definition, Horizon, Level, Text

HORIZONS = [
    (Horizon.NOW, "now"),
    (Horizon.NEXT, "next"),
    (Horizon.LATER, "later"),
]


@dataclass
class DimensionRow:
    code: str
    name: str
    critical: bool
    score: float | None
    level_name: str
    target_name: str
    gap: float
    relevance: int
    self_score: float | None = None
    previous: float | None = None

    @property
    def delta(self) -> float | None:
        if self.previous is None or self.score is None:
            return None
        return round(self.score - self.previous, 1)


@dataclass
class Report:
    assessment: Assessment
    definition: Definition
    card: ScoreCard
    self_card: ScoreCard
    validated: ScoreResult | None
    level: Level
    next_level: Level | None
    explanation: list[str]
    rows: list[DimensionRow]
    roadmap: list[tuple[str, str, list]]
    warnings: list
    radar: str
    bars: str
    previous: Assessment | None
    changes: list[dict] = field(default_factory=list)
    findings: list[ReviewComment] = field(default_factory=list)
    show_warning_details: bool = False


def _text(text: Text) -> str:
    return text.get(get_language() or "zh-hans")


def _results(assessment: Assessment) -> dict[str, ScoreResult]:
    return {r.kind: r for r in ScoreResult.objects.filter(assessment=assessment)}


def _previous_scores(assessment: Assessment) -> dict[str, float | None]:
    """Dimension scores of the previous assessment (validated if signed off)."""
    previous = assessment.previous if assessment.previous_id is not None else None
    if previous is None:
        return {}
    results = _results(previous)
    result = results.get(ScoreResult.Kind.VALIDATED) or results.get(ScoreResult.Kind.SELF)
    if result is None:
        return {}
    card = ScoreCard.from_dict(result.card)
    return {d.code: d.score for d in card.dimensions}


def explain_level(card: ScoreCard, definition: Definition) -> list[str]:
    """Plain-words sentences on what holds the level back."""
    names = {d.code: _text(d.name) for d in definition.dimensions}
    levels = {level.number: _text(level.name) for level in definition.levels}
    sentences = []
    if card.uncapped_level > card.level:
        sentences.append(
            _(
                "Your overall index of %(overall).1f would reach level %(uncapped)s, but a "
                "critical area holds you at level %(level)s."
            )
            % {
                "overall": card.overall,
                "uncapped": levels[card.uncapped_level],
                "level": levels[card.level],
            }
        )
    seen = set()
    for limit in card.limiting:
        if (limit.code, limit.required) in seen:
            continue  # a critical floor and a gate can name the same dimension and floor
        seen.add((limit.code, limit.required))
        sentences.append(
            _("To reach %(level)s, %(name)s needs at least %(required).0f; it is at %(actual).1f.")
            % {
                "level": levels.get(limit.level, limit.level),
                "name": names.get(limit.code, limit.code),
                "required": limit.required,
                "actual": limit.actual,
            }
        )
    following = next((lv for lv in definition.levels if lv.number == card.level + 1), None)
    if following is not None and card.overall < following.min_score:
        sentences.append(
            _("To reach %(level)s, the overall index needs at least %(required).0f.")
            % {"level": levels[following.number], "required": following.min_score}
        )
    return sentences


def build_report(assessment: Assessment, access: Access) -> Report | None:
    """The report of a submitted assessment, or None if it has no stored result yet."""
    results = _results(assessment)
    if ScoreResult.Kind.SELF not in results:
        return None
    definition = assessment.questionnaire.definition
    self_card = ScoreCard.from_dict(results[ScoreResult.Kind.SELF].card)
    validated = results.get(ScoreResult.Kind.VALIDATED)
    card = ScoreCard.from_dict(validated.card) if validated else self_card
    previous = _previous_scores(assessment)
    rows = _rows(definition, card, self_card if validated else None, previous)
    levels = {level.number: level for level in definition.levels}
    labels = [row.name for row in rows]
    radar_series = [
        Series(
            _("Validated") if validated else _("Current"),
            tuple(r.score for r in rows),
            "validated" if validated else "current",
        )
    ]
    radar_series.append(
        Series(_("Target"), tuple(_target_score(card, r.code) for r in rows), "target", True)
    )
    if previous:
        radar_series.append(
            Series(_("Previous"), tuple(r.previous for r in rows), "previous", True)
        )
    bar_series = (
        [Series(_("Self-assessed"), tuple(r.self_score for r in rows), "current")]
        if (validated)
        else []
    )
    bar_series.append(radar_series[0])
    if previous:
        bar_series.append(Series(_("Previous"), tuple(r.previous for r in rows), "previous"))
    return Report(
        assessment=assessment,
        definition=definition,
        card=card,
        self_card=self_card,
        validated=validated,
        level=levels[card.level],
        next_level=levels.get(card.level + 1),
        explanation=explain_level(card, definition),
        rows=rows,
        roadmap=_roadmap(card, definition),
        warnings=list(card.warnings),
        radar=radar_svg(labels, radar_series),
        bars=bar_svg(labels, bar_series),
        previous=assessment.previous if previous else None,
        changes=_changes(assessment, definition) if validated else [],
        findings=list(
            ReviewComment.objects.filter(assessment=assessment, is_finding=True).select_related(
                "author"
            )
        )
        if validated
        else [],
        show_warning_details=access.sees_everything,
    )


def _changes(assessment: Assessment, definition: Definition) -> list[dict]:
    """Answers the consultant changed: before, after and the reason, for display."""
    validations = (
        AnswerValidation.objects.filter(answer__assessment=assessment, confirmed=False)
        .select_related("answer__question")
        .order_by("answer__question__position")
    )
    rows = []
    for validation in validations:
        answer = validation.answer
        question = definition.questions[answer.question.code]
        rows.append(
            {
                "code": question.code,
                "text": _text(question.text),
                "before": display_answer(question, answer.value, answer.not_applicable),
                "after": display_answer(question, validation.value, validation.not_applicable),
                "reason": validation.reason,
            }
        )
    return rows


def _target_score(card: ScoreCard, code: str) -> float | None:
    dimension = next(d for d in card.dimensions if d.code == code)
    return dimension.target_score


def _rows(
    definition: Definition,
    card: ScoreCard,
    self_card: ScoreCard | None,
    previous: dict[str, float | None],
) -> list[DimensionRow]:
    levels: dict[int | None, str] = {level.number: _text(level.name) for level in definition.levels}
    self_scores = {d.code: d.score for d in self_card.dimensions} if self_card else {}
    rows = []
    for dimension in card.dimensions:
        spec = definition.dimension(dimension.code)
        rows.append(
            DimensionRow(
                code=dimension.code,
                name=_text(spec.name),
                critical=spec.critical,
                score=dimension.score,
                level_name=levels[dimension.level],
                target_name=levels.get(dimension.target_level, "—"),
                gap=dimension.gap,
                relevance=dimension.relevance,
                self_score=self_scores.get(dimension.code),
                previous=previous.get(dimension.code),
            )
        )
    return rows


def _roadmap(card: ScoreCard, definition: Definition) -> list[tuple[str, str, list]]:
    """Recommendations grouped by horizon (now / next 6–18 months / later), in priority order."""
    names = {d.code: _text(d.name) for d in definition.dimensions}
    titles = {
        "now": _("Now"),
        "next": _("Next 6–18 months"),
        "later": _("Later"),
    }
    groups = []
    for horizon, key in HORIZONS:
        items = [
            {"recommendation": r, "dimension": names[r.dimension]}
            for r in card.recommendations
            if r.horizon == horizon
        ]
        groups.append((key, titles[key], items))
    return groups
