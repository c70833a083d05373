"""The loader on the v2 additions (SPEC12): every new key, valid and invalid."""

from pathlib import Path
from typing import Any

import pytest
import yaml

from diagnosis.definitions.frameworks import frameworks_beside, load_frameworks
from diagnosis.definitions.loader import (
    UNCHECKED,
    DefinitionError,
    load_definition,
    parse_definition,
)
from diagnosis.scoring.definition import (
    Better,
    Budget,
    Condition,
    ProfileField,
    QuestionType,
    Role,
    Scenario,
    Severity,
)
from tests.definitions.test_loader import (
    CHECKLIST_Q,
    CHOICE_Q,
    DAT,
    KPI_Q,
    LEVEL_Q,
    SOURCE,
    STR,
    TEXT_Q,
    Data,
    Mutation,
    delete,
    put,
    text,
    valid_data,
)

FRAMEWORKS_PATH = Path(__file__).parent / "fixtures" / "frameworks.yaml"
FRAMEWORKS = load_frameworks(FRAMEWORKS_PATH)
NUMBERS = (*DAT, "questions")
EQUIPMENT = ("dimensions", 2)
OUT = ("dimensions", 3)


def number(code: str, **fields: Any) -> dict[str, Any]:
    return {
        "code": code,
        "type": "number",
        "text": text(f"How many ({code})?"),
        "unit": text("devices"),
        "min": 0,
        "max": 100000,
        "integer": True,
        "role": "production",
        "evidence": text("Equipment register"),
    } | fields


def v2_data() -> Data:
    """valid_data plus every v2 key: numbers, a rate, a trend, an unbanded dimension,
    profile conditions, level requires, conditional recommendations, severities."""
    data = valid_data()
    strategy = data["dimensions"][0]["questions"]
    strategy[0] |= {
        "role": "gm",
        "evidence": text("The plan document"),
        "covers": {"miit": ["MIIT-1.1"], "scenario": ["S01"]},
        "scenario": {"code": "S05", "map": [0, 1, 2, 2, 3, 4]},
        "cmmm": ["CMMM-PROD"],
    }
    strategy.append(
        {
            "code": "STR-04",
            "type": "choice",
            "unscored": True,
            "text": text("Subsidies received?"),
            "options": [
                {"value": "yes", "score": 100, "label": text("Yes")},
                {"value": "no", "score": 0, "label": text("No")},
            ],
        }
    )
    rate_bands = [{"from": 0, "score": 0}, {"from": 30, "score": 50}, {"from": 70, "score": 100}]
    data["dimensions"].append(
        {
            "code": "EQP",
            "weight": 1,
            "name": text("Equipment"),
            "description": text("Devices"),
            "questions": [
                number("EQP-01"),
                number("EQP-02", show_when=[{"profile": "size", "not_in": ["micro"]}]),
                {
                    "code": "EQP-03",
                    "type": "rate",
                    "text": text("Share networked"),
                    "numerator": "EQP-02",
                    "denominator": "EQP-01",
                    "weight": 2,
                    "bands": rate_bands,
                },
            ],
        }
    )
    data["dimensions"].append(
        {
            "code": "OUT",
            "weight": 1,
            "banded": False,
            "name": text("Outcomes"),
            "description": text("Results"),
            "questions": [
                number("OUT-01", integer=False, min=0, max=1e9),
                number("OUT-02", integer=False, min=0, max=1e9),
                {
                    "code": "OUT-03",
                    "type": "trend",
                    "text": text("Revenue trend"),
                    "current": "OUT-01",
                    "previous": "OUT-02",
                    "better": "higher",
                    "weight": 1,
                },
            ],
        }
    )
    data["recommendations"].append(
        {
            "dimension": "EQP",
            "levels": [1, 2, 3],
            "horizon": "now",
            "effort": "low",
            "title": text("Network the bottleneck machines"),
            "text": text("Three to five machines first"),
            "when": [{"question": "EQP-03", "max": 50}],
            "category": "equipment-connectivity",
            "budget_wan": {"min": 5, "max": 20},
            "owner": "production",
            "kpi": text("Networked share ≥ 50 % in 12 months"),
        }
    )
    data["recommendations"].append(
        data["recommendations"][-1] | {"when": [{"question": "EQP-01", "not_measured": True}]}
    )
    data["levels"][1]["requires"] = [
        {"any": [{"question": "STR-01", "min": 2}, {"question": "DAT-01", "includes": "mes"}]},
        {"profile": "industry", "in": [13, 14, 25]},
    ]
    data["levels"][1]["gates"][0]["applies_when"] = [{"profile": "industry", "in": [25, 26]}]
    data["consistency"][0]["severity"] = "must_resolve"
    data["consistency"].append(
        {
            "code": "C-NA-GAMING",
            "message": text("Budget not applicable in a chemicals plant"),
            "when": [
                {"question": "STR-02", "na": True},
                {"profile": "industry", "in": [25, 26, 27]},
            ],
        }
    )
    return data


