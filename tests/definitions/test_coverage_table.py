"""The coverage table (issue 12 item 3): which questions cover each framework item, the
generated docs/coverage-v2.md, and `manage.py coverage_table [--check]`."""

import re
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from diagnosis.definitions.coverage import FrameworkCoverage, coverage, coverage_markdown
from diagnosis.definitions.frameworks import load_frameworks
from diagnosis.definitions.loader import load_definition

ROOT = Path(__file__).resolve().parents[2]
V2 = ROOT / "diagnosis/definitions/smart-manufacturing-v2.yaml"
COMMITTED = ROOT / "docs/coverage-v2.md"
FIXTURE = Path(__file__).parent / "fixtures" / "coverage-v1.yaml"
COMMAND = (sys.executable, "manage.py", "coverage_table")


def tables_of(path: Path) -> dict[str, FrameworkCoverage]:
    tables = coverage(load_definition(path), load_frameworks(path.parent / "frameworks.yaml"))
    return {table.framework.code: table for table in tables}


def rows_of(table: FrameworkCoverage) -> dict[str, tuple[str, ...]]:
    return {row.item.code: row.codes for row in table.rows}


def run(*args: str) -> str:
    out = StringIO()
    call_command("coverage_table", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def fixture_document(tmp_path: Path) -> Path:
    output = tmp_path / "coverage.md"
    run("--definition", str(FIXTURE), "--output", str(output))
    return output


# The function, on the tiny fixture


def test_it_lists_the_questions_covering_each_item_and_leaves_an_uncovered_one_empty():
    miit = tables_of(FIXTURE)["miit"]

    assert rows_of(miit) == {"MIIT-1.1": ("OPS-01", "OPS-02"), "MIIT-1.2": ()}
    assert (miit.covered, miit.total, miit.uncovered) == (1, 2, ("MIIT-1.2",))


def test_it_counts_a_level_questions_scenario_and_cmmm_keys_as_covering():
    tables = tables_of(FIXTURE)

    scenario = {row.item.code: row.questions for row in tables["scenario"].rows}
    assert [(q.code, q.rates) for q in scenario["S01"]] == [("OPS-01", False)]  # covers only
    assert [(q.code, q.rates) for q in scenario["S05"]] == [("OPS-01", True)]  # scenario key
    # covers and the cmmm key both name CMMM-PROD: the question is listed once, as rating it
    cmmm = tables["cmmm"].rows[0]
    assert [(q.code, q.rates) for q in cmmm.questions] == [("OPS-01", True)]


def test_it_keeps_the_frameworks_items_and_the_constraint_flag_in_file_order():
    tables = tables_of(FIXTURE)

    assert list(tables) == ["miit", "scenario", "cmmm"]
    scenario = tables["scenario"].rows
    assert [(row.item.code, row.item.constraint) for row in scenario] == [
        ("S01", True),
        ("S05", False),
    ]
    assert scenario[0].item.name.zh_hans == "产品设计"
    assert scenario[0].item.name.en == "Product design"


def test_it_marks_a_question_shown_only_to_some_firms():
    row = tables_of(FIXTURE)["miit"].rows[0]

    assert [(q.code, q.conditional) for q in row.questions] == [
        ("OPS-01", False),
        ("OPS-02", True),
    ]


def test_the_markdown_has_a_bilingual_table_per_framework_with_totals_and_a_dash_when_empty():
    definition = load_definition(FIXTURE)
    tables = coverage(definition, load_frameworks(FIXTURE.parent / "frameworks.yaml"))

    document = coverage_markdown(definition, tables, source="coverage-v1.yaml")

    assert "## 工信部指标 · MIIT indicators" in document
    assert "| 代码 · Code | 名称 | Name | 覆盖题目 · Questions |" in document
    assert "| MIIT-1.1 | 网络建设 | Network build-out | OPS-01, OPS-02† |" in document
    assert "| MIIT-1.2 | 设备数字化 | Equipment digitalisation | — |" in document
    assert "| S01 | 产品设计 | Product design | 是 · yes | OPS-01 |" in document
    assert "| S05 | 计划排程 | Planning and scheduling |  | **OPS-01** |" in document
    assert "已覆盖 / 条目 · Covered / items: 1 / 2" in document
    assert "| 工信部指标 · MIIT indicators | 1 / 2 |" in document


# The shipped v2 file


def test_every_item_of_every_framework_has_a_v2_question():
    tables = tables_of(V2)

    assert {code: table.uncovered for code, table in tables.items()} == {
        "miit": (),
        "scenario": (),
        "cmmm": (),
        "siri": (),
        "dma": (),
    }
    totals = {code: table.total for code, table in tables.items()}
    assert totals == {"miit": 15, "scenario": 16, "cmmm": 20, "siri": 16, "dma": 6}


def test_the_committed_table_is_the_one_generated_from_the_v2_file():
    definition = load_definition(V2)
    tables = coverage(definition, load_frameworks(V2.parent / "frameworks.yaml"))
    expected = coverage_markdown(
        definition, tables, source="diagnosis/definitions/smart-manufacturing-v2.yaml"
    )

    assert COMMITTED.read_text(encoding="utf-8") == expected, (
        "docs/coverage-v2.md is stale: run `python manage.py coverage_table` and commit it"
    )


# The command


def test_the_command_writes_the_v2_table_to_docs_by_default_and_check_accepts_it():
    assert Path(settings.BASE_DIR) / "docs/coverage-v2.md" == COMMITTED
    assert "is up to date" in run("--check")


def test_the_command_writes_the_document_of_the_definition_given(tmp_path: Path):
    output = fixture_document(tmp_path)

    definition = load_definition(FIXTURE)
    tables = coverage(definition, load_frameworks(FIXTURE.parent / "frameworks.yaml"))
    source = "tests/definitions/fixtures/coverage-v1.yaml"
    assert output.read_text(encoding="utf-8") == coverage_markdown(
        definition, tables, source=source
    )


def test_the_command_warns_about_items_no_question_covers(tmp_path: Path):
    errors = StringIO()
    call_command(
        "coverage_table",
        "--definition",
        str(FIXTURE),
        "--output",
        str(tmp_path / "coverage.md"),
        stdout=StringIO(),
        stderr=errors,
    )

    assert "no question covers miit MIIT-1.2" in errors.getvalue()


def test_check_fails_on_a_stale_file_and_leaves_it_alone(tmp_path: Path):
    output = fixture_document(tmp_path)
    stale = output.read_text(encoding="utf-8").replace("OPS-01, OPS-02†", "OPS-01")
    output.write_text(stale, encoding="utf-8")

    with pytest.raises(
        CommandError, match=re.escape("out of date: run `python manage.py coverage_table`")
    ):
        run("--definition", str(FIXTURE), "--output", str(output), "--check")
    assert output.read_text(encoding="utf-8") == stale


def test_check_fails_when_the_file_is_missing(tmp_path: Path):
    output = tmp_path / "nowhere.md"

    with pytest.raises(CommandError, match="is missing"):
        run("--definition", str(FIXTURE), "--output", str(output), "--check")
    assert not output.exists()


def test_check_passes_on_a_fresh_file(tmp_path: Path):
    output = fixture_document(tmp_path)

    assert "is up to date" in run("--definition", str(FIXTURE), "--output", str(output), "--check")


def test_check_exits_non_zero_with_a_message_from_the_command_line(tmp_path: Path):
    output = fixture_document(tmp_path)
    output.write_text("hand-edited\n", encoding="utf-8")

    result = subprocess.run(
        [*COMMAND, "--definition", str(FIXTURE), "--output", str(output), "--check"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.returncode != 0
    assert "is out of date" in result.stderr


def test_it_names_a_missing_definition_file(tmp_path: Path):
    with pytest.raises(CommandError, match="no definition file at"):
        run("--definition", str(tmp_path / "missing.yaml"), "--output", str(tmp_path / "x.md"))


def test_it_reports_an_invalid_definition(tmp_path: Path):
    broken = tmp_path / "broken.yaml"
    broken.write_text("questionnaire: {}\n", encoding="utf-8")

    with pytest.raises(CommandError, match="invalid definition"):
        run("--definition", str(broken), "--output", str(tmp_path / "x.md"))
    assert not (tmp_path / "x.md").exists()
