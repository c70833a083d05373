"""What can be wrong with a population file: a code per problem, its message in both languages.

A problem is stored as its code and parameters (models.PopulationImportProblem) and worded
when shown, so the page reads in the reader's language and the downloadable report in both.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

MESSAGES: dict[str, Promise] = {
    # The file as a whole: any of these blocks the import.
    "file_empty": _("The file is empty."),
    "file_not_table": _(
        "This is not a CSV or XLSX file. In Excel choose “Save as” and either “CSV UTF-8” "
        "or “Excel workbook (.xlsx)”."
    ),
    "file_xls": _(
        "This is an old Excel file (.xls). Save it as “Excel workbook (.xlsx)” or as "
        "“CSV UTF-8”, then upload it again."
    ),
    "file_unreadable": _(
        "The workbook cannot be read (%(reason)s). Open it in Excel, save it again as .xlsx "
        "and upload it again."
    ),
    "file_encoding": _(
        "The text is neither UTF-8 nor GB18030/GBK. In Excel choose “Save as” → "
        "“CSV UTF-8 (comma delimited)” and upload it again."
    ),
    "file_csv": _(
        "Row %(row)s cannot be read as CSV (%(reason)s); the rows after it were not checked."
    ),
    "no_header": _("The first row must name the columns (see the template)."),
    "no_rows": _("The file has a header row but no firms."),
    "missing_columns": _(
        "Required columns are missing: %(columns)s. The first row must name the columns "
        "(see the template)."
    ),
    "duplicate_column": _("Two columns mean the same thing: “%(first)s” and “%(second)s”."),
    # A note: the column is ignored, the import may go ahead.
    "unknown_column": _("The column “%(header)s” is not one we know; it is ignored."),
    # One row: the row is left out.
    "required": _("This value is required."),
    "too_long": _("Longer than %(limit)s characters."),
    "formula": _(
        "Starts with “=”: spreadsheet formulas are not accepted. Paste the value instead."
    ),
    "control_characters": _("Contains control characters."),
    "encoding_row": _(
        "This row is not in the encoding of the rows before it (%(encoding)s): the file "
        "mixes encodings. Save it again as “CSV UTF-8” and upload it again."
    ),
    "extra_cells": _("The row has %(count)s cells, more than the %(columns)s columns named."),
    "credit_code_length": _(
        "A unified social credit code has 18 characters; this one has %(count)d."
    ),
    "credit_code_charset": _("Characters not allowed in a unified social credit code: %(chars)s."),
    "credit_code_division": _(
        "Characters 3 to 8 of the code must be the six-digit administrative division code."
    ),
    "credit_code_checksum": _(
        "The check character (the last one) does not match: please check the code."
    ),
    "duplicate_code": _("The same credit code is on row %(row)s: only that row is kept."),
    "industry_unknown": _("“%(value)s” is not a GB/T 4754 manufacturing division (13 to 43)."),
    "district_unknown": _("“%(value)s” is not a Shanghai district."),
    "number_invalid": _("“%(value)s” is not a whole number of 0 or more."),
    "amount_invalid": _("“%(value)s” is not an amount of 0 or more, in 10,000 yuan."),
    "size_unknown": _(
        "“%(value)s” is not a size class (大型, 中型, 小型, 微型 or large, medium, small, micro)."
    ),
    "size_missing": _("Give employees and revenue, or the size class."),
    "email_invalid": _("“%(value)s” is not an email address."),
    "phone_invalid": _("“%(value)s” is not a phone number."),
    "flag_invalid": _("“%(value)s” is not yes or no (是 or 否)."),
}

FILE_PROBLEMS = frozenset(
    {
        "file_empty",
        "file_not_table",
        "file_xls",
        "file_unreadable",
        "file_encoding",
        "file_csv",
        "no_header",
        "no_rows",
        "missing_columns",
        "duplicate_column",
    }
)
NOTES = frozenset({"unknown_column"})
# User text quoted in a message is cut to this length.
QUOTE_LIMIT = 60


@dataclass(frozen=True)
class Problem:
    """`row` is the row number as a spreadsheet shows it (the header is row 1); None for the
    file as a whole. `column` is a column key of population.columns, or empty."""

    code: str
    row: int | None = None
    column: str = ""
    params: Mapping[str, Any] = field(default_factory=dict)

    @property
    def blocks_import(self) -> bool:
        return self.code in FILE_PROBLEMS


def quoted(value: str) -> str:
    """User text as quoted in a message: cut to QUOTE_LIMIT characters."""
    return value if len(value) <= QUOTE_LIMIT else value[: QUOTE_LIMIT - 1] + "…"


def problem_message(code: str, params: Mapping[str, Any]) -> str:
    """The problem in the active language."""
    message = str(MESSAGES.get(code, code))
    return message % dict(params) if params else message


def messages_in(language: str) -> dict[str, str]:
    """Every message template in `language`, for writing many problems quickly."""
    with translation.override(language):
        return {code: str(message) for code, message in MESSAGES.items()}