def errors_of(data: object, frameworks=FRAMEWORKS) -> list[str]:
    try:
        parse_definition(data, SOURCE, frameworks=frameworks)
    except DefinitionError as error:
        return error.errors
    return []


def test_it_loads_every_v2_key():
    definition = parse_definition(v2_data(), SOURCE, frameworks=FRAMEWORKS)
    questions = definition.questions
    plan = questions["STR-01"]
    assert (plan.role, plan.evidence) == (Role.GM, text_of("The plan document"))
    assert plan.covers == (("miit", ("MIIT-1.1",)), ("scenario", ("S01",)))
    assert plan.scenario == Scenario("S05", (0, 1, 2, 2, 3, 4))
    assert plan.cmmm == ("CMMM-PROD",)
    assert questions["STR-04"].unscored and not questions["STR-04"].scored
    devices = questions["EQP-01"]
    assert (devices.type, devices.integer, devices.scored, devices.asked) == (
        QuestionType.NUMBER,
        True,
        False,
        True,
    )
    assert questions["EQP-02"].show_when == (
        Condition(profile=ProfileField.SIZE, not_in=("micro",)),
    )
    rate = questions["EQP-03"]
    assert (rate.numerator, rate.denominator, rate.asked, rate.scored) == (
        "EQP-02",
        "EQP-01",
        False,
        True,
    )
    trend = questions["OUT-03"]
    assert (trend.current, trend.previous, trend.better) == ("OUT-01", "OUT-02", Better.HIGHER)
    assert not definition.dimension("OUT").banded and definition.dimension("EQP").banded
    level = definition.levels[1]
    assert level.requires[0].any_of[1] == Condition(question="DAT-01", includes="mes")
    assert level.gates[0].applies_when == (Condition(profile=ProfileField.INDUSTRY, in_=(25, 26)),)
    rule = definition.recommendations[-2]
    assert (rule.category, rule.budget, rule.owner) == (
        "equipment-connectivity",
        Budget(5, 20),
        Role.PRODUCTION,
    )
    assert definition.recommendations[-1].when == (Condition(question="EQP-01", not_measured=True),)
    assert definition.consistency[0].severity is Severity.MUST_RESOLVE
    assert definition.consistency[1].severity is Severity.INFO
    assert definition.uses_profile and definition.ranked_advice


def text_of(english: str):
    from diagnosis.scoring.definition import Text

    return Text(**{"zh_hans": f"中文：{english}", "en": english})


def test_it_loads_na_default_when_on_a_question_that_allows_na():
    data = v2_data()
    conditions = [{"profile": "industry", "in": [13, 17]}, {"profile": "size", "not_in": ["large"]}]
    data["dimensions"][0]["questions"][1]["na_default_when"] = conditions
    definition = parse_definition(data, SOURCE, frameworks=FRAMEWORKS)
    assert definition.questions["STR-02"].na_default_when == (
        Condition(profile=ProfileField.INDUSTRY, in_=(13, 17)),
        Condition(profile=ProfileField.SIZE, not_in=("large",)),
    )
    assert definition.has_na_defaults
    assert not parse_definition(v2_data(), SOURCE, frameworks=FRAMEWORKS).has_na_defaults


