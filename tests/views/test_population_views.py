import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from diagnosis.models import PopulationFirm, PopulationImport
from diagnosis.services.outreach import invitation_token
from tests.factories import make_firm, make_population_firm, valid_credit_code
from tests.population_files import csv_bytes, firm_row, upload

LIST_BUDGET = 10


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def post(client, django_capture_on_commit_callbacks):
    """POST, then run what the view queued after commit (the tasks), as a real commit would."""

    def post(url: str, data: dict | None = None):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(url, data or {})

    return post


@pytest.fixture
def post_file(post):
    def post_file(content: bytes, name: str = "firms.csv"):
        return post(reverse("population_import_new"), {"file": upload(content, name)})

    return post_file


def test_it_lists_only_an_officers_districts(client, district_officer):
    make_population_firm(district="minhang", name="闵行企业")
    make_population_firm(district="jiading", name="嘉定企业")
    client.force_login(district_officer)
    page = client.get(reverse("population")).content.decode()
    assert "闵行企业" in page and "嘉定企业" not in page


def test_it_answers_a_filter_outside_the_officers_districts_with_400(client, district_officer):
    client.force_login(district_officer)
    assert client.get(reverse("population"), {"district": "jiading"}).status_code == 400


@pytest.mark.parametrize(
    "query", [{"industry": "abc"}, {"status": "lost"}, {"above_scale": "maybe"}, {"q": "x" * 200}]
)
def test_it_answers_nonsense_filters_with_400(client, administrator, query):
    client.force_login(administrator)
    assert client.get(reverse("population"), query).status_code == 400


@pytest.mark.parametrize("page", ["999", "abc", "-1", "0"])
def test_it_shows_a_page_for_any_page_number(client, administrator, page):
    make_population_firm()
    client.force_login(administrator)
    assert client.get(reverse("population"), {"page": page}).status_code == 200


def test_it_filters_by_status_flags_and_division(client, administrator, questionnaire):
    registered = make_firm()
    make_population_firm(name="FIRM-REGISTERED", firm=registered, specialised=True, industry=36)
    make_population_firm(name="FIRM-NEW", specialised=True, industry=36)
    make_population_firm(name="FIRM-OTHER-DIVISION", specialised=True, industry=13)
    client.force_login(administrator)
    page = client.get(
        reverse("population"), {"status": "not_registered", "specialised": "yes", "industry": "36"}
    ).content.decode()
    assert "FIRM-NEW" in page
    assert "FIRM-REGISTERED" not in page and "FIRM-OTHER-DIVISION" not in page


def test_it_lists_the_population_in_a_constant_number_of_queries(
    client, administrator, django_assert_max_num_queries
):
    client.force_login(administrator)
    client.get(reverse("population"))
    for _ in range(60):
        make_population_firm()
    with django_assert_max_num_queries(LIST_BUDGET):
        response = client.get(reverse("population"), {"page": "2"})
    assert response.status_code == 200


def test_it_escapes_names_from_the_list(client, administrator):
    make_population_firm(name="<script>alert(1)</script>")
    client.force_login(administrator)
    page = client.get(reverse("population")).content.decode()
    assert "<script>alert(1)" not in page and "&lt;script&gt;" in page


def test_it_shows_an_officer_their_districts_entry_and_404_for_another(client, district_officer):
    mine = make_population_firm(district="minhang")
    theirs = make_population_firm(district="jiading")
    client.force_login(district_officer)
    assert client.get(reverse("population_firm", args=[mine.pk])).status_code == 200
    assert client.get(reverse("population_firm", args=[theirs.pk])).status_code == 404


def test_it_uploads_checks_and_imports_a_file(client, administrator, post, post_file):
    client.force_login(administrator)
    response = post_file(csv_bytes([firm_row(1), firm_row(2, district="火星")]))
    population_import = PopulationImport.objects.get()
    assert response.url == reverse("population_import", args=[population_import.pk])
    page = client.get(response.url).content.decode()
    assert "火星" in page and 'data-testid="confirm"' in page
    post(reverse("population_import_confirm", args=[population_import.pk]))
    assert PopulationFirm.objects.count() == 0
    post(reverse("population_import_confirm", args=[population_import.pk]), {"valid_only": "on"})
    assert list(PopulationFirm.objects.values_list("credit_code", flat=True)) == [
        valid_credit_code(1)
    ]


@pytest.mark.parametrize(
    ("content", "name"),
    [
        (b"", "empty.csv"),
        (b"%PDF-1.4", "list.pdf"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "old.xls"),
    ],
)
def test_it_answers_files_it_cannot_read_with_a_message(
    client, administrator, post_file, content, name
):
    client.force_login(administrator)
    response = post_file(content, name)
    assert response.status_code in (302, 400)
    assert PopulationFirm.objects.count() == 0


