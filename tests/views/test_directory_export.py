"""Exports of the directory read back with a CSV reader and openpyxl: same values, the
current filter, formulas neutralised, the BOM first; levels and dimensions by questionnaire
version (v1 and v2 side by side); a fixed number of statements per chunk of firms."""

import csv
import io

import pytest
from django.db import connection
from django.http import StreamingHttpResponse
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from diagnosis.models import DimensionScore, PopulationFirm, ScoreResult
from diagnosis.queries.directory import DirectoryFilters, export_rows
from diagnosis.queries.results import comparison_columns
from tests.directory_data import make_directory_firms
from tests.factories import make_population_firm
from tests.versions_world import publish_v2

OVERALL = 13  # the overall index's column, then the level, its name and the version
LEVEL, LEVEL_NAME, VERSION = 14, 15, 16
DIMENSIONS = 17  # the dimensions from here on, self-assessed and validated


@pytest.fixture
def firms(questionnaire):
    make_directory_firms(40, questionnaire=questionnaire)


@pytest.fixture
def both_versions(questionnaire):
    """40 firms on v1, then v2 published and 40 more firms on it."""
    make_directory_firms(40, questionnaire=questionnaire)
    v2 = publish_v2()
    make_directory_firms(40, questionnaire=v2, start=1000)
    return questionnaire, v2


def csv_rows(response) -> list[list[str]]:
    assert isinstance(response, StreamingHttpResponse)
    body = b"".join(response.streaming_content)  # type: ignore[arg-type]
    assert body.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def xlsx_rows(response) -> list[list]:
    content = b"".join(response.streaming_content)
    workbook = load_workbook(io.BytesIO(content), read_only=True)
    sheet = workbook.active
    assert sheet is not None
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def test_it_exports_the_current_filter_as_csv(client, administrator, firms):
    client.force_login(administrator)
    response = client.get(reverse("directory_export", args=["csv"]), {"district": "minhang"})
    rows = csv_rows(response)
    header, body = rows[0], rows[1:]
    assert len(body) == PopulationFirm.objects.filter(district="minhang").count()
    codes = {row[0] for row in body}
    assert codes == set(
        PopulationFirm.objects.filter(district="minhang").values_list("credit_code", flat=True)
    )
    assert len(header) == DIMENSIONS + 2 * len(comparison_columns())  # self and validated each


def test_it_writes_every_dimension_score_and_the_overall_index(client, administrator, firms):
    client.force_login(administrator)
    result = ScoreResult.objects.filter(kind="validated").select_related("assessment__firm")[0]
    entry = PopulationFirm.objects.get(firm=result.assessment.firm)
    response = client.get(reverse("directory_export", args=["csv"]), {"q": entry.credit_code})
    header, row = csv_rows(response)
    assert float(row[OVERALL]) == round(result.overall, 1)
    assert row[LEVEL] == str(result.level)
    keys = [column.code for column in comparison_columns()]
    self_result = ScoreResult.objects.get(assessment=result.assessment, kind="self")
    for score in DimensionScore.objects.filter(result=result).select_related("dimension"):
        column = DIMENSIONS + 2 * keys.index(score.dimension.compares_as)
        assert score.dimension.name_zh_hans in header[column + 1]
        assert score.score is not None
        assert float(row[column + 1]) == round(score.score, 1)
        own = DimensionScore.objects.get(result=self_result, dimension=score.dimension)
        assert own.score is not None
        assert float(row[column]) == round(own.score, 1)


def test_it_neutralises_formulas_in_both_formats(client, administrator):
    make_population_firm(name='=HYPERLINK("http://x")', contact_name="+1")
    make_population_firm(name="@SUM(A1)")
    make_population_firm(name="\tTAB")
    client.force_login(administrator)
    names = [row[1] for row in csv_rows(client.get(reverse("directory_export", args=["csv"])))[1:]]
    assert sorted(names) == sorted(['\'=HYPERLINK("http://x")', "'@SUM(A1)", "'\tTAB"])
    rows = xlsx_rows(client.get(reverse("directory_export", args=["xlsx"])))
    assert sorted(row[1] for row in rows[1:]) == sorted(names)


def test_it_writes_the_same_values_in_xlsx_as_in_csv(client, administrator, firms):
    client.force_login(administrator)
    query = {"sort": "-overall", "division": "34"}
    from_csv = csv_rows(client.get(reverse("directory_export", args=["csv"]), query))
    from_xlsx = xlsx_rows(client.get(reverse("directory_export", args=["xlsx"]), query))
    assert len(from_csv) == len(from_xlsx) > 1
    for csv_row, xlsx_row in zip(from_csv, from_xlsx, strict=True):
        xlsx_row += [None] * (len(csv_row) - len(xlsx_row))  # trailing empty cells
        assert [same(text) for text in csv_row] == [same(value) for value in xlsx_row]


def same(value) -> object:
    """A cell as a comparable value: numbers as floats, empty as None, text as text."""
    if value is None or value == "":
        return None
    if isinstance(value, int | float):
        return float(value)
    try:
        return float(value)
    except ValueError:
        return value


def test_it_exports_only_an_officers_districts(client, district_officer, firms):
    client.force_login(district_officer)
    rows = csv_rows(client.get(reverse("directory_export", args=["csv"])))[1:]
    assert rows and {row[2] for row in rows} == {"闵行区"}


