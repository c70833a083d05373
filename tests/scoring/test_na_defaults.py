"""Preset "not applicable" by the firm's profile (``na_default_when``, issue 12 item 8):
v2 presets N/A for RND-05 (simulation) and SVC-03 (services on connected products) in
textiles and food (divisions 13, 14, 15, 17, 18). An unanswered preset question drops out
as "not applicable" would; any stored answer wins; elsewhere nothing changes."""

import pytest

from diagnosis.scoring import AnswerInput, Profile, is_answered, score, with_defaults
from diagnosis.scoring.defaults import default_answer
from diagnosis.scoring.model import model_for
from diagnosis.scoring.resolution import resolve
from tests.scoring.v2_profiles import MACHINERY, NA, TEXTILES, V2, at_level

FOOD = Profile(industry=14, size="small")
PRESET = ("RND-05", "SVC-03")


def without(*codes: str, **overrides: object) -> dict[str, AnswerInput]:
    """Every question answered at level 3 (with the overrides), except ``codes``."""
    answers = at_level(3, **overrides)
    for code in codes:
        del answers[code]
    return answers


def dimension(card, code: str):
    return next(result for result in card.dimensions if result.code == code)


def test_the_v2_file_presets_simulation_and_connected_services_for_textiles_and_food():
    presets = {code: q.na_default_when for code, q in V2.questions.items() if q.na_default_when}
    assert set(presets) == set(PRESET)
    for conditions in presets.values():
        assert [c.in_ for c in conditions] == [(13, 14, 15, 17, 18)]


@pytest.mark.parametrize("profile", [TEXTILES, FOOD], ids=["textiles-17", "food-14"])
def test_an_unanswered_preset_question_counts_as_not_applicable(profile):
    resolution = resolve(model_for(V2), without(*PRESET), profile)
    assert set(PRESET) <= resolution.not_applicable
    card = score(V2, without(*PRESET), profile=profile)
    # Exactly the card of a firm that answered "not applicable" itself.
    assert card == score(V2, without(RND_05=NA, SVC_03=NA), profile=profile)
    assert card.confidence.answered_share == 1.0


def test_no_preset_for_a_machinery_firm():
    resolution = resolve(model_for(V2), without(*PRESET), MACHINERY)
    assert not set(PRESET) & resolution.not_applicable
    card = score(V2, without(*PRESET), profile=MACHINERY)
    rnd, svc = dimension(card, "RND"), dimension(card, "SVC")
    # Still applicable, only unanswered: completeness and confidence show the gap.
    assert (rnd.answered, svc.answered) == (rnd.applicable - 1, svc.applicable - 1)
    assert card.confidence.answered_share < 1.0
    assert with_defaults(V2, {}, MACHINERY) == {}


def test_an_explicit_answer_wins_over_the_preset():
    answers = without(RND_05=4, SVC_03=0)
    textiles = score(V2, answers, profile=TEXTILES)
    assert resolve(model_for(V2), answers, TEXTILES).points["RND-05"] == 80.0
    assert resolve(model_for(V2), answers, TEXTILES).points["SVC-03"] == 0.0
    machinery = score(V2, answers, profile=MACHINERY)
    for code in ("RND", "SVC"):
        assert dimension(textiles, code).score == dimension(machinery, code).score
        assert dimension(textiles, code).applicable == dimension(machinery, code).applicable


def test_a_stored_answer_cleared_back_to_blank_also_wins():
    answers = without(*PRESET) | {"RND-05": AnswerInput("RND-05", None)}
    resolution = resolve(model_for(V2), answers, TEXTILES)
    assert "RND-05" not in resolution.not_applicable
    assert "SVC-03" in resolution.not_applicable
    assert not is_answered(V2.questions["RND-05"], with_defaults(V2, answers, TEXTILES)["RND-05"])


def test_the_preset_answer_counts_as_answered_for_progress():
    inputs = with_defaults(V2, {}, TEXTILES)
    assert inputs == {code: default_answer(code) for code in PRESET}
    assert all(inputs[code].defaulted and inputs[code].not_applicable for code in PRESET)
    assert all(is_answered(V2.questions[code], inputs[code]) for code in PRESET)
    stored = {"RND-05": AnswerInput("RND-05", 2)}
    assert with_defaults(V2, stored, TEXTILES)["RND-05"] == stored["RND-05"]


def test_the_simulation_warning_leaves_out_the_preset_divisions():
    """C-RND-SIMULATION-NA (must resolve): "designs its own products, yet simulation is not
    applicable". The preset must not block the sign-off of every textile firm that
    designs its own ranges; elsewhere an N/A answer still raises it."""
    textiles = score(V2, without("RND-05", RND_01="own"), profile=TEXTILES)
    assert "C-RND-SIMULATION-NA" not in {warning.code for warning in textiles.warnings}
    machinery = score(V2, without(RND_01="own", RND_05=NA), profile=MACHINERY)
    assert "C-RND-SIMULATION-NA" in {warning.code for warning in machinery.warnings}


def test_a_definition_without_presets_gets_its_answers_back_unchanged():
    from diagnosis.scoring.defaults import apply_defaults
    from tests.scoring.v1_profiles import V1

    answers: dict[str, AnswerInput] = {}
    assert apply_defaults(model_for(V1), answers, TEXTILES) is answers
