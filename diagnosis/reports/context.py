"""Everything the report (page and PDF) shows, read from stored results only."""

from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from diagnosis.answers import display_answer
from diagnosis.firmdata import District, Industry, SizeClass
from diagnosis.models import (
    AnswerValidation,
    Assessment,
    BenchmarkCell,
    Dimension,
    ReviewComment,
    ScoreResult,
)
from diagnosis.models.benchmark import OVERALL
from diagnosis.models.questionnaire import localised
from diagnosis.permissions import Access
from diagnosis.queries.benchmarks import PeerGroup, PeerStatistics, peer_group
from diagnosis.queries.review import ReviewContact, WarningView, review_contact, warning_views
from diagnosis.reports.charts import Band, Series, bar_svg, radar_svg
from diagnosis.reports.crosswalk import CrosswalkView, report_crosswalk
from diagnosis.reports.verification import level_verified, unresolved_count
from diagnosis.scoring import ScoreCard
from diagnosis.scoring.card import Limit
from diagnosis.scoring.definition import (
    Condition,
    Definition,
    Horizon,
    Level,
    QuestionType,
    Text,
)

HORIZONS = [
    (Horizon.NOW, "now"),
    (Horizon.NEXT, "next"),
    (Horizon.LATER, "later"),
]
NOW_AT_MOST = 5  # more than five "now" actions is not a plan: the rest move to "next"


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


@dataclass(frozen=True)
class PeerRow:
    """The overall index (code OVERALL) or a dimension: the firm's score against its peers';
    `peers` is None when fewer than PEER_MIN_COUNT of them have a score there."""

    code: str
    name: str
    score: float | None
    peers: PeerStatistics | None
    rank: int | None


@dataclass(frozen=True)
class PeerBlock:
    """The report's peer benchmark; `group` None: not enough peers yet."""

    group: PeerGroup | None
    description: str
    rows: list[PeerRow]
    minimum: int
    include_submitted: bool = False

    @property
    def band_complete(self) -> bool:
        """Whether every dimension has peer figures (the radar's band needs them all)."""
        return self.group is not None and all(row.peers for row in self.rows[1:])


@dataclass(frozen=True)
class Comparison:
    """What "since last time" compares: dimensions by comparison key (FORMAT.md
    `compares_as`, by default the code), so across two questionnaire versions only the
    dimensions both have with the same meaning. `compared`, `changed_meaning` (the previous
    version has the code, with another meaning) and `not_compared` (it has neither) are
    names in the reader's language."""

    previous_version: int
    current_version: int
    across_versions: bool
    compared: list[str]
    not_compared: list[str]
    changed_meaning: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        """What the report says about a comparison across versions, in the active language."""
        return localised("", " ").join(self._sentences())

    def _sentences(self) -> list[str]:
        said = [
            _(
                "That assessment used questionnaire version %(previous)s and this one version "
                "%(current)s, so only the dimensions both versions share are compared: %(names)s."
            )
            % {
                "previous": self.previous_version,
                "current": self.current_version,
                "names": _list_text(self.compared),
            }
        ]
        if self.changed_meaning:
            said.append(
                _(
                    "Changed meaning since version %(previous)s although the code is the same, "
                    "so not compared: %(names)s."
                )
                % {"previous": self.previous_version, "names": _list_text(self.changed_meaning)}
            )
        if self.not_compared:
            said.append(
                _("Not in version %(previous)s, so not compared: %(names)s.")
                % {"previous": self.previous_version, "names": _list_text(self.not_compared)}
            )
        return said


def _list_text(names: list[str]) -> str:
    """Names as a list in a sentence: 、between Chinese names, commas in English."""
    return localised("、", ", ").join(names)


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
    warnings: list[WarningView]
    radar: str
    bars: str
    previous: Assessment | None
    comparison: Comparison | None
    contact: ReviewContact
    versions: str
    signature: "Signature | None" = None
    changes: list[dict] = field(default_factory=list)
    findings: list[ReviewComment] = field(default_factory=list)
    show_warning_details: bool = False
    peers: PeerBlock | None = None
    not_measured: list[tuple[str, str]] = field(default_factory=list)  # (code, text)
    crosswalk: CrosswalkView | None = None  # indicative MIIT and CMMM levels (v2 mappings)
    level_verified: bool = False  # reports/verification.py: 核验等级, else 自评参考等级
    unresolved_warnings: int = 0  # must-resolve warnings no consultant has resolved

    @property
    def warned_questions(self) -> list:
        """The questions any warning involves, once each, in order (for the firm)."""
        seen: dict[str, object] = {}
        for warning in self.warnings:
            for question in warning.questions:
                seen.setdefault(question.code, question)
        return list(seen.values())


