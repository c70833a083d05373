"""The report's indicative MIIT 2024 and CMMM levels, in words (scoring/crosswalk.py
computes them). Reads the stored card, the definition and the bundled frameworks.yaml
(once per process): no database query."""

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from diagnosis.definitions.frameworks import Frameworks, frameworks_beside
from diagnosis.definitions.loader import BUNDLED_DIR
from diagnosis.scoring import ScoreCard
from diagnosis.scoring.crosswalk import (
    CMMM_SHARE_DENOMINATOR,
    CMMM_SHARE_NUMERATOR,
    Estimate,
    Evidence,
    MiitCheck,
    crosswalk,
)
from diagnosis.scoring.definition import Definition, Text

LevelName = Callable[[int], str]


@cache
def bundled_frameworks() -> Frameworks:
    """The frameworks.yaml beside the bundled definitions (empty when there is none)."""
    return frameworks_beside(BUNDLED_DIR / "any.yaml") or Frameworks()


@dataclass(frozen=True)
class EvidenceRow:
    """One scenario or sub-domain as the report shows it."""

    code: str
    name: str
    constraint: bool
    level: str  # e.g. "L2", "≤ L3", "—"
    note: str  # why the level is open or missing; empty when settled
    questions: str  # the mapped question codes


@dataclass(frozen=True)
class EstimateView:
    """``level`` is the estimate in words, or None when it cannot be estimated (then
    ``reason`` says why)."""

    level: str | None
    reason: str


@dataclass(frozen=True)
class MiitView:
    estimate: EstimateView
    index: float
    checks: list[MiitCheck]
    scenarios: list[EvidenceRow]


@dataclass(frozen=True)
class CmmmView:
    estimate: EstimateView
    applicable: int
    subdomains: list[EvidenceRow]


@dataclass(frozen=True)
class CrosswalkView:
    miit: MiitView | None
    cmmm: CmmmView | None
    share: int = 100 * CMMM_SHARE_NUMERATOR // CMMM_SHARE_DENOMINATOR  # the CMMM rule's %


def report_crosswalk(definition: Definition, card: ScoreCard) -> CrosswalkView | None:
    """The indicative levels of the card, None when the definition maps nothing."""
    frameworks = bundled_frameworks()
    codes = {framework.code for framework in frameworks.frameworks}
    if not {"scenario", "cmmm"} <= codes:
        return None
    result = crosswalk(
        definition,
        card,
        frameworks.framework("scenario").items,
        frameworks.framework("cmmm").items,
    )
    if result is None:
        return None
    miit = cmmm = None
    if result.miit is not None:
        miit = MiitView(
            estimate=_estimate(result.miit.estimate, miit_level_name),
            index=result.miit.index,
            checks=list(result.miit.checks),
            scenarios=[_row(s, "L") for s in result.miit.scenarios],
        )
    if result.cmmm is not None:
        cmmm = CmmmView(
            estimate=_estimate(result.cmmm.estimate, cmmm_level_name),
            applicable=result.cmmm.applicable,
            subdomains=[_row(s, "") for s in result.cmmm.subdomains],
        )
    return CrosswalkView(miit=miit, cmmm=cmmm)


def miit_level_name(level: int) -> str:
    return f"L{level}" if level else _("below L1")


def cmmm_level_name(level: int) -> str:
    names = {
        1: _("Level 1 (Planning)"),
        2: _("Level 2 (Standardised)"),
        3: _("Level 3 (Integrated)"),
        4: _("Level 4 (Optimised)"),
        5: _("Level 5 (Leading)"),
    }
    return names.get(level, _("below level 1"))


def _estimate(estimate: Estimate, name: LevelName) -> EstimateView:
    if estimate.level is not None:
        return EstimateView(name(estimate.level), "")
    if not estimate.missing:
        return EstimateView(None, _("No applicable answer."))
    missing = _list([_text(entry.name) for entry in estimate.missing])
    reason = _(
        "The level lies between %(lowest)s and %(highest)s, depending on answers that are "
        "missing for: %(missing)s."
    ) % {"lowest": name(estimate.lowest), "highest": name(estimate.highest), "missing": missing}
    return EstimateView(None, reason)


def _row(entry: Evidence, prefix: str) -> EvidenceRow:
    return EvidenceRow(
        code=entry.code,
        name=_text(entry.name),
        constraint=entry.constraint,
        level=_level_text(entry, prefix),
        note=_note(entry),
        questions=", ".join(entry.questions),
    )


def _level_text(entry: Evidence, prefix: str) -> str:
    if entry.not_applicable or entry.level is None:
        return "—"
    if entry.settled:
        return f"{prefix}{entry.level}"
    return f"≤ {prefix}{entry.level}"


def _note(entry: Evidence) -> str:
    if not entry.covered:
        return _("not covered by this questionnaire")
    if entry.not_applicable:
        return _("not applicable")
    if entry.level is None:
        return _("not answered")
    if entry.unanswered:
        return _("%(count)d of its questions not answered") % {"count": entry.unanswered}
    return ""


def _text(text: Text) -> str:
    return text.get(get_language() or "zh-hans")


def _list(names: list[str]) -> str:
    separator = ", " if (get_language() or "").startswith("en") else "、"
    return separator.join(names)
