"""The programme's result figures (queries/results.py, queries/quantiles.py), checked against
figures worked out by hand. The suite runs on SQLite and on PostgreSQL (DATABASE_URL): the
same data must give the same figures whichever computes the quartiles."""

import random

import pytest
from django.db import connection
from django.db.models import F, Q

from diagnosis.models import DimensionScore, ResultRefresh
from diagnosis.queries import quantiles
from diagnosis.queries.population import PopulationFilters
from diagnosis.queries.results import programme_results
from diagnosis.services.result_figures import refresh_result_figures
from tests.factories import make_firm
from tests.results_data import scored, scored_firm
from tests.versions_world import publish_v2

MINHANG = [10, 20, 30, 40, 50]
JIADING = [0, 10, 20, 100]


@pytest.fixture
def city(questionnaire):
    """Five firms of minhang and four of jiading with the STR scores above; levels by
    district; one of the jiading firms is in division 36."""
    for score in MINHANG:
        scored_firm(questionnaire, {"STR": score, "TAL": 60}, district="minhang", level=3)
    for index, score in enumerate(JIADING):
        industry = 36 if index == 0 else 34
        scored_firm(
            questionnaire,
            {"STR": score, "TAL": None},
            district="jiading",
            industry=industry,
            level=1,
        )
    return questionnaire


def figures(by: str = "district", minimum: int = 0, **segment):
    """The figures of the data as it is now (the cells refreshed first)."""
    assert refresh_result_figures()
    return programme_results(None, PopulationFilters(**segment), by=by, minimum=minimum)


def dimension(results, code: str):
    return next(d for d in results.dimensions if d.dimension.code == code)


def test_it_computes_the_quartiles_of_the_city_and_of_a_segment(city):
    results = figures(districts=("jiading",))
    strategy = dimension(results, "STR")
    # city: 0 10 10 20 20 30 40 50 100 → ranks 2, 4, 6
    assert (strategy.reference.count, strategy.reference.q1) == (9, 10)
    assert (strategy.reference.median, strategy.reference.q3) == (20, 40)
    # jiading: 0 10 20 100 → positions 0.75, 1.5, 2.25, interpolated
    assert strategy.segment.count == 4
    assert strategy.segment.q1 == pytest.approx(7.5)
    assert strategy.segment.median == pytest.approx(15)
    assert strategy.segment.q3 == pytest.approx(40)
    talent = dimension(results, "TAL")  # not applicable in jiading: no value there
    assert talent.reference.count == 5 and talent.segment is None


def test_it_counts_the_firms_at_each_level(city):
    results = figures(districts=("jiading",))
    assert results.levels.reference == {0: 0, 1: 4, 2: 0, 3: 5, 4: 0, 5: 0}
    assert results.levels.segment == {0: 0, 1: 4, 2: 0, 3: 0, 4: 0, 5: 0}


def test_it_suppresses_every_figure_below_the_minimum_as_if_it_were_empty(city):
    results = figures(minimum=5, districts=("jiading",))
    strategy = dimension(results, "STR")
    assert strategy.reference is not None and strategy.segment is None
    assert results.levels.reference is not None and results.levels.segment is None
    weakest = {row.key: row for row in figures(minimum=5).weakest}
    assert weakest["minhang"].firms == 5 and weakest["minhang"].weakest
    assert "jiading" not in weakest  # left out, as a district without firms is


def test_it_names_the_weakest_dimensions_per_segment(city):
    weakest = {row.key: row for row in figures().weakest}
    assert [(d.code, median) for d, median in weakest["minhang"].weakest] == [
        ("STR", 30),
        ("TAL", 60),
    ]
    assert [(d.code, median) for d, median in weakest["jiading"].weakest] == [("STR", 15)]
    by_division = {row.key: row for row in figures(by="division").weakest}
    assert by_division["36"].weakest[0][1] == 0
    narrowed = {row.key for row in figures(districts=("minhang",)).weakest}
    assert narrowed == {"minhang"}


