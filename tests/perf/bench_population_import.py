"""Benchmark the population import: 100,000 rows, CSV (GB18030, as Chinese Excel saves it)
and XLSX, checked and imported through the services, on a throwaway database.

Run from the repository root: ``python tests/perf/bench_population_import.py``. SQLite by
default; with ``BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432`` also on a
PostgreSQL database created for the run (``population_bench_<pid>``) and dropped after.
Each measurement runs in its own process, so its peak memory is its own. Prints:

- ``population_import_<format>_<database>_s``: upload + check + import of 100,000 new
  firms, wall time (target < 60 s);
- ``population_import_<format>_<database>_peak_mb``: the process's peak resident memory,
  Django included (target < 300 MB);
- ``population_reimport_csv_<database>_s``: the same file again, every row an update.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchkit import REPO_ROOT, emit, site_environment

ROWS = 100_000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--one", nargs=2, metavar=("FORMAT", "DATABASE_URL"))
    parser.add_argument("--rows", type=int, default=ROWS)
    arguments = parser.parse_args()
    if arguments.one:
        measure(*arguments.one, rows=arguments.rows)
        return
    targets = [("sqlite", "")]
    server = os.environ.get("BENCH_DATABASE_URL", "").rstrip("/")
    if server:
        targets.append(("postgres", server))
    for database, url in targets:
        for file_format in ("csv", "xlsx"):
            run_one(file_format, database, url, arguments.rows)


def run_one(file_format: str, database: str, server: str, rows: int) -> None:
    name = f"population_bench_{os.getpid()}"
    if database == "postgres":
        _admin_sql(server, f'CREATE DATABASE "{name}"')
    try:
        url = f"{server}/{name}" if database == "postgres" else ""
        subprocess.run(
            [sys.executable, __file__, "--one", file_format, url or "sqlite", "--rows", str(rows)],
            check=True,
            cwd=REPO_ROOT,
        )
    finally:
        if database == "postgres":
            _admin_sql(server, f'DROP DATABASE IF EXISTS "{name}"')


def _admin_sql(server: str, statement: str) -> None:
    import psycopg

    with psycopg.connect(f"{server}/postgres", autocommit=True) as connection:
        connection.execute(statement)


def measure(file_format: str, url: str, *, rows: int) -> None:
    directory = Path(tempfile.mkdtemp(prefix="population-bench-"))
    os.environ.update(site_environment(directory))
    if url != "sqlite":
        os.environ["DATABASE_URL"] = url
    database = "sqlite" if url == "sqlite" else "postgres"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    path = directory / f"population.{file_format}"
    write_file(path, file_format, rows)

    seconds = import_file(path)
    emit(f"population_import_{file_format}_{database}_s", seconds, "s", decimals=1)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    emit(f"population_import_{file_format}_{database}_peak_mb", peak, "MB")
    if file_format == "csv":
        emit(f"population_reimport_csv_{database}_s", import_file(path), "s", decimals=1)
    from diagnosis.models import PopulationFirm

    assert PopulationFirm.objects.count() == rows, PopulationFirm.objects.count()
    from django.db import connections

    connections.close_all()


def write_file(path: Path, file_format: str, rows: int) -> None:
    """The city's list as an administrator would upload it (Chinese headers)."""
    import csv

    from diagnosis.population.columns import template_headers
    from diagnosis.population.synthetic import population_rows, row_cells

    if file_format == "csv":
        with path.open("w", encoding="gb18030", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(template_headers("zh-hans"))
            writer.writerows(row_cells(row) for row in population_rows(rows))
        return
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("企业名单")
    sheet.append(template_headers("zh-hans"))
    for row in population_rows(rows):
        sheet.append(row_cells(row))
    workbook.save(path)


def import_file(path: Path) -> float:
    """Upload, check, confirm and import the file; seconds taken. The check and the import
    are the tasks the services queue, run by the immediate backend as they are queued."""
    from django.core.files import File

    from diagnosis.models import PopulationImport, User
    from diagnosis.services.population import population_import_confirm, population_import_upload

    admin = User.objects.filter(email="bench@programme.example").first() or (
        User.objects.create_user(email="bench@programme.example", is_programme_admin=True)
    )
    started = time.perf_counter()
    with path.open("rb") as handle:
        uploaded = population_import_upload(uploaded_file=File(handle, name=path.name), actor=admin)
    checked = PopulationImport.objects.get(pk=uploaded.pk)
    assert (checked.rows_valid, checked.rows_invalid) == (checked.rows_total, 0), checked.rows_total
    population_import_confirm(population_import=checked, actor=admin, valid_only=False)
    done = PopulationImport.objects.get(pk=uploaded.pk)
    assert done.status == PopulationImport.Status.IMPORTED, done.status
    return time.perf_counter() - started


if __name__ == "__main__":
    main()
