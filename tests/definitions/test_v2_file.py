"""The shipped smart-manufacturing v2 file loads under the strict loader, with our own level
names rather than GB/T 39116's, and levels gated on their defining capabilities."""

from pathlib import Path

from diagnosis.definitions.loader import load_definition

V2 = Path(__file__).resolve().parents[2] / "diagnosis/definitions/smart-manufacturing-v2.yaml"
GBT_39116_NAMES = ("规划级", "规范级", "集成级", "优化级", "引领级")


def test_the_v2_file_loads_with_five_levels_of_our_own_gated_on_capabilities():
    definition = load_definition(V2)

    assert len(definition.levels) == 5
    names = [level.name.zh_hans for level in definition.levels]
    assert not any(official in name for name in names for official in GBT_39116_NAMES)
    assert [level.min_score for level in definition.levels] == [0, 30, 50, 70, 90]
    assert all(level.requires for level in definition.levels[1:])
