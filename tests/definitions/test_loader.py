"""The definition loader: a valid file gives a Definition, a broken one names every problem."""

import ast
import copy
import hashlib
import json
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from diagnosis.definitions import yaml_source
from diagnosis.definitions.loader import (
    BUNDLED_DIR,
    DefinitionError,
    definition_checksum,
    load_definition,
    parse_definition,
    read_definition_data,
)
from diagnosis.scoring.definition import Condition, KpiBand, QuestionType

SOURCE = "broken.yaml"
PURE_MODULES = [
    *sorted(BUNDLED_DIR.glob("*.py")),
    *sorted((BUNDLED_DIR.parent / "scoring").glob("*.py")),
]

type Data = dict[str, Any]
type Mutation = Callable[[Data], None]


def text(english: str) -> dict[str, str]:
    return {"zh-hans": f"中文：{english}", "en": english}


def level_options() -> list[dict[str, Any]]:
    return [
        {
            "value": value,
            "score": value * 20,
            "label": text(f"L{value}"),
            "descriptor": text("Seen"),
        }
        for value in range(6)
    ]


def choice_options() -> list[dict[str, Any]]:
    return [
        {"value": "yes", "score": 100, "label": text("Yes")},
        {"value": "partial", "score": 50, "label": text("Partly")},
        {"value": "no", "score": 0, "label": text("No")},
    ]


def strategy_questions() -> list[dict[str, Any]]:
    """STR-01 level, STR-02 choice asked only from level 2 of STR-01, STR-03 text."""
    return [
        {
            "code": "STR-01",
            "type": "level",
            "weight": 3,
            "text": text("Plan?"),
            "options": level_options(),
        },
        {
            "code": "STR-02",
            "type": "choice",
            "weight": 1,
            "text": text("Budget?"),
            "help": text("Separate line"),
            "allow_na": True,
            "depends_on": {"question": "STR-01", "values": [2, 3, 4, 5]},
            "options": choice_options(),
        },
        {"code": "STR-03", "type": "text", "text": text("Anything else?")},
    ]


def data_questions() -> list[dict[str, Any]]:
    """DAT-01 checklist, DAT-02 KPI banded from 0 to 100."""
    items = [{"code": code, "weight": 1, "label": text(code)} for code in ("erp", "mes", "scada")]
    bands = [{"from": 0, "score": 0}, {"from": 20, "score": 50}, {"from": 60, "score": 100}]
    return [
        {
            "code": "DAT-01",
            "type": "checklist",
            "weight": 2,
            "text": text("Systems?"),
            "items": items,
        },
        {
            "code": "DAT-02",
            "type": "kpi",
            "weight": 1,
            "text": text("Share networked?"),
            "unit": text("%"),
            "min": 0,
            "max": 100,
            "bands": bands,
        },
    ]


def levels() -> list[dict[str, Any]]:
    def level(number: int, min_score: int, floor: int) -> dict[str, Any]:
        return {
            "number": number,
            "name": text(f"Level {number}"),
            "description": text("What it means"),
            "min_score": min_score,
            "critical_floor": floor,
        }

    return [
        level(1, 0, 0),
        level(2, 40, 20) | {"gates": [{"dimension": "DAT", "min_score": 30}]},
        level(3, 70, 50) | {"gates": [{"question": "STR-01", "min_score": 60}]},
    ]


def dimension(code: str, questions: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "code": code,
        "weight": 1,
        "name": text(f"Dimension {code}"),
        "description": text("About"),
        "questions": questions,
    }


def recommendation(dimension: str, numbers: list[int], horizon: str) -> dict[str, Any]:
    return {
        "dimension": dimension,
        "levels": numbers,
        "horizon": horizon,
        "effort": "medium",
        "title": text("Do this"),
        "text": text("Because"),
    }


