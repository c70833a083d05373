"""manage.py generate_city: a small synthetic city is consistent, the programme office's
pages show it, and the peer benchmark refresh works on it (SQLite and PostgreSQL)."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count, F, Q
from django.urls import reverse

from diagnosis.management.city import generate_city
from diagnosis.models import (
    Assessment,
    Assignment,
    BenchmarkCell,
    DimensionScore,
    DistrictQuota,
    Firm,
    PopulationFirm,
    ProviderMembership,
    ReviewComment,
    ScoreResult,
)
from diagnosis.scoring import ScoreCard
from diagnosis.services.benchmarks import refresh_benchmarks
from tests.factories import make_firm
from tests.versions_world import publish_v2

FIRMS, ASSESSMENTS = 120, 400


@pytest.fixture
def city(questionnaire):
    return generate_city(firms=FIRMS, assessments=ASSESSMENTS, seed=3, cards=10)


def test_it_writes_the_firms_and_assessments_asked_for(city, questionnaire):
    assert Firm.objects.count() == FIRMS == city.firms
    assert Assessment.objects.count() == ASSESSMENTS == city.assessments
    assert set(city.statuses) == set(Assessment.Status.values)
    unregistered = PopulationFirm.objects.filter(firm__isnull=True).count()
    assert 0 < unregistered < FIRMS / 4
    outside = Firm.objects.filter(population_entry__isnull=True).count()
    assert 0 < outside < FIRMS / 10
    assert Firm.objects.filter(assessments__isnull=True).exists()  # registered, not started
    assert ProviderMembership.objects.filter(role="manager").count() == 3
    assert DistrictQuota.objects.exists()


def test_it_keeps_the_firms_history_as_the_app_would(city):
    open_per_firm = (
        Assessment.objects.filter(status__in=Assessment.OPEN_STATUSES)
        .values("firm")
        .annotate(n=Count("pk"))
    )
    assert max(row["n"] for row in open_per_firm) == 1
    reassessed = Assessment.objects.filter(previous__isnull=False)
    assert reassessed.exists()
    for assessment in reassessed.select_related("previous")[:50]:
        previous = assessment.previous
        assert previous is not None and previous.validated_at is not None
        assert previous.firm_id == assessment.firm_id
        assert previous.status == Assessment.Status.VALIDATED
        assert previous.validated_at < assessment.created_at
    signed = Assessment.objects.filter(status=Assessment.Status.VALIDATED)
    assert not signed.filter(
        Q(validated_at__isnull=True) | Q(report_number__isnull=True) | Q(validated_by__isnull=True)
    ).exists()
    assert not signed.exclude(firm__assignment__consultant=F("validated_by")).exists()
    returned = Assessment.objects.filter(status=Assessment.Status.RETURNED)
    assert (
        returned.count()
        == ReviewComment.objects.filter(assessment__in=returned, is_return_reason=True).count()
    )
    assert not Assessment.objects.filter(
        status=Assessment.Status.IN_REVIEW, firm__assignment__consultant__isnull=True
    ).exists()


def test_it_stores_the_scores_as_the_scoring_service_does(city, questionnaire):
    submitted = Assessment.objects.filter(submitted_at__isnull=False)
    signed = submitted.filter(status=Assessment.Status.VALIDATED)
    results = ScoreResult.objects.all()
    assert results.filter(kind="self").count() == submitted.count()
    assert results.filter(kind="validated").count() == signed.count()
    assert not Assessment.objects.filter(submitted_at__isnull=True, results__isnull=False).exists()
    dimensions = questionnaire.dimensions.count()
    assert DimensionScore.objects.count() == dimensions * results.count()
    with_card = results.exclude(card={}).select_related("assessment").first()
    assert with_card is not None
    card = ScoreCard.from_dict(with_card.card)
    assert card.overall == with_card.overall and card.level == with_card.level
    stored = dict(
        DimensionScore.objects.filter(result=with_card).values_list("dimension__code", "score")
    )
    assert stored == {dimension.code: dimension.score for dimension in card.dimensions}
    assert {r.definition_version for r in results[:20]} == {"smart-manufacturing@1"}


def test_it_assigns_every_firm_a_consultant_worked_on(city):
    reviewed = Firm.objects.filter(
        assessments__status__in=["in_review", "returned", "validated"]
    ).distinct()
    assert not reviewed.filter(assignment__isnull=True).exists()
    assert Assignment.objects.count() < Firm.objects.count()  # some firms wait for one


def test_the_programme_office_pages_show_the_city(client, city, administrator):
    client.force_login(administrator)
    pages = [
        (reverse("coverage"), {}),
        (reverse("results"), {}),
        (reverse("results"), {"district": "pudong"}),
        (reverse("providers"), {}),
        (reverse("directory"), {}),
        (reverse("directory"), {"district": "pudong", "sort": "-overall", "page": "2"}),
        (reverse("directory"), {"status": "signed_off", "sort": "-submitted", "page": "50"}),
        (reverse("directory_export", args=["csv"]), {"district": "pudong"}),
    ]
    for url, query in pages:
        response = client.get(url, query)
        assert response.status_code == 200, (url, query)
    coverage = client.get(reverse("coverage")).context
    assert coverage["steps"][0].cell.count == PopulationFirm.objects.count()


def test_the_peer_benchmark_refresh_works_on_the_city(city, settings):
    settings.PEER_MIN_COUNT = 5
    outcome = refresh_benchmarks()
    assert outcome.succeeded, outcome.error
    assert outcome.cells == BenchmarkCell.objects.count() > 0
    overall = BenchmarkCell.objects.get(segment="all", dimension="")
    signed_firms = (
        Assessment.objects.filter(status=Assessment.Status.VALIDATED)
        .values("firm")
        .distinct()
        .count()
    )
    assert overall.firms == signed_firms


def test_it_adds_a_second_city_beside_the_first(city):
    second = generate_city(firms=30, assessments=50, seed=4, cards=0)
    assert second.firms == FIRMS + 30
    assert second.assessments == ASSESSMENTS + 50
    # The id sequences moved past the generated rows: the app's own inserts still work.
    firm = make_firm()
    assert not Firm.objects.filter(pk__gt=firm.pk).exists()


def test_the_command_reports_what_it_wrote(questionnaire):
    out = StringIO()
    call_command("generate_city", "--firms", "20", "--assessments", "30", stdout=out)
    assert "20 firms" in out.getvalue() and "30 assessments" in out.getvalue()


def test_the_command_needs_a_published_questionnaire(db):
    with pytest.raises(CommandError, match="Publish a questionnaire"):
        call_command("generate_city", "--firms", "5", "--assessments", "5")


def test_it_builds_the_city_on_v2_once_v2_is_published(questionnaire):
    v2 = publish_v2()
    generate_city(firms=20, assessments=30, cards=5)
    assert set(Assessment.objects.values_list("questionnaire", flat=True)) == {v2.pk}
    assert ScoreResult.objects.filter(assessment__questionnaire=v2).exists()
