"""The levels D1–D5 of ``smart-manufacturing-v2`` on whole answer profiles (issue 12 item 6,
content review §5.2): each level is reached by the firm it describes and refused to the
firm that lacks its defining capability, and the card names what holds the firm back.

Profiles are built by ``tests.scoring.v2_profiles.at_level`` (every question at one
descriptor level) with a few answers overridden; firms are a medium chemicals plant
(division 26: process industry, hazardous), a textile mill (17) and a machinery maker (34).
"""

from __future__ import annotations

from typing import Any

import pytest

from diagnosis.scoring import Limit, Profile, ScoreCard, score
from diagnosis.scoring.definition import QuestionType
from tests.scoring.v2_profiles import CHEMICALS, MACHINERY, TEXTILES, V2, at_level

FIRMS = [CHEMICALS, TEXTILES, MACHINERY]
FIRM_IDS = ["chemicals-26", "textiles-17", "machinery-34"]
LADDERS = [code for code, question in V2.questions.items() if question.type is QuestionType.LEVEL]


def card(profile: Profile, k: int, **overrides: Any) -> ScoreCard:
    return score(V2, at_level(k, **overrides), profile=profile)


def requires_unmet(result: ScoreCard) -> list[str]:
    return [limit.code for limit in result.limiting if limit.kind == "requires"]


# ------------------------------------------------------------------ uniform firms


@pytest.mark.parametrize("profile", FIRMS, ids=FIRM_IDS)
@pytest.mark.parametrize(("k", "level"), [(0, 1), (1, 1), (2, 2), (3, 3), (4, 4), (5, 5)])
def test_a_firm_answering_everything_at_descriptor_level_k_sits_at_its_level(profile, k, level):
    # Thresholds 30/50/70/90 round an average descriptor to the nearest level (review
    # §5.2): "all level k" is level k, not k + 1 as with v1's 25/45/65/85. Descriptor
    # level 0 ("nothing yet") is below D1, the file's lowest level.
    result = card(profile, k)
    assert (result.level, result.uncapped_level) == (level, level)


@pytest.mark.parametrize("profile", FIRMS, ids=FIRM_IDS)
def test_a_firm_answering_every_ladder_at_2_sits_at_d2_held_by_integration(profile):
    result = card(profile, 2)

    assert all(at_level(2)[code].value == 2 for code in LADDERS)
    assert 30 <= result.overall < 50
    assert result.level == 2
    assert "NET-04/OPS-03" in requires_unmet(result)  # what D3 needs first


@pytest.mark.parametrize("profile", FIRMS, ids=FIRM_IDS)
@pytest.mark.parametrize("others", [2, 3, 4, 5])
def test_ladders_at_2_never_reach_d3_whatever_the_other_answers(profile, others):
    # Choices, checklists and numbers at 2…5 but every ladder at 2: the ladders carry the
    # defining capabilities, so the checklists and figures cannot buy the level.
    ladders_at_2 = {code.replace("-", "_"): 2 for code in LADDERS}
    result = card(profile, others, **ladders_at_2)
    assert result.level == 2


@pytest.mark.parametrize("profile", FIRMS, ids=FIRM_IDS)
def test_mostly_level_2_with_a_third_of_the_ladders_at_3_stays_d2(profile):
    # Review §5.2: with v1's thresholds 8 of 26 level answers at 3 already earned L3.
    # Here a third of the ladders at 3 (integration included) stays below D3's 50.
    third = {code.replace("-", "_"): 3 for code in LADDERS[::3]}
    result = card(profile, 2, **(third | {"NET_04": 3}))
    assert result.overall < 50
    assert (result.level, result.uncapped_level) == (2, 2)


@pytest.mark.parametrize("profile", FIRMS, ids=FIRM_IDS)
def test_the_top_and_bottom_firms_reach_d5_and_d1(profile):
    top, bottom = card(profile, 5), card(profile, 0)
    assert (top.overall, top.level, top.limiting) == (100.0, 5, ())
    assert (bottom.overall, bottom.level) == (0.0, 1)
    assert bottom.level == V2.levels[0].number  # the file's lowest level
    assert {"SEC-02", "STR-01"} <= set(requires_unmet(bottom))