@dataclass(frozen=True)
class Signature:
    """What a signed report carries so that anyone can check it (report_verify)."""

    consultant: str
    provider: str
    signed_at: datetime | None
    number: str
    code: str  # grouped in fours for reading
    verify_url: str


def _text(text: Text) -> str:
    return text.get(get_language() or "zh-hans")


def _results(assessment: Assessment) -> tuple[dict[str, ScoreResult], dict[str, ScoreResult]]:
    """The stored results of the assessment and of its previous one, by kind, in one query
    (the previous assessment comes with its results)."""
    ids = [assessment.pk] + ([assessment.previous_id] if assessment.previous_id else [])
    current: dict[str, ScoreResult] = {}
    previous: dict[str, ScoreResult] = {}
    for result in ScoreResult.objects.filter(assessment_id__in=ids).select_related("assessment"):
        (current if result.assessment_id == assessment.pk else previous)[result.kind] = result
    return current, previous


def _previous_card(previous: dict[str, ScoreResult]) -> ScoreCard | None:
    """The previous assessment's card (validated if signed off)."""
    result = previous.get(ScoreResult.Kind.VALIDATED) or previous.get(ScoreResult.Kind.SELF)
    return ScoreCard.from_dict(result.card) if result else None


@dataclass(frozen=True)
class ComparisonKeys:
    """The comparison key of each dimension code, of the current and the previous version."""

    current: dict[str, str] = field(default_factory=dict)
    previous: dict[str, str] = field(default_factory=dict)

    def of_current(self, code: str) -> str:
        return self.current.get(code, code)

    def of_previous(self, code: str) -> str:
        return self.previous.get(code, code)


def _comparison_keys(assessment: Assessment, previous: dict[str, ScoreResult]) -> ComparisonKeys:
    """The keys the two assessments' versions give their dimensions; within one version
    every key is its code, so only across versions are they read (one query)."""
    previous_version = next(iter(previous.values())).assessment.questionnaire_id if previous else 0
    if not previous_version or previous_version == assessment.questionnaire_id:
        return ComparisonKeys()
    keys = ComparisonKeys()
    for version, code, key in Dimension.objects.filter(
        questionnaire_id__in=[assessment.questionnaire_id, previous_version]
    ).values_list("questionnaire_id", "code", "compares_as"):
        (keys.current if version == assessment.questionnaire_id else keys.previous)[code] = key
    return keys


def _comparison(
    card: ScoreCard, previous: ScoreCard, definition: Definition, keys: ComparisonKeys
) -> Comparison:
    """Which of the current dimensions "since last time" compares with the previous card:
    those whose comparison keys the previous card has too (all of them within one version);
    of the others, which kept a code of the previous version with another meaning."""
    previous_codes = {d.code for d in previous.dimensions}
    previous_keys = {keys.of_previous(code) for code in previous_codes}
    names = [(d.code, _text(definition.dimension(d.code).name)) for d in card.dimensions]
    compared = [code for code, _name in names if keys.of_current(code) in previous_keys]
    return Comparison(
        previous_version=previous.definition_version,
        current_version=card.definition_version,
        across_versions=(previous.definition_code, previous.definition_version)
        != (card.definition_code, card.definition_version),
        compared=[name for code, name in names if code in compared],
        changed_meaning=[
            name for code, name in names if code not in compared and code in previous_codes
        ],
        not_compared=[
            name for code, name in names if code not in compared and code not in previous_codes
        ],
    )


def _previous_scores(
    card: ScoreCard, previous: ScoreCard | None, keys: ComparisonKeys
) -> dict[str, float | None]:
    """The previous score of each current dimension that has the comparison key of a
    previous dimension, by current code."""
    if previous is None:
        return {}
    by_key = {keys.of_previous(d.code): d.score for d in previous.dimensions}
    return {
        d.code: by_key[keys.of_current(d.code)]
        for d in card.dimensions
        if keys.of_current(d.code) in by_key
    }


