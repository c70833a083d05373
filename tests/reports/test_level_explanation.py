"""The report explains an unmet level requirement in words (v2's `requires`), not as a
score threshold: "To reach D3, it needs: one of: NET-04 … at level 3 or higher; …"."""

from django.utils import translation

from diagnosis.reports.context import describe_condition, explain_level
from diagnosis.scoring import score
from tests.scoring.v2_profiles import MACHINERY, V2, at_level


def sentences(language: str, **overrides) -> list[str]:
    card = score(V2, at_level(3, **overrides), profile=MACHINERY)
    with translation.override(language):
        return explain_level(card, V2)


def test_it_names_the_missing_capability_of_an_island_firm():
    found = sentences("en", NET_04=1, OPS_02="no")
    assert "but a capability that level requires is missing, so you are at level D2" in found[1]
    needs = [s for s in found if s.startswith("To reach D3")]
    assert len(needs) == 1
    assert needs[0].startswith("To reach D3 Integrated, it needs: one of: NET-04 ")
    assert "at level 3 or higher" in needs[0] and "OPS-03 " in needs[0]
    assert "needs at least 1; it is at 0.0" not in " ".join(found)


def test_it_says_the_same_in_chinese():
    found = sentences("zh-hans", NET_04=1, OPS_02="no")
    needs = [s for s in found if s.startswith("要达到“D3")]
    assert len(needs) == 1, found
    assert "NET-04" in needs[0] and "达到3级或以上" in needs[0]
    assert "Integrated" not in needs[0]


def test_it_words_each_kind_of_condition():
    by_level = {level.number: level for level in V2.levels}
    with translation.override("en"):
        backup, plan = (describe_condition(c, V2) for c in by_level[2].requires)
        incident = describe_condition(by_level[3].requires[2], V2)
    assert backup.startswith("SEC-02 ") and "includes “" in backup
    assert plan.startswith("STR-01 ") and plan.endswith("at level 2 or higher")
    assert incident.startswith("SEC-03 ") and ": " in incident