def valid_data() -> Data:
    """A small definition using every feature of the format, independent of the bundled file."""
    return {
        "questionnaire": {
            "code": "pilot",
            "version": 1,
            "title": text("Pilot"),
            "description": text("For tests"),
        },
        "levels": levels(),
        "dimensions": [
            dimension("STR", strategy_questions()) | {"weight": 2, "critical": True},
            dimension("DAT", data_questions()),
        ],
        "recommendations": [
            recommendation("STR", [1, 2], "now"),
            recommendation("STR", [3], "later"),
            recommendation("DAT", [1, 2, 3], "next"),
        ],
        "consistency": [
            {
                "code": "C-STR-DAT",
                "message": text("A strong plan but nothing networked"),
                "when": [
                    {"question": "STR-01", "in": [4, 5]},
                    {"question": "DAT-02", "max": 10},
                    {"question": "DAT-01", "excludes": "mes"},
                ],
            }
        ],
    }


@pytest.fixture
def data() -> Data:
    return valid_data()


def errors_of(data: object) -> list[str]:
    """Return the errors parse_definition reports for data (none if it is valid)."""
    try:
        parse_definition(data, SOURCE)
    except DefinitionError as error:
        return error.errors
    return []


# --------------------------------------------------------------------------- mutations


def lookup(data: Data, path: tuple[str | int, ...]) -> Any:
    target: Any = data
    for key in path:
        target = target[key]
    return target


def put(*path: str | int, value: Any) -> Mutation:
    """Return a mutation setting the value at path (creating the last key if needed)."""
    return lambda data: lookup(data, path[:-1]).__setitem__(path[-1], value)


def delete(*path: str | int) -> Mutation:
    return lambda data: lookup(data, path[:-1]).pop(path[-1])


def append(*path: str | int, value: Any) -> Mutation:
    return lambda data: lookup(data, path).append(value)


def copy_last(*path: str | int) -> Mutation:
    """Return a mutation appending a copy of the last element of the list at path."""
    return lambda data: lookup(data, path).append(copy.deepcopy(lookup(data, path)[-1]))


def swap(*path: str | int, first: int, second: int) -> Mutation:
    def mutate(data: Data) -> None:
        items = lookup(data, path)
        items[first], items[second] = items[second], items[first]

    return mutate


STR = ("dimensions", 0)
DAT = ("dimensions", 1)
LEVEL_Q = (*STR, "questions", 0)
CHOICE_Q = (*STR, "questions", 1)
TEXT_Q = (*STR, "questions", 2)
CHECKLIST_Q = (*DAT, "questions", 0)
KPI_Q = (*DAT, "questions", 1)
RULE = ("consistency", 0)