def explain_level(card: ScoreCard, definition: Definition) -> list[str]:
    """Plain-words sentences on the level: the current index first, then each dimension
    or question that holds the level back, once, with the requirement that matters."""
    levels = {level.number: _text(level.name) for level in definition.levels}
    sentences = [
        _("Your overall index is %(overall).1f: level %(level)s.")
        % {"overall": card.overall, "level": levels[card.level]}
    ]
    limits = _strictest(card.limiting)
    if card.uncapped_level > card.level:
        if limits and all(limit.kind == "requires" for limit in limits):
            held = _(
                "On the index alone you would reach level %(uncapped)s, but a capability "
                "that level requires is missing, so you are at level %(level)s."
            )
        else:
            held = _(
                "On the index alone you would reach level %(uncapped)s, but a critical area "
                "holds you at level %(level)s."
            )
        sentences.append(
            held % {"uncapped": levels[card.uncapped_level], "level": levels[card.level]}
        )
    by_number = {level.number: level for level in definition.levels}
    for limit in limits:
        level = by_number.get(limit.level)
        if limit.kind == "requires" and level is not None and limit.requirement is not None:
            if limit.requirement < len(level.requires):
                sentences.append(
                    _("To reach %(level)s, it needs: %(requirement)s.")
                    % {
                        "level": levels[limit.level],
                        "requirement": describe_condition(
                            level.requires[limit.requirement], definition
                        ),
                    }
                )
            continue
        sentences.append(
            _("To reach %(level)s, %(name)s needs at least %(required).0f; it is at %(actual).1f.")
            % {
                "level": levels.get(limit.level, limit.level),
                "name": _limit_name(limit, definition),
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


def describe_condition(condition: Condition, definition: Definition) -> str:
    """A level requirement, a recommendation's or a consistency rule's condition in words:
    "NET-04 <question> at level 3 or higher"."""
    if condition.any_of:
        return _("one of: %(conditions)s") % {
            "conditions": _("; ").join(describe_condition(c, definition) for c in condition.any_of)
        }
    if condition.profile is not None:
        values = ", ".join(str(value) for value in condition.in_ or condition.not_in or ())
        template = (
            _("the firm's %(field)s is one of %(values)s")
            if condition.in_ is not None
            else _("the firm's %(field)s is none of %(values)s")
        )
        field_name = _("industry division") if condition.profile == "industry" else _("size")
        return template % {"field": field_name, "values": values}
    question = definition.questions.get(condition.question)
    if question is None:
        return condition.question
    name = f"{question.code} {_text(question.text)}"
    items = {item.code: _text(item.label) for item in question.items}

    def answers(values: tuple[int | str, ...]) -> str:
        return " / ".join(display_answer(question, value) for value in values)

    if condition.includes is not None:
        item = items.get(condition.includes, condition.includes)
        return _("%(question)s includes “%(item)s”") % {"question": name, "item": item}
    if condition.excludes is not None:
        item = items.get(condition.excludes, condition.excludes)
        return _("%(question)s does not include “%(item)s”") % {"question": name, "item": item}
    if condition.in_ is not None:
        return _("%(question)s: %(answers)s") % {
            "question": name,
            "answers": answers(condition.in_),
        }
    if condition.not_in is not None:
        return _("%(question)s: not %(answers)s") % {
            "question": name,
            "answers": answers(condition.not_in),
        }
    if condition.na:
        return _("%(question)s not applicable") % {"question": name}
    if condition.not_measured:
        return _("%(question)s not measured") % {"question": name}
    bounds = []
    is_level = question.type is QuestionType.LEVEL
    if condition.min is not None:
        bounds.append(
            (_("at level %(value)g or higher") if is_level else _("at least %(value)g"))
            % {"value": condition.min}
        )
    if condition.max is not None:
        bounds.append(
            (_("at level %(value)g or lower") if is_level else _("at most %(value)g"))
            % {"value": condition.max}
        )
    return " ".join([name, *bounds])


def _strictest(limits: tuple[Limit, ...]) -> list[Limit]:
    """One limit per dimension or question: the highest requirement (a critical floor and
    a gate can both name the same dimension), in the card's order."""
    chosen: dict[tuple[str, str], Limit] = {}
    for limit in limits:
        key = ("question" if limit.kind == "question" else "dimension", limit.code)
        if key not in chosen or limit.required > chosen[key].required:
            chosen[key] = limit
    return list(chosen.values())


def _limit_name(limit: Limit, definition: Definition) -> str:
    if limit.kind == "question":
        question = definition.questions.get(limit.code)
        return f"{limit.code} {_text(question.text)}" if question else limit.code
    names = {d.code: _text(d.name) for d in definition.dimensions}
    return names.get(limit.code, limit.code)


def build_report(assessment: Assessment, access: Access) -> Report | None:
    """The report of a submitted assessment, or None if it has no stored result yet."""
    results, previous_results = _results(assessment)
    if ScoreResult.Kind.SELF not in results:
        return None
    definition = assessment.questionnaire.definition
    self_card = ScoreCard.from_dict(results[ScoreResult.Kind.SELF].card)
    validated = results.get(ScoreResult.Kind.VALIDATED)
    card = ScoreCard.from_dict(validated.card) if validated else self_card
    previous_card = _previous_card(previous_results)
    keys = _comparison_keys(assessment, previous_results)
    previous = _previous_scores(card, previous_card, keys)
    previous_assessment = next(iter(previous_results.values())).assessment if previous else None
    comparison = (
        _comparison(card, previous_card, definition, keys) if previous_card and previous else None
    )
    rows = _rows(definition, card, self_card if validated else None, previous)
    peers = _peer_block(assessment, card, rows)
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
        contact=review_contact(assessment.firm_id),
        versions=_versions(card),
        signature=_signature(assessment) if validated else None,
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
        warnings=warning_views(card.warnings, definition),
        radar=radar_svg(labels, radar_series, band=_peer_band(peers)),
        bars=bar_svg(labels, bar_series),
        previous=previous_assessment,
        comparison=comparison,
        peers=peers,
        changes=_changes(assessment, definition) if validated else [],
        findings=list(
            ReviewComment.objects.filter(assessment=assessment, is_finding=True).select_related(
                "author"
            )
        )
        if validated
        else [],
        show_warning_details=access.sees_everything,
        not_measured=_not_measured(card, definition),
        crosswalk=report_crosswalk(definition, card),
        level_verified=level_verified(assessment, definition, validated is not None),
        unresolved_warnings=unresolved_count(assessment, card),
    )


def _not_measured(card: ScoreCard, definition: Definition) -> list[tuple[str, str]]:
    """The figures the firm does not measure, and the rates and trends they leave at 0
    points: each a finding (FORMAT.md, number questions)."""
    language = get_language() or "zh-hans"
    return [
        (code, definition.questions[code].text.get(language))
        for code in card.not_measured
        if code in definition.questions
    ]


def _peer_block(assessment: Assessment, card: ScoreCard, rows: list[DimensionRow]) -> PeerBlock:
    """The firm's score, its peers' quartiles and its percentile rank, for the overall index
    and each dimension; the group is named (one query: queries/benchmarks.py)."""
    group = peer_group(assessment.firm, assessment.questionnaire_id)
    minimum = max(settings.PEER_MIN_COUNT, 1)
    lines: list[tuple[str, str, float | None]] = [(OVERALL, _("Overall index"), card.overall)]
    lines += [(row.code, row.name, row.score) for row in rows]
    peer_rows = []
    for code, name, score in lines:
        statistics = group.cells.get(code) if group else None
        rank = statistics.rank_of(score) if statistics else None
        peer_rows.append(PeerRow(code, name, score, statistics, rank))
    return PeerBlock(
        group=group,
        description=_peer_group_description(group) if group else "",
        rows=peer_rows,
        minimum=minimum,
        include_submitted=settings.PEER_INCLUDE_SUBMITTED,
    )


def _peer_group_description(group: PeerGroup) -> str:
    """E.g. "same industry division and size class (34 General equipment · Small)"."""
    parts = []
    if group.industry:
        parts.append(Industry(group.industry).label)
    if group.size_class:
        parts.append(SizeClass(group.size_class).label)
    if group.district:
        parts.append(District(group.district).label)
    label = BenchmarkCell.Segment(group.segment).label
    return f"{label} ({' · '.join(str(p) for p in parts)})" if parts else str(label)


def _peer_band(peers: PeerBlock) -> Band | None:
    """The peers' interquartile band and median for the radar, when every dimension has them."""
    if not peers.band_complete:
        return None
    figures = [row.peers for row in peers.rows[1:] if row.peers]
    return Band(
        _("Peers: middle half (25th–75th percentile)"),
        _("Peers: median"),
        lower=tuple(f.p25 for f in figures),
        median=tuple(f.median for f in figures),
        upper=tuple(f.p75 for f in figures),
    )


def _versions(card: ScoreCard) -> str:
    return _("Questionnaire version %(definition)s, scoring model version %(scoring)s.") % {
        "definition": card.definition_version,
        "scoring": card.scoring_version,
    }


def _signature(assessment: Assessment) -> Signature | None:
    if not assessment.report_number:
        return None
    code = assessment.verification_code
    assert code is not None  # review_sign_off sets it with the report number
    return Signature(
        consultant=str(assessment.validated_by or ""),
        provider=assessment.validated_provider.name if assessment.validated_provider else "",
        signed_at=assessment.validated_at,
        number=assessment.report_number,
        code="-".join(code[i : i + 4] for i in range(0, len(code), 4)),
        verify_url=settings.SITE_URL + reverse("report_verify"),
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
    """Recommendations by horizon (now / next 6–18 months / later), in priority order;
    "now" keeps the first NOW_AT_MOST, the others lead "next"."""
    names = {d.code: _text(d.name) for d in definition.dimensions}
    titles = {
        "now": _("Now"),
        "next": _("Next 6–18 months"),
        "later": _("Later"),
    }
    items = {
        key: [
            {"recommendation": r, "dimension": names[r.dimension]}
            for r in card.recommendations
            if r.horizon == horizon
        ]
        for horizon, key in HORIZONS
    }
    items["next"] = items["now"][NOW_AT_MOST:] + items["next"]
    items["now"] = items["now"][:NOW_AT_MOST]
    return [(key, titles[key], items[key]) for _horizon, key in HORIZONS]