# ------------------------------------------------------------------ D2: backup and a plan


@pytest.mark.parametrize("profile", FIRMS, ids=FIRM_IDS)
def test_d2_needs_a_backup_and_a_written_plan(profile):
    no_backup = [item for item in at_level(3)["SEC-02"].value if item != "BACKUP"]
    assert card(profile, 3, SEC_02=no_backup).level == 1
    assert card(profile, 3, STR_01=1).level == 1
    assert requires_unmet(card(profile, 3, SEC_02=no_backup)) == ["SEC-02"]


# ------------------------------------------------------------------ D3: integration


ISLANDS = [
    pytest.param({"NET_04": 1, "OPS_02": "no"}, id="islands-no-mes"),
    pytest.param({"NET_04": 1, "OPS_02": "partial", "OPS_03": 0}, id="islands-stand-alone-mes"),
    pytest.param({"NET_04": 2, "OPS_02": "yes", "OPS_03": 2}, id="file-exchange-one-way-mes"),
]


@pytest.mark.parametrize("profile", FIRMS, ids=FIRM_IDS)
@pytest.mark.parametrize("islands", ISLANDS)
@pytest.mark.parametrize("others", [3, 4, 5])
def test_a_firm_with_island_systems_does_not_reach_the_integration_level(profile, islands, others):
    # Everything else at descriptor 3 to 5 (master data only unified in the ERP), but
    # systems exchange data by hand or by file and the MES, if any, is not integrated.
    # Review §5.2: v1 rated "level 3 everywhere, islands and no MES" 集成级.
    result = card(profile, others, DAT_12=2, **islands)

    assert result.uncapped_level >= 3  # the index alone would say D3 or above
    assert result.level == 2
    assert result.limiting == (
        Limit(
            level=3, kind="requires", code="NET-04/OPS-03", required=1.0, actual=0.0, requirement=0
        ),
    )


@pytest.mark.parametrize("profile", FIRMS, ids=FIRM_IDS)
@pytest.mark.parametrize("integration", [{"NET_04": 3}, {"OPS_02": "yes", "OPS_03": 3}])
def test_either_system_interfaces_or_a_two_way_mes_is_integration(profile, integration):
    result = card(profile, 4, **({"NET_04": 2, "OPS_03": 2} | integration))
    assert result.level == 4


@pytest.mark.parametrize("profile", FIRMS, ids=FIRM_IDS)
@pytest.mark.parametrize(
    ("override", "code"), [({"SEC_06": 1}, "SEC-06"), ({"SEC_03": "no"}, "SEC-03")]
)
def test_d3_needs_network_separation_and_an_incident_plan(profile, override, code):
    result = card(profile, 4, **override)
    assert result.level == 2
    assert requires_unmet(result) == [code]


# ------------------------------------------------------------------ no MES vs a stand-alone MES


@pytest.mark.parametrize("profile", [CHEMICALS, MACHINERY], ids=["process-26", "discrete-34"])
@pytest.mark.parametrize("k", range(6))
def test_no_mes_never_scores_above_a_stand_alone_mes(profile, k):
    # Review §5.3: v1 gave "no MES" 67.1 and a stand-alone MES 61.2. OPS-02 is unscored in
    # v2, so "no MES" means "no MES integration": OPS-03 counts at 0 with its weight.
    no_mes = card(profile, k, OPS_02="no", OPS_03=5)  # OPS-03 hidden: its answer is ignored
    stand_alone = card(profile, k, OPS_02="partial", OPS_03=0)

    assert no_mes.dimension("OPS").score <= stand_alone.dimension("OPS").score  # type: ignore[operator]
    assert no_mes.overall <= stand_alone.overall
    assert no_mes.level <= stand_alone.level


def test_no_mes_scores_like_a_stand_alone_mes_in_ops():
    no_mes = card(MACHINERY, 4, OPS_02="no")
    stand_alone = card(MACHINERY, 4, OPS_02="partial", OPS_03=0)
    # (3·80 + 3·80 + 2·0 + 2·80 + 2·80 + 3·80 + 1·75) / 16: OPS-03 at 0 in both, OPS-07 6/8 ticked
    assert no_mes.dimension("OPS").score == stand_alone.dimension("OPS").score == 69.7