def test_it_reads_each_firms_latest_submitted_assessment_validated_first(questionnaire):
    firm = make_firm()
    scored(firm, questionnaire, {"STR": 5}, level=0, days_ago=400)
    scored(
        firm,
        questionnaire,
        {"STR": 40},
        level=2,
        status="validated",
        validated={"STR": 30},
        validated_level=1,
        days_ago=30,
    )
    scored(firm, questionnaire, {}, status="draft")  # started again, not submitted
    results = figures()
    assert dimension(results, "STR").reference.median == 30
    assert results.levels.reference[1] == 1 and sum(results.levels.reference.values()) == 1


def test_it_measures_the_change_between_a_firms_two_assessments(questionnaire):
    changes = [(20, 50, 1, 2), (40, 30, 2, 2), (10, 30, 0, 3)]  # before, after, levels
    for before, after, level_before, level_after in changes:
        firm = make_firm(district="minhang")
        first = scored(
            firm,
            questionnaire,
            {"STR": 0},
            status="validated",
            validated={"STR": before},
            validated_level=level_before,
            days_ago=365,
        )
        scored(firm, questionnaire, {"STR": after}, level=level_after, previous=first)
    scored_firm(questionnaire, {"STR": 99}, district="jiading")  # assessed once
    results = figures(districts=("jiading",))
    strategy = dimension(results, "STR")
    assert strategy.change_reference.count == 3
    assert strategy.change_reference.median == 20  # changes 30, -10, 20
    assert strategy.change_segment is None  # jiading's firm has no previous assessment
    assert (results.change_reference.firms, results.change_reference.moved_up) == (3, 2)
    assert results.change_segment is None


def test_it_computes_the_same_quartiles_in_the_database_as_in_python(questionnaire):
    rng = random.Random(11)
    for _ in range(40):
        scored_firm(
            questionnaire,
            {"STR": round(rng.uniform(0, 100), 1), "TAL": rng.choice([None, rng.random() * 100])},
            district=rng.choice(["minhang", "jiading"]),
        )
    rows = DimensionScore.objects.all()
    subsets = {"all": None, "minhang": Q(result__assessment__firm__district="minhang")}
    expected: dict[str, dict[str, list[float]]] = {}
    for code, district, score in rows.filter(score__isnull=False).values_list(
        "dimension__code", "result__assessment__firm__district", "score"
    ):
        assert score is not None
        expected.setdefault(code, {"all": [], "minhang": []})["all"].append(score)
        if district == "minhang":
            expected[code]["minhang"].append(score)
    paths = [quantiles._in_python]
    if connection.vendor == "postgresql":
        paths.append(quantiles._in_database)
    for path in paths:
        found = path(
            rows.annotate(**{quantiles.VALUE: F("score")}).filter(score__isnull=False).order_by(),
            ["dimension__code"],
            subsets,
        )
        for code, by_subset in expected.items():
            for name, values in by_subset.items():
                wanted = quantiles.quartiles_of(sorted(values))
                got = found[(code,)][name]
                assert got.count == wanted.count, (path, code, name)
                for statistic in ("q1", "median", "q3"):
                    assert getattr(got, statistic) == pytest.approx(
                        getattr(wanted, statistic), rel=1e-12
                    ), (path.__name__, code, name, statistic)


@pytest.mark.parametrize(
    "segment",
    [
        {},  # the city's cells
        {"districts": ("minhang",)},  # a district's
        {"size_classes": ("small", "medium")},  # size classes'
        {"districts": ("minhang",), "industries": (34, 36)},  # summed from the base cells
    ],
)
def test_the_cells_give_the_quartiles_of_the_scores_written_out(questionnaire, segment):
    rng = random.Random(7)
    for _ in range(60):
        scored_firm(
            questionnaire,
            {"STR": round(rng.uniform(0, 100), 1), "TAL": rng.choice([None, 55.5, 70.1])},
            district=rng.choice(["minhang", "jiading"]),
            industry=rng.choice([34, 35, 36]),
            employees=rng.choice([15, 150, 600]),
        )
    wanted: dict[str, list[float]] = {}
    fields = {"districts": "district", "industries": "industry", "size_classes": "size_class"}
    for code, score, *firm in DimensionScore.objects.filter(score__isnull=False).values_list(
        "dimension__code",
        "score",
        "result__assessment__firm__district",
        "result__assessment__firm__industry",
        "result__assessment__firm__size_class",
    ):
        profile = dict(zip(fields.values(), firm, strict=True))
        assert score is not None
        if all(profile[fields[name]] in values for name, values in segment.items()):
            wanted.setdefault(code, []).append(score)
    results = figures(**segment)
    for code, scores in wanted.items():
        expected = quantiles.quartiles_of(sorted(scores))
        got = dimension(results, code).segment
        assert got is not None and got.count == expected.count, code
        for statistic in ("q1", "median", "q3"):
            assert getattr(got, statistic) == pytest.approx(getattr(expected, statistic)), code


