"""The engine on the v2 additions (SPEC12): profile, numbers, rates, trends, unbanded
dimensions, level requires and gate applies_when, conditional ranked advice, severities."""

import json
from typing import Any

import pytest

from diagnosis.definitions.loader import parse_definition
from diagnosis.scoring import AnswerInput, Profile, ScoreCard, score
from diagnosis.scoring.definition import NOT_MEASURED, Definition
from tests.definitions.test_loader_v2 import FRAMEWORKS, v2_data

CHEMICALS = Profile(industry=26, size="small")
FOOD = Profile(industry=13, size="medium")


def definition_of(data: dict[str, Any]) -> Definition:
    return parse_definition(data, "v2-test.yaml", frameworks=FRAMEWORKS)


V2 = definition_of(v2_data())


def answers(**values: Any) -> dict[str, AnswerInput]:
    result = {}
    for key, value in values.items():
        code = key.replace("_", "-")
        if value == "n/a":
            result[code] = AnswerInput(code, None, not_applicable=True)
        else:
            result[code] = AnswerInput(code, value)
    return result


STRONG = {"STR_01": 5, "STR_02": "yes", "DAT_01": ["erp", "mes", "scada"], "DAT_02": 80}


def card(profile: Profile = FOOD, definition: Definition = V2, **values: Any) -> ScoreCard:
    return score(definition, answers(**(STRONG | values)), profile=profile)


def eqp(result: ScoreCard) -> float | None:
    return result.dimension("EQP").score


# ------------------------------------------------------------------ rates


@pytest.mark.parametrize(
    ("networked", "devices", "expected"),
    [(20, 100, 0.0), (30, 100, 50.0), (69, 100, 50.0), (70, 100, 100.0), (150, 100, 100.0)],
)
def test_it_scores_a_rate_by_the_band_of_its_percentage(networked, devices, expected):
    assert eqp(card(EQP_01=devices, EQP_02=networked)) == expected


def test_it_leaves_a_rate_out_when_its_denominator_is_zero_or_an_input_unanswered():
    assert eqp(card(EQP_01=0, EQP_02=0)) is None
    assert eqp(card(EQP_01=100)) is None


def test_it_scores_a_not_measured_input_0_and_lists_it_as_a_finding():
    result = card(EQP_01=100, EQP_02=NOT_MEASURED)
    assert eqp(result) == 0.0
    assert result.not_measured == ("EQP-02", "EQP-03")
    assert result.dimension("EQP").answered == 1


def test_it_refuses_a_number_out_of_range_or_not_whole():
    assert eqp(card(EQP_01=100.5, EQP_02=50)) is None
    assert eqp(card(EQP_01=-1, EQP_02=50)) is None


# ------------------------------------------------------------------ profile: show_when


def test_it_drops_a_question_whose_show_when_fails_and_the_rate_built_on_it():
    micro = Profile(industry=13, size="micro")
    assert eqp(card(micro, EQP_01=100, EQP_02=80)) is None  # EQP-02 does not exist
    assert eqp(card(FOOD, EQP_01=100, EQP_02=80)) == 100.0


def test_it_treats_an_unknown_profile_as_failing_every_profile_condition():
    assert eqp(card(Profile(), EQP_01=100, EQP_02=80)) is None


def test_it_hides_the_follow_ups_of_a_question_absent_by_profile():
    from diagnosis.scoring import visible_questions

    data = v2_data()
    data["dimensions"][0]["questions"][0]["show_when"] = [{"profile": "industry", "in": [26]}]
    definition = definition_of(data)
    shown = {q.code for q in visible_questions(definition, answers(STR_01=5), FOOD)}
    assert {"STR-01", "STR-02"}.isdisjoint(shown)
    shown = {q.code for q in visible_questions(definition, answers(STR_01=5), CHEMICALS)}
    assert {"STR-01", "STR-02"} <= shown
    # absent by profile: no denied follow-up at 0 points, the dimension has no score at all
    result = score(definition, answers(STR_01=5, STR_02="yes"), profile=FOOD)
    assert result.dimension("STR").score is None


# ------------------------------------------------------------------ trends


def trend_card(current: float, previous: float, better: str = "higher", **extra: Any):
    data = v2_data()
    data["dimensions"][3]["questions"][2]["better"] = better
    return card(definition=definition_of(data), OUT_01=current, OUT_02=previous, **extra)


@pytest.mark.parametrize(
    ("current", "previous", "better", "expected"),
    [
        (110, 100, "higher", 100.0),
        (105, 100, "higher", 50.0),  # exactly 5 %: within ±5 %
        (96, 100, "higher", 50.0),
        (94, 100, "higher", 0.0),
        (94, 100, "lower", 100.0),
        (110, 100, "lower", 0.0),
    ],
)
def test_it_scores_a_trend_by_the_five_percent_rule(current, previous, better, expected):
    assert trend_card(current, previous, better).dimension("OUT").score == expected


def test_it_leaves_a_trend_out_when_the_previous_value_is_zero():
    assert trend_card(10, 0).dimension("OUT").score is None


def test_it_scores_a_trend_of_intensities_with_per_inputs():
    data = v2_data()
    outcomes = data["dimensions"][3]["questions"]
    revenue = [dict(outcomes[0], code=code) for code in ("OUT-04", "OUT-05")]
    outcomes[2:2] = revenue
    outcomes[4] |= {"per_current": "OUT-04", "per_previous": "OUT-05", "better": "lower"}
    definition = definition_of(data)
    # energy 100 → 110 while revenue 100 → 200: intensity 1.0 → 0.55, 45 % lower: better
    result = card(definition=definition, OUT_01=110, OUT_02=100, OUT_04=200, OUT_05=100)
    assert result.dimension("OUT").score == 100.0
    assert (
        card(definition=definition, OUT_01=110, OUT_02=100, OUT_04=0, OUT_05=100)
        .dimension("OUT")
        .score
        is None
    )


