"""Read a population file as rows of strings, one row at a time, whatever its format.

CSV is read line by line in its encoding: UTF-8 (with or without a byte-order mark),
GB18030 (which includes GBK, what Chinese Excel writes for "CSV"), or UTF-16 with a
byte-order mark (Excel's "Unicode text"). The encoding is decided by the first line that
is not plain ASCII; a later line in another encoding is reported on its row. XLSX is read
with openpyxl in read-only mode, which streams the sheet instead of loading it.
"""

import codecs
import csv
import io
import shutil
import tempfile
from collections.abc import Iterator
from datetime import date, datetime, time
from typing import IO, Any

from diagnosis.population.problems import Problem

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # .xls and other old Office files
NOT_TABLES = (b"%PDF", b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"\x1f\x8b", b"Rar!", b"7z\xbc\xaf")
SNIFF_BYTES = 4096
# A cell longer than this is not a population value; csv refuses it instead of growing.
FIELD_LIMIT = 10_000

Record = tuple[int, list[str]] | Problem


class TableError(Exception):
    """The file cannot be read as a table at all; `problem` says why."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.code)
        self.problem = problem


class Table:
    """A file's rows: `records()` yields (row number, cells) for every row (the header too),
    or a Problem for a row that cannot be read (with row None, reading stops there)."""

    file_format = ""

    @property
    def encoding(self) -> str:
        return ""

    def records(self) -> Iterator[Record]:
        raise NotImplementedError


def open_table(handle: IO[bytes]) -> Table:
    """The table in a binary file; TableError if it is empty or not CSV or XLSX."""
    start = handle.read(SNIFF_BYTES)
    handle.seek(0)
    if not start.strip(b" \t\r\n\xef\xbb\xbf"):
        raise TableError(Problem("file_empty"))
    if start.startswith(ZIP_MAGIC):
        return XlsxTable(handle)
    if start.startswith(OLE_MAGIC):
        raise TableError(Problem("file_xls"))
    if start.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return CsvTable(handle, fixed_encoding="utf-16")
    if start.startswith(NOT_TABLES) or b"\x00" in start:
        raise TableError(Problem("file_not_table"))
    return CsvTable(handle)


class CsvTable(Table):
    file_format = "csv"

    def __init__(self, handle: IO[bytes], *, fixed_encoding: str = "") -> None:
        self.handle = handle
        self._encoding = fixed_encoding
        self._row_is_bad = False

    @property
    def encoding(self) -> str:
        return self._encoding or "utf-8"

    def records(self) -> Iterator[Record]:
        lines = self._text_lines()
        try:
            first = next(lines, None)
        except _EncodingError:
            yield Problem("file_encoding")
            return
        if first is None:
            return
        reader = csv.reader(_prepend(first, lines), dialect=_dialect(first))
        number = 0
        while True:
            try:
                cells = next(reader)
            except StopIteration:
                return
            except csv.Error as error:
                yield Problem("file_csv", params={"row": number + 1, "reason": str(error)})
                return
            except _EncodingError:
                yield Problem("file_encoding")
                return
            number += 1
            if self._row_is_bad:
                self._row_is_bad = False
                yield Problem("encoding_row", row=number, params={"encoding": self.encoding})
            else:
                yield number, cells

    def _text_lines(self) -> Iterator[str]:
        if self._encoding == "utf-16":
            yield from io.TextIOWrapper(self.handle, encoding="utf-16", newline="")
            return
        for raw in self.handle:
            yield self._decode(raw)

    def _decode(self, raw: bytes) -> str:
        if raw.startswith(codecs.BOM_UTF8):
            raw = raw[len(codecs.BOM_UTF8) :]
            self._encoding = self._encoding or "utf-8"
        if raw.isascii():
            return raw.decode("ascii")
        if not self._encoding:
            self._encoding = _guess_encoding(raw)
        try:
            text = raw.decode(self._encoding)
        except UnicodeDecodeError:
            self._row_is_bad = True
            return raw.decode(self._encoding, errors="replace")
        if self._encoding == "gb18030" and _is_utf8(raw):
            # GBK text is almost never valid UTF-8; valid UTF-8 here is a UTF-8 line.
            self._row_is_bad = True
        return text


class _EncodingError(Exception):
    pass


def _guess_encoding(raw: bytes) -> str:
    if _is_utf8(raw):
        return "utf-8"
    try:
        raw.decode("gb18030")
    except UnicodeDecodeError:
        raise _EncodingError from None
    return "gb18030"


def _is_utf8(raw: bytes) -> bool:
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _prepend(first: str, rest: Iterator[str]) -> Iterator[str]:
    yield first
    yield from rest


def _dialect(header: str) -> type[csv.Dialect]:
    """Excel's dialect, with the delimiter the header line uses most (, ; or tab)."""
    delimiter = max(",;\t", key=header.count)
    return type(
        "Dialect", (csv.excel,), {"delimiter": delimiter if header.count(delimiter) else ","}
    )


csv.field_size_limit(FIELD_LIMIT)


class XlsxTable(Table):
    """The first sheet of a workbook, streamed (openpyxl read-only mode). Formulas are read
    as their text ("=SUM(…)") so that they are reported, never evaluated."""

    file_format = "xlsx"

    def __init__(self, handle: IO[bytes]) -> None:
        self.handle = handle

    def records(self) -> Iterator[Record]:
        from openpyxl import load_workbook

        with _seekable(self.handle) as handle:
            try:
                workbook = load_workbook(handle, read_only=True, data_only=False)
            except Exception as error:  # a broken zip or workbook takes many forms
                yield Problem("file_unreadable", params={"reason": type(error).__name__})
                return
            try:
                sheet = workbook.active or workbook.worksheets[0]
                number = 0
                try:
                    for number, values in enumerate(sheet.iter_rows(values_only=True), 1):
                        yield number, [cell_text(value) for value in values]
                except Exception as error:
                    yield Problem(
                        "file_csv", params={"row": number + 1, "reason": type(error).__name__}
                    )
            finally:
                workbook.close()


class _seekable:
    """The handle itself if it can seek (openpyxl needs to), else a temporary copy."""

    def __init__(self, handle: IO[bytes]) -> None:
        self.handle = handle
        self.copy: IO[bytes] | None = None

    def __enter__(self) -> IO[bytes]:
        if self.handle.seekable():
            return self.handle
        self.copy = tempfile.TemporaryFile()
        shutil.copyfileobj(self.handle, self.copy)
        self.copy.seek(0)
        return self.copy

    def __exit__(self, *exc: object) -> None:
        if self.copy is not None:
            self.copy.close()


def cell_text(value: Any) -> str:
    """A spreadsheet cell's value as the text a person would type."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    return str(value)
