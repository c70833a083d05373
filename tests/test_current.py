"""FirmCurrent follows the assessments however they are written: services, the admin's
save(), deletes, and results stored or replaced."""

from datetime import timedelta

import pytest
from django.utils import timezone

from diagnosis.current import refresh_current
from diagnosis.models import Assessment, FirmCurrent, ScoreResult
from tests.factories import make_score_result

pytestmark = pytest.mark.django_db


def current(firm) -> tuple[int, str, float | None, int | None]:
    row = FirmCurrent.objects.get(firm=firm)
    return row.assessment_id, row.status, row.overall, row.level


def test_it_follows_the_latest_assessment_its_status_and_its_best_result(firm, questionnaire):
    assert not FirmCurrent.objects.filter(firm=firm).exists()
    older = Assessment.objects.create(
        firm=firm, questionnaire=questionnaire, status=Assessment.Status.VALIDATED
    )
    make_score_result(older, "self", {}, overall=40, level=2)
    make_score_result(older, "validated", {}, overall=35, level=1)
    assert current(firm) == (older.pk, "validated", 35, 1)  # validated wins over self

    newer = Assessment.objects.create(firm=firm, questionnaire=questionnaire)
    assert current(firm) == (newer.pk, "draft", None, None)

    newer.status = Assessment.Status.SUBMITTED  # as the admin saves it
    newer.save()
    make_score_result(newer, "self", {}, overall=61, level=3)
    assert current(firm) == (newer.pk, "submitted", 61, 3)

    ScoreResult.objects.filter(assessment=newer).get().delete()
    assert current(firm) == (newer.pk, "submitted", None, None)

    newer.delete()
    assert current(firm) == (older.pk, "validated", 35, 1)  # back to the one before
    older.delete()
    assert not FirmCurrent.objects.filter(firm=firm).exists()


def test_a_full_refresh_repairs_rows_written_past_the_signals(firm, other_firm, questionnaire):
    first = Assessment.objects.create(firm=firm, questionnaire=questionnaire)
    second = Assessment.objects.create(firm=firm, questionnaire=questionnaire, status="validated")
    Assessment.objects.filter(pk=first.pk).update(created_at=timezone.now() + timedelta(days=1))
    Assessment.objects.bulk_create([Assessment(firm=other_firm, questionnaire=questionnaire)])
    assert current(firm)[0] == second.pk  # stale: update() sends no signal

    refresh_current()

    assert current(firm)[:2] == (first.pk, "draft")
    assert FirmCurrent.objects.get(firm=other_firm).status == "draft"
