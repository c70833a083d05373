"""The coverage table: which questions cover each item of the reference frameworks.

A question covers an item when its ``covers`` mapping names it, or when it is the level
question whose ``scenario`` or ``cmmm`` key names it (its answer then rates the item in
the indicative crosswalks). ``coverage`` returns the rows, ``coverage_markdown`` the
document committed as ``docs/coverage-v2.md``. Pure Python, no Django.
"""

from __future__ import annotations

from dataclasses import dataclass

from diagnosis.definitions.frameworks import Framework, FrameworkItem, Frameworks
from diagnosis.scoring.definition import Definition, QuestionSpec


@dataclass(frozen=True, slots=True)
class CoveringQuestion:
    code: str
    rates: bool  # its ``scenario`` / ``cmmm`` key names the item
    conditional: bool  # shown only to some firms (``show_when`` on the profile)


@dataclass(frozen=True, slots=True)
class CoverageRow:
    item: FrameworkItem
    questions: tuple[CoveringQuestion, ...]  # in file order, each once

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(question.code for question in self.questions)

    @property
    def covered(self) -> bool:
        return bool(self.questions)


@dataclass(frozen=True, slots=True)
class FrameworkCoverage:
    framework: Framework
    rows: tuple[CoverageRow, ...]  # in frameworks.yaml order

    @property
    def covered(self) -> int:
        return sum(row.covered for row in self.rows)

    @property
    def total(self) -> int:
        return len(self.rows)

    @property
    def uncovered(self) -> tuple[str, ...]:
        return tuple(row.item.code for row in self.rows if not row.covered)


def coverage(definition: Definition, frameworks: Frameworks) -> tuple[FrameworkCoverage, ...]:
    """Return one FrameworkCoverage per framework, in frameworks.yaml order; every item has
    a row, an item no question covers has an empty one."""
    found: dict[tuple[str, str], dict[str, CoveringQuestion]] = {}
    for question in definition.questions.values():
        rated = set(_rated(question))
        for framework, code in (*_covered(question), *rated):
            by_code = found.setdefault((framework, code), {})
            by_code[question.code] = CoveringQuestion(
                code=question.code,
                rates=(framework, code) in rated,
                conditional=bool(question.show_when),
            )
    return tuple(
        FrameworkCoverage(
            framework=framework,
            rows=tuple(
                CoverageRow(item, tuple(found.get((framework.code, item.code), {}).values()))
                for item in framework.items
            ),
        )
        for framework in frameworks.frameworks
    )


def _covered(question: QuestionSpec) -> list[tuple[str, str]]:
    return [(framework, code) for framework, codes in question.covers for code in codes]


def _rated(question: QuestionSpec) -> list[tuple[str, str]]:
    scenario = [("scenario", question.scenario.code)] if question.scenario else []
    return [*scenario, *(("cmmm", code) for code in question.cmmm)]


def coverage_markdown(
    definition: Definition, tables: tuple[FrameworkCoverage, ...], *, source: str
) -> str:
    """Return the coverage document: a summary, then one bilingual table per framework.

    ``source`` names the definition file in the header (a path relative to the repository,
    so the document does not depend on where it was generated)."""
    title = definition.title
    lines = [
        f"# 覆盖表 · Coverage table: {definition.code} v{definition.version}",
        "",
        f"<!-- Generated from {source} and frameworks.yaml by "
        "`python manage.py coverage_table`; do not edit by hand. -->",
        "",
        f"{title.zh_hans} · {title.en}",
        "",
        "每个参考框架条目及覆盖它的题目（按问卷文件顺序）。",
        "Every item of the reference frameworks and the questions that cover it, in the "
        "order of the questionnaire file.",
        "",
        "- **粗体 / bold**: 该题的 `scenario` / `cmmm` 键为此条目定级 (the level question "
        "whose `scenario` / `cmmm` key rates this item in the indicative crosswalk)",
        "- †: 仅对部分企业显示 (shown only to some firms, `show_when` on the profile)",
        "",
        "| 框架 · Framework | 已覆盖 / 条目 · Covered / items |",
        "|---|---|",
        *(
            f"| {table.framework.name.zh_hans} · {table.framework.name.en} "
            f"| {table.covered} / {table.total} |"
            for table in tables
        ),
        "",
    ]
    for table in tables:
        lines += _table(table)
    return "\n".join(lines)


def _table(table: FrameworkCoverage) -> list[str]:
    framework = table.framework
    constraint = framework.code == "scenario"
    headers = ["代码 · Code", "名称", "Name"]
    headers += ["约束性 · Constraint"] if constraint else []
    headers += ["覆盖题目 · Questions"]
    lines = [
        f"## {framework.name.zh_hans} · {framework.name.en}",
        "",
        f"`{framework.code}`",
        "",
        "| " + " | ".join(headers) + " |",
        "|" + "---|" * len(headers),
    ]
    for row in table.rows:
        item = row.item
        cells = [item.code, _cell(item.name.zh_hans), _cell(item.name.en)]
        cells += [("是 · yes" if item.constraint else "")] if constraint else []
        cells += [", ".join(_question(question) for question in row.questions) or "—"]
        lines.append("| " + " | ".join(cells) + " |")
    lines += [
        "",
        f"已覆盖 / 条目 · Covered / items: {table.covered} / {table.total}",
        "",
    ]
    return lines


def _question(question: CoveringQuestion) -> str:
    code = f"**{question.code}**" if question.rates else question.code
    return f"{code}†" if question.conditional else code


def _cell(text: str) -> str:
    return text.replace("|", "\\|")