def test_the_figures_are_those_of_the_last_refresh_which_a_failure_keeps(city, monkeypatch):
    before = figures()
    assert before.computed_at is not None
    scored_firm(city, {"STR": 100}, district="minhang", level=5)
    stale = programme_results(None, PopulationFilters(), by="district", minimum=0)
    assert dimension(stale, "STR").reference.count == 9  # not refreshed yet

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr("diagnosis.services.result_figures._insert_rollup", broken)
    assert refresh_result_figures() is False
    kept = programme_results(None, PopulationFilters(), by="district", minimum=0)
    assert dimension(kept, "STR").reference.count == 9
    assert ResultRefresh.objects.get().error == "RuntimeError('disk full')"
    monkeypatch.undo()
    assert dimension(figures(), "STR").reference.count == 10


def test_it_compares_levels_only_within_a_version_and_dimensions_by_shared_key(questionnaire):
    v2 = publish_v2()
    for questionnaire_after in (questionnaire, v2):
        firm = make_firm(district="minhang")
        first = scored(
            firm,
            questionnaire,
            {"STR": 20},
            status="validated",
            validated={"STR": 20},
            validated_level=1,
            days_ago=365,
        )
        after: dict[str, float | None] = {"STR": 50}
        if questionnaire_after == v2:
            after["RND"] = 40
        scored(firm, questionnaire_after, after, level=3, previous=first)
    results = figures()
    strategy = dimension(results, "STR")
    assert strategy.change_reference.count == 2  # v1 → v1 and v1 → v2: STR is in both
    assert strategy.change_reference.median == 30
    assert dimension(results, "RND").change_reference is None  # not in v1
    # v1's level 1 and v2's level 3 are on different scales: only the v1 → v1 firm counts
    assert (results.change_reference.firms, results.change_reference.moved_up) == (1, 1)


def test_it_compares_a_dimension_across_versions_only_where_its_meaning_is_the_same(
    questionnaire,
):
    """v2's SEC kept v1's code but not its meaning (compares_as: SEC-2): the change from a
    v1 SEC to a v2 SEC is no change of anything; STR's is."""
    v2 = publish_v2()
    for questionnaire_after in (questionnaire, v2):
        firm = make_firm(district="minhang")
        before: dict[str, float | None] = {"STR": 20.0, "SEC": 30.0}
        first = scored(
            firm, questionnaire, before, status="validated", validated=before, days_ago=365
        )
        scored(firm, questionnaire_after, {"STR": 50, "SEC": 70}, previous=first)
    results = figures()
    assert dimension(results, "STR").change_reference.count == 2
    security = dimension(results, "SEC").change_reference
    assert (security.count, security.median) == (1, 40)  # v1 → v1 only
    assert dimension(results, "SEC-2").change_reference is None  # v2's SEC: nothing before
    assert dimension(results, "SEC-2").reference.count == 1  # scores apart from v1's SEC
    assert dimension(results, "SEC").reference.count == 1


def test_it_counts_levels_per_questionnaire_version(questionnaire):
    v2 = publish_v2()
    for level in (1, 3, 3):
        scored_firm(questionnaire, {"STR": 50}, level=level)
    for level in (2, 3):
        scored_firm(v2, {"STR": 50}, level=level)
    results = figures()
    assert results.levels_version == 2
    assert results.levels.reference == {0: 0, 1: 0, 2: 1, 3: 1, 4: 0, 5: 0}
    [(version, older)] = results.older_levels
    assert version == 1
    assert older.reference == {0: 0, 1: 1, 2: 0, 3: 2, 4: 0, 5: 0}
    assert dimension(results, "STR").reference.count == 5  # a shared dimension: all firms
