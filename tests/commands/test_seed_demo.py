from io import StringIO

from django.core import mail
from django.core.management import call_command

from diagnosis.models import Assessment, BenchmarkCell, Firm, PopulationFirm, User
from diagnosis.queries.population import population_with_status, status_counts
from diagnosis.services.assessments import assessment_start
from tests.versions_world import publish_v2


def test_it_seeds_the_demo_once_and_prints_the_logins(questionnaire, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    out = StringIO()
    call_command("seed_demo", stdout=out)
    call_command("seed_demo", stdout=StringIO())
    assert "respondent@demo.example" in out.getvalue()
    assert "demo-pass-2026" in out.getvalue()
    assert User.objects.get(email="admin@demo.example").is_programme_admin
    demo_firms = Firm.objects.filter(memberships__user__email__endswith="@demo.example")
    assert demo_firms.filter(name="上海示范精密机械有限公司").exists()
    counts = status_counts(population_with_status())
    assert sum(counts.values()) == PopulationFirm.objects.count() > 200
    assert all(counts.values()), counts  # every step of the programme has firms
    assert PopulationFirm.objects.values("district").distinct().count() >= 5
    officer = User.objects.get(email="officer@demo.example")
    assert sorted(officer.district_scopes.values_list("district", flat=True)) == [
        "jiading",
        "minhang",
    ]
    assert "officer@demo.example" in out.getvalue()
    assert mail.outbox == []
    assert User.objects.get(email="respondent@demo.example").check_password("demo-pass-2026")


def test_it_keeps_the_demo_history_on_v1_and_lets_demo_firms_start_on_v2(
    questionnaire, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    v2 = publish_v2()  # as `make db` does: both versions published before the demo is seeded
    call_command("seed_demo", stdout=StringIO())

    assert set(Assessment.objects.values_list("questionnaire", flat=True)) == {questionnaire.pk}
    demo_firm = Firm.objects.get(name="上海示范精密机械有限公司")
    history = demo_firm.assessments.get()
    assert history.status == Assessment.Status.VALIDATED
    respondent = User.objects.get(email="respondent@demo.example")
    following = assessment_start(firm=demo_firm, user=respondent)
    assert following.questionnaire == v2
    assert following.previous == history


def test_it_refreshes_the_figures_once_and_prints_the_logins_last(
    questionnaire, settings, tmp_path, caplog, django_capture_on_commit_callbacks
):
    """Each seeded sign-off would queue a refresh, and on the immediate backend of `make run`
    each ran at once: some 40 refreshes whose log lines buried the logins."""
    settings.MEDIA_ROOT = tmp_path
    out = StringIO()
    with caplog.at_level("INFO"), django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", stdout=out)
    refreshes = [r.getMessage() for r in caplog.records if "refreshed" in r.getMessage()]
    assert len(refreshes) == 2, refreshes  # the result figures and the peer benchmarks
    assert BenchmarkCell.objects.exists()
    assert out.getvalue().rstrip().splitlines()[-1].startswith("Open http://127.0.0.1:8000/")
