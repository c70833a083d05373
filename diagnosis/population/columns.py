"""The columns of a population file, in Chinese or English, and the cleaning of one row.

Pure functions over strings: the reader (population/reader.py) turns CSV or XLSX cells
into strings, `map_header` recognises the columns and `clean_row` turns one row into a
`PopulationRow` or the problems that keep it out.
"""

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from diagnosis.firmdata import (
    District,
    Industry,
    SizeClass,
    normalise_credit_code,
    size_class,
    validate_credit_code,
)
from diagnosis.population.problems import Problem, quoted


@dataclass(frozen=True)
class Column:
    """One column: its key (the model field), the template's Chinese and English headers, the
    other spellings accepted, the length limit of a text value."""

    key: str
    chinese: str
    english: str
    aliases: tuple[str, ...] = ()
    required: bool = False
    max_length: int = 0


COLUMNS: tuple[Column, ...] = (
    Column(
        "credit_code",
        "统一社会信用代码",
        "credit code",
        ("信用代码", "社会信用代码", "unified social credit code", "uscc", "credit_code"),
        required=True,
    ),
    Column("name", "企业名称", "name", ("名称", "单位名称", "firm name", "company"), True, 200),
    Column(
        "industry",
        "行业代码",
        "industry division",
        ("行业", "行业大类", "国民经济行业代码", "所属行业", "industry", "division"),
        required=True,
    ),
    Column("district", "所在区", "district", ("区", "所属区", "行政区", "区县"), required=True),
    Column("employees", "从业人员", "employees", ("从业人数", "员工人数", "职工人数", "staff")),
    Column(
        "revenue",
        "营业收入（万元）",
        "revenue (10,000 yuan)",
        ("营业收入", "营收", "revenue", "annual revenue"),
    ),
    Column("size_class", "企业规模", "size class", ("规模", "企业类型", "size")),
    Column("contact_name", "联系人", "contact name", ("联系人姓名", "contact"), max_length=100),
    Column(
        "contact_email",
        "联系邮箱",
        "contact email",
        ("邮箱", "电子邮箱", "电子邮件", "email", "e-mail"),
        max_length=254,
    ),
    Column(
        "contact_phone",
        "联系电话",
        "contact phone",
        ("电话", "手机", "联系方式", "phone", "telephone", "mobile"),
        max_length=40,
    ),
    Column(
        "above_scale",
        "规上企业",
        "above designated size",
        ("规上", "是否规上", "规模以上", "above scale"),
    ),
    Column("specialised", "专精特新", "specialised", ("是否专精特新", "specialized")),
)
COLUMN_KEYS = tuple(column.key for column in COLUMNS)
REQUIRED_KEYS = tuple(column.key for column in COLUMNS if column.required)
_BY_KEY = {column.key: column for column in COLUMNS}


def normalise_header(text: str) -> str:
    """A header as compared: full-width folded, lower case, no spaces, _, -, * or unit."""
    folded = unicodedata.normalize("NFKC", text).strip().lower()
    folded = re.sub(r"\(.*?\)$", "", folded)  # a unit in brackets: 营业收入(万元)
    return re.sub(r"[\s_\-*]+", "", folded)


_HEADERS = {
    normalise_header(spelling): column.key
    for column in COLUMNS
    for spelling in (column.key, column.chinese, column.english, *column.aliases)
}


@dataclass(frozen=True)
class Header:
    """The recognised columns: key → position, and the problems the header row has."""

    positions: dict[str, int]
    problems: list[Problem]
    width: int


def map_header(cells: list[str]) -> Header:
    """Recognise the columns of a header row (Chinese or English, any order)."""
    positions: dict[str, int] = {}
    problems: list[Problem] = []
    for index, cell in enumerate(cells):
        if not cell.strip():
            continue
        key = _HEADERS.get(normalise_header(cell))
        if key is None:
            problems.append(Problem("unknown_column", params={"header": quoted(cell.strip())}))
        elif key in positions:
            first = cells[positions[key]].strip()
            problems.append(
                Problem("duplicate_column", params={"first": first, "second": cell.strip()})
            )
        else:
            positions[key] = index
    missing = [key for key in REQUIRED_KEYS if key not in positions]
    has_size = "size_class" in positions or {"employees", "revenue"} <= positions.keys()
    if missing or not has_size:
        names = [f"{_BY_KEY[key].chinese} / {_BY_KEY[key].english}" for key in missing]
        if not has_size:
            names.append("企业规模 / size class (或 or 从业人员 + 营业收入 / employees + revenue)")
        problems.append(Problem("missing_columns", params={"columns": "; ".join(names)}))
    width = max(positions.values(), default=-1) + 1
    return Header(positions=positions, problems=problems, width=width)