BROKEN = [
    pytest.param(
        put("colour", value="red"), "colour", "unknown key; expected one of", id="unknown-top-key"
    ),
    pytest.param(
        put(*CHECKLIST_Q, "items", 0, "note", value="x"),
        "dimensions[1].questions[0].items[0].note",
        "unknown key",
        id="unknown-nested-key",
    ),
    pytest.param(
        delete("questionnaire", "version"), "questionnaire.version", "is required", id="missing-key"
    ),
    pytest.param(delete("recommendations"), "recommendations", "is required", id="missing-section"),
    pytest.param(
        put(*STR, "critical", value="yes"),
        "dimensions[0].critical",
        "must be true or false",
        id="wrong-type-boolean",
    ),
    pytest.param(
        put("levels", value={"number": 1}), "levels", "must be a list", id="wrong-type-list"
    ),
    pytest.param(
        put(*STR, "questions", 0, value="STR-01"),
        "dimensions[0].questions[0]",
        "must be a mapping",
        id="wrong-type-mapping",
    ),
    pytest.param(
        put("questionnaire", "version", value=0),
        "questionnaire.version",
        "must be a positive integer",
        id="version-not-positive",
    ),
    pytest.param(
        delete("questionnaire", "title", "en"),
        "questionnaire.title.en",
        "translation is missing",
        id="missing-translation",
    ),
    pytest.param(
        put(*DAT, "name", "zh-hans", value="  "),
        "dimensions[1].name.zh-hans",
        "translation must be a non-empty string",
        id="empty-translation",
    ),
    pytest.param(
        put("levels", 0, "name", "fr", value="Planification"),
        "levels[0].name.fr",
        "unknown language",
        id="extra-language",
    ),
    pytest.param(
        put(*LEVEL_Q, "text", value="Plan?"),
        "dimensions[0].questions[0].text",
        "must be a mapping with the keys zh-hans and en",
        id="text-not-bilingual",
    ),
    pytest.param(
        copy_last("dimensions"),
        "dimensions[2].code",
        "duplicate dimension code 'DAT' (first at dimensions[1].code)",
        id="duplicate-dimension",
    ),
    pytest.param(
        put(*KPI_Q, "code", value="STR-02"),
        "dimensions[1].questions[1].code",
        "duplicate question code 'STR-02' (first at dimensions[0].questions[1].code)",
        id="duplicate-question-across-dimensions",
    ),
    pytest.param(
        put(*CHECKLIST_Q, "items", 2, "code", value="erp"),
        "dimensions[1].questions[0].items[2].code",
        "duplicate item code 'erp'",
        id="duplicate-checklist-item",
    ),
    pytest.param(
        put(*CHOICE_Q, "options", 2, "value", value="yes"),
        "dimensions[0].questions[1].options[2].value",
        "duplicate option value 'yes'",
        id="duplicate-option",
    ),
    pytest.param(
        copy_last("consistency"),
        "consistency[1].code",
        "duplicate rule code 'C-STR-DAT'",
        id="duplicate-rule",
    ),
    pytest.param(
        put(*LEVEL_Q, "weight", value=0),
        "dimensions[0].questions[0].weight",
        "must be a positive number",
        id="question-weight-zero",
    ),
    pytest.param(
        put(*DAT, "weight", value=-1),
        "dimensions[1].weight",
        "must be a positive number",
        id="dimension-weight-negative",
    ),
    pytest.param(
        put(*CHECKLIST_Q, "items", 1, "weight", value="heavy"),
        "dimensions[1].questions[0].items[1].weight",
        "must be a positive number",
        id="item-weight-not-a-number",
    ),
    pytest.param(
        put(*TEXT_Q, "weight", value=1),
        "dimensions[0].questions[2].weight",
        "not allowed on a text question",
        id="weight-on-text-question",
    ),
    pytest.param(
        put(*CHOICE_Q, "bands", value=[]),
        "dimensions[0].questions[1].bands",
        "not allowed on a choice question",
        id="key-of-another-type",
    ),
    pytest.param(
        put(*LEVEL_Q, "type", value="slider"),
        "dimensions[0].questions[0].type",
        "must be one of: level, choice, checklist, kpi, text",
        id="unknown-question-type",
    ),
    pytest.param(
        put(*CHOICE_Q, "depends_on", "question", value="STR-99"),
        "dimensions[0].questions[1].depends_on.question",
        "unknown question 'STR-99'",
        id="depends-on-unknown",
    ),
    pytest.param(
        put(*CHOICE_Q, "depends_on", "question", value="DAT-01"),
        "dimensions[0].questions[1].depends_on.question",
        "must name an earlier question; 'DAT-01' is not before it",
        id="depends-on-later",
    ),
    pytest.param(
        put(*KPI_Q, "depends_on", value={"question": "DAT-01", "values": ["erp"]}),
        "dimensions[1].questions[1].depends_on.question",
        "'DAT-01' is a checklist question; use a level or choice question",
        id="depends-on-wrong-type",
    ),
    pytest.param(
        put(*CHOICE_Q, "depends_on", "values", value=[2, 7]),
        "dimensions[0].questions[1].depends_on.values[1]",
        "7 is not an option of STR-01",
        id="depends-on-value-not-an-option",
    ),
    pytest.param(
        put(*CHOICE_Q, "options", 0, "score", value=120),
        "dimensions[0].questions[1].options[0].score",
        "must be a number from 0 to 100",
        id="option-score-above-100",
    ),
    pytest.param(
        delete(*LEVEL_Q, "options", 5),
        "dimensions[0].questions[0].options",
        "must list exactly the values 0, 1, 2, 3, 4, 5 in order (found 0, 1, 2, 3, 4)",
        id="level-options-incomplete",
    ),
    pytest.param(
        put(*LEVEL_Q, "options", 3, "score", value=30),
        "dimensions[0].questions[0].options[3].score",
        "must not be lower than the score for value 2 (40)",
        id="level-scores-decreasing",
    ),
    pytest.param(
        delete(*LEVEL_Q, "options", 2, "descriptor"),
        "dimensions[0].questions[0].options[2].descriptor",
        "is required",
        id="level-option-without-descriptor",
    ),
    pytest.param(
        put(*CHOICE_Q, "options", value=choice_options()[:1]),
        "dimensions[0].questions[1].options",
        "a choice question needs at least two options",
        id="choice-with-one-option",
    ),
    pytest.param(
        swap(*KPI_Q, "bands", first=1, second=2),
        "dimensions[1].questions[1].bands[2].from",
        "must be greater than the previous from (60)",
        id="bands-not-ascending",
    ),
    pytest.param(
        put(*KPI_Q, "bands", 0, "from", value=5),
        "dimensions[1].questions[1].bands[0].from",
        "must equal min (0)",
        id="first-band-not-at-min",
    ),
    pytest.param(
        put(*KPI_Q, "max", value=0),
        "dimensions[1].questions[1].max",
        "must be greater than min (0)",
        id="kpi-min-not-below-max",
    ),
    pytest.param(
        put(*KPI_Q, "bands", 2, "from", value=150),
        "dimensions[1].questions[1].bands[2].from",
        "must not be greater than max (100)",
        id="band-above-max",
    ),
    pytest.param(
        put("levels", 2, "number", value=4),
        "levels[2].number",
        "must be 3: levels are consecutive",
        id="level-numbers-not-consecutive",
    ),
    pytest.param(
        put("levels", 0, "min_score", value=10),
        "levels[0].min_score",
        "must be 0 for the first level",
        id="first-level-min-score-not-zero",
    ),
    pytest.param(
        put("levels", 2, "min_score", value=40),
        "levels[2].min_score",
        "must be greater than the previous level's (40)",
        id="min-score-not-increasing",
    ),
    pytest.param(
        put("levels", 2, "critical_floor", value=10),
        "levels[2].critical_floor",
        "must not be lower than the previous level's (20)",
        id="critical-floor-decreasing",
    ),
    pytest.param(
        put("levels", 1, "gates", 0, "dimension", value="OPS"),
        "levels[1].gates[0].dimension",
        "unknown dimension 'OPS'",
        id="gate-unknown-dimension",
    ),
    pytest.param(
        put("levels", 2, "gates", 0, "question", value="OPS-01"),
        "levels[2].gates[0].question",
        "unknown question 'OPS-01'",
        id="gate-unknown-question",
    ),
    pytest.param(
        put("levels", 2, "gates", 0, "question", value="STR-03"),
        "levels[2].gates[0].question",
        "'STR-03' is a text question and has no score",
        id="gate-on-text-question",
    ),
    pytest.param(
        put("levels", 1, "gates", 0, "question", value="STR-01"),
        "levels[1].gates[0]",
        "needs exactly one of dimension or question",
        id="gate-with-two-targets",
    ),
    pytest.param(
        append("recommendations", value=recommendation("OPS", [1], "now")),
        "recommendations[3].dimension",
        "unknown dimension 'OPS'",
        id="recommendation-unknown-dimension",
    ),
    pytest.param(
        append("recommendations", value=recommendation("DAT", [4], "now")),
        "recommendations[3].levels[0]",
        "unknown level 4",
        id="recommendation-unknown-level",
    ),
    pytest.param(
        put("recommendations", 1, "levels", value=[2]),
        "recommendations",
        "no recommendation for dimension 'STR' at level 3",
        id="dimension-level-not-covered",
    ),
    pytest.param(
        put("recommendations", 0, "horizon", value="soon"),
        "recommendations[0].horizon",
        "must be one of: now, next, later",
        id="bad-horizon",
    ),
    pytest.param(
        put("recommendations", 2, "effort", value="huge"),
        "recommendations[2].effort",
        "must be one of: low, medium, high",
        id="bad-effort",
    ),
    pytest.param(
        put(*RULE, "when", 0, "question", value="OPS-02"),
        "consistency[0].when[0].question",
        "unknown question 'OPS-02'",
        id="condition-unknown-question",
    ),
    pytest.param(
        put(*RULE, "when", 1, value={"question": "DAT-02"}),
        "consistency[0].when[1]",
        "needs one of: in, not_in, min, max, includes, excludes",
        id="condition-without-comparison",
    ),
    pytest.param(
        put(*RULE, "when", 1, "min", value=5),
        "consistency[0].when[1]",
        "has several comparisons (min, max); use exactly one",
        id="condition-with-two-comparisons",
    ),
    pytest.param(
        put(*RULE, "when", value=[{"question": "STR-01", "in": [5]}]),
        "consistency[0].when",
        "a rule needs at least two conditions",
        id="rule-with-one-condition",
    ),
    pytest.param(
        put(*RULE, "when", 1, value={"question": "DAT-02", "in": [1]}),
        "consistency[0].when[1].in",
        "does not apply to DAT-02, a kpi question (level or choice only)",
        id="condition-comparison-wrong-for-type",
    ),
    pytest.param(
        put(*RULE, "when", 0, "in", value=[4, 6]),
        "consistency[0].when[0].in[1]",
        "6 is not an option of STR-01",
        id="condition-value-not-an-option",
    ),
    pytest.param(
        put(*RULE, "when", 2, "excludes", value="plc"),
        "consistency[0].when[2].excludes",
        "'plc' is not an item of DAT-01 (erp, mes, scada)",
        id="condition-unknown-item",
    ),
    pytest.param(
        put(*RULE, "when", 1, "max", value=500),
        "consistency[0].when[1].max",
        "must be between 0 and 100, the range of DAT-02",
        id="condition-bound-out-of-range",
    ),
    pytest.param(
        put(*DAT, "code", value="Da-t"),
        "dimensions[1].code",
        "must be upper-case letters and digits, starting with a letter (got 'Da-t')",
        id="dimension-code-bad-characters",
    ),
    pytest.param(
        put(*LEVEL_Q, "code", value="STR 01"),
        "dimensions[0].questions[0].code",
        "must be upper-case letters, digits and hyphens",
        id="question-code-bad-characters",
    ),
    pytest.param(
        put("questionnaire", "code", value="Pilot Study"),
        "questionnaire.code",
        "must be lower-case letters, digits, hyphens, underscores",
        id="questionnaire-code-bad-characters",
    ),
    pytest.param(
        put(*CHOICE_Q, "options", 1, "value", value=True),
        "dimensions[0].questions[1].options[1].value",
        "must be a string of lower-case letters",
        id="choice-value-not-a-slug",
    ),
]


