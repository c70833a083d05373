"""The downloadable template: the columns named in Chinese, with one example row."""

import io

from django.http import Http404, HttpResponse

from diagnosis.firmdata import credit_code_check_character
from diagnosis.population.columns import COLUMNS, template_headers
from diagnosis.reports.spreadsheet import csv_lines, safe_cell

_EXAMPLE_CODE = "91310112MA1GB2XY0" + credit_code_check_character("91310112MA1GB2XY0")
EXAMPLE = {
    "credit_code": _EXAMPLE_CODE,
    "name": "上海示例精密机械有限公司",
    "industry": "34",
    "district": "闵行区",
    "employees": "180",
    "revenue": "15000",
    "size_class": "",
    "contact_name": "张伟",
    "contact_email": "zhangwei@example.com",
    "contact_phone": "021-12345678",
    "above_scale": "是",
    "specialised": "否",
}
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def template_rows() -> list[list[str]]:
    return [template_headers("zh-hans"), [EXAMPLE[column.key] for column in COLUMNS]]


def template_response(file_format: str) -> HttpResponse:
    """The template as CSV (UTF-8 with a byte-order mark) or XLSX; 404 for another format."""
    if file_format == "csv":
        body: bytes = "".join(csv_lines(template_rows())).encode("utf-8")
    elif file_format == "xlsx":
        body = _xlsx(template_rows())
    else:
        raise Http404
    response = HttpResponse(body, content_type=CONTENT_TYPES[file_format])
    response["Content-Disposition"] = f'attachment; filename="population-template.{file_format}"'
    return response


def _xlsx(rows: list[list[str]]) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("企业名单")
    for row in rows:
        sheet.append([safe_cell(value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
