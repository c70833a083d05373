"""A firm's peer benchmark, read from the stored cells (services/benchmarks.py) with one
query: the cells of its four candidate segments, of which the first with at least
PEER_MIN_COUNT firms is its peer group."""

import bisect
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db.models import Q

from diagnosis.models import BenchmarkCell, Firm
from diagnosis.models.benchmark import OVERALL

Segment = BenchmarkCell.Segment
FALLBACK_ORDER = (
    Segment.DIVISION_SIZE_DISTRICT,
    Segment.DIVISION_SIZE,
    Segment.DIVISION,
    Segment.ALL,
)


@dataclass(frozen=True)
class PeerStatistics:
    firms: int
    p25: float
    median: float
    p75: float
    percentiles: tuple[float, ...]

    def rank_of(self, score: float | None) -> int | None:
        """The percentile rank of `score` among these firms, 0–100 (None without a score)."""
        return None if score is None else round(percentile_rank(self.percentiles, score))


@dataclass(frozen=True)
class PeerGroup:
    """The segment used, its firms (and how many are self-assessed), and its statistics
    by dimension code (OVERALL: the overall index). A dimension missing from `cells` has
    fewer than PEER_MIN_COUNT firms with a score: nothing is shown for it."""

    segment: str
    industry: int
    size_class: str
    district: str
    firms: int
    self_assessed: int
    computed_at: datetime
    cells: dict[str, PeerStatistics]


def peer_group(firm: Firm, questionnaire_id: int) -> PeerGroup | None:
    """The firm's peer group on this questionnaire version, or None if no candidate segment
    has PEER_MIN_COUNT firms (the same whether it has none or a few). One query."""
    minimum = max(settings.PEER_MIN_COUNT, 1)
    candidates = (
        Q(segment=Segment.ALL)
        | Q(segment=Segment.DIVISION, industry=firm.industry)
        | Q(segment=Segment.DIVISION_SIZE, industry=firm.industry, size_class=firm.size_class)
        | Q(
            segment=Segment.DIVISION_SIZE_DISTRICT,
            industry=firm.industry,
            size_class=firm.size_class,
            district=firm.district,
        )
    )
    cells = BenchmarkCell.objects.filter(
        candidates, questionnaire_id=questionnaire_id, firms__gte=minimum
    ).order_by()
    return choose_group(list(cells))


def choose_group(cells: Sequence[BenchmarkCell]) -> PeerGroup | None:
    """The first segment in FALLBACK_ORDER whose overall-index cell is among `cells`."""
    by_segment: dict[str, dict[str, BenchmarkCell]] = {}
    for cell in cells:
        by_segment.setdefault(cell.segment, {})[cell.dimension] = cell
    for segment in FALLBACK_ORDER:
        found = by_segment.get(segment, {})
        overall = found.get(OVERALL)
        if overall is None:
            continue
        return PeerGroup(
            segment=segment,
            industry=overall.industry,
            size_class=overall.size_class,
            district=overall.district,
            firms=overall.firms,
            self_assessed=overall.self_assessed,
            computed_at=overall.computed_at,
            cells={code: _statistics(cell) for code, cell in found.items()},
        )
    return None


def _statistics(cell: BenchmarkCell) -> PeerStatistics:
    return PeerStatistics(
        firms=cell.firms,
        p25=cell.p25,
        median=cell.median,
        p75=cell.p75,
        percentiles=tuple(cell.percentiles),
    )


def percentile_rank(percentiles: Sequence[float], score: float) -> float:
    """Where `score` falls among a group's percentiles 0, 1, …, 100, on 0–100: the inverse
    of percentile_cont, linear between the stored percentiles. With the firm itself in the
    group it is the share of the other firms scoring below it; a score that many firms
    share gets the middle of their span."""
    last = len(percentiles) - 1
    if last < 1:
        return 50.0
    first_at_or_above = bisect.bisect_left(percentiles, score)
    first_above = bisect.bisect_right(percentiles, score)
    low = _between(percentiles, first_at_or_above, score)
    high = _between(percentiles, first_above, score)
    return (low + high) / 2 * 100 / last


def _between(percentiles: Sequence[float], index: int, score: float) -> float:
    """The fractional position of `score` between percentiles[index - 1] and [index]."""
    if index == 0:
        return 0.0
    if index == len(percentiles):
        return float(index - 1)
    lower, upper = percentiles[index - 1], percentiles[index]
    return index - 1 + (score - lower) / (upper - lower)