# --------------------------------------------------------------------------- tests


def test_it_parses_a_valid_definition(data: Data) -> None:
    definition = parse_definition(data, "pilot-v1.yaml")

    assert [dimension.code for dimension in definition.dimensions] == ["STR", "DAT"]
    assert [question.type for question in definition.questions.values()] == [
        QuestionType.LEVEL,
        QuestionType.CHOICE,
        QuestionType.TEXT,
        QuestionType.CHECKLIST,
        QuestionType.KPI,
    ]


def test_it_maps_from_and_in_to_start_and_in_(data: Data) -> None:
    definition = parse_definition(data, "pilot-v1.yaml")

    assert definition.questions["DAT-02"].bands[1] == KpiBand(start=20, score=50)
    assert definition.consistency[0].when[0] == Condition(question="STR-01", in_=(4, 5))


def test_it_gives_text_questions_no_weight(data: Data) -> None:
    definition = parse_definition(data, "pilot-v1.yaml")

    assert definition.questions["STR-03"].weight == 0
    assert not definition.questions["STR-03"].scored


def test_it_recreates_an_equal_definition_from_a_json_snapshot(data: Data) -> None:
    snapshot = json.loads(json.dumps(data, ensure_ascii=False))

    assert parse_definition(snapshot, "snapshot") == parse_definition(data, "pilot-v1.yaml")