# ------------------------------------------------------------------ unbanded, unscored


def test_it_keeps_an_unbanded_dimension_in_the_index_without_band_target_or_advice():
    result = card(OUT_01=120, OUT_02=100)
    out = result.dimension("OUT")
    assert (out.banded, out.score, out.target_score, out.gap) == (False, 100.0, None, 0.0)
    assert "OUT" not in {r.dimension for r in result.recommendations}
    assert result.to_dict()["dimensions"][3]["banded"] is False
    worse = card(OUT_01=90, OUT_02=100)
    assert worse.dimension("OUT").score == 0.0 and worse.overall < result.overall


def test_it_stores_an_unscored_answer_without_scoring_it():
    assert card(STR_04="no").dimension("STR") == card(STR_04="yes").dimension("STR")


# ------------------------------------------------------------------ levels


def test_it_names_an_unmet_requires_condition_as_what_holds_the_level():
    # Level 2 requires (STR-01 ≥ 2 or DAT-01 includes mes) and an industry in 13, 14, 25.
    result = card(CHEMICALS, OUT_01=100, OUT_02=100)
    assert result.level == 1 and result.uncapped_level >= 2
    limits = [(limit.kind, limit.code, limit.requirement) for limit in result.limiting]
    assert limits == [("requires", "", 1)]
    assert ScoreCard.from_dict(json.loads(json.dumps(result.to_dict()))) == result


def test_it_checks_each_branch_of_an_any_requirement():
    weak: dict[str, Any] = {"STR_01": 1, "DAT_01": ["erp", "scada"]}
    held = card(FOOD, **weak)
    assert [(limit.kind, limit.code) for limit in held.limiting if limit.kind == "requires"] == [
        ("requires", "STR-01/DAT-01")
    ]
    passed = card(FOOD, STR_01=1, DAT_01=["mes"])
    assert not any(limit.kind == "requires" for limit in passed.limiting)


def test_it_applies_a_gate_only_to_the_firms_its_applies_when_names():
    # Level 2 gates DAT ≥ 30 for divisions 25, 26 only; DAT here scores 0.
    low_data: dict[str, Any] = {"DAT_01": ["mes"], "DAT_02": 0}
    data = v2_data()
    data["levels"][1]["requires"] = [{"question": "STR-01", "min": 2}]
    definition = definition_of(data)
    food = card(FOOD, definition=definition, **low_data)
    chemicals = card(CHEMICALS, definition=definition, **low_data)
    assert not any(limit.kind == "dimension" for limit in food.limiting if limit.level == 2)
    assert any(limit.code == "DAT" for limit in chemicals.limiting if limit.level == 2)


# ------------------------------------------------------------------ recommendations


def test_it_gives_a_conditional_rule_only_when_its_when_holds():
    poor = card(EQP_01=100, EQP_02=10)
    rich = card(EQP_01=100, EQP_02=90)
    assert "equipment-connectivity" in {r.category for r in poor.recommendations}
    assert "equipment-connectivity" not in {r.category for r in rich.recommendations}


def test_it_carries_category_budget_owner_and_kpi_to_the_card():
    chosen = next(r for r in card(EQP_01=100, EQP_02=10).recommendations if r.category is not None)
    assert (chosen.budget_min, chosen.budget_max, chosen.owner) == (5.0, 20.0, "production")
    assert chosen.kpi is not None and "50 %" in chosen.kpi.en
    data = chosen.to_dict()
    assert data["budget_wan"] == [5.0, 20.0] and data["category"] == "equipment-connectivity"


def test_it_keeps_one_rule_per_category():
    # Both EQP rules share a category and both conditions hold: only the first is kept.
    data = v2_data()
    data["recommendations"][-1]["when"] = [{"question": "EQP-01", "min": 1}]
    result = card(definition=definition_of(data), EQP_01=100, EQP_02=10)
    assert [r.category for r in result.recommendations].count("equipment-connectivity") == 1


def test_it_caps_ranked_advice_at_eight():
    data = v2_data()
    rule = data["recommendations"][-2]
    data["recommendations"] += [
        rule | {"category": f"category-{index}", "when": [{"question": "EQP-01", "min": 0}]}
        for index in range(12)
    ]
    result = card(definition=definition_of(data), EQP_01=100, EQP_02=10)
    assert len(result.recommendations) == 8


# ------------------------------------------------------------------ consistency


def test_it_fires_profile_and_na_conditions_with_their_severity():
    gaming = card(CHEMICALS, STR_02="n/a")
    codes = {warning.code: warning for warning in gaming.warnings}
    assert "C-NA-GAMING" in codes and not codes["C-NA-GAMING"].must_resolve
    assert "C-NA-GAMING" not in {w.code for w in card(FOOD, STR_02="n/a").warnings}
    assert "C-NA-GAMING" not in {w.code for w in card(CHEMICALS, STR_02="no").warnings}


def test_it_marks_must_resolve_warnings():
    contradiction = card(STR_01=5, DAT_02=5, DAT_01=["erp"])
    warning = next(w for w in contradiction.warnings if w.code == "C-STR-DAT")
    assert warning.must_resolve and warning.to_dict()["severity"] == "must_resolve"
