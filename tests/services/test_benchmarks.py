"""Refreshing the peer benchmark cells (services/benchmarks.py). The suite runs on SQLite
(cells computed in Python) and on PostgreSQL (DATABASE_URL: one SQL statement); each test
checks figures worked out by hand, so both must give the same ones."""

import copy
import logging
import random
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from diagnosis.models import BenchmarkCell, BenchmarkRefresh
from diagnosis.models.benchmark import OVERALL
from diagnosis.queries.quantiles import percentile_cont
from diagnosis.services import benchmarks
from diagnosis.services.benchmarks import refresh_benchmarks
from diagnosis.services.questionnaires import questionnaire_store
from tests.peers_data import assessed, peer
from tests.versions_world import publish_v2

Segment = BenchmarkCell.Segment
TENS = [0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100]


@pytest.fixture(autouse=True)
def minimum(settings):
    settings.PEER_MIN_COUNT = 10
    settings.PEER_INCLUDE_SUBMITTED = False


def cell(segment=Segment.DIVISION_SIZE_DISTRICT, dimension=OVERALL, **key) -> BenchmarkCell:
    defaults = {
        Segment.DIVISION_SIZE_DISTRICT: {
            "industry": 34,
            "size_class": "small",
            "district": "minhang",
        },
        Segment.DIVISION_SIZE: {"industry": 34, "size_class": "small", "district": ""},
        Segment.DIVISION: {"industry": 34, "size_class": "", "district": ""},
        Segment.ALL: {"industry": 0, "size_class": "", "district": ""},
    }[segment]
    return BenchmarkCell.objects.get(segment=segment, dimension=dimension, **{**defaults, **key})


def test_it_computes_the_quartiles_and_percentiles_of_each_segment(questionnaire):
    for score in TENS:
        peer(questionnaire, score, {"STR": 100 - score, "TAL": None})
    outcome = refresh_benchmarks()
    assert outcome.succeeded and outcome.cells > 0
    overall = cell()
    assert (overall.firms, overall.self_assessed) == (11, 0)
    assert (overall.p25, overall.median, overall.p75) == (25, 50, 75)
    assert overall.percentiles == pytest.approx(list(range(101)))
    for segment in Segment:  # every firm is in all four segments
        assert cell(segment).firms == 11
    strategy = cell(dimension="STR")
    assert (strategy.p25, strategy.median, strategy.p75) == (25, 50, 75)
    # TAL has no score (not applicable) anywhere: no cell rather than an empty one
    assert not BenchmarkCell.objects.filter(dimension="TAL").exists()


def test_it_interpolates_between_ranks_as_percentile_cont(questionnaire):
    scores = [3, 7, 8, 20, 21, 40, 41, 55, 56, 90]
    for score in scores:
        peer(questionnaire, score)
    refresh_benchmarks()
    found = cell()
    # 10 values: the 25th percentile sits at rank 2.25, between 8 and 20
    assert found.p25 == pytest.approx(8 + 0.25 * 12)
    assert found.median == pytest.approx(30.5)
    assert found.p75 == pytest.approx(41 + 0.75 * 14)  # rank 6.75
    assert (found.percentiles[0], found.percentiles[100]) == (3, 90)


def test_it_stores_no_cell_of_fewer_than_the_minimum_firms(questionnaire):
    for score in TENS[:9]:
        peer(questionnaire, score)  # 9 in minhang
    peer(questionnaire, 50, district="jiading")
    refresh_benchmarks()
    segments = set(BenchmarkCell.objects.values_list("segment", flat=True))
    assert segments == {Segment.DIVISION_SIZE, Segment.DIVISION, Segment.ALL}
    assert cell(Segment.DIVISION_SIZE).firms == 10


def test_it_groups_by_division_size_class_and_district(questionnaire):
    for score in TENS[:10]:
        peer(questionnaire, score)
        peer(questionnaire, score + 1, industry=36)
        peer(questionnaire, score + 2, size_class="medium")
        peer(questionnaire, score + 3, district="jiading")
    refresh_benchmarks()
    assert cell().median == 45
    assert cell(industry=36).median == 46
    assert cell(size_class="medium").median == 47
    assert cell(district="jiading").median == 48
    assert cell(Segment.DIVISION_SIZE).firms == 20  # minhang and jiading
    assert cell(Segment.DIVISION).firms == 30
    assert cell(Segment.ALL).firms == 40
    assert cell(Segment.ALL).median == pytest.approx(
        percentile_cont(sorted([s + offset for s in TENS[:10] for offset in range(4)]), 0.5)
    )


def test_it_counts_each_firm_once_with_its_latest_signed_off_validated_scores(questionnaire):
    firms = [peer(questionnaire, 50) for _ in range(9)]
    firm = firms[0]
    assessed(firm, questionnaire, 99, days_ago=400)  # an older sign-off: its latest (50) counts
    assessed(firm, questionnaire, 1, status="submitted", days_ago=-1)  # newer, not signed
    latecomer = peer(questionnaire, 0, status="in_review")
    assessed(latecomer, questionnaire, 10, self_overall=90, days_ago=30)  # validated 10
    refresh_benchmarks()
    overall = cell()
    assert overall.firms == 10
    assert overall.percentiles[0] == 10  # the validated score, not the self-assessed 90
    assert overall.median == 50 and overall.percentiles[100] == 50


