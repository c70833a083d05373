"""Choosing a firm's peer group among the stored cells, and its percentile rank
(queries/benchmarks.py)."""

import pytest
from django.utils import timezone

from diagnosis.models import BenchmarkCell
from diagnosis.models.benchmark import OVERALL
from diagnosis.queries.benchmarks import choose_group, percentile_rank
from diagnosis.queries.quantiles import percentile_cont

Segment = BenchmarkCell.Segment


def percentiles(values: list) -> list[float]:
    ordered = sorted(values)
    return [percentile_cont(ordered, step / 100) or 0 for step in range(101)]


def made(segment: str, dimension: str = OVERALL, firms: int = 10) -> BenchmarkCell:
    return BenchmarkCell(
        segment=segment,
        dimension=dimension,
        industry=34,
        firms=firms,
        p25=1,
        median=2,
        p75=3,
        percentiles=percentiles([1, 2, 3]),
        computed_at=timezone.now(),
    )


def test_it_reads_the_rank_as_the_share_of_the_others_below():
    tens = percentiles([0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100])
    assert [percentile_rank(tens, score) for score in (0, 30, 35, 100)] == [0, 30, 35, 100]
    assert (percentile_rank(tens, -5), percentile_rank(tens, 120)) == (0, 100)


def test_it_ranks_within_one_point_of_the_exact_share():
    scores = [3, 7, 8, 20, 21, 40, 41, 55, 56, 90]
    stored = percentiles(scores)
    for below, score in enumerate(scores):
        assert percentile_rank(stored, score) == pytest.approx(100 * below / 9, abs=1)


def test_it_gives_a_shared_score_the_middle_of_its_span():
    stored = percentiles([10] * 5 + [50] * 6)  # positions 0–4 and 5–10 of 10
    assert percentile_rank(stored, 10) == pytest.approx(20)
    assert percentile_rank(stored, 50) == pytest.approx(75)


def test_it_takes_the_first_segment_whose_index_has_enough_firms():
    cells = [
        made(Segment.DIVISION_SIZE_DISTRICT, "STR"),  # a dimension alone is not a group
        made(Segment.DIVISION, OVERALL, firms=40),
        made(Segment.DIVISION, "STR", firms=38),
        made(Segment.ALL, OVERALL, firms=900),
    ]
    group = choose_group(cells)
    assert group is not None
    assert (group.segment, group.firms) == (Segment.DIVISION, 40)
    assert set(group.cells) == {OVERALL, "STR"}


def test_it_finds_no_group_without_an_index_cell():
    assert choose_group([made(Segment.ALL, "STR")]) is None
    assert choose_group([]) is None
