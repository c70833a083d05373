"""Indicative MIIT 2024 and CMMM levels (scoring/crosswalk.py) on hand-built inputs."""

from __future__ import annotations

import json
from dataclasses import dataclass

import pytest

from diagnosis.scoring import AnswerInput, Profile, ScoreCard, score
from diagnosis.scoring.crosswalk import (
    Evidence,
    cmmm_estimate,
    crosswalk,
    miit_estimate,
)
from diagnosis.scoring.definition import Condition, ProfileField, Scenario, Text
from tests.scoring.conftest import Build, text


@dataclass(frozen=True)
class Item:
    code: str
    name: Text
    constraint: bool = False


def scenario(code: str, level: int | None, *, constraint: bool = False, top: int = 4) -> Evidence:
    """A scenario (or sub-domain) settled at ``level``; None: not answered at all."""
    return Evidence(
        code=code,
        name=text(code),
        constraint=constraint,
        questions=(f"{code}-Q",),
        level=level,
        unanswered=0 if level is not None else 1,
        not_applicable=False,
        lowest=level if level is not None else 0,
        highest=level if level is not None else top,
    )


def scenarios(*levels: tuple[int | None, bool]) -> tuple[Evidence, ...]:
    """Scenarios S01… from (level, constraint) pairs, padded to 16 with L0 guidance ones."""
    given = [scenario(f"S{i:02}", lv, constraint=c) for i, (lv, c) in enumerate(levels, 1)]
    given += [scenario(f"S{i:02}", 0) for i in range(len(given) + 1, 17)]
    return tuple(given)


def subdomain(code: str, level: int | None) -> Evidence:
    return scenario(code, level, top=5)


def subdomains(*levels: int | None) -> tuple[Evidence, ...]:
    return tuple(subdomain(f"CMMM-{i:02}", lv) for i, lv in enumerate(levels, 1))


CONSTRAINT, GUIDANCE = True, False

# ------------------------------------------------------------------ MIIT 2024 rule


def test_it_gives_l1_for_20_points_and_6_scenarios_at_l1_with_3_constraint():
    estimate = miit_estimate(20.0, scenarios(*[(1, CONSTRAINT)] * 3, *[(1, GUIDANCE)] * 3))
    assert estimate.estimate.level == 1


def test_it_refuses_l1_to_6_scenarios_at_l1_with_only_2_constraint():
    estimate = miit_estimate(55.0, scenarios(*[(1, CONSTRAINT)] * 2, *[(1, GUIDANCE)] * 4))
    assert estimate.estimate.level == 0
    l1 = estimate.checks[0]
    assert (l1.index_met, l1.scenarios, l1.constraint, l1.met) == (True, 6, 2, False)


def test_it_refuses_l1_to_5_scenarios_or_an_index_below_20():
    assert miit_estimate(60.0, scenarios(*[(4, CONSTRAINT)] * 5)).estimate.level == 0
    assert miit_estimate(19.9, scenarios(*[(4, CONSTRAINT)] * 16)).estimate.level == 0


@pytest.mark.parametrize(
    ("index", "levels", "expected"),
    [
        (40.0, [(2, CONSTRAINT)] * 3 + [(2, GUIDANCE)] * 3, 2),
        (39.9, [(2, CONSTRAINT)] * 3 + [(2, GUIDANCE)] * 3, 1),
        (60.0, [(3, CONSTRAINT)] * 5 + [(3, GUIDANCE)] * 3, 3),
        (60.0, [(3, CONSTRAINT)] * 4 + [(3, GUIDANCE)] * 4, 2),  # 4 constraint < 5
        (60.0, [(3, CONSTRAINT)] * 5 + [(3, GUIDANCE)] * 2, 2),  # 7 scenarios < 8
        (80.0, [(4, CONSTRAINT)] * 6 + [(4, GUIDANCE)] * 4, 4),
        (80.0, [(4, CONSTRAINT)] * 5 + [(4, GUIDANCE)] * 5, 3),  # 5 constraint < 6
        (79.9, [(4, CONSTRAINT)] * 6 + [(4, GUIDANCE)] * 4, 3),
        (95.0, [(4, CONSTRAINT)] * 10 + [(4, GUIDANCE)] * 6, 4),
    ],
)
def test_it_applies_the_2024_rule_level_by_level(index, levels, expected):
    assert miit_estimate(index, scenarios(*levels)).estimate.level == expected


def test_it_needs_every_lower_level_too():
    # 10 scenarios at L4 with 6 constraint, but the index (45) only reaches L2's points
    estimate = miit_estimate(45.0, scenarios(*[(4, CONSTRAINT)] * 6, *[(4, GUIDANCE)] * 4))
    assert estimate.estimate.level == 2