def test_it_includes_submitted_assessments_self_assessed_when_set(questionnaire, settings):
    for score in TENS[:8]:
        peer(questionnaire, score)
    peer(questionnaire, 80, status="submitted")
    peer(questionnaire, 90, status="in_review")
    peer(questionnaire, 5, status="returned")  # being changed: never counted
    refresh_benchmarks()
    assert not BenchmarkCell.objects.exists()
    settings.PEER_INCLUDE_SUBMITTED = True
    refresh_benchmarks()
    overall = cell()
    assert (overall.firms, overall.self_assessed) == (10, 2)
    assert overall.percentiles[100] == 90


def test_it_compares_dimensions_across_versions_that_share_their_keys(questionnaire, bundled_data):
    data = copy.deepcopy(bundled_data)
    data["questionnaire"]["version"] = 2
    data["dimensions"] = [d for d in data["dimensions"] if d["code"] != "OUT"]
    data["recommendations"] = [r for r in data["recommendations"] if r["dimension"] != "OUT"]
    second = questionnaire_store(data=data, source="v2", publish=True).version
    for score in TENS[:10]:
        peer(questionnaire, score, {"STR": score, "OUT": score})
    refresh_benchmarks()
    on_second = BenchmarkCell.objects.filter(questionnaire=second, segment=Segment.ALL)
    # v1's dimension STR counts for v2's STR; v1's index and OUT (not in v2) do not
    assert set(on_second.values_list("dimension", flat=True)) == {"STR"}
    on_first = BenchmarkCell.objects.filter(questionnaire=questionnaire, segment=Segment.ALL)
    assert set(on_first.values_list("dimension", flat=True)) == {OVERALL, "STR", "OUT"}


def test_it_compares_a_dimension_across_versions_only_where_its_meaning_is_the_same(
    questionnaire,
):
    """The shipped v2: STR means what v1's STR meant; SEC kept its code with another
    meaning (compares_as: SEC-2), so v1's SEC scores do not count for v2's SEC."""
    v2 = publish_v2()
    for score in TENS[:10]:
        peer(questionnaire, score, {"STR": score, "SEC": score})
    refresh_benchmarks()
    on_v2 = BenchmarkCell.objects.filter(questionnaire=v2, segment=Segment.ALL)
    assert set(on_v2.values_list("dimension", flat=True)) == {"STR"}
    on_v1 = BenchmarkCell.objects.filter(questionnaire=questionnaire, segment=Segment.ALL)
    assert set(on_v1.values_list("dimension", flat=True)) == {OVERALL, "STR", "SEC"}


def test_it_compares_a_dimension_across_versions_by_comparison_key(questionnaire, bundled_data):
    """A v2 (a test file) where the old OUT is renamed RES: v1's OUT counts for v2's RES."""
    data = copy.deepcopy(bundled_data)
    data["questionnaire"]["version"] = 2
    out = next(d for d in data["dimensions"] if d["code"] == "OUT")
    out.update(code="RES", compares_as="OUT")
    for rule in data["recommendations"]:
        rule["dimension"] = "RES" if rule["dimension"] == "OUT" else rule["dimension"]
    second = questionnaire_store(data=data, source="v2", publish=True).version
    for score in TENS[:10]:
        peer(questionnaire, score, {"STR": score, "OUT": score})
    refresh_benchmarks()
    renamed = cell(Segment.ALL, dimension="RES", questionnaire=second)
    assert (renamed.firms, renamed.median) == (10, 45)


def test_it_gives_the_same_figures_in_sql_as_in_python(questionnaire, settings):
    """On PostgreSQL the refresh computes in SQL: its cells must equal the Python path's
    (run on the same database). On SQLite both are the Python path."""
    settings.PEER_MIN_COUNT = 3
    rng = random.Random(5)
    for _ in range(60):
        peer(
            questionnaire,
            round(rng.uniform(0, 100), 2),
            {"STR": round(rng.uniform(0, 100), 1), "TAL": rng.choice([None, rng.random() * 100])},
            industry=rng.choice([34, 36]),
            district=rng.choice(["minhang", "jiading"]),
            status=rng.choice(["validated", "validated", "submitted"]),
        )
    refresh_benchmarks()
    stored = {_key(c): c for c in BenchmarkCell.objects.all()}
    computed = {_key(c): c for c in benchmarks._cells_in_python(timezone.now(), 3)}
    assert stored.keys() == computed.keys()
    assert len(stored) > 20
    for key, expected in computed.items():
        found = stored[key]
        assert (found.firms, found.self_assessed) == (expected.firms, expected.self_assessed)
        for statistic in ("p25", "median", "p75"):
            assert getattr(found, statistic) == pytest.approx(
                getattr(expected, statistic), rel=1e-12
            )
        assert found.percentiles == pytest.approx(expected.percentiles, rel=1e-12)


