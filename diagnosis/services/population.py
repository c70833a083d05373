"""Writes on the target population: importing the city's list, linking registered firms,
district quotas.

An import has two steps. The upload stores the file and checks every row (a background
task): the problems go to PopulationImportProblem, the valid rows, cleaned, to a CSV
beside the upload. Nothing reaches the population until the administrator confirms;
then a second task upserts the cleaned rows by credit code in batches, each its own
short transaction (SQLite writers wait for none for long), so a failed import can simply
be confirmed again: the upsert of the same rows is idempotent.
"""

import csv
import io
import tempfile
from collections.abc import Iterable, Iterator
from datetime import datetime
from decimal import Decimal
from pathlib import PurePath
from typing import TYPE_CHECKING

from django.core.files import File
from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from diagnosis.models import DistrictQuota, Firm, PopulationFirm, PopulationImport, User
from diagnosis.models import PopulationImportProblem as StoredProblem
from diagnosis.population.check import TableCheck
from diagnosis.population.columns import FIELDS, PopulationRow
from diagnosis.population.problems import Problem
from diagnosis.population.reader import TableError, open_table
from diagnosis.services.audit import audit_log
from diagnosis.tasks import background_task, enqueue_on_commit

if TYPE_CHECKING:
    from _csv import Writer as CsvWriter

BATCH_SIZE = 1000
UPDATED_FIELDS = [name for name in FIELDS if name != "credit_code"] + ["updated_at"]


class PopulationError(Exception):
    """The import cannot do what was asked; the message says why."""


def population_import_upload(*, uploaded_file: File, actor: User) -> PopulationImport:
    """Store the file (an upload, or any file: the benchmark's) and queue its check (after
    commit)."""
    name = PurePath(uploaded_file.name or "population").name[-200:]
    population_import = PopulationImport.objects.create(
        file=File(uploaded_file, name=name),
        original_name=name,
        file_format=PurePath(name).suffix.lstrip(".").lower()[:10],
        uploaded_by=actor,
        uploaded_at=timezone.now(),
    )
    audit_log("diagnosis.population.uploaded", actor=actor, data={"file": name})
    pk = population_import.pk
    enqueue_on_commit(check_population_import, pk)
    return population_import


# One attempt: a failure marks the import failed, and the administrator starts it again.
@background_task(max_attempts=1)
def check_population_import(import_id: int) -> None:
    """Check an uploaded file (once: a checked import is left alone)."""
    population_import = PopulationImport.objects.filter(
        pk=import_id, status=PopulationImport.Status.CHECKING
    ).first()
    if population_import is None:
        return
    try:
        population_import_check(population_import=population_import)
    except Exception:
        PopulationImport.objects.filter(pk=import_id).update(status=PopulationImport.Status.FAILED)
        raise


def population_import_check(*, population_import: PopulationImport) -> PopulationImport:
    """Read the file row by row; store its problems and its valid rows, cleaned."""
    StoredProblem.objects.filter(population_import=population_import).delete()
    check = TableCheck()
    with population_import.file.open("rb") as handle, tempfile.TemporaryFile() as stored:
        cleaned = io.TextIOWrapper(stored, encoding="utf-8", newline="")
        try:
            table = open_table(handle)
        except TableError as error:
            check.file_errors += 1
            _store_problems(population_import, [error.problem])
        else:
            population_import.file_format = table.file_format
            results = check.run(table)
            _store_problems(population_import, _write_rows(results, csv.writer(cleaned)))
            population_import.encoding = table.encoding
        cleaned.flush()
        stored.seek(0)
        if check.rows_valid:
            assert population_import.file.name is not None  # it was just opened
            population_import.cleaned_file.save(
                f"{PurePath(population_import.file.name).stem}-valid.csv", File(stored), save=False
            )
        cleaned.detach()
    for name in ("rows_total", "rows_valid", "rows_invalid", "file_errors", "columns"):
        setattr(population_import, name, getattr(check, name))
    population_import.status = PopulationImport.Status.CHECKED
    population_import.save()
    return population_import


def _write_rows(
    results: Iterable[PopulationRow | Problem], writer: "CsvWriter"
) -> Iterator[Problem]:
    """Write the valid rows to the cleaned CSV; pass the problems on."""
    writer.writerow(FIELDS)
    for result in results:
        if isinstance(result, Problem):
            yield result
        else:
            writer.writerow([getattr(result, name) for name in FIELDS])


def _store_problems(population_import: PopulationImport, problems: Iterable[Problem]) -> None:
    batch: list[StoredProblem] = []
    for problem in problems:
        batch.append(
            StoredProblem(
                population_import=population_import,
                row=problem.row,
                column=problem.column,
                code=problem.code,
                params=dict(problem.params),
            )
        )
        if len(batch) >= BATCH_SIZE:
            StoredProblem.objects.bulk_create(batch)
            batch = []
    StoredProblem.objects.bulk_create(batch)


