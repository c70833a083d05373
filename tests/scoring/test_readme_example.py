"""The README's worked example ("How scoring works"), recomputed by the real engine on the
real v2 file.

Every figure the README quotes between ``<!-- worked-example -->`` and
``<!-- /worked-example -->`` is parsed from README.md and compared with the card the engine
gives for exactly the answers below, so a change to the engine, the questionnaire or the
README that makes them disagree fails here.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from diagnosis.scoring import AnswerInput, GoalInput, Profile, ScoreCard, computed_values, score
from diagnosis.scoring.definition import NOT_MEASURED, QuestionType
from diagnosis.scoring.levels import gate_critical_questions
from diagnosis.scoring.model import model_for
from diagnosis.scoring.resolution import Resolution, resolve
from tests.scoring.v2_profiles import V2, at_level

README = Path(__file__).resolve().parents[2] / "README.md"
START, END = "<!-- worked-example -->", "<!-- /worked-example -->"

FIRM = Profile(industry=34, size="small")  # general-purpose machinery: discrete, not hazardous
OPS_ANSWERS: dict[str, Any] = {
    "OPS-01": 2,
    "OPS-16": 2,
    "OPS-02": "no",
    "OPS-11": 120,
    "OPS-12": 96,
    "OPS-13": 2,
    "OPS-14": 3,
    "OPS-07": ["barcode", "inspection", "board"],
}
OTHER_CHANGES: dict[str, Any] = {"NET-04": 2}  # systems exchange spreadsheets
GOALS = {"OPS": GoalInput(target_level=3, relevance=5)}
# The README's variations, in its order: each changes only these answers.
VARIATIONS: list[dict[str, Any]] = [
    {"OPS-12": NOT_MEASURED},
    {"OPS-02": "partial", "OPS-03": 0},
    {"OPS-02": "partial", "OPS-03": 3},
]


def firm_answers(changes: dict[str, Any] | None = None) -> dict[str, AnswerInput]:
    """Every question at descriptor level 3, then the OPS answers, NET-04 and the changes.
    A firm without an MES is never asked OPS-03, so it has no answer to it."""
    values = OPS_ANSWERS | OTHER_CHANGES | (changes or {})
    answers = at_level(3, **{code.replace("-", "_"): value for code, value in values.items()})
    if values["OPS-02"] not in ("yes", "partial"):
        del answers["OPS-03"]
    return answers


def firm_card(changes: dict[str, Any] | None = None) -> ScoreCard:
    return score(V2, firm_answers(changes), GOALS, profile=FIRM)


def firm_resolution() -> Resolution:
    return resolve(model_for(V2), firm_answers(), FIRM)


# ------------------------------------------------------------------ reading the README


@cache
def example() -> str:
    """The README text between the markers, which must sit in "How scoring works"."""
    text = README.read_text(encoding="utf-8")
    assert text.count(START) == 1, f"{START} must appear once in README.md"
    assert text.count(END) == 1, f"{END} must appear once in README.md"
    section = text.index("## How scoring works")
    assert section < text.index(START) < text.index(END) < text.index("\n## ", section + 1)
    return text.split(START)[1].split(END)[0]


def flat() -> str:
    """The example with every run of whitespace (line breaks too) as one space."""
    return " ".join(example().split())


def find(pattern: str) -> re.Match[str]:
    match = re.search(pattern, flat())
    assert match, f"the worked example no longer says {pattern!r}"
    return match


def table(header: str) -> list[list[str]]:
    """The cells of each body row of the table whose first header cell is ``header``."""
    lines = example().splitlines()
    first = next(i for i, line in enumerate(lines) if line.startswith(f"| {header} |"))
    rows = []
    for line in lines[first + 2 :]:
        if not line.startswith("|"):
            break
        rows.append([cell.strip() for cell in line.strip().strip("|").split("|")])
    assert rows, f"the table {header!r} has no rows"
    return rows


def number(cell: str) -> float:
    """The last number in a cell ("5 ÷ 8 × 100 = 62.5" → 62.5)."""
    found = re.findall(r"\d+(?:\.\d+)?", cell)
    assert found, f"no number in {cell!r}"
    return float(found[-1])


def figure(cell: str) -> float | None:
    return None if cell == "–" else float(cell)


def divisions(text: str) -> set[int]:
    """GB/T 4754 divisions written as "25–28, 31, 32"."""
    result: set[int] = set()
    for part in text.split(","):
        low, _, high = part.strip().partition("–")
        result.update(range(int(low), int(high or low) + 1))
    return result


def question_rows() -> dict[str, list[str]]:
    return {row[0].split()[0]: row for row in table("question")}


def dimension(card: ScoreCard, code: str) -> Any:
    return next(result for result in card.dimensions if result.code == code)


# ------------------------------------------------------------------ the firm and its answers


def test_it_describes_the_firm_the_engine_scores():
    assert find(r"division \*\*(\d+)\*\*").group(1) == str(FIRM.industry)
    assert find(r"size class \*\*(\w+)\*\*").group(1) == FIRM.size
    assert firm_resolution().hidden >= {"PRC-07", "PRC-09"}  # no process module here
    assert "EQP-01" not in firm_resolution().hidden


def test_it_lists_every_ops_question_once():
    ops = [code for code, question in V2.questions.items() if question.dimension == "OPS"]
    assert list(question_rows()) == ops


@pytest.mark.parametrize("code", [*OPS_ANSWERS, "OPS-03", "OPS-04"])
def test_it_quotes_the_answers_the_test_gives(code):
    question = V2.questions[code]
    answer_cell = question_rows()[code][2]
    answers = firm_answers()
    if question.type is QuestionType.LEVEL:
        if code not in answers:
            assert "not asked" in answer_cell
            return
        value = answers[code].value
        label = next(o.label.en for o in question.options if o.value == value)
        assert answer_cell == f'{value} "{label}"'
    elif question.type is QuestionType.CHOICE:
        value = answers[code].value
        label = next(o.label.en for o in question.options if o.value == value)
        assert answer_cell == f'"{label}"'
    elif question.type is QuestionType.NUMBER:
        assert answer_cell == str(answers[code].value)
    elif question.type is QuestionType.CHECKLIST:
        ticked = [item.split()[0] for item in answer_cell.split(", ")]
        assert ticked == answers[code].value
        for item in question.items:
            if item.code in ticked:
                assert f"{item.code} ({item.weight:g})" in answer_cell
    else:  # the rate: its inputs, its percentage and its band
        numerator = answers[question.numerator].value
        denominator = answers[question.denominator].value
        percentage = computed_values(V2, answers, FIRM)[code]
        assert isinstance(percentage, float)  # not "not measured"
        band = max(b.start for b in question.bands if b.start <= percentage)
        assert f"{numerator} ÷ {denominator} = {percentage:g} %, band from {band:g}" in answer_cell


def test_each_question_weight_and_score_is_the_engines():
    resolution = firm_resolution()
    for code, (_, weight, _, points) in question_rows().items():
        question = V2.questions[code]
        if weight == "–":
            assert question.weight == 0 and points == "not scored", code
            assert code not in resolution.points, code
            continue
        assert float(weight) == question.weight, code
        if code in resolution.denied:  # counts at its lowest score, 0 here
            model = model_for(V2)
            assert number(points) == model.questions[model.position[code]].floor == 0, code
        else:
            assert number(points) == pytest.approx(round(resolution.points[code], 1)), code


# ------------------------------------------------------------------ dimension and index


def test_the_dimension_sum_uses_the_table_and_gives_the_engines_score():
    match = find(r"OPS = \(([^)]*)\) ÷ (\d+) = ([\d.]+) ÷ \d+ = \*\*([\d.]+)\*\*")
    terms = [(float(w), float(s)) for w, s in re.findall(r"(\d+) × ([\d.]+)", match.group(1))]
    rows = [row for row in question_rows().values() if row[1] != "–"]
    assert terms == [(float(row[1]), number(row[3])) for row in rows]
    assert float(match.group(2)) == sum(weight for weight, _ in terms)
    assert float(match.group(3)) == pytest.approx(sum(w * s for w, s in terms))
    assert float(match.group(4)) == dimension(firm_card(), "OPS").score


def test_every_dimension_row_is_the_engines():
    card = firm_card()
    rows = table("dimension")
    assert [row[0].split()[0] for row in rows] == [d.code for d in card.dimensions]
    for row in rows:
        result = dimension(card, row[0].split()[0])
        assert float(row[1]) == result.weight, row
        assert figure(row[2]) == result.score, row
        banded = result.banded and result.score is not None
        assert row[3] == (f"D{result.level}" if banded else "–"), row
        spec = V2.dimension(result.code)
        assert ("(critical)" in row[0]) == spec.critical, row
        assert row[0].split(" (")[0] == f"{spec.code} {spec.name.en}", row


def test_the_index_is_the_weighted_mean_of_the_table():
    match = find(r"Σ weight × score ÷ (\d+) = \*\*([\d.]+)\*\*")
    scored = [(float(row[1]), float(row[2])) for row in table("dimension") if row[2] != "–"]
    total_weight = sum(weight for weight, _ in scored)
    assert float(match.group(1)) == total_weight
    assert float(match.group(2)) == round(sum(w * s for w, s in scored) / total_weight, 1)
    assert float(match.group(2)) == firm_card().overall


# ------------------------------------------------------------------ the level


def level_spec(number: int) -> Any:
    return next(level for level in V2.levels if level.number == number)


def test_the_d3_requirements_table_is_what_the_engine_checks():
    card, d3 = firm_card(), level_spec(3)
    rows = {row[0].split(":")[0].split(" ≥")[0]: row for row in table("D3 Integrated needs")}

    index_row = rows["overall index"]
    assert number(index_row[0]) == d3.min_score
    assert float(index_row[1]) == card.overall and index_row[2] == "yes"

    floor_row = rows["critical floor"]
    critical = [d for d in card.dimensions if V2.dimension(d.code).critical]
    assert re.findall(r"[A-Z]{3}", floor_row[0]) == [d.code for d in critical]
    assert number(floor_row[0]) == d3.critical_floor
    lowest = min(critical, key=lambda d: d.score or 0)
    assert floor_row[1] == f"lowest: {lowest.code} {lowest.score}" and floor_row[2] == "yes"

    failed = {limit.code for limit in card.limiting if limit.kind == "requires"}
    requires = {key.split("`")[1]: row for key, row in rows.items() if key.startswith("requires")}
    assert sorted(requires) == sorted("/".join(c.questions()) for c in d3.requires)
    for code, row in requires.items():
        assert (row[2] == "**no**") == (code in failed), code

    (gate,) = d3.gates
    gate_row = rows["gate"]
    assert gate_row[0].startswith(f"gate: {gate.dimension} ≥ {gate.min_score:g} for divisions")
    (applies_when,) = gate.applies_when
    assert divisions(gate_row[0].split("divisions ")[1]) == set(applies_when.in_ or ())
    assert FIRM.industry not in set(applies_when.in_ or ()) and gate_row[2] == "does not apply"


def test_the_level_and_what_holds_it_are_the_engines():
    card = firm_card()
    reached = find(r"the firm is at level \*\*(D\d [^*]+)\*\*").group(1)
    uncapped = find(r"on the index alone it would be \*\*(D\d [^*]+)\*\*").group(1)
    assert reached == level_spec(card.level).name.en == "D2 Digital basics"
    assert uncapped == level_spec(card.uncapped_level).name.en
    held = find(r"names the one thing that holds it: `([^`]+)`").group(1)
    assert [limit.code for limit in card.limiting] == [held]
    assert card.warnings == () and card.not_measured == ()
    assert "No consistency rule fires" in flat()


# ------------------------------------------------------------------ priorities and roadmap


def test_the_priority_is_the_engines():
    card = firm_card()
    gap = find(r"gap is (\d+) − ([\d.]+) = \*\*([\d.]+)\*\*")
    value = find(r"priority value ([\d.]+) × (\d+) × (\d) = \*\*([\d.]+)\*\*")
    (priority,) = card.priorities
    assert priority.dimension == "OPS" and priority.rank == 1
    assert float(gap.group(1)) == dimension(card, "OPS").target_score
    assert float(gap.group(2)) == dimension(card, "OPS").score
    assert float(gap.group(3)) == priority.gap == float(value.group(1))
    assert (float(value.group(2)), int(value.group(3))) == (priority.weight, priority.relevance)
    assert float(value.group(4)) == priority.value


def test_the_roadmap_opens_with_the_recommendations_quoted():
    quoted = re.findall(r'^\d\. \*(now|next|later)\* "([^"]+)"', example(), re.MULTILINE)
    chosen = firm_card().recommendations[: len(quoted)]
    assert len(quoted) == 3
    assert quoted == [(str(r.horizon), r.title.en) for r in chosen]
    assert all(r.dimension == "OPS" and r.level == 2 for r in chosen)


def test_the_rule_it_names_as_not_offered_applies_to_band_d2_but_its_when_fails():
    title = find(r'"([^"]+)" \(band D1–D2, only when OPS-16 ≤ 1\) is not offered').group(1)
    (rule,) = [r for r in V2.recommendations if r.title.en == title]
    assert rule.dimension == "OPS" and rule.levels == (1, 2)
    assert [(c.question, c.max) for c in rule.when] == [("OPS-16", 1)]
    assert title not in {r.title.en for r in firm_card().recommendations}


# ------------------------------------------------------------------ variations


def variation_bullets() -> list[str]:
    """The bullets after "variations", each joined onto one line."""
    text = example().split("variations", 1)[1]
    bullets = [" ".join(b.split()) for b in re.split(r"^- ", text, flags=re.MULTILINE)[1:]]
    assert len(bullets) == len(VARIATIONS)
    return bullets


@pytest.mark.parametrize("index", range(len(VARIATIONS)))
def test_each_variation_quotes_the_engines_figures(index):
    bullet, changes = variation_bullets()[index], VARIATIONS[index]
    card = firm_card(changes)
    match = re.search(
        r"→ OPS \*\*([\d.]+)\*\*, index \*\*([\d.]+)\*\*, level \*\*D(\d)\*\*", bullet
    )
    assert match, bullet
    assert float(match.group(1)) == dimension(card, "OPS").score
    assert float(match.group(2)) == card.overall
    assert int(match.group(3)) == card.level
    codes = re.findall(r"`([^`]+)`", bullet)
    assert [c for c in codes if c.startswith("C-")] == [w.code for w in card.warnings]
    assert all(w.severity == "must_resolve" for w in card.warnings)
    assert [c for c in codes if re.fullmatch(r"OPS-\d\d", c)] == list(card.not_measured)
    # The variations speak of D3 only, not of what a firm at D3 would need for D4.
    floors = [
        limit.code for limit in card.limiting if limit.kind == "critical_floor" and limit.level == 3
    ]
    assert [c for c in codes if re.fullmatch(r"[A-Z]{3}", c)] == floors
    for code, value in changes.items():
        assert code in bullet, code
        if code == "OPS-03":
            label = V2.questions[code].options[value].label.en
            assert f'OPS-03 = {value} "{label}"' in bullet


def test_the_integrated_variation_rests_on_a_gate_critical_answer():
    assert "OPS-03" in gate_critical_questions(V2.levels)
    assert "gate-critical" in variation_bullets()[2]