def test_it_loads_a_yaml_file_into_the_same_definition(data: Data, tmp_path: Path) -> None:
    path = tmp_path / "pilot-v1.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")

    assert load_definition(path) == parse_definition(data, "pilot-v1.yaml")


def test_it_returns_the_raw_mapping_of_a_file(data: Data, tmp_path: Path) -> None:
    path = tmp_path / "pilot-v1.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")

    assert read_definition_data(path) == data


def test_it_reads_dates_as_strings_so_the_snapshot_is_json(tmp_path: Path) -> None:
    path = tmp_path / "values.yaml"
    path.write_text("day: 2024-01-31\nflag: yes\n", encoding="utf-8")

    assert read_definition_data(path) == {"day": "2024-01-31", "flag": True}


def test_it_suggests_quoting_an_unquoted_yes(data: Data, tmp_path: Path) -> None:
    data["dimensions"][0]["questions"][1]["options"][0]["value"] = "YES_PLACEHOLDER"
    path = tmp_path / "pilot-v1.yaml"
    dumped = yaml.safe_dump(data, allow_unicode=True).replace("YES_PLACEHOLDER", "yes")
    path.write_text(dumped, encoding="utf-8")

    with pytest.raises(DefinitionError) as raised:
        load_definition(path)

    assert raised.value.errors == [
        "pilot-v1.yaml: dimensions[0].questions[1].options[0].value: must be a string of "
        "lower-case letters, digits, hyphens, underscores "
        "(got true: quote yes, no, on and off, which YAML reads as booleans)"
    ]


