from io import StringIO
from typing import cast

from django.core.management import call_command
from django.tasks import default_task_backend
from django.tasks.backends.dummy import DummyBackend

from diagnosis.models import ScoreResult
from diagnosis.services.scoring import rescore_results


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


def test_it_queues_the_work_in_chunks_for_a_worker(submitted, settings, monkeypatch):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    monkeypatch.setattr("diagnosis.management.commands.rescore.CHUNK", 1)
    ScoreResult.objects.create(
        assessment=submitted, kind=ScoreResult.Kind.VALIDATED, **_copy_of_self(submitted)
    )

    output = rescore()

    assert "2 results queued for re-scoring in 2 tasks" in output
    backend = cast(DummyBackend, default_task_backend)
    ids = sorted(ScoreResult.objects.values_list("pk", flat=True))
    assert [list(task.args[0]) for task in backend.results] == [[ids[0]], [ids[1]]]


def test_a_rescoring_task_run_again_changes_nothing_more(submitted):
    result = ScoreResult.objects.get(assessment=submitted)
    ScoreResult.objects.filter(pk=result.pk).update(
        overall=1.0, card={**result.card, "overall": 1.0}
    )

    first = rescore_results.call([result.pk])
    again = rescore_results.call([result.pk])

    assert len(first) == 1 and first[0].startswith(f"assessment {submitted.pk} (self): overall 1.0")
    assert again == []


def _copy_of_self(assessment) -> dict:
    stored = ScoreResult.objects.get(assessment=assessment)
    fields = ("overall", "level", "card", "definition_version", "scoring_version", "computed_at")
    return {name: getattr(stored, name) for name in fields}