def test_a_preset_alone_makes_a_definition_use_the_profile():
    data = valid_data()
    data["dimensions"][0]["questions"][1]["na_default_when"] = [{"profile": "industry", "in": [17]}]
    assert parse_definition(data, SOURCE).uses_profile


def test_it_keeps_v1_style_files_free_of_profile_and_ranking():
    definition = parse_definition(valid_data(), SOURCE)
    assert not definition.uses_profile and not definition.ranked_advice


RATE = (*EQUIPMENT, "questions", 2)
TREND = (*OUT, "questions", 2)
NUMBER = (*EQUIPMENT, "questions", 0)
UNSCORED = (*STR, "questions", 3)
REQUIRES = ("levels", 1, "requires")
NEW_RULE = ("recommendations", 3)

BROKEN_V2 = [
    pytest.param(put(*LEVEL_Q, "role", value="boss"), "questions[0].role", "must be one of: gm"),
    pytest.param(put(*LEVEL_Q, "evidence", value="docs"), "questions[0].evidence", "bilingual"),
    pytest.param(
        put(*LEVEL_Q, "covers", value={"iso": ["X"]}), "questions[0].covers.iso", "unknown key"
    ),
    pytest.param(
        put(*LEVEL_Q, "covers", value={"miit": ["MIIT-9.9"]}),
        "questions[0].covers.miit[0]",
        "'MIIT-9.9' is not an item of miit in frameworks.yaml",
    ),
    pytest.param(put(*LEVEL_Q, "covers", value={}), "questions[0].covers", "at least one"),
    pytest.param(
        put(*LEVEL_Q, "scenario", value={"code": "S05", "map": [0, 1, 2, 1, 3, 4]}),
        "questions[0].scenario.map",
        "must not decrease",
    ),
    pytest.param(
        put(*LEVEL_Q, "scenario", value={"code": "S05", "map": [0, 1, 2, 5, 3]}),
        "questions[0].scenario.map",
        "6 integers from 0 to 4",
    ),
    pytest.param(
        put(*LEVEL_Q, "scenario", value={"code": "S99", "map": [0, 1, 2, 2, 3, 4]}),
        "questions[0].scenario.code",
        "'S99' is not an item of scenario",
    ),
    pytest.param(
        put(*CHOICE_Q, "scenario", value={"code": "S05", "map": [0, 1, 2, 2, 3, 4]}),
        "questions[1].scenario",
        "not allowed on a choice question",
    ),
    pytest.param(
        put(*CHECKLIST_Q, "cmmm", value=["CMMM-PROD"]),
        "questions[0].cmmm",
        "not allowed on a checklist question",
    ),
    pytest.param(put(*LEVEL_Q, "cmmm", value=["NOPE"]), "questions[0].cmmm[0]", "not an item"),
    pytest.param(
        put(*UNSCORED, "weight", value=1), "questions[3].weight", "not allowed on an unscored"
    ),
    pytest.param(
        put(*TEXT_Q, "unscored", value=True),
        "questions[2].unscored",
        "not allowed on a text question",
    ),
    pytest.param(
        put(*KPI_Q, "unscored", value=True),
        "questions[1].unscored",
        "not allowed on a kpi question",
    ),
    pytest.param(delete(*LEVEL_Q, "weight"), "questions[0].weight", "is required"),
    pytest.param(put(*NUMBER, "weight", value=1), "questions[0].weight", "not allowed on a number"),
    pytest.param(put(*NUMBER, "bands", value=[]), "questions[0].bands", "not allowed on a number"),
    pytest.param(put(*NUMBER, "max", value=0), "questions[0].max", "must be greater than min"),
    pytest.param(put(*NUMBER, "integer", value="yes"), "questions[0].integer", "true or false"),
    pytest.param(delete(*NUMBER, "unit"), "questions[0].unit", "is required"),
    pytest.param(
        put(*RATE, "numerator", value="STR-01"),
        "questions[2].numerator",
        "'STR-01' is a level question; use a number question",
    ),
    pytest.param(
        put(*RATE, "denominator", value="OUT-01"),
        "questions[2].denominator",
        "must name an earlier question",
    ),
    pytest.param(
        put(*RATE, "denominator", value="EQP-99"), "questions[2].denominator", "unknown question"
    ),
    pytest.param(
        put(*RATE, "bands", 0, "from", value=10), "questions[2].bands[0].from", "must equal min (0)"
    ),
    pytest.param(
        put(*RATE, "bands", 2, "from", value=120),
        "questions[2].bands[2].from",
        "not be greater than max (100)",
    ),
    pytest.param(
        put(*RATE, "allow_na", value=True), "questions[2].allow_na", "not allowed on a rate"
    ),
    pytest.param(
        put(*RATE, "depends_on", value={"question": "STR-01", "values": [1]}),
        "questions[2].depends_on",
        "not allowed on a rate",
    ),
    pytest.param(delete(*RATE, "weight"), "questions[2].weight", "is required"),
    pytest.param(put(*TREND, "better", value="up"), "questions[2].better", "higher, lower"),
    pytest.param(
        put(*TREND, "per_current", value="OUT-01"),
        "questions[2]",
        "needs both per_current and per_previous",
    ),
    pytest.param(put(*TREND, "bands", value=[]), "questions[2].bands", "not allowed on a trend"),
    pytest.param(put(*OUT, "banded", value="no"), "dimensions[3].banded", "true or false"),
    pytest.param(
        put(*NEW_RULE, "dimension", value="OUT"),
        "recommendations[3].dimension",
        "is not banded",
    ),
    pytest.param(
        put(*NUMBER, "show_when", value=[{"question": "STR-01", "min": 1}]),
        "questions[0].show_when[0]",
        "only profile conditions",
    ),
    pytest.param(
        put(*NUMBER, "show_when", value=[{"profile": "industry", "in": [12]}]),
        "questions[0].show_when[0].in[0]",
        "division, 13 to 43",
    ),
    pytest.param(
        put(*NUMBER, "show_when", value=[{"profile": "size", "in": ["tiny"]}]),
        "questions[0].show_when[0].in[0]",
        "must be one of: micro",
    ),
    pytest.param(
        put(*NUMBER, "show_when", value=[{"profile": "district", "in": ["x"]}]),
        "questions[0].show_when[0].profile",
        "industry, size",
    ),
    pytest.param(
        put(*NUMBER, "show_when", value=[{"profile": "size", "in": ["small"], "not_in": []}]),
        "questions[0].show_when[0]",
        "exactly one of: in, not_in",
    ),
    pytest.param(
        put(*NUMBER, "show_when", value=[{"profile": "size", "min": 1}]),
        "questions[0].show_when[0].min",
        "unknown key",
    ),
    pytest.param(put(*NUMBER, "show_when", value=[]), "questions[0].show_when", "at least 1"),
    pytest.param(
        put(*LEVEL_Q, "na_default_when", value=[{"profile": "industry", "in": [17]}]),
        "questions[0].na_default_when",
        "allowed only on a question with allow_na: true",
    ),
    pytest.param(
        put(*NUMBER, "na_default_when", value=[{"profile": "industry", "in": [17]}]),
        "questions[0].na_default_when",
        "allowed only on a question with allow_na: true",
    ),
    pytest.param(
        put(*CHOICE_Q, "na_default_when", value=[{"question": "STR-01", "min": 1}]),
        "questions[1].na_default_when[0]",
        "only profile conditions",
    ),
    pytest.param(
        put(*CHOICE_Q, "na_default_when", value=[{"profile": "industry", "in": [12]}]),
        "questions[1].na_default_when[0].in[0]",
        "division, 13 to 43",
    ),
    pytest.param(
        put(*CHOICE_Q, "na_default_when", value=[]), "questions[1].na_default_when", "at least 1"
    ),
    pytest.param(
        put(*CHOICE_Q, "na_default_when", value={"profile": "industry", "in": [17]}),
        "questions[1].na_default_when",
        "must be a list",
    ),
    pytest.param(
        put(*RATE, "na_default_when", value=[{"profile": "industry", "in": [17]}]),
        "questions[2].na_default_when",
        "not allowed on a rate",
    ),
    pytest.param(
        put(*REQUIRES, value=[{"any": [{"question": "STR-01", "min": 2}]}]),
        "levels[1].requires[0].any",
        "at least 2 conditions",
    ),
    pytest.param(
        put(*REQUIRES, value=[{"any": [{"any": []}, {"question": "STR-01", "min": 2}]}]),
        "levels[1].requires[0].any[0]",
        "cannot hold another any",
    ),
    pytest.param(
        put(*REQUIRES, value=[{"dimension": "STR"}]), "levels[1].requires[0]", "needs one of"
    ),
    pytest.param(put(*REQUIRES, value=[]), "levels[1].requires", "at least 1 condition"),
    pytest.param(
        put(*REQUIRES, value=[{"question": "STR-01", "na": True}]),
        "levels[1].requires[0].na",
        "does not allow 'not applicable'",
    ),
    pytest.param(
        put(*REQUIRES, value=[{"question": "STR-02", "na": False}]),
        "levels[1].requires[0].na",
        "must be true",
    ),
    pytest.param(
        put(*REQUIRES, value=[{"question": "DAT-02", "not_measured": True}]),
        "levels[1].requires[0].not_measured",
        "does not apply to DAT-02, a kpi question",
    ),
    pytest.param(
        put(*REQUIRES, value=[{"question": "EQP-03", "min": 120}]),
        "levels[1].requires[0].min",
        "between 0 and 100",
    ),
    pytest.param(
        put("levels", 1, "gates", 0, "applies_when", value=[{"question": "STR-01", "min": 1}]),
        "levels[1].gates[0].applies_when[0]",
        "only profile conditions",
    ),
    pytest.param(
        put(*NEW_RULE, "budget_wan", value={"min": 30, "max": 20}),
        "recommendations[3].budget_wan.max",
        "must not be below min",
    ),
    pytest.param(
        put(*NEW_RULE, "budget_wan", value={"min": -1, "max": 20}),
        "recommendations[3].budget_wan.min",
        "not below 0",
    ),
    pytest.param(
        put(*NEW_RULE, "budget_wan", value={"min": 1}),
        "recommendations[3].budget_wan.max",
        "is required",
    ),
    pytest.param(put(*NEW_RULE, "owner", value="boss"), "recommendations[3].owner", "one of"),
    pytest.param(
        put(*NEW_RULE, "category", value="MES System"), "recommendations[3].category", "lower-case"
    ),
    pytest.param(put(*NEW_RULE, "kpi", value="50 %"), "recommendations[3].kpi", "bilingual"),
    pytest.param(put(*NEW_RULE, "when", value=[]), "recommendations[3].when", "at least 1"),
    pytest.param(
        put("consistency", 0, "severity", value="high"),
        "consistency[0].severity",
        "info, must_resolve",
    ),
]


