from io import StringIO

from django.core import mail
from django.core.management import call_command

from diagnosis.models import Assessment, Firm, User


def test_it_seeds_the_demo_once_and_prints_the_logins(questionnaire):
    out = StringIO()
    call_command("seed_demo", stdout=out)
    call_command("seed_demo", stdout=StringIO())
    assert "respondent@demo.example" in out.getvalue()
    assert "demo-pass-2026" in out.getvalue()
    assert Firm.objects.count() == 2
    assert User.objects.get(email="admin@demo.example").is_programme_admin
    statuses = sorted(Assessment.objects.values_list("status", flat=True))
    assert statuses == ["submitted", "validated"]
    assert mail.outbox == []
    assert User.objects.get(email="respondent@demo.example").check_password("demo-pass-2026")