def test_it_cannot_estimate_when_unanswered_scenarios_could_change_the_level():
    # 7 answered scenarios at L3 (5 constraint), the eighth has no answer: L2 or L3
    given = [(3, CONSTRAINT)] * 5 + [(3, GUIDANCE)] * 2 + [(None, GUIDANCE)]
    estimate = miit_estimate(70.0, scenarios(*given)).estimate
    assert estimate.level is None
    assert (estimate.lowest, estimate.highest) == (2, 3)
    assert [entry.code for entry in estimate.missing] == ["S08"]


def test_it_estimates_when_the_missing_answers_cannot_change_the_level():
    # the index (35) caps the firm at L1 whatever the unanswered scenarios are
    given = [(2, CONSTRAINT)] * 3 + [(2, GUIDANCE)] * 3 + [(None, CONSTRAINT)] * 4
    estimate = miit_estimate(35.0, scenarios(*given)).estimate
    assert (estimate.level, estimate.missing) == (1, ())


# ------------------------------------------------------------------ CMMM 80 % rule


def test_it_gives_the_highest_cmmm_level_reached_by_80_percent_of_sub_domains():
    # 20 sub-domains: 16 at ≥ 3 (80 %), 17 at ≥ 2; only 15 at ≥ 4
    levels = [4] * 15 + [3] + [2] + [1] * 3
    assert cmmm_estimate(subdomains(*levels)).estimate.level == 3


def test_it_refuses_a_cmmm_level_below_80_percent():
    levels = [3] * 15 + [1] * 5  # 75 % at ≥ 3, 100 % at ≥ 1
    assert cmmm_estimate(subdomains(*levels)).estimate.level == 1


def test_it_gives_cmmm_level_0_when_a_fifth_of_sub_domains_are_below_1():
    levels = [5] * 15 + [0] * 5  # 75 % at ≥ 1
    assert cmmm_estimate(subdomains(*levels)).estimate.level == 0


def test_it_leaves_not_applicable_sub_domains_out_of_the_share():
    applicable = subdomains(*([3] * 8 + [1] * 2))  # 80 % of 10 at ≥ 3
    skipped = Evidence("CMMM-99", text("x"), False, ("Q",), None, 0, True, 0, 0)
    estimate = cmmm_estimate((*applicable, skipped))
    assert (estimate.estimate.level, estimate.applicable) == (3, 10)


def test_it_cannot_estimate_cmmm_when_an_unanswered_sub_domain_could_change_it():
    levels = [3] * 15 + [1] * 4 + [None]  # 15 or 16 of 20 at ≥ 3
    estimate = cmmm_estimate(subdomains(*levels)).estimate
    assert (estimate.level, estimate.lowest, estimate.highest) == (None, 1, 3)
    assert [entry.code for entry in estimate.missing] == ["CMMM-20"]


def test_it_estimates_cmmm_despite_an_unanswered_sub_domain_that_cannot_change_it():
    levels = [3] * 17 + [1] * 2 + [None]  # 17 or 18 of 20 at ≥ 3; at most 2 at ≥ 4
    assert cmmm_estimate(subdomains(*levels)).estimate.level == 3


# ------------------------------------------------------------------ from a definition


SCENARIOS = (
    Item("S01", text("design"), constraint=True),
    Item("S02", text("quality"), constraint=True),
    Item("S03", text("office")),
)
SUBDOMAINS = (Item("CMMM-01", text("strategy")), Item("CMMM-02", text("production")))
TO_L4 = (0, 1, 2, 3, 4, 4)
PROCESS = Condition(profile=ProfileField.INDUSTRY, in_=(26,))
MACHINERY = Profile(industry=34)


def mapped_definition():
    b = Build
    return b.definition(
        b.dimension(
            "OPS",
            b.level_question("Q-01", scenario=Scenario("S02", TO_L4), cmmm=("CMMM-02",)),
            b.level_question("Q-02", scenario=Scenario("S02", TO_L4), cmmm=("CMMM-02",)),
            b.level_question("Q-03", scenario=Scenario("S01", (0, 1, 1, 2, 3, 4)), allow_na=True),
            b.choice_question("Q-04"),
            b.level_question("Q-05", depends_on=b.depends_on("Q-04", "yes"), cmmm=("CMMM-01",)),
            b.level_question("Q-06", show_when=(PROCESS,), scenario=Scenario("S03", TO_L4)),
            b.level_question("Q-07"),
        )
    )