@dataclass(frozen=True)
class PopulationRow:
    """One valid row, cleaned: the values of a PopulationFirm."""

    credit_code: str
    name: str
    industry: int
    district: str
    employees: int | None
    revenue: Decimal | None
    size_class: str
    contact_name: str
    contact_email: str
    contact_phone: str
    above_scale: bool
    specialised: bool


FIELDS = tuple(PopulationRow.__dataclass_fields__)

_DISTRICT_CHINESE = {
    District.HUANGPU: "黄浦区",
    District.XUHUI: "徐汇区",
    District.CHANGNING: "长宁区",
    District.JINGAN: "静安区",
    District.PUTUO: "普陀区",
    District.HONGKOU: "虹口区",
    District.YANGPU: "杨浦区",
    District.MINHANG: "闵行区",
    District.BAOSHAN: "宝山区",
    District.JIADING: "嘉定区",
    District.PUDONG: "浦东新区",
    District.JINSHAN: "金山区",
    District.SONGJIANG: "松江区",
    District.QINGPU: "青浦区",
    District.FENGXIAN: "奉贤区",
    District.CHONGMING: "崇明区",
}


def district_chinese(district: str) -> str:
    """The district's Chinese name, as the city's lists write it (闵行区)."""
    return _DISTRICT_CHINESE[District(district)]


def _district_spellings() -> dict[str, str]:
    spellings: dict[str, str] = {}
    for district, chinese in _DISTRICT_CHINESE.items():
        short = chinese.removesuffix("新区").removesuffix("区")
        for spelling in (district.value, district.label, chinese, short, short + "新区"):
            spellings[normalise_header(str(spelling))] = district.value
    spellings[normalise_header("pudong new area")] = District.PUDONG.value
    return spellings


_DISTRICTS = _district_spellings()
_SIZES = {
    **{size.value: size.value for size in SizeClass},
    "大": "large",
    "大型": "large",
    "大型企业": "large",
    "中": "medium",
    "中型": "medium",
    "中型企业": "medium",
    "小": "small",
    "小型": "small",
    "小型企业": "small",
    "微": "micro",
    "微型": "micro",
    "微型企业": "micro",
}
_YES = frozenset({"是", "y", "yes", "true", "1", "√", "✓", "有"})
_NO = frozenset({"", "否", "n", "no", "false", "0", "×", "无", "-"})
_INDUSTRY = re.compile(r"^c?(\d{2})(\d{0,2})(?:\D.*)?$")
_PHONE = re.compile(r"^\+?[\d\s\-()/转]{5,40}$")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_INDUSTRIES = frozenset(Industry.values)
MAX_EMPLOYEES = 10_000_000
MAX_REVENUE = Decimal("999999999999.99")


