"""The firm directory as CSV (streamed) and XLSX (openpyxl's write-only mode): one row per
firm of the current filter, with status, dates, provider, consultant, overall index, level
and every dimension score, self-assessed and validated. Cells a spreadsheet would run as a
formula are neutralised (reports/spreadsheet.py)."""

import tempfile
from collections.abc import Iterator
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from diagnosis.firmdata import District, SizeClass
from diagnosis.models import PopulationFirm, ScoreResult
from diagnosis.queries.directory import (
    DirectoryFilters,
    ExportRow,
    dimension_columns,
    export_rows,
    format_date,
)
from diagnosis.queries.population import PopulationStatus
from diagnosis.reports.spreadsheet import csv_lines, safe_cell


def _label(choices: Any, value: Any) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return str(value)


def header(language: str) -> tuple[list[str], list[str]]:
    """The column titles (in the active language) and the dimension codes, in order."""
    dimensions = dimension_columns()
    titles = [
        _("Credit code"),
        _("Firm"),
        _("District"),
        _("Industry division"),
        _("Size class"),
        _("Above designated size (规上)"),
        _("专精特新"),
        _("Status"),
        _("Started"),
        _("Submitted"),
        _("Signed off"),
        _("Provider"),
        _("Consultant"),
        _("Overall index"),
        _("Level"),
    ]
    for dimension in dimensions:
        name = dimension.name_en if language == "en" else dimension.name_zh_hans
        titles.append(_("%(dimension)s (self-assessed)") % {"dimension": name})
        titles.append(_("%(dimension)s (validated)") % {"dimension": name})
    return titles, [dimension.code for dimension in dimensions]


def _values(row: ExportRow, codes: list[str]) -> list[Any]:
    firm: Any = row.firm
    assignment = getattr(firm.firm, "assignment", None) if firm.firm_id else None
    values: list[Any] = [
        firm.credit_code,
        firm.name,
        _label(District, firm.district),
        firm.industry,
        _label(SizeClass, firm.size_class),
        _("Yes") if firm.above_scale else _("No"),
        _("Yes") if firm.specialised else _("No"),
        _label(PopulationStatus, firm.status),
        format_date(firm.started_at),
        format_date(firm.latest_submitted_at),
        format_date(firm.latest_validated_at),
        assignment.provider.name if assignment else "",
        str(assignment.consultant) if assignment and assignment.consultant else "",
        round(firm.overall, 1) if firm.overall is not None else None,
        firm.level,
    ]
    for code in codes:
        for kind in (ScoreResult.Kind.SELF, ScoreResult.Kind.VALIDATED):
            score = row.scores.get((code, kind))
            values.append(round(score, 1) if score is not None else None)
    return values


def directory_table(
    queryset: QuerySet[PopulationFirm], filters: DirectoryFilters, language: str
) -> Iterator[list[Any]]:
    """The header row, then one row per selected firm, lazily."""
    titles, codes = header(language)
    yield titles
    for row in export_rows(queryset, filters):
        yield _values(row, codes)


def directory_csv(
    queryset: QuerySet[PopulationFirm], filters: DirectoryFilters, language: str
) -> Iterator[str]:
    """CSV lines, BOM first; `None` becomes an empty cell."""
    return csv_lines(
        ["" if value is None else value for value in row]
        for row in directory_table(queryset, filters, language)
    )


def directory_xlsx(
    queryset: QuerySet[PopulationFirm], filters: DirectoryFilters, language: str
) -> Any:
    """An XLSX workbook written row by row in write-only mode to a temporary file (on disk
    past 10 MB), returned open and rewound for a FileResponse."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Firms"))
    for row in directory_table(queryset, filters, language):
        sheet.append([safe_cell(value) for value in row])
    # Returned open: the FileResponse streams it and closes it.
    output = tempfile.SpooledTemporaryFile(max_size=10 * 1024 * 1024)  # noqa: SIM115
    workbook.save(output)
    output.seek(0)
    return output
