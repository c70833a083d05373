"""Check a whole population file, row by row, without holding it in memory."""

from collections.abc import Iterator
from dataclasses import dataclass, field

from diagnosis.population.columns import Header, PopulationRow, clean_row, map_header, row_cells
from diagnosis.population.problems import Problem
from diagnosis.population.reader import Record, Table

# The header is the first of these rows that names the credit-code column (city lists
# often have a title row or two above it).
HEADER_SEARCH_ROWS = 10


@dataclass
class TableCheck:
    """Counts of one check; `run` yields each valid row and each problem as it finds them."""

    rows_total: int = 0
    rows_valid: int = 0
    rows_invalid: int = 0
    file_errors: int = 0
    columns: list[str] = field(default_factory=list)
    _first_row_of: dict[str, int] = field(default_factory=dict)

    def run(self, table: Table) -> Iterator[PopulationRow | Problem]:
        records = table.records()
        header, header_cells, early = self._find_header(records)
        if header is None:
            broken = [r for r in early if isinstance(r, Problem) and r.row is None]
            yield self._count(broken[0] if broken else Problem("no_header"))
            return
        self.columns = list(header.positions)
        for problem in header.problems:
            yield self._count(problem)
        if self.file_errors:
            return
        for record in [*early, *records] if early else records:
            yield from self._record(record, header, len(header_cells))
        if self.rows_total == 0 and not self.file_errors:
            yield self._count(Problem("no_rows"))

    def _find_header(self, records: Iterator) -> tuple[Header | None, list[str], list]:
        """The header row, its cells, and the records read past it while looking (if the
        first rows had no credit-code column, the first non-blank row is the header)."""
        seen: list = []
        for record in records:
            seen.append(record)
            if isinstance(record, Problem) or len(seen) >= HEADER_SEARCH_ROWS:
                break
            header = map_header(record[1])
            if "credit_code" in header.positions:
                return header, record[1], []
        for index, record in enumerate(seen):
            if isinstance(record, Problem):
                return None, [], [record]
            if any(cell.strip() for cell in record[1]):
                return map_header(record[1]), record[1], seen[index + 1 :]
        return None, [], []

    def _record(
        self, record: Record, header: Header, named: int
    ) -> Iterator[PopulationRow | Problem]:
        if isinstance(record, Problem):
            if record.row is None:
                yield self._count(record)
            else:
                self.rows_total += 1
                self.rows_invalid += 1
                yield record
            return
        number, cells = record
        if not any(cell.strip() for cell in cells):
            return
        self.rows_total += 1
        row, problems = clean_row(number, row_cells(cells, header))
        extra = [cell for cell in cells[named:] if cell.strip()]
        if extra:
            problems.append(
                Problem("extra_cells", row=number, params={"count": len(cells), "columns": named})
            )
        if row is not None and not extra:
            first = self._first_row_of.setdefault(row.credit_code, number)
            if first != number:
                problems.append(
                    Problem(
                        "duplicate_code", row=number, column="credit_code", params={"row": first}
                    )
                )
        if problems:
            self.rows_invalid += 1
            yield from problems
        else:
            self.rows_valid += 1
            yield row  # type: ignore[misc]

    def _count(self, problem: Problem) -> Problem:
        if problem.blocks_import:
            self.file_errors += 1
        return problem