# ------------------------------------------------------------------ EHS gate by division


@pytest.mark.parametrize(
    ("k", "ehs", "chemicals_level", "limit"),
    [
        (3, 1, 2, Limit(3, "dimension", "EHS", 40.0, 20.0)),
        (4, 2, 3, Limit(4, "dimension", "EHS", 55.0, 40.0)),
    ],
)
def test_the_ehs_gate_holds_a_chemicals_plant_but_not_a_textile_mill(
    k, ehs, chemicals_level, limit
):
    answers = at_level(k, SEC_04=ehs, SEC_05=ehs, EHS_01=ehs)
    chemicals = score(V2, answers, profile=CHEMICALS)
    textiles = score(V2, answers, profile=TEXTILES)

    assert chemicals.dimension("EHS").score == textiles.dimension("EHS").score == 20.0 * ehs
    assert (chemicals.uncapped_level, textiles.uncapped_level) == (k, k)
    assert chemicals.level == chemicals_level
    assert limit in chemicals.limiting
    assert textiles.level == k
    assert not any(limit.code == "EHS" for limit in textiles.limiting)


def test_the_ehs_gate_applies_to_hazardous_divisions_only():
    answers = at_level(3, SEC_04=1, SEC_05=1, EHS_01=1)
    gated = {
        division
        for division in range(13, 44)
        if score(V2, answers, profile=Profile(industry=division, size="medium")).level < 3
    }
    assert gated == {25, 26, 27, 28, 31, 32}
    assert score(V2, answers, profile=Profile()).level == 3  # division unknown: no gate


# ------------------------------------------------------------------ D4 and D5


@pytest.mark.parametrize("profile", FIRMS, ids=FIRM_IDS)
@pytest.mark.parametrize(
    ("override", "code"),
    [
        ({"DAT_04": 3}, "DAT-04"),
        ({"EQP_05": 2, "EQP_06": 2}, "EQP-05/EQP-06"),
        ({"SEC_06": 2}, "SEC-06"),
        (
            {"SEC_08": ["DATA_POLICY", "REGISTER", "ENCRYPT", "MASK", "ACCESS", "DATA_RISK"]},
            "SEC-08",
        ),
    ],
)
def test_d4_needs_analytics_live_equipment_data_zoning_and_data_classification(
    profile, override, code
):
    result = card(profile, 5, **override)
    assert result.level == 3
    assert requires_unmet(result) == [code]


D5_LACKS = [
    pytest.param({"DAT_04": 4}, "DAT-04", id="no-model-driven-decisions"),
    pytest.param({"SEC_06": 3}, "SEC-06", id="no-security-monitoring"),
    pytest.param(
        {"NET_04": 4, "NET_05": 4, "SCM_02": 4}, "NET-04/NET-05/SCM-02", id="no-chain-collaboration"
    ),
    pytest.param({"DAT_05": "partial", "DAT_06": 3}, "DAT-06", id="ai-not-at-scale"),
]


@pytest.mark.parametrize("profile", FIRMS, ids=FIRM_IDS)
@pytest.mark.parametrize(("override", "code"), D5_LACKS)
def test_d5_needs_its_defining_capabilities(profile, override, code):
    # D5 says: models drive decisions, AI is used at scale in several scenarios, the firm
    # lifts its supply chain (review §5.7: level 5 is chain collaboration); and the cyber
    # hygiene ladder goes on (zoning ≥ 2 for D3, ≥ 3 for D4, monitored ≥ 4 for D5).
    result = card(profile, 5, **override)
    assert result.overall >= 90
    assert result.level == 4
    assert requires_unmet(result) == [code]


@pytest.mark.parametrize("profile", FIRMS, ids=FIRM_IDS)
@pytest.mark.parametrize("chain", [{"NET_04": 5}, {"NET_05": 5}, {"SCM_02": 5}])
def test_any_one_form_of_chain_collaboration_is_enough_for_d5(profile, chain):
    lacking = {"NET_04": 4, "NET_05": 4, "SCM_02": 4}
    assert card(profile, 5, **(lacking | chain)).level == 5