def _key(found: BenchmarkCell) -> tuple:
    return (
        found.questionnaire_id,
        found.segment,
        found.industry,
        found.size_class,
        found.district,
        found.dimension,
    )


def test_it_keeps_the_previous_cells_when_a_refresh_fails(questionnaire, monkeypatch, caplog):
    for score in TENS:
        peer(questionnaire, score)
    refresh_benchmarks()
    before = list(BenchmarkCell.objects.order_by("pk").values())
    for score in TENS:
        peer(questionnaire, score)  # a refresh would change every cell

    def broken() -> tuple[str, list]:
        return "WITH scores AS (SELECT * FROM no_such_table)", []

    monkeypatch.setattr(benchmarks, "_scores_sql", broken)
    with caplog.at_level(logging.ERROR, logger="diagnosis.benchmarks"):
        outcome = refresh_benchmarks()
    assert not outcome.succeeded and "no_such_table" in outcome.error
    assert list(BenchmarkCell.objects.order_by("pk").values()) == before
    assert "Peer benchmark refresh failed; the previous cells are kept" in caplog.text
    assert "no_such_table" in caplog.text  # the traceback says why
    state = BenchmarkRefresh.objects.get()
    assert state.succeeded is False and "no_such_table" in state.error


def test_it_keeps_the_previous_cells_when_writing_the_new_ones_fails(questionnaire, monkeypatch):
    for score in TENS:
        peer(questionnaire, score)
    refresh_benchmarks()
    before = list(BenchmarkCell.objects.order_by("pk").values())

    def half_written(now, minimum):
        BenchmarkCell.objects.create(
            questionnaire=questionnaire,
            segment=Segment.ALL,
            dimension="X",
            firms=99,
            p25=0,
            median=0,
            p75=0,
            percentiles=[],
            computed_at=now,
        )
        raise RuntimeError("disk full")

    monkeypatch.setattr(benchmarks, "_write_cells", half_written)
    assert refresh_benchmarks().error == "RuntimeError('disk full')"
    assert list(BenchmarkCell.objects.order_by("pk").values()) == before


def test_the_command_refreshes_and_fails_loudly(questionnaire, monkeypatch):
    for score in TENS:
        peer(questionnaire, score)
    call_command("refresh_benchmarks")
    assert cell().firms == 11
    monkeypatch.setattr(benchmarks, "_write_cells", lambda now, minimum: 1 / 0)
    with pytest.raises(CommandError, match="ZeroDivisionError"):
        call_command("refresh_benchmarks")
    assert cell().firms == 11


@pytest.fixture
def queue(settings):
    """Tasks go to Django's dummy backend, which keeps them (and can defer them)."""
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    from django.tasks import task_backends
    from django.tasks.backends.dummy import DummyBackend

    backend = task_backends["default"]
    assert isinstance(backend, DummyBackend)
    backend.clear()
    yield backend
    backend.clear()


def test_it_queues_one_refresh_for_sign_offs_until_it_starts(db, queue):
    for _ in range(3):
        benchmarks._queue_refresh()
    assert len(queue.results) == 1
    assert queue.results[0].task.run_after is None  # no refresh ran lately: at once


def test_it_defers_a_refresh_to_the_debounce_interval_after_the_last_one(db, queue, settings):
    settings.BENCHMARK_REFRESH_DEBOUNCE_SECONDS = 60
    refresh_benchmarks()  # started just now
    started = BenchmarkRefresh.objects.get().started_at
    assert started is not None
    benchmarks._queue_refresh()
    benchmarks._queue_refresh()
    assert len(queue.results) == 1
    assert queue.results[0].task.run_after == started + timedelta(seconds=60)


def test_it_queues_again_once_the_queued_refresh_started(db, queue):
    benchmarks._queue_refresh()
    BenchmarkRefresh.objects.update(started_at=timezone.now() + timedelta(seconds=1))
    benchmarks._queue_refresh()
    assert len(queue.results) == 2


def test_it_queues_again_when_a_queued_refresh_was_lost(db, queue):
    benchmarks._queue_refresh()
    BenchmarkRefresh.objects.update(queued_at=timezone.now() - timedelta(hours=2))
    benchmarks._queue_refresh()
    assert len(queue.results) == 2


def test_a_sign_off_refreshes_the_benchmarks_once_committed(
    submitted, consultant, settings, django_capture_on_commit_callbacks
):
    from diagnosis.services.review import review_sign_off

    settings.PEER_MIN_COUNT = 1
    with django_capture_on_commit_callbacks(execute=True):
        result = review_sign_off(assessment=submitted, consultant=consultant)
        assert not BenchmarkCell.objects.exists()  # not before the commit
    overall = cell(Segment.ALL)
    assert (overall.firms, overall.median) == (1, result.overall)
    assert BenchmarkRefresh.objects.get().succeeded