def card_of(profile: Profile = MACHINERY, **values) -> ScoreCard:
    answers = {}
    for key, value in values.items():
        code = key.replace("_", "-")
        na = value == "n/a"
        answers[code] = AnswerInput(code, None if na else value, not_applicable=na)
    return score(mapped_definition(), answers, profile=profile)


def test_it_stores_each_mapped_answer_of_the_questions_that_exist_for_the_firm():
    card = card_of(Q_01=5, Q_03="n/a", Q_04="no", Q_06=4, Q_07=5)
    # Q-02 unanswered; Q-05 denied by "no" counts 0; Q-06 does not exist for division 34
    assert card.mapped_levels == (
        ("Q-01", 5),
        ("Q-02", None),
        ("Q-03", "na"),
        ("Q-05", 0),
    )


def test_it_stores_a_follow_up_hidden_by_an_unanswered_trigger_as_unanswered():
    assert dict(card_of(Q_01=2).mapped_levels or ())["Q-05"] is None


def test_it_maps_nothing_for_a_definition_without_mappings(sample, build):
    card = score(sample, build.answers(STR_01=3))
    assert card.mapped_levels is None and "mapped_levels" not in card.to_dict()
    assert crosswalk(sample, card, SCENARIOS, SUBDOMAINS) is None


def test_it_round_trips_the_mapped_answers_through_json():
    card = card_of(Q_01=5, Q_03="n/a", Q_04="no")
    stored = json.loads(json.dumps(card.to_dict()))
    assert ScoreCard.from_dict(stored) == card


def test_it_takes_the_lowest_answered_level_of_a_scenarios_questions():
    card = card_of(Q_01=5, Q_02=2, Q_03=3, Q_04="yes", Q_05=3)
    result = crosswalk(mapped_definition(), card, SCENARIOS, SUBDOMAINS)
    assert result is not None and result.miit is not None and result.cmmm is not None
    levels = {s.code: (s.level, s.lowest, s.highest) for s in result.miit.scenarios}
    # S02: min(L4, L2); S01: answer 3 → L2 by its map; S03: its question does not exist
    assert levels == {"S01": (2, 2, 2), "S02": (2, 2, 2), "S03": (None, 0, 4)}
    assert not result.miit.scenarios[2].covered
    subs = {s.code: s.level for s in result.cmmm.subdomains}
    assert subs == {"CMMM-01": 3, "CMMM-02": 2}
    assert result.cmmm.estimate.level == 2


def test_it_bounds_a_partly_answered_scenario_by_its_answers():
    card = card_of(Q_01=4)
    result = crosswalk(mapped_definition(), card, SCENARIOS, SUBDOMAINS)
    assert result is not None and result.miit is not None
    s02 = result.miit.scenarios[1]
    assert (s02.level, s02.unanswered, s02.lowest, s02.highest) == (4, 1, 0, 4)


def test_it_counts_a_not_applicable_scenario_as_not_reached_and_sub_domain_as_left_out():
    card = card_of(Q_01=3, Q_02=3, Q_03="n/a", Q_04="no")
    result = crosswalk(mapped_definition(), card, SCENARIOS, SUBDOMAINS)
    assert result is not None and result.miit is not None and result.cmmm is not None
    s01 = result.miit.scenarios[0]
    assert (s01.not_applicable, s01.lowest, s01.highest) == (True, 0, 0)
    # CMMM-01 is evidenced by the denied follow-up Q-05: level 0, not unknown
    assert {s.code: s.level for s in result.cmmm.subdomains} == {"CMMM-01": 0, "CMMM-02": 3}


def test_it_shows_nothing_for_a_card_computed_before_the_crosswalk():
    card = card_of(Q_01=3)
    old = ScoreCard.from_dict({k: v for k, v in card.to_dict().items() if k != "mapped_levels"})
    assert crosswalk(mapped_definition(), old, SCENARIOS, SUBDOMAINS) is None


@pytest.mark.parametrize("stored", [9, -1, "x", True, 2.5, [1]])
def test_it_reads_a_stored_answer_it_cannot_use_as_unanswered(stored):
    card = card_of(Q_01=3, Q_02=3)
    tampered = ScoreCard.from_dict({**card.to_dict(), "mapped_levels": {"Q-01": stored}})
    result = crosswalk(mapped_definition(), tampered, SCENARIOS, SUBDOMAINS)
    assert result is not None and result.miit is not None and result.cmmm is not None
    s02 = result.miit.scenarios[1]
    assert (s02.level, s02.unanswered) == (None, 1)
    assert result.cmmm.subdomains[1].unanswered == 1