@pytest.mark.parametrize(("mutate", "path", "problem"), BROKEN_V2)
def test_it_names_the_problem_of_a_broken_v2_key(mutate: Mutation, path: str, problem: str):
    data = v2_data()
    mutate(data)
    errors = errors_of(data)
    problem = problem.replace("bilingual", "must be a mapping with the keys zh-hans and en")
    assert any(path in error and problem in error for error in errors), errors


def test_it_refuses_covers_without_a_frameworks_file():
    errors = errors_of(v2_data(), frameworks=None)
    assert errors == [
        f"{SOURCE}: dimensions[0].questions[0].covers.miit[0]: needs frameworks.yaml next to "
        "the definition file to check its codes"
    ]


def test_it_accepts_any_code_when_re_reading_a_checked_snapshot():
    data = v2_data()
    data["dimensions"][0]["questions"][0]["covers"] = {"siri": ["ANYTHING"]}
    assert parse_definition(data, SOURCE, frameworks=UNCHECKED).questions["STR-01"].covers


def test_it_reads_the_frameworks_file_beside_the_definition(tmp_path: Path):
    definition_file = tmp_path / "pilot-v1.yaml"
    definition_file.write_text(yaml.safe_dump(v2_data(), allow_unicode=True), encoding="utf-8")
    with pytest.raises(DefinitionError, match=r"needs frameworks\.yaml"):
        load_definition(definition_file)
    (tmp_path / "frameworks.yaml").write_bytes(FRAMEWORKS_PATH.read_bytes())
    assert load_definition(definition_file).questions["STR-01"].cmmm == ("CMMM-PROD",)