@pytest.mark.parametrize(("mutate", "path", "problem"), BROKEN)
def test_it_reports_the_path_and_problem_of_a_broken_definition(
    data: Data, mutate: Mutation, path: str, problem: str
) -> None:
    mutate(data)

    errors = errors_of(data)

    assert any(error.startswith(f"{SOURCE}: {path}: {problem}") for error in errors), errors


def test_it_reports_a_top_level_that_is_not_a_mapping() -> None:
    assert errors_of(["questionnaire"]) == [f"{SOURCE}: (top level): must be a mapping"]


def test_it_reports_every_error_not_only_the_first(data: Data) -> None:
    put(*LEVEL_Q, "weight", value=0)(data)
    delete("questionnaire", "title", "en")(data)
    put("recommendations", 0, "horizon", value="soon")(data)

    assert errors_of(data) == [
        f"{SOURCE}: questionnaire.title.en: translation is missing",
        f"{SOURCE}: dimensions[0].questions[0].weight: must be a positive number",
        f"{SOURCE}: recommendations[0].horizon: must be one of: now, next, later",
    ]


def test_it_reports_one_mistake_once(data: Data) -> None:
    put(*LEVEL_Q, "options", 2, "label", value=None)(data)

    assert errors_of(data) == [
        f"{SOURCE}: dimensions[0].questions[0].options[2].label: "
        "must be a mapping with the keys zh-hans and en"
    ]


def test_it_joins_the_errors_with_newlines_in_its_message(data: Data) -> None:
    delete("questionnaire", "version")(data)
    delete("levels")(data)

    with pytest.raises(DefinitionError) as raised:
        parse_definition(data, SOURCE)

    assert str(raised.value) == "\n".join(raised.value.errors)
    assert len(raised.value.errors) == 2


def test_it_reports_a_yaml_syntax_error_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "broken-v1.yaml"
    path.write_text("questionnaire:\n  code: pilot\n  version: [1\nlevels: []\n", encoding="utf-8")

    with pytest.raises(DefinitionError) as raised:
        load_definition(path)

    [error] = raised.value.errors
    assert error.startswith("broken-v1.yaml: line 4, column 7: invalid YAML")


def test_it_reports_a_duplicate_yaml_key_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "broken-v1.yaml"
    path.write_text("questionnaire:\n  code: a\n  code: b\n", encoding="utf-8")

    with pytest.raises(DefinitionError) as raised:
        read_definition_data(path)

    assert raised.value.errors == [
        "broken-v1.yaml: line 3, column 3: invalid YAML: "
        "while reading a mapping; found duplicate key 'code'"
    ]


def test_it_names_the_file_in_errors_of_a_loaded_file(data: Data, tmp_path: Path) -> None:
    data["levels"][0]["min_score"] = 5
    path = tmp_path / "pilot-v2.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")

    with pytest.raises(DefinitionError) as raised:
        load_definition(path)

    assert raised.value.errors == [
        "pilot-v2.yaml: levels[0].min_score: must be 0 for the first level"
    ]


def test_it_reports_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(DefinitionError) as raised:
        load_definition(tmp_path / "missing-v1.yaml")

    [error] = raised.value.errors
    assert error.startswith("missing-v1.yaml: (top level): cannot be read")


def test_it_checksums_canonical_json() -> None:
    expected = hashlib.sha256('{"a":"é","b":[1,2]}'.encode()).hexdigest()

    assert definition_checksum({"b": [1, 2], "a": "é"}) == expected


