"""Population files for tests: rows of cells written as CSV (any encoding) or XLSX."""

import csv
import io
from collections.abc import Sequence
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from tests.factories import valid_credit_code

HEADER = [
    "统一社会信用代码",
    "企业名称",
    "行业代码",
    "所在区",
    "从业人员",
    "营业收入（万元）",
    "联系邮箱",
    "规上企业",
]
ENGLISH_HEADER = [
    "credit code",
    "name",
    "industry division",
    "district",
    "employees",
    "revenue",
    "contact email",
    "above designated size",
]


def firm_row(serial: int | None = None, **cells: object) -> list[Any]:
    """A valid row under HEADER; keyword arguments replace cells by header position name
    (numbers too, for a workbook)."""
    values: dict[str, object] = {
        "code": valid_credit_code(serial),
        "name": f"上海名单精密制造有限公司{serial or ''}",
        "industry": "34",
        "district": "闵行区",
        "employees": "120",
        "revenue": "8000",
        "email": f"contact{serial or ''}@factory.example",
        "above_scale": "是",
    }
    values.update(cells)
    return list(values.values())


def csv_bytes(
    rows: Sequence[Sequence[str]], *, header: Sequence[str] = HEADER, encoding: str = "utf-8-sig"
) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode(encoding)


def xlsx_bytes(rows: Sequence[Sequence[object]], *, header: Sequence[str] = HEADER) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None  # a new workbook has one sheet
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def upload(content: bytes, name: str = "firms.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")