class _RowCleaner:
    """Cleans the cells of one row, collecting a problem per bad value."""

    def __init__(self, row: int, cells: dict[str, str]) -> None:
        self.row = row
        self.cells = cells
        self.problems: list[Problem] = []

    def problem(self, column: str, code: str, **params: object) -> None:
        self.problems.append(Problem(code, row=self.row, column=column, params=params))

    def text(self, key: str) -> str | None:
        """The stripped text of a cell; None (after noting why) if it cannot be stored."""
        value = self.cells.get(key, "").strip()
        if value.startswith("="):
            self.problem(key, "formula")
            return None
        if _CONTROL.search(value):
            self.problem(key, "control_characters")
            return None
        limit = _BY_KEY[key].max_length
        if limit and len(value) > limit:
            self.problem(key, "too_long", limit=limit)
            return None
        if not value and _BY_KEY[key].required:
            self.problem(key, "required")
            return None
        return value

    def credit_code(self) -> str | None:
        raw = self.text("credit_code")
        if not raw:
            return None
        code = normalise_credit_code(raw)
        try:
            validate_credit_code(code)
        except ValidationError as error:
            self.problem("credit_code", f"credit_code_{error.code}", **(error.params or {}))
            return None
        return code

    def industry(self) -> int | None:
        raw = self.text("industry")
        if not raw:
            return None
        match = _INDUSTRY.match(unicodedata.normalize("NFKC", raw).strip().lower())
        if match is None or int(match.group(1)) not in _INDUSTRIES:
            self.problem("industry", "industry_unknown", value=quoted(raw))
            return None
        return int(match.group(1))

    def district(self) -> str | None:
        raw = self.text("district")
        if not raw:
            return None
        district = _DISTRICTS.get(normalise_header(raw))
        if district is None:
            self.problem("district", "district_unknown", value=quoted(raw))
        return district

    def number(self, key: str) -> int | None:
        raw = self.text(key)
        if not raw:
            return None
        text = unicodedata.normalize("NFKC", raw).replace(",", "").replace(" ", "")
        text = text.removesuffix(".0")
        if not text.isdigit() or int(text) > MAX_EMPLOYEES:
            self.problem(key, "number_invalid", value=quoted(raw))
            return None
        return int(text)

    def amount(self, key: str) -> Decimal | None:
        raw = self.text(key)
        if not raw:
            return None
        text = unicodedata.normalize("NFKC", raw).replace(",", "").replace(" ", "")
        try:
            amount = Decimal(text).quantize(Decimal("0.01"))
        except InvalidOperation:
            amount = None
        if amount is None or not amount.is_finite() or amount < 0 or amount > MAX_REVENUE:
            self.problem(key, "amount_invalid", value=quoted(raw))
            return None
        return amount

    def size(self, employees: int | None, revenue: Decimal | None) -> str | None:
        raw = self.text("size_class")
        if raw:
            size = _SIZES.get(normalise_header(raw))
            if size is None:
                self.problem("size_class", "size_unknown", value=quoted(raw))
            return size
        if employees is not None and revenue is not None:
            return size_class(employees, revenue)
        if raw is not None and not self.problems_in(("employees", "revenue")):
            self.problem("size_class", "size_missing")
        return None

    def problems_in(self, keys: Iterable[str]) -> bool:
        return any(problem.column in keys for problem in self.problems)

    def email(self) -> str | None:
        value = self.text("contact_email")
        if value:
            try:
                validate_email(value)
            except ValidationError:
                self.problem("contact_email", "email_invalid", value=quoted(value))
                return None
            return value.lower()
        return value

    def phone(self) -> str | None:
        value = self.text("contact_phone")
        if value and not _PHONE.match(unicodedata.normalize("NFKC", value)):
            self.problem("contact_phone", "phone_invalid", value=quoted(value))
            return None
        return value

    def flag(self, key: str) -> bool | None:
        value = self.text(key)
        if value is None:
            return None
        folded = normalise_header(value)
        if folded in _YES:
            return True
        if folded in _NO:
            return False
        self.problem(key, "flag_invalid", value=quoted(value))
        return None


def clean_row(row: int, cells: dict[str, str]) -> tuple[PopulationRow | None, list[Problem]]:
    """The row's values, or None and the problems that keep it out (every one, not the first).

    `cells` maps column keys to the text of the row's cells (missing keys are empty).
    """
    cleaner = _RowCleaner(row, cells)
    employees = cleaner.number("employees")
    revenue = cleaner.amount("revenue")
    values = {
        "credit_code": cleaner.credit_code(),
        "name": cleaner.text("name"),
        "industry": cleaner.industry(),
        "district": cleaner.district(),
        "employees": employees,
        "revenue": revenue,
        "size_class": cleaner.size(employees, revenue),
        "contact_name": cleaner.text("contact_name"),
        "contact_email": cleaner.email(),
        "contact_phone": cleaner.phone(),
        "above_scale": cleaner.flag("above_scale"),
        "specialised": cleaner.flag("specialised"),
    }
    if cleaner.problems:
        return None, cleaner.problems
    return PopulationRow(**values), []  # type: ignore[arg-type]


def row_cells(cells: list[str], header: Header) -> dict[str, str]:
    """The row's cells keyed by column (short rows give empty values)."""
    return {
        key: cells[index] if index < len(cells) else "" for key, index in header.positions.items()
    }


def template_headers(language: str) -> list[str]:
    """The header row of the template file: Chinese (zh-hans) or English."""
    return [column.chinese if language.startswith("zh") else column.english for column in COLUMNS]


def column_label(key: str, language: str) -> str:
    """A column's header in `language` (zh… for Chinese), or the key for an unknown one."""
    column = _BY_KEY.get(key)
    if column is None:
        return key
    return column.chinese if language.startswith("zh") else column.english