@transaction.atomic
def population_import_confirm(
    *, population_import: PopulationImport, actor: User, valid_only: bool
) -> PopulationImport:
    """Queue the import of the checked rows. A file with rows in error needs `valid_only`:
    the administrator chose to import the valid rows and leave the others out."""
    locked = PopulationImport.objects.select_for_update().get(pk=population_import.pk)
    if locked.status not in (PopulationImport.Status.CHECKED, PopulationImport.Status.FAILED):
        raise PopulationError(_message("already"))
    if locked.file_errors or not locked.rows_valid:
        raise PopulationError(_message("nothing"))
    if locked.rows_invalid and not valid_only:
        raise PopulationError(_message("valid_only"))
    locked.status = PopulationImport.Status.IMPORTING
    locked.valid_only = bool(locked.rows_invalid)
    locked.confirmed_by = actor
    locked.confirmed_at = timezone.now()
    locked.save()
    audit_log(
        "diagnosis.population.confirmed",
        actor=actor,
        data={"file": locked.original_name, "rows": locked.rows_valid},
    )
    enqueue_on_commit(run_population_import, locked.pk)
    return locked


def _message(reason: str) -> str:
    return {
        "already": _("This file has already been imported or is being imported."),
        "nothing": _("This file has no row that can be imported."),
        "valid_only": _(
            "Some rows have errors: confirm that only the valid rows are to be imported."
        ),
    }[reason]


# One attempt: a failure marks the import failed, and the administrator starts it again.
@background_task(max_attempts=1)
def run_population_import(import_id: int) -> None:
    """Import a confirmed file (once: only an import in the importing state is run)."""
    population_import = PopulationImport.objects.filter(
        pk=import_id, status=PopulationImport.Status.IMPORTING
    ).first()
    if population_import is None:
        return
    try:
        population_import_run(population_import=population_import)
    except Exception:
        PopulationImport.objects.filter(pk=import_id).update(status=PopulationImport.Status.FAILED)
        raise


def population_import_run(*, population_import: PopulationImport) -> PopulationImport:
    """Upsert the cleaned rows by credit code, a batch per transaction; link the entries
    of firms that are already registered."""
    created = updated = 0
    now = timezone.now()
    with population_import.cleaned_file.open("rb") as handle:
        rows = csv.DictReader(io.TextIOWrapper(handle, encoding="utf-8", newline=""))
        for batch in _batches((_population_firm(row, now) for row in rows), BATCH_SIZE):
            batch_created = _upsert(batch)
            created += batch_created
            updated += len(batch) - batch_created
    population_link_registered()
    population_import.created_count = created
    population_import.updated_count = updated
    population_import.status = PopulationImport.Status.IMPORTED
    population_import.finished_at = timezone.now()
    population_import.save()
    audit_log(
        "diagnosis.population.imported",
        actor=population_import.confirmed_by,
        data={"file": population_import.original_name, "created": created, "updated": updated},
    )
    return population_import


def _population_firm(row: dict[str, str], now: datetime) -> PopulationFirm:
    return PopulationFirm(
        credit_code=row["credit_code"],
        name=row["name"],
        industry=int(row["industry"]),
        district=row["district"],
        employees=int(row["employees"]) if row["employees"] else None,
        revenue=Decimal(row["revenue"]) if row["revenue"] else None,
        size_class=row["size_class"],
        contact_name=row["contact_name"],
        contact_email=row["contact_email"],
        contact_phone=row["contact_phone"],
        above_scale=row["above_scale"] == "True",
        specialised=row["specialised"] == "True",
        imported_at=now,
        updated_at=now,
    )


def _batches[T](items: Iterable[T], size: int) -> Iterator[list[T]]:
    batch: list[T] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


@transaction.atomic
def _upsert(batch: list[PopulationFirm]) -> int:
    """Insert or update the batch by credit code; returns how many were new."""
    codes = [entry.credit_code for entry in batch]
    existing = PopulationFirm.objects.filter(credit_code__in=codes).count()
    PopulationFirm.objects.bulk_create(
        batch,
        update_conflicts=True,
        unique_fields=["credit_code"],
        update_fields=UPDATED_FIELDS,
    )
    return len(batch) - existing


def population_link_registered() -> int:
    """Link every unlinked entry whose credit code a registered firm has (one statement)."""
    registered = Firm.objects.filter(credit_code=OuterRef("credit_code")).values("pk")[:1]
    return PopulationFirm.objects.filter(
        firm__isnull=True, credit_code__in=Firm.objects.values("credit_code")
    ).update(firm=Subquery(registered))


def population_link_firm(*, firm: Firm) -> PopulationFirm | None:
    """Link a newly registered firm to the population entry with its credit code, if any."""
    entry = PopulationFirm.objects.filter(credit_code=firm.credit_code, firm__isnull=True).first()
    if entry is not None:
        entry.firm = firm
        entry.save(update_fields=["firm"])
    return entry


@transaction.atomic
def district_quotas_set(*, targets: dict[str, int | None], actor: User) -> None:
    """Set each district's target (None removes it)."""
    for district, target in targets.items():
        if target is None:
            DistrictQuota.objects.filter(district=district).delete()
        else:
            DistrictQuota.objects.update_or_create(
                district=district, defaults={"target": target, "updated_by": actor}
            )
    audit_log(
        "diagnosis.programme.quotas_set",
        actor=actor,
        data={district: target for district, target in targets.items()},
    )
