import pytest

from diagnosis.models import AuditEntry, DistrictQuota, PopulationFirm, PopulationImport
from diagnosis.services import firms as firm_services
from diagnosis.services.population import (
    PopulationError,
    district_quotas_set,
    population_import_confirm,
    population_import_upload,
)
from tests.factories import make_firm, make_user, valid_credit_code
from tests.population_files import csv_bytes, firm_row, upload, xlsx_bytes


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def run_tasks(django_capture_on_commit_callbacks):
    """Run what the services queue after commit (the tasks), as the real commit would."""

    def run(action):
        with django_capture_on_commit_callbacks(execute=True):
            result = action()
        if isinstance(result, PopulationImport):
            result.refresh_from_db()
        return result

    return run


def uploaded(run_tasks, administrator, content: bytes, name: str = "firms.csv") -> PopulationImport:
    return run_tasks(
        lambda: population_import_upload(uploaded_file=upload(content, name), actor=administrator)
    )


def confirmed(run_tasks, administrator, population_import, *, valid_only=False) -> PopulationImport:
    run_tasks(
        lambda: population_import_confirm(
            population_import=population_import, actor=administrator, valid_only=valid_only
        )
    )
    population_import.refresh_from_db()
    return population_import


def test_it_checks_an_upload_without_changing_the_population(run_tasks, administrator):
    checked = uploaded(run_tasks, administrator, csv_bytes([firm_row(1), firm_row(2)]))
    assert (checked.status, checked.rows_total, checked.rows_valid) == ("checked", 2, 2)
    assert PopulationFirm.objects.count() == 0


def test_it_imports_the_rows_once_confirmed(run_tasks, administrator):
    checked = uploaded(run_tasks, administrator, csv_bytes([firm_row(1), firm_row(2)]))
    done = confirmed(run_tasks, administrator, checked)
    assert (done.status, done.created_count, done.updated_count) == ("imported", 2, 0)
    entry = PopulationFirm.objects.get(credit_code=valid_credit_code(1))
    assert (entry.district, entry.industry, entry.size_class, entry.above_scale) == (
        "minhang",
        34,
        "small",
        True,
    )
    assert AuditEntry.objects.filter(action="diagnosis.population.imported").exists()


def test_it_imports_nothing_from_a_file_with_errors_unless_told_to(run_tasks, administrator):
    checked = uploaded(
        run_tasks, administrator, csv_bytes([firm_row(1), firm_row(2, district="火星")])
    )
    assert (checked.rows_valid, checked.rows_invalid) == (1, 1)
    with pytest.raises(PopulationError):
        population_import_confirm(population_import=checked, actor=administrator, valid_only=False)
    assert PopulationFirm.objects.count() == 0
    confirmed(run_tasks, administrator, checked, valid_only=True)
    assert list(PopulationFirm.objects.values_list("credit_code", flat=True)) == [
        valid_credit_code(1)
    ]


def test_it_refuses_to_import_a_file_with_a_file_error(run_tasks, administrator):
    checked = uploaded(run_tasks, administrator, b"name,phone\r\nx,1\r\n")
    assert checked.file_errors == 1 and not checked.can_import
    with pytest.raises(PopulationError):
        population_import_confirm(population_import=checked, actor=administrator, valid_only=True)


def test_it_updates_firms_by_credit_code_on_a_second_import(run_tasks, administrator):
    first = uploaded(run_tasks, administrator, csv_bytes([firm_row(1), firm_row(2)]))
    confirmed(run_tasks, administrator, first)
    imported_at = PopulationFirm.objects.get(credit_code=valid_credit_code(1)).imported_at
    again = uploaded(
        run_tasks,
        administrator,
        xlsx_bytes([firm_row(1, name="改名后的公司"), firm_row(3)]),
        "again.xlsx",
    )
    done = confirmed(run_tasks, administrator, again)
    assert (done.created_count, done.updated_count) == (1, 1)
    assert PopulationFirm.objects.count() == 3
    entry = PopulationFirm.objects.get(credit_code=valid_credit_code(1))
    assert (entry.name, entry.imported_at) == ("改名后的公司", imported_at)


def test_it_cannot_import_the_same_file_twice(run_tasks, administrator):
    checked = uploaded(run_tasks, administrator, csv_bytes([firm_row(1)]))
    confirmed(run_tasks, administrator, checked)
    with pytest.raises(PopulationError):
        population_import_confirm(population_import=checked, actor=administrator, valid_only=True)


def test_it_links_an_imported_entry_to_the_firm_already_registered(run_tasks, administrator):
    firm = make_firm(credit_code=valid_credit_code(1))
    confirmed(
        run_tasks, administrator, uploaded(run_tasks, administrator, csv_bytes([firm_row(1)]))
    )
    assert PopulationFirm.objects.get().firm == firm


def test_it_links_a_firm_that_registers_with_a_code_of_the_population(run_tasks, administrator):
    confirmed(
        run_tasks, administrator, uploaded(run_tasks, administrator, csv_bytes([firm_row(1)]))
    )
    firm = firm_services.firm_register(
        user=make_user(),
        name="甲",
        credit_code=valid_credit_code(1),
        industry=34,
        employees=10,
        revenue=100,
        district="minhang",
    )
    assert PopulationFirm.objects.get().firm == firm


def test_it_reports_an_unreadable_upload_as_a_file_problem(run_tasks, administrator):
    checked = uploaded(run_tasks, administrator, b"%PDF-1.4 not a list", "list.pdf")
    assert checked.status == "checked" and checked.file_errors == 1
    assert list(checked.problems.values_list("code", flat=True)) == ["file_not_table"]


def test_it_sets_and_removes_district_quotas(administrator):
    district_quotas_set(targets={"minhang": 300, "jiading": 120}, actor=administrator)
    district_quotas_set(targets={"minhang": 350, "jiading": None}, actor=administrator)
    assert dict(DistrictQuota.objects.values_list("district", "target")) == {"minhang": 350}
