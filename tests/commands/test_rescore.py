from io import StringIO

from django.core.management import call_command

from diagnosis.models import ScoreResult


def rescore(*args: str) -> str:
    out = StringIO()
    call_command("rescore", *args, stdout=out)
    return out.getvalue()


def test_it_reproduces_stored_results_exactly(submitted):
    assert "1 results checked, 0 changed" in rescore()


def test_it_lists_and_stores_what_changed(submitted):
    result = ScoreResult.objects.get(assessment=submitted)
    card = result.card
    card["overall"] = 1.0
    ScoreResult.objects.filter(pk=result.pk).update(card=card, overall=1.0)
    output = rescore("--dry-run")
    assert f"assessment {submitted.pk} (self): overall 1.0 →" in output
    assert ScoreResult.objects.get(pk=result.pk).overall == 1.0
    rescore("--questionnaire", "smart-manufacturing@1")
    assert ScoreResult.objects.get(pk=result.pk).overall != 1.0


def test_it_filters_by_questionnaire_version(submitted):
    assert "0 results checked" in rescore("--questionnaire", "2")