def test_it_refuses_a_file_over_the_limit_before_storing_it(
    client, administrator, post_file, settings
):
    settings.POPULATION_IMPORT_MAX_BYTES = 1000
    client.force_login(administrator)
    response = post_file(csv_bytes([firm_row(n) for n in range(1, 100)]))
    assert response.status_code == 400
    assert (
        "Split it into smaller files" in response.content.decode()
        or "拆分" in response.content.decode()
    )
    assert PopulationImport.objects.count() == 0


def test_it_downloads_the_report_with_formulas_neutralised(client, administrator, post_file):
    client.force_login(administrator)
    post_file(csv_bytes([firm_row(1, district="=cmd|' /C calc'!A0")]))
    population_import = PopulationImport.objects.get()
    response = client.get(reverse("population_import_report", args=[population_import.pk]))
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows[0] == ["行 Row", "列", "Column", "问题", "Problem"]
    (problem,) = rows[1:]
    assert problem[:3] == ["2", "所在区", "district"]
    assert (
        problem[4]
        == "Starts with “=”: spreadsheet formulas are not accepted. Paste the value instead."
    )


def test_it_neutralises_user_text_quoted_in_the_report(client, administrator, post_file):
    client.force_login(administrator)
    post_file(csv_bytes([firm_row(1, district="+SUM(A1)")]))
    population_import = PopulationImport.objects.get()
    response = client.get(reverse("population_import_report", args=[population_import.pk]))
    rows = list(
        csv.reader(io.StringIO(b"".join(response.streaming_content).decode().lstrip("\ufeff")))
    )
    assert all(not cell.startswith(("=", "+", "-", "@")) for cell in rows[1])


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_it_offers_a_template_the_import_reads_back(client, administrator, post_file, file_format):
    client.force_login(administrator)
    template = client.get(reverse("population_template", args=[file_format])).content
    if file_format == "xlsx":
        sheet = load_workbook(io.BytesIO(template), read_only=True).active
        assert sheet is not None
        assert next(sheet.iter_rows(values_only=True))[0] == "统一社会信用代码"
    response = post_file(template, f"template.{file_format}")
    population_import = PopulationImport.objects.get(pk=response.url.rstrip("/").split("/")[-1])
    assert (population_import.rows_valid, population_import.rows_invalid) == (1, 0)


def test_it_saves_district_quotas(client, administrator):
    client.force_login(administrator)
    client.post(reverse("district_quotas"), {"minhang": "300", "pudong": ""})
    response = client.post(reverse("district_quotas"), {"minhang": "-5"})
    assert response.status_code == 400
    page = client.get(reverse("district_quotas")).content.decode()
    assert 'value="300"' in page


def test_it_fills_in_the_registration_from_an_invitation_link(client, outsider):
    entry = make_population_firm(name="上海名单企业", employees=240, district="songjiang")
    token = invitation_token(entry)
    welcome = client.get(reverse("population_welcome", args=[token]))
    assert "上海名单企业" in welcome.content.decode()
    client.force_login(outsider)
    response = client.get(reverse("population_welcome", args=[token]), follow=True)
    form = response.context["form"]
    assert form.initial["name"] == "上海名单企业"
    assert (form.initial["employees"], form.initial["district"]) == (240, "songjiang")
    assert 'value="上海名单企业"' in response.content.decode()


def test_it_fills_in_only_public_details_from_a_code_looked_up(client, outsider):
    entry = make_population_firm(name="查到的企业", employees=240)
    client.force_login(outsider)
    response = client.get(reverse("firm_register"), {"code": entry.credit_code})
    assert response.context["form"].initial["name"] == "查到的企业"
    assert "employees" not in response.context["form"].initial


def test_it_says_so_for_a_broken_invitation_link(client):
    assert client.get(reverse("population_welcome", args=["nonsense"])).status_code == 404


def test_it_links_the_firm_registered_through_the_invitation(client, outsider):
    entry = make_population_firm(name="上海名单企业")
    client.force_login(outsider)
    url = reverse("firm_register") + "?invitation=" + invitation_token(entry)
    client.post(
        url,
        {
            "name": "上海名单企业",
            "credit_code": entry.credit_code,
            "industry": "34",
            "employees": "40",
            "revenue": "900",
            "district": "minhang",
        },
    )
    entry.refresh_from_db()
    assert entry.firm is not None and entry.firm.name == "上海名单企业"
