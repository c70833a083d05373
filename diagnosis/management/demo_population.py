"""The demo's programme: a population of a few hundred firms over several districts, some
registered, their assessments in every status, quotas, and a past invitation campaign.
Called by seed_demo once (when the population is empty)."""

import csv
import io
import random
from datetime import timedelta

from django.contrib.auth.hashers import make_password
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Count
from django.utils import timezone

from diagnosis.current import refresh_current
from diagnosis.models import (
    Assessment,
    Assignment,
    DistrictQuota,
    Firm,
    Membership,
    OutreachCampaign,
    OutreachMessage,
    PopulationFirm,
    QuestionnaireVersion,
    User,
)
from diagnosis.population.columns import COLUMNS, template_headers
from diagnosis.population.synthetic import population_rows, row_cells
from diagnosis.services import review
from diagnosis.services.assessments import (
    AnswerEntry,
    answers_save,
    assessment_start,
    assessment_submit,
    goal_save,
)
from diagnosis.services.population import (
    population_import_check,
    population_import_confirm,
    population_import_run,
    population_import_upload,
)

# How many registered firms of the demo population stand at each step.
STEPS = {
    "registered": 8,
    "started": 12,
    "submitted": 8,
    "in_review": 4,
    "returned": 3,
    "signed_off": 10,
}


def seed_population(
    *,
    admin: User,
    consultant: User,
    size: int = 300,
    questionnaire: QuestionnaireVersion | None = None,
) -> None:
    """Import `size` firms through the real import, register some and move them along, their
    assessments on `questionnaire` (by default the current one)."""
    _import(admin, size)
    rng = random.Random(7)
    entries = list(PopulationFirm.objects.filter(firm__isnull=True).order_by("pk"))
    chosen = rng.sample(entries, sum(STEPS.values()))
    password = make_password("demo-pass-2026")
    provider = Assignment.objects.select_related("provider").first()
    assert provider is not None  # seed_demo assigns its demo firm before it seeds the population
    index = 0
    for step, count in STEPS.items():
        for entry in chosen[index : index + count]:
            firm = _register(entry, password)
            if step != "registered":
                Assignment.objects.create(
                    firm=firm, provider=provider.provider, consultant=consultant
                )
                _advance(firm, step, consultant, rng, questionnaire)
        index += count
    _quotas()
    _past_campaign(admin)


def _import(admin: User, size: int) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(template_headers("zh-hans"))
    registered = {firm.credit_code: firm for firm in Firm.objects.all()}
    for row in population_rows(size, seed=2026):
        writer.writerow(row_cells(row))
    for firm in registered.values():  # the demo's own firms are on the list too
        writer.writerow(
            [
                firm.credit_code,
                firm.name,
                firm.industry,
                firm.district,
                firm.employees,
                firm.revenue,
                "",
                "",
                "",
                "",
                "是",
                "否",
            ][: len(COLUMNS)]
        )
    upload = SimpleUploadedFile(
        "上海市制造业企业名单-demo.csv", buffer.getvalue().encode("gb18030")
    )
    population_import = population_import_upload(uploaded_file=upload, actor=admin)
    population_import_check(population_import=population_import)
    confirmed = population_import_confirm(
        population_import=population_import, actor=admin, valid_only=True
    )
    population_import_run(population_import=confirmed)


def _register(entry: PopulationFirm, password: str) -> Firm:
    firm = Firm.objects.create(
        name=entry.name,
        credit_code=entry.credit_code,
        industry=entry.industry,
        employees=entry.employees or 50,
        revenue=entry.revenue or 1000,
        district=entry.district,
    )
    owner = User.objects.create(
        email=f"owner{entry.pk}@demo.example", name=entry.contact_name, password=password
    )
    Membership.objects.create(user=owner, firm=firm, role=Membership.Role.OWNER)
    entry.firm = firm
    entry.save(update_fields=["firm"])
    return firm


def _advance(
    firm: Firm,
    step: str,
    consultant: User,
    rng: random.Random,
    questionnaire: QuestionnaireVersion | None,
) -> None:
    from diagnosis.management.commands.seed_demo import demo_value

    owner = firm.memberships.get().user
    assessment = assessment_start(firm=firm, user=owner, questionnaire=questionnaire)
    questions = list(assessment.questionnaire.definition.questions.values())
    level = rng.randint(2, 4)  # level 1 leaves some checklists empty (unanswered)
    answered = questions if step != "started" else questions[: rng.randint(5, 30)]
    entries = [
        AnswerEntry(code=question.code, value=demo_value(question, level, index))
        for index, question in enumerate(answered)
    ]
    answers_save(assessment=assessment, user=owner, entries=entries)
    for dimension in assessment.questionnaire.definition.dimensions:
        goal_save(
            assessment=assessment,
            dimension_code=dimension.code,
            target_level=min(level + 2, 5),
            relevance=3,
        )
    started = timezone.now() - timedelta(days=rng.randint(3, 45))
    if step != "started":
        assessment_submit(assessment=assessment, user=owner)
    if step == "in_review":
        review.review_comment(
            assessment=assessment, author=consultant, text="正在核对证据材料。", is_finding=False
        )
    elif step == "returned":
        review.review_return(
            assessment=assessment, consultant=consultant, comment="请补充设备联网的证明材料。"
        )
    elif step == "signed_off":
        review.review_sign_off(assessment=assessment, consultant=consultant)
    Assessment.objects.filter(pk=assessment.pk).update(created_at=started)
    refresh_current([assessment.firm_id])  # back-dated past the signals


def _quotas() -> None:
    """A quota of about 40 % of each district's firms in the list."""
    counts = PopulationFirm.objects.values("district").annotate(n=Count("pk"))
    for row in counts:
        DistrictQuota.objects.get_or_create(
            district=row["district"], defaults={"target": max(1, round(row["n"] * 0.4))}
        )


def _past_campaign(admin: User) -> None:
    """Invitations sent ten days ago to the firms of Minhang and Jiading with an email."""
    sent = timezone.now() - timedelta(days=10)
    campaign = OutreachCampaign.objects.create(
        kind=OutreachCampaign.Kind.INVITATION,
        status=OutreachCampaign.Status.QUEUED,
        filters={"districts": ["minhang", "jiading"]},
        created_by=admin,
        created_at=sent,
    )
    entries = PopulationFirm.objects.filter(district__in=["minhang", "jiading"]).exclude(
        contact_email=""
    )
    OutreachMessage.objects.bulk_create(
        OutreachMessage(
            campaign=campaign,
            population_firm=entry,
            email=entry.contact_email,
            language="zh-hans",
            sent_at=sent,
        )
        for entry in entries
    )
    campaign.firms_count = entries.count()
    campaign.save(update_fields=["firms_count"])
    entries.update(last_invited_at=sent)