def test_it_changes_the_checksum_when_the_content_changes(data: Data) -> None:
    before = definition_checksum(data)
    data["levels"][1]["min_score"] = 41

    assert definition_checksum(data) != before


def test_it_points_the_bundled_dir_at_the_definitions_folder() -> None:
    assert (BUNDLED_DIR / "FORMAT.md").is_file()


def test_it_loads_the_bundled_questionnaire() -> None:
    definition = load_definition(BUNDLED_DIR / "smart-manufacturing-v1.yaml")

    assert (definition.code, definition.version) == ("smart-manufacturing", 1)


def _json_values() -> st.SearchStrategy[Any]:
    scalars = st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8)
    return st.recursive(
        scalars,
        lambda children: (
            st.lists(children, max_size=4)
            | st.dictionaries(st.text(max_size=8), children, max_size=4)
        ),
        max_leaves=12,
    )


def _paths(value: Any, prefix: tuple[str | int, ...] = ()) -> list[tuple[str | int, ...]]:
    """Return the path of every value nested in value, containers included."""
    children: Iterable[tuple[Any, Any]]
    if isinstance(value, dict):
        children = value.items()
    elif isinstance(value, list):
        children = enumerate(value)
    else:
        return []
    return [p for key, child in children for p in [(*prefix, key), *_paths(child, (*prefix, key))]]


VALID_PATHS = _paths(valid_data())


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(path=st.sampled_from(VALID_PATHS), junk=_json_values())
def test_it_raises_only_definition_errors_whatever_a_value_is_replaced_by(
    path: tuple[str | int, ...], junk: Any
) -> None:
    data = valid_data()
    lookup(data, path[:-1])[path[-1]] = junk

    try:
        parse_definition(data, SOURCE)
    except DefinitionError as error:
        assert error.errors
        assert all(message.startswith(f"{SOURCE}: ") for message in error.errors)


@settings(max_examples=200, deadline=None)
@given(data=_json_values())
def test_it_raises_only_definition_errors_for_arbitrary_data(data: Any) -> None:
    with pytest.raises(DefinitionError):
        parse_definition(data, SOURCE)


def _django_imports(path: Path) -> list[str]:
    """Return the modules under django that the file imports."""
    imported = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            imported += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            imported.append(node.module)
    return [name for name in imported if name == "django" or name.startswith("django.")]


def test_it_spots_a_django_import(tmp_path: Path) -> None:
    module = tmp_path / "impure.py"
    module.write_text("import json\nfrom django.db import models\n", encoding="utf-8")

    assert _django_imports(module) == ["django.db"]


def test_it_finds_the_pure_modules_to_check() -> None:
    assert {"loader.py", "definition.py"} <= {path.name for path in PURE_MODULES}


@pytest.mark.parametrize("path", PURE_MODULES, ids=lambda path: f"{path.parent.name}/{path.name}")
def test_it_imports_no_django_in_the_pure_modules(path: Path) -> None:
    assert _django_imports(path) == []


def test_it_reads_the_same_data_with_libyaml_as_with_the_python_parser() -> None:
    content = (BUNDLED_DIR / "smart-manufacturing-v1.yaml").read_bytes()
    fast = yaml.load(content, Loader=yaml_source._StrictLoader)  # noqa: S506
    slow = yaml.load(content, Loader=yaml_source._StrictPythonLoader)  # noqa: S506

    assert yaml.__with_libyaml__ and fast == slow


@pytest.mark.parametrize(
    "text",
    ["a: 1\na: 2\n", "a: [1, 2\n", "when: 2024-01-01\nx: {\n", "a:\n  - b\n c: d\n"],
    ids=["duplicate key", "unclosed list", "unclosed mapping", "bad indentation"],
)
def test_it_names_yaml_problems_in_the_python_parsers_words(tmp_path: Path, text: str) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(yaml.YAMLError) as python_error:
        yaml.load(text, Loader=yaml_source._StrictPythonLoader)  # noqa: S506
    with pytest.raises(DefinitionError) as raised:
        read_definition_data(path)

    assert raised.value.errors == [f"broken.yaml: {yaml_source._yaml_problem(python_error.value)}"]
