"""Hypothesis-made population files: whatever the bytes, the check says what is wrong and
never fails; valid rows survive the check exactly; importing twice changes nothing."""

import io

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from diagnosis.population.check import TableCheck
from diagnosis.population.problems import MESSAGES, Problem, problem_message
from diagnosis.population.reader import TableError, open_table
from tests.population_files import HEADER, csv_bytes, firm_row, xlsx_bytes

cell_text = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=30)
good_rows = st.lists(st.integers(1, 10_000), min_size=1, max_size=8, unique=True).map(
    lambda serials: [firm_row(serial) for serial in serials]
)
any_rows = st.lists(st.lists(cell_text, max_size=len(HEADER) + 2), max_size=8)


def run(content: bytes) -> tuple[TableCheck, list]:
    try:
        table = open_table(io.BytesIO(content))
    except TableError as error:
        return TableCheck(file_errors=1), [error.problem]
    check = TableCheck()
    return check, list(check.run(table))


def assert_every_problem_is_worded(results: list) -> None:
    for result in results:
        if isinstance(result, Problem):
            assert result.code in MESSAGES
            assert problem_message(result.code, result.params)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=2000))
def test_it_never_fails_on_arbitrary_bytes(content):
    _check, results = run(content)
    assert_every_problem_is_worded(results)


@settings(max_examples=100, deadline=None)
@given(any_rows, st.sampled_from(["utf-8-sig", "gb18030", "utf-16"]))
def test_it_accounts_for_every_row_of_an_arbitrary_csv(rows, encoding):
    try:
        content = csv_bytes(rows, encoding=encoding)
    except UnicodeEncodeError:
        return
    check, results = run(content)
    assert_every_problem_is_worded(results)
    if not check.file_errors:
        assert check.rows_valid + check.rows_invalid == check.rows_total
        assert check.rows_valid == sum(1 for r in results if not isinstance(r, Problem))


@settings(max_examples=40, deadline=None)
@given(good_rows, st.sampled_from(["csv-utf-8-sig", "csv-gbk", "xlsx"]))
def test_it_reads_valid_rows_back_exactly_in_every_format(rows, file_format):
    content = (
        xlsx_bytes(rows) if file_format == "xlsx" else csv_bytes(rows, encoding=file_format[4:])
    )
    _check, results = run(content)
    assert [r for r in results if isinstance(r, Problem)] == []
    assert [r.credit_code for r in results] == [row[0] for row in rows]
    assert [r.name for r in results] == [row[1] for row in rows]


@settings(max_examples=60, deadline=None)
@given(good_rows, st.lists(st.tuples(st.integers(0, 7), st.integers(0, 7), cell_text), max_size=6))
def test_it_keeps_the_good_rows_of_a_damaged_file(rows, damage):
    damaged = [list(row) for row in rows]
    for row_index, column, text in damage:
        if row_index < len(damaged):
            damaged[row_index][column] = text
    check, results = run(csv_bytes(damaged))
    assert_every_problem_is_worded(results)
    if check.file_errors:  # e.g. a NUL character: csv stops, and says so for the file
        assert any(isinstance(r, Problem) and r.blocks_import for r in results)
        return
    valid = [r for r in results if not isinstance(r, Problem)]
    assert check.rows_valid == len(valid) and check.rows_total == len(damaged)
    untouched = [row for row, original in zip(damaged, rows, strict=True) if row == original]
    codes = {r.credit_code for r in valid}
    assert all(row[0] in codes for row in untouched)
