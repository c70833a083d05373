"""v1's results are pinned: 300 answer profiles score to the very cards they gave before
the v2 format (issue 12) reached the engine, fingerprint for fingerprint.

The fingerprints in data/v1-cards-scoring-1.1.json were computed with SCORING_VERSION 1.1
before any v2 change; a difference here means v1's stored results would change, which
needs a new SCORING_VERSION (SPEC12 §7).
"""

import json
from pathlib import Path

import pytest

from diagnosis.scoring import score
from tests.scoring.v1_profiles import PROFILE_COUNT, V1, card_fingerprint, v1_profile

PINNED = json.loads((Path(__file__).parent / "data" / "v1-cards-scoring-1.1.json").read_text())


def test_it_pins_every_profile():
    assert len(PINNED) == PROFILE_COUNT
    assert {entry["level"] for entry in PINNED.values()} == {1, 2, 3, 4}


@pytest.mark.parametrize("seed", range(PROFILE_COUNT))
def test_it_scores_v1_exactly_as_before(seed):
    answers, goals = v1_profile(seed)
    card = score(V1, answers, goals)
    pinned = PINNED[str(seed)]
    assert (card.overall, card.level) == (pinned["overall"], pinned["level"])
    assert card_fingerprint(card) == pinned["card"]