def expected_scores(credit_code: str) -> dict[tuple[str, str], float]:
    """The firm's dimension scores by (comparison key, kind), rounded (make_directory_firms
    gives a firm one assessment at most, its credit code the population entry's)."""
    scores = DimensionScore.objects.filter(
        result__assessment__firm__credit_code=credit_code
    ).values_list("dimension__compares_as", "result__kind", "score")
    return {(key, kind): round(score, 1) for key, kind, score in scores if score is not None}


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_it_keys_dimension_columns_by_comparison_key(
    client, administrator, both_versions, file_format
):
    """v2's SEC, GRN and OUT mean something else than v1's (`compares_as` SEC-2, GRN-2,
    OUT-2): each version's has its own columns, v1's titled as v1's; a dimension both
    versions share (STR) is one column pair, whichever version the firm answered."""
    client.force_login(administrator)
    response = client.get(reverse("directory_export", args=[file_format]))
    rows = csv_rows(response) if file_format == "csv" else xlsx_rows(response)
    header, body = rows[0], rows[1:]
    keys = [column.code for column in comparison_columns()]
    assert len(header) == DIMENSIONS + 2 * len(keys)
    assert {"SEC", "SEC-2", "GRN", "GRN-2", "OUT", "OUT-2"} <= set(keys)
    assert len(keys) == len(set(keys)) and keys.count("STR") == 1
    sec_v1, sec_v2 = DIMENSIONS + 2 * keys.index("SEC"), DIMENSIONS + 2 * keys.index("SEC-2")
    assert header[sec_v1] == "网络安全与安全生产（问卷第 1 版）（自评）"
    assert header[sec_v1 + 1] == "网络安全与安全生产（问卷第 1 版）（核定）"
    assert header[sec_v2] == "网络与数据安全（自评）"
    strategy = DIMENSIONS + 2 * keys.index("STR")
    assert header[strategy] == "战略与组织（自评）"
    on = {1: 0, 2: 0}  # firms with scores, by version
    for row in body:
        expected = expected_scores(row[0])
        cells = {
            (key, kind): same(row[DIMENSIONS + 2 * i + offset])
            for i, key in enumerate(keys)
            for offset, kind in enumerate(["self", "validated"])
        }
        assert {cell: value for cell, value in cells.items() if value is not None} == expected
        if expected:
            on[2 if ("SEC-2", "self") in expected else 1] += 1
            assert ("STR", "self") in expected  # both versions' STR in the one column
            assert (("SEC", "self") in expected) != (("SEC-2", "self") in expected)
    assert on[1] > 5 and on[2] > 5


LEVEL_HEADERS = {
    "zh-hans": ["等级", "等级名称", "问卷版本"],
    "en": ["Level", "Level name", "Questionnaire version"],
}


@pytest.mark.parametrize(("file_format", "language"), [("csv", "zh-hans"), ("xlsx", "en")])
def test_it_names_each_level_as_the_firms_questionnaire_version_does(
    client, administrator, both_versions, file_format, language
):
    """Level 3 is 集成级 in v1 and D3 集成互通 in v2: each row has the number, the name its
    questionnaire version gives it (in the export's language) and that version."""
    client.force_login(administrator)
    client.cookies["django_language"] = language
    response = client.get(reverse("directory_export", args=[file_format]))
    rows = csv_rows(response) if file_format == "csv" else xlsx_rows(response)
    header, body = rows[0], rows[1:]
    assert header[LEVEL : VERSION + 1] == LEVEL_HEADERS[language]
    names = {
        version.version: {
            level.number: level.name.get(language) for level in version.definition.levels
        }
        for version in both_versions
    }
    seen = set()
    for row in body:
        result = (
            ScoreResult.objects.filter(assessment__firm__credit_code=row[0])
            .select_related("assessment__questionnaire")
            .order_by("-kind")  # validated before self
            .first()
        )
        if result is None:
            assert same(row[LEVEL]) is None and same(row[LEVEL_NAME]) is None
            continue
        version = result.assessment.questionnaire.version
        assert same(row[LEVEL]) == result.level and same(row[VERSION]) == version
        assert same(row[LEVEL_NAME]) == names[version].get(result.level)
        seen.add((version, result.level, same(row[LEVEL_NAME])))
    three = {"zh-hans": ("集成级", "D3 集成互通"), "en": ("Integrated", "D3 Integrated")}[language]
    assert (1, 3, three[0]) in seen and (2, 3, three[1]) in seen


# export_rows: the ids, the dimensions' comparison keys and the versions' level names once;
# the firms, their assessments, results and dimension scores once per chunk.
PER_EXPORT, PER_CHUNK = 3, 4


def test_it_reads_each_chunk_in_a_fixed_number_of_statements(
    both_versions, django_assert_num_queries
):
    """However many firms and chunks, on both versions: no statement per firm."""
    everyone = PopulationFirm.objects.all()
    list(export_rows(everyone, DirectoryFilters()))  # the definitions parsed (per process)
    firms = everyone.count()
    for chunk in (7, 40, 2000):
        chunks = -(-firms // chunk)
        with django_assert_num_queries(PER_EXPORT + PER_CHUNK * chunks):
            rows = list(export_rows(everyone, DirectoryFilters(), chunk=chunk))
        assert len(rows) == firms
        assert {row.values["version"] for row in rows} == {None, 1, 2}


def test_it_exports_in_the_same_number_of_statements_at_two_sizes(
    client, administrator, both_versions
):
    """Through the view, CSV and XLSX: the same statements for 80 firms as for 160."""
    v1, v2 = both_versions
    client.force_login(administrator)

    def statements(file_format: str) -> int:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("directory_export", args=[file_format]))
            b"".join(response.streaming_content)
        return len(queries)

    statements("csv")  # the definitions parsed (per process)
    small = {file_format: statements(file_format) for file_format in ("csv", "xlsx")}
    make_directory_firms(40, questionnaire=v1, start=2000, seed=8)
    make_directory_firms(40, questionnaire=v2, start=3000, seed=9)
    assert PopulationFirm.objects.count() == 160
    assert {file_format: statements(file_format) for file_format in ("csv", "xlsx")} == small
