"""Cells for files people open in a spreadsheet: formula injection neutralised (OWASP).

A cell that starts with = + - @ a tab or a carriage return would be run as a formula by
Excel; it is written with a leading apostrophe, which Excel shows as plain text.
"""

import csv
from collections.abc import Iterable, Iterator
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
UTF8_BOM = "\ufeff"


def safe_cell(value: Any) -> Any:
    """The value, or its text with a leading apostrophe if a spreadsheet would run it."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class _Echo:
    """A file whose write returns what it was given, for csv.writer in a streamed response."""

    def write(self, value: str) -> str:
        return value


def csv_lines(rows: Iterable[Iterable[Any]]) -> Iterator[str]:
    """CSV text line by line, with a byte-order mark first so Excel reads UTF-8 Chinese."""
    writer = csv.writer(_Echo())
    yield UTF8_BOM
    for row in rows:
        yield writer.writerow([safe_cell(value) for value in row])
