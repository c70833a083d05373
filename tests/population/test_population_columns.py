from decimal import Decimal

import pytest

from diagnosis.population.columns import clean_row, map_header
from tests.factories import valid_credit_code


def cells(**overrides: str) -> dict[str, str]:
    values = {
        "credit_code": valid_credit_code(5),
        "name": "上海甲精密制造有限公司",
        "industry": "34",
        "district": "闵行区",
        "employees": "120",
        "revenue": "8000",
    }
    values.update(overrides)
    return values


def codes(row: dict[str, str]) -> list[tuple[str, str]]:
    _cleaned, problems = clean_row(2, row)
    return [(problem.column, problem.code) for problem in problems]


def test_it_recognises_chinese_and_english_headers_in_any_order():
    chinese = map_header(["企业名称", "统一社会信用代码", "所在区", "行业代码", "企业规模"])
    english = map_header(["District", "Credit Code", "NAME", "industry division", "size class"])
    assert chinese.positions == {
        "name": 0,
        "credit_code": 1,
        "district": 2,
        "industry": 3,
        "size_class": 4,
    }
    assert english.positions == {
        "district": 0,
        "credit_code": 1,
        "name": 2,
        "industry": 3,
        "size_class": 4,
    }
    assert chinese.problems == english.problems == []


def test_it_reads_a_header_with_a_unit_in_full_width_brackets():
    header = map_header(
        ["统一社会信用代码", "企业名称", "行业代码", "所在区", "从业人员", "营业收入（万元）"]
    )
    assert header.positions["revenue"] == 5


def test_it_names_the_missing_required_columns():
    header = map_header(["企业名称", "备注"])
    (missing,) = [p for p in header.problems if p.code == "missing_columns"]
    assert "统一社会信用代码 / credit code" in missing.params["columns"]
    assert "所在区 / district" in missing.params["columns"]
    assert [p.code for p in header.problems if p.code == "unknown_column"] == ["unknown_column"]


def test_it_refuses_two_columns_for_the_same_value():
    header = map_header(
        ["统一社会信用代码", "credit code", "企业名称", "行业代码", "所在区", "企业规模"]
    )
    assert [p.code for p in header.problems] == ["duplicate_column"]


def test_it_cleans_a_valid_row_and_derives_the_size_class():
    row, problems = clean_row(2, cells(credit_code=" " + valid_credit_code(5).lower() + " "))
    assert row is not None
    assert problems == []
    assert row.credit_code == valid_credit_code(5)
    assert (row.industry, row.district, row.size_class) == (34, "minhang", "small")
    assert row.revenue == Decimal("8000.00")


@pytest.mark.parametrize(
    ("value", "district"),
    [
        ("闵行区", "minhang"),
        ("闵行", "minhang"),
        ("Minhang", "minhang"),
        ("浦东新区", "pudong"),
        ("浦东", "pudong"),
        ("Pudong New Area", "pudong"),
        ("jingan", "jingan"),
        ("静安区", "jingan"),
    ],
)
def test_it_reads_district_names_as_lists_write_them(value, district):
    row, _problems = clean_row(2, cells(district=value))
    assert row is not None
    assert row.district == district


@pytest.mark.parametrize(
    ("value", "industry"),
    [("34", 34), ("C34", 34), ("3411", 34), ("34 通用设备制造业", 34), ("13", 13)],
)
def test_it_reads_the_division_from_a_code_or_class(value, industry):
    row, _problems = clean_row(2, cells(industry=value))
    assert row is not None
    assert row.industry == industry


@pytest.mark.parametrize("value", ["12", "44", "99", "机械", "C"])
def test_it_refuses_a_division_outside_manufacturing(value):
    assert codes(cells(industry=value)) == [("industry", "industry_unknown")]


def test_it_reports_every_problem_of_a_row_at_once():
    found = codes(
        cells(
            credit_code="91310115MA0000001X",
            district="火星",
            employees="-3",
            revenue="很多",
            name="",
        )
    )
    assert sorted(found) == [
        ("credit_code", "credit_code_checksum"),
        ("district", "district_unknown"),
        ("employees", "number_invalid"),
        ("name", "required"),
        ("revenue", "amount_invalid"),
    ]


def test_it_refuses_formulas_and_control_characters():
    assert codes(cells(name='=HYPERLINK("http://x")')) == [("name", "formula")]
    assert codes(cells(name="甲\x00乙")) == [("name", "control_characters")]


def test_it_keeps_a_phone_number_that_starts_with_a_plus():
    row, problems = clean_row(2, cells(contact_phone="+86 21 1234-5678"))
    assert row is not None
    assert problems == [] and row.contact_phone == "+86 21 1234-5678"


def test_it_needs_a_size_class_or_employees_and_revenue():
    assert codes(cells(employees="", revenue="")) == [("size_class", "size_missing")]
    row, _problems = clean_row(2, cells(employees="", revenue="", size_class="中型"))
    assert row is not None
    assert row.size_class == "medium"
    assert codes(cells(size_class="巨型")) == [("size_class", "size_unknown")]


@pytest.mark.parametrize(
    ("value", "flag"),
    [("是", True), ("Y", True), ("1", True), ("否", False), ("", False), ("no", False)],
)
def test_it_reads_yes_and_no(value, flag):
    row, _problems = clean_row(2, cells(above_scale=value))
    assert row is not None
    assert row.above_scale is flag


def test_it_refuses_a_flag_that_is_neither_yes_nor_no():
    assert codes(cells(specialised="也许")) == [("specialised", "flag_invalid")]


def test_it_refuses_a_bad_email_and_lowercases_a_good_one():
    assert codes(cells(contact_email="not-an-address")) == [("contact_email", "email_invalid")]
    row, _problems = clean_row(2, cells(contact_email="Wang@Factory.Example"))
    assert row is not None
    assert row.contact_email == "wang@factory.example"


def test_it_refuses_a_name_longer_than_the_field():
    assert codes(cells(name="厂" * 201)) == [("name", "too_long")]
