"""Exports of the directory read back with a CSV reader and openpyxl: same values, the
current filter, formulas neutralised, the BOM first."""

import csv
import io

import pytest
from django.http import StreamingHttpResponse
from django.urls import reverse
from openpyxl import load_workbook

from diagnosis.models import DimensionScore, PopulationFirm, ScoreResult
from diagnosis.queries.directory import dimension_columns
from tests.directory_data import make_directory_firms
from tests.factories import make_population_firm

OVERALL = 13  # the overall index's column, then the level; the dimensions from 15 on
DIMENSIONS = 15


@pytest.fixture
def firms(questionnaire):
    make_directory_firms(40, questionnaire=questionnaire)


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
    assert len(header) == 15 + 2 * len(dimension_columns())  # self and validated each


def test_it_writes_every_dimension_score_and_the_overall_index(client, administrator, firms):
    client.force_login(administrator)
    result = ScoreResult.objects.filter(kind="validated").select_related("assessment__firm")[0]
    entry = PopulationFirm.objects.get(firm=result.assessment.firm)
    response = client.get(reverse("directory_export", args=["csv"]), {"q": entry.credit_code})
    header, row = csv_rows(response)
    assert float(row[OVERALL]) == round(result.overall, 1)
    assert row[OVERALL + 1] == str(result.level)
    codes = [column.code for column in dimension_columns()]
    self_result = ScoreResult.objects.get(assessment=result.assessment, kind="self")
    for score in DimensionScore.objects.filter(result=result).select_related("dimension"):
        column = DIMENSIONS + 2 * codes.index(score.dimension.code)
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
