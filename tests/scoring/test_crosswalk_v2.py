"""The crosswalk on whole answer profiles of the shipped questionnaire v2 and frameworks.yaml."""

from __future__ import annotations

import pytest

from diagnosis.definitions.frameworks import load_frameworks
from diagnosis.definitions.loader import BUNDLED_DIR
from diagnosis.scoring import AnswerInput, Profile, score
from diagnosis.scoring.crosswalk import Crosswalk, crosswalk
from diagnosis.scoring.definition import QuestionType
from tests.scoring.v2_profiles import V2  # the YAML parsed once, shared with the profiles

FRAMEWORKS = load_frameworks(BUNDLED_DIR / "frameworks.yaml")
MACHINERY = Profile(industry=34, size="small")
CHEMICALS = Profile(industry=26, size="small")
# The triggers of the mapped follow-ups OPS-03 (MES integration) and DAT-06.
TRIGGERS = {"OPS-02": "yes", "DAT-05": "yes"}


def whole_profile(
    level: int, profile: Profile, skip: tuple[str, ...] = (), **levels: int
) -> Crosswalk:
    """Every level question at ``level`` (``levels`` override, ``skip``ped dimensions left
    unanswered), the follow-ups' triggers opened."""
    answers = {
        code: AnswerInput(code, levels.get(code.replace("-", "_"), level))
        for code, question in V2.questions.items()
        if question.type is QuestionType.LEVEL and question.dimension not in skip
    }
    answers |= {code: AnswerInput(code, value) for code, value in TRIGGERS.items()}
    card = score(V2, answers, profile=profile)
    result = crosswalk(
        V2, card, FRAMEWORKS.framework("scenario").items, FRAMEWORKS.framework("cmmm").items
    )
    assert result is not None and result.miit is not None and result.cmmm is not None
    return result


def test_it_maps_all_16_scenarios_with_10_constraint_ones():
    result = whole_profile(4, MACHINERY)
    assert result.miit is not None
    assert [s.code for s in result.miit.scenarios] == [f"S{i:02}" for i in range(1, 17)]
    assert sum(s.constraint for s in result.miit.scenarios) == 10
    assert all(s.covered for s in result.miit.scenarios)


def test_it_estimates_a_firm_answering_level_4_everywhere():
    result = whole_profile(4, MACHINERY)
    assert result.miit is not None and result.cmmm is not None
    levels = {s.code: s.level for s in result.miit.scenarios}
    # answer 4 is L4 only where the question's map says so (quality, equipment, purchasing,
    # warehousing); elsewhere it is L3 (S01/S02/S05/S10/S16 maps top out later)
    assert {code for code, lv in levels.items() if lv == 4} == {"S07", "S08", "S11", "S12"}
    assert set(levels.values()) == {3, 4}
    assert result.miit.index >= 80
    # L4 needs 10 scenarios at L4 (6 constraint): 4 are; L3 needs 8 (5): all 16 (10) are
    assert [check.met for check in result.miit.checks] == [True, True, True, False]
    assert result.miit.estimate.level == 3
    # CMMM: 19 sub-domains at 4; 物流 (CMMM-17) has no mapped question, but at most 1 of 20
    # could not change "≥ 80 % at ≥ 4" and no sub-domain is at 5
    assert result.cmmm.estimate.level == 4
    uncovered = [s.code for s in result.cmmm.subdomains if not s.covered]
    assert uncovered == ["CMMM-17"]


def test_it_cannot_estimate_the_miit_level_without_design_service_and_management_answers():
    result = whole_profile(4, MACHINERY, skip=("RND", "SVC", "MGT"))
    assert result.miit is not None
    estimate = result.miit.estimate
    assert estimate.level is None and (estimate.lowest, estimate.highest) == (3, 4)
    assert [s.code for s in estimate.missing] == ["S01", "S02", "S03", "S04", "S13", "S14", "S15"]


def test_it_takes_the_weaker_of_two_questions_of_a_scenario_for_a_process_firm():
    # S06 production control: OPS-16 and, for process divisions, PRC-07
    machinery = whole_profile(4, MACHINERY, PRC_07=1)
    chemicals = whole_profile(4, CHEMICALS, PRC_07=1)
    assert machinery.miit is not None and chemicals.miit is not None
    assert machinery.miit.scenarios[5].questions == ("OPS-16",)
    assert chemicals.miit.scenarios[5].questions == ("OPS-16", "PRC-07")
    assert (machinery.miit.scenarios[5].level, chemicals.miit.scenarios[5].level) == (3, 1)


@pytest.mark.parametrize("level", [0, 1, 2])
def test_it_never_exceeds_the_level_the_answers_support(level):
    result = whole_profile(level, MACHINERY)
    assert result.miit is not None and result.cmmm is not None
    assert result.miit.estimate.level is not None and result.miit.estimate.level <= level
    assert result.cmmm.estimate.level == level
