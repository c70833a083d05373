import io

import pytest

from diagnosis.population.check import TableCheck
from diagnosis.population.problems import Problem
from diagnosis.population.reader import TableError, open_table
from tests.population_files import HEADER, csv_bytes, firm_row, xlsx_bytes


def check(content: bytes) -> tuple[TableCheck, list]:
    table = open_table(io.BytesIO(content))
    result = TableCheck()
    return result, list(result.run(table))


def problems(results: list) -> list[tuple[int | None, str]]:
    return [(r.row, r.code) for r in results if isinstance(r, Problem)]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "gbk", "utf-16"])
def test_it_reads_chinese_csv_in_the_encodings_excel_writes(encoding):
    _result, rows = check(csv_bytes([firm_row(1), firm_row(2)], encoding=encoding))
    assert problems(rows) == []
    assert [row.name for row in rows] == ["上海名单精密制造有限公司1", "上海名单精密制造有限公司2"]


def test_it_names_the_encoding_it_read():
    table = open_table(io.BytesIO(csv_bytes([firm_row(1)], encoding="gbk")))
    list(TableCheck().run(table))
    assert table.encoding == "gb18030"


def test_it_reports_a_row_in_another_encoding_than_the_rows_before():
    gbk = csv_bytes([firm_row(1)], encoding="gbk")
    utf8_row = ",".join(firm_row(2)).encode("utf-8") + b"\r\n"
    result, rows = check(gbk + utf8_row)
    assert problems(rows) == [(3, "encoding_row")]
    assert (result.rows_valid, result.rows_invalid) == (1, 1)


def test_it_reports_bytes_that_no_encoding_reads():
    content = ",".join(HEADER).encode("utf-8") + b"\r\n" + b"\xff\xfe\x80\x81,x\r\n"
    _result, rows = check(content)
    assert problems(rows) == [(2, "encoding_row")] or problems(rows) == [(None, "file_encoding")]


@pytest.mark.parametrize(
    ("content", "code"),
    [
        (b"", "file_empty"),
        (b"\xef\xbb\xbf \r\n", "file_empty"),
        (b"%PDF-1.7\n...", "file_not_table"),
        (b"\x89PNG\r\n\x1a\n....", "file_not_table"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1....", "file_xls"),
        (b"abc\x00def", "file_not_table"),
    ],
)
def test_it_refuses_what_is_not_a_table(content, code):
    with pytest.raises(TableError) as caught:
        open_table(io.BytesIO(content))
    assert caught.value.problem.code == code


def test_it_reports_a_broken_workbook_instead_of_failing():
    _result, rows = check(b"PK\x03\x04 this is no workbook")
    assert problems(rows) == [(None, "file_unreadable")]


def test_it_reads_an_xlsx_sheet_with_numbers_and_reports_formulas():
    rows = [firm_row(1, employees=120, revenue=8000.5), firm_row(2, name="=1+1")]
    _result, found = check(xlsx_bytes(rows))
    assert problems(found) == [(3, "formula")]
    (valid,) = [r for r in found if not isinstance(r, Problem)]
    assert (valid.employees, str(valid.revenue)) == (120, "8000.50")


def test_it_finds_the_header_below_a_title_row():
    content = "2024年规上工业企业名单\r\n".encode() + csv_bytes([firm_row(1)])
    result, rows = check(content)
    assert problems(rows) == [] and result.rows_valid == 1


def test_it_reports_a_header_without_firms():
    result, rows = check(csv_bytes([]))
    assert problems(rows) == [(None, "no_rows")] and result.file_errors == 1


def test_it_reports_missing_columns_as_a_file_error():
    result, rows = check(b"name,phone\r\nx,1\r\n")
    assert (None, "missing_columns") in problems(rows) and result.file_errors == 1


def test_it_keeps_the_first_of_two_rows_with_the_same_code():
    _result, rows = check(csv_bytes([firm_row(1), firm_row(1, name="重复")]))
    assert problems(rows) == [(3, "duplicate_code")]
    assert [r.name for r in rows if not isinstance(r, Problem)] == ["上海名单精密制造有限公司1"]


def test_it_reads_semicolons_and_tabs_as_delimiters():
    for delimiter in (";", "\t"):
        content = (delimiter.join(HEADER) + "\r\n" + delimiter.join(firm_row(1)) + "\r\n").encode()
        result, rows = check(content)
        assert problems(rows) == [] and result.rows_valid == 1


def test_it_stops_at_a_cell_longer_than_any_value():
    content = csv_bytes([firm_row(1), firm_row(2, name="甲" * 20_000), firm_row(3)])
    result, rows = check(content)
    assert (None, "file_csv") in problems(rows) and result.file_errors == 1


def test_it_reports_cells_beyond_the_named_columns():
    _result, rows = check(csv_bytes([[*firm_row(1), "多余"]]))
    assert problems(rows) == [(2, "extra_cells")]
