"""Many population firms with registered firms, assessments in every status and stored
scores, written in bulk (tests at two sizes and the export benchmark)."""

import random
from datetime import timedelta

from django.utils import timezone

from diagnosis.current import refresh_current
from diagnosis.firmdata import credit_code_check_character
from diagnosis.models import (
    Assessment,
    Assignment,
    Dimension,
    DimensionScore,
    Firm,
    PopulationFirm,
    Provider,
    QuestionnaireVersion,
    ScoreResult,
)

DISTRICTS = ("minhang", "jiading", "pudong", "songjiang")
STATUSES = ("draft", "submitted", "in_review", "returned", "validated")


def credit_code(serial: int) -> str:
    first17 = f"91310000MB{serial:07d}"
    return first17 + credit_code_check_character(first17)


def make_directory_firms(
    count: int,
    *,
    questionnaire: QuestionnaireVersion,
    provider: Provider | None = None,
    start: int = 0,
    seed: int = 7,
    batch: int = 2000,
) -> None:
    """`count` population firms: a fifth not registered, the rest registered, most with an
    assessment (every status), self-assessed scores from submission on, validated ones at
    sign-off; a third of the registered firms assigned to `provider`."""
    rng = random.Random(seed)
    dimensions = list(Dimension.objects.filter(questionnaire=questionnaire))
    now = timezone.now()
    for offset in range(0, count, batch):
        serials = range(start + offset, start + min(offset + batch, count))
        firms = []
        entries = []
        for serial in serials:
            district = DISTRICTS[serial % len(DISTRICTS)]
            name = ("=HYPERLINK(1)" if serial % 97 == 0 else "测试制造") + f" {serial:07d}"
            entry = PopulationFirm(
                credit_code=credit_code(serial),
                name=name,
                industry=34 if serial % 3 else 36,
                district=district,
                size_class="small",
                above_scale=serial % 2 == 0,
                imported_at=now,
                updated_at=now,
            )
            entries.append(entry)
            if serial % 5:
                firms.append(
                    Firm(
                        name=name,
                        credit_code=entry.credit_code,
                        industry=entry.industry,
                        employees=100,
                        revenue=5000,
                        size_class="small",
                        district=district,
                    )
                )
        Firm.objects.bulk_create(firms)
        by_code = dict(
            Firm.objects.filter(credit_code__in=[f.credit_code for f in firms]).values_list(
                "credit_code", "pk"
            )
        )
        for entry in entries:
            entry.firm_id = by_code.get(entry.credit_code)
        PopulationFirm.objects.bulk_create(entries)
        assessments = []
        for firm_id in by_code.values():
            if firm_id % 6 == 0:
                continue  # registered, not started
            status = STATUSES[firm_id % len(STATUSES)]
            submitted = None if status == "draft" else now - timedelta(days=rng.randint(1, 60))
            assessments.append(
                Assessment(
                    firm_id=firm_id,
                    questionnaire=questionnaire,
                    status=status,
                    submitted_at=submitted,
                    validated_at=submitted + timedelta(days=rng.randint(1, 20))
                    if status == "validated" and submitted
                    else None,
                )
            )
        Assessment.objects.bulk_create(assessments)
        if provider is not None:
            Assignment.objects.bulk_create(
                [
                    Assignment(firm_id=pk, provider=provider)
                    for pk in by_code.values()
                    if pk % 3 == 0
                ]
            )
        saved = Assessment.objects.filter(firm_id__in=list(by_code.values())).exclude(
            status="draft"
        )
        results = []
        for assessment_id, status in saved.values_list("pk", "status"):
            kinds = ["self", "validated"] if status == "validated" else ["self"]
            for kind in kinds:
                overall = round(rng.uniform(10, 95), 2)
                results.append(
                    ScoreResult(
                        assessment_id=assessment_id,
                        kind=kind,
                        overall=overall,
                        level=min(5, int(overall // 20)),
                        card={},
                        definition_version="bench",
                        scoring_version="bench",
                        computed_at=now,
                    )
                )
        ScoreResult.objects.bulk_create(results)
        refresh_current(by_code.values())  # written in bulk, past the signals
        saved_results = ScoreResult.objects.filter(assessment__in=saved).values_list(
            "pk", flat=True
        )
        DimensionScore.objects.bulk_create(
            [
                DimensionScore(
                    result_id=result_id,
                    dimension=dimension,
                    score=round(rng.uniform(0, 100), 1),
                    level=rng.randint(0, 5),
                )
                for result_id in saved_results
                for dimension in dimensions
            ],
            batch_size=5000,
        )