def test_it_reads_a_changed_frameworks_file_again_and_refuses_a_broken_one_every_time(
    tmp_path: Path,
):
    definition_file = tmp_path / "pilot-v1.yaml"
    frameworks_file = tmp_path / "frameworks.yaml"
    frameworks_file.write_bytes(FRAMEWORKS_PATH.read_bytes())
    first = frameworks_beside(definition_file)
    assert first is not None and first.knows("cmmm", "CMMM-PROD")
    assert frameworks_beside(definition_file) is first  # read once while unchanged
    frameworks_file.write_text(
        "frameworks: [{code: cmmm, name: {zh-hans: 甲, en: A}, "
        "items: [{code: CMMM-NEW, name: {zh-hans: 乙, en: B}}]}]",
        encoding="utf-8",
    )
    changed = frameworks_beside(definition_file)
    assert changed is not None and changed.knows("cmmm", "CMMM-NEW")
    assert not changed.knows("cmmm", "CMMM-PROD")
    frameworks_file.write_text("frameworks: [{code: iso}]", encoding="utf-8")
    for _attempt in range(2):
        with pytest.raises(DefinitionError, match=r"frameworks\.yaml"):
            frameworks_beside(definition_file)


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ("frameworks: [{code: iso, name: {zh-hans: 甲, en: A}, items: []}]", "must be one of"),
        ("frameworks: [{code: miit, name: {zh-hans: 甲, en: A}}]", "items: is required"),
        (
            "frameworks: [{code: miit, name: {zh-hans: 甲, en: A}, "
            "items: [{code: M1, name: {zh-hans: 乙, en: B}, constraint: true}]}]",
            "constraint: unknown key",
        ),
        (
            "frameworks: [{code: cmmm, name: {zh-hans: 甲, en: A}, items: "
            "[{code: C1, name: {zh-hans: 乙, en: B}}, {code: C1, name: {zh-hans: 丙, en: C}}]}]",
            "duplicate item code 'C1'",
        ),
    ],
)
def test_it_validates_the_frameworks_file(tmp_path: Path, content: str, problem: str):
    path = tmp_path / "frameworks.yaml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(DefinitionError, match=problem):
        load_frameworks(path)


def test_it_loads_the_bundled_frameworks_file_when_there_is_one():
    from diagnosis.definitions.loader import BUNDLED_DIR

    path = BUNDLED_DIR / "frameworks.yaml"
    if not path.exists():
        pytest.skip("no bundled frameworks.yaml yet (content helper B writes it)")
    codes = {framework.code for framework in load_frameworks(path).frameworks}
    assert codes == {"miit", "scenario", "cmmm", "siri", "dma"}
