from datetime import timedelta
from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from diagnosis.current import refresh_current
from diagnosis.firmdata import credit_code_check_character
from diagnosis.management.demo_population import seed_population
from diagnosis.models import (
    Assessment,
    Assignment,
    DistrictOfficer,
    Firm,
    Membership,
    PopulationFirm,
    Provider,
    ProviderMembership,
    QuestionnaireVersion,
    User,
)
from diagnosis.scoring.definition import QuestionSpec, QuestionType
from diagnosis.services import review
from diagnosis.services.assessments import (
    AnswerEntry,
    answers_save,
    assessment_start,
    assessment_submit,
    goal_save,
)
from diagnosis.services.benchmarks import benchmark_refreshes_held, refresh_programme_figures
from diagnosis.services.questionnaires import current_questionnaire

DEMO_PASSWORD = "demo-pass-2026"  # noqa: S105 - printed on purpose: demo accounts only
DEMO_FIRM_CODE = "91310115MA1K4ABC2" + credit_code_check_character("91310115MA1K4ABC2")
PEER_FIRM_CODE = "91310114MA1G7XY45" + credit_code_check_character("91310114MA1G7XY45")

DEMO_USERS = [
    ("respondent@demo.example", "王芳 Wang Fang", "respondent (firm owner)"),
    ("colleague@demo.example", "李强 Li Qiang", "respondent (colleague)"),
    ("consultant@demo.example", "陈静 Chen Jing", "consultant"),
    ("manager@demo.example", "赵磊 Zhao Lei", "provider manager"),
    ("admin@demo.example", "周敏 Zhou Min", "programme administrator"),
    (
        "peer@demo.example",
        "刘洋 Liu Yang",
        "respondent of a second firm (submitted, awaiting review)",
    ),
    ("officer@demo.example", "孙丽 Sun Li", "district officer of Minhang and Jiading"),
]
OFFICER_DISTRICTS = ("minhang", "jiading")
POPULATION_SIZE = 300


class Command(BaseCommand):
    help = "Create the demo firm, provider and users (idempotent) and print their logins."

    # Outermost, so that notifications queued on commit are switched off too.
    @override_settings(SEND_NOTIFICATIONS=False)
    def handle(self, *args: Any, **options: Any) -> None:
        # One refresh of the figures and benchmarks once everything is stored, not one per
        # seeded sign-off; then the logins, so they are the last thing `make run` prints
        # before the server starts.
        with benchmark_refreshes_held():
            self._seed()
        refresh_programme_figures()  # the results page shows the seeded city at once
        self._print_logins()

    @transaction.atomic
    def _seed(self) -> None:
        users = {email: self._user(email, name) for email, name, _role in DEMO_USERS}
        firm, _ = Firm.objects.get_or_create(
            credit_code=DEMO_FIRM_CODE,
            defaults={
                "name": "上海示范精密机械有限公司",
                "industry": 34,
                "employees": 180,
                "revenue": 15000,
                "district": "pudong",
            },
        )
        for email, role in (
            ("respondent@demo.example", Membership.Role.OWNER),
            ("colleague@demo.example", Membership.Role.RESPONDENT),
        ):
            Membership.objects.get_or_create(user=users[email], firm=firm, defaults={"role": role})
        provider, _ = Provider.objects.get_or_create(name="示范诊断服务商 Demo Diagnosis Provider")
        for email, provider_role in (
            ("consultant@demo.example", ProviderMembership.Role.CONSULTANT),
            ("manager@demo.example", ProviderMembership.Role.MANAGER),
        ):
            ProviderMembership.objects.get_or_create(
                user=users[email], provider=provider, defaults={"role": provider_role}
            )
        Assignment.objects.get_or_create(
            firm=firm,
            defaults={"provider": provider, "consultant": users["consultant@demo.example"]},
        )
        self._history(firm, users)
        admin = users["admin@demo.example"]
        if not admin.is_programme_admin:
            admin.is_programme_admin = admin.is_staff = admin.is_superuser = True
            admin.save()
        for district in OFFICER_DISTRICTS:
            DistrictOfficer.objects.get_or_create(
                user=users["officer@demo.example"], district=district
            )
        if not PopulationFirm.objects.exists():
            seed_population(
                admin=admin,
                consultant=users["consultant@demo.example"],
                questionnaire=history_questionnaire(),
            )

    def _history(self, firm: Firm, users: dict[str, User]) -> None:
        """A signed-off assessment of the demo firm a year ago (so a new one shows progress)
        and a second firm's submitted assessment waiting in the consultant's queue."""
        if Assessment.objects.filter(firm=firm).exists():
            return
        respondent, consultant = users["respondent@demo.example"], users["consultant@demo.example"]
        questionnaire = history_questionnaire()
        past = self._submitted(firm, respondent, level=2, questionnaire=questionnaire)
        review.review_sign_off(assessment=past, consultant=consultant)
        year_ago = timezone.now() - timedelta(days=365)
        Assessment.objects.filter(pk=past.pk).update(
            created_at=year_ago - timedelta(days=7),
            submitted_at=year_ago,
            validated_at=year_ago,
            report_number=review.report_number(past.pk, year_ago.year),
        )
        refresh_current([firm.pk])  # back-dated past the signals
        peer, _ = Firm.objects.get_or_create(
            credit_code=PEER_FIRM_CODE,
            defaults={
                "name": "上海示范电子科技有限公司",
                "industry": 39,
                "employees": 420,
                "revenue": 36000,
                "district": "minhang",
            },
        )
        peer_owner = self._user("peer@demo.example", "刘洋 Liu Yang")
        Membership.objects.get_or_create(
            user=peer_owner, firm=peer, defaults={"role": Membership.Role.OWNER}
        )
        Assignment.objects.get_or_create(
            firm=peer, defaults={"provider": firm.assignment.provider, "consultant": consultant}
        )
        self._submitted(peer, peer_owner, level=3, questionnaire=questionnaire)

    def _submitted(
        self, firm: Firm, user: User, *, level: int, questionnaire: QuestionnaireVersion | None
    ) -> Assessment:
        assessment = assessment_start(firm=firm, user=user, questionnaire=questionnaire)
        definition = assessment.questionnaire.definition
        entries = [
            AnswerEntry(code=q.code, value=demo_value(q, level, index))
            for index, q in enumerate(definition.questions.values())
        ]
        answers_save(assessment=assessment, user=user, entries=entries)
        for dimension in definition.dimensions:
            goal_save(
                assessment=assessment,
                dimension_code=dimension.code,
                target_level=min(level + 2, 5),
                relevance=3,
            )
        return assessment_submit(assessment=assessment, user=user)

    def _user(self, email: str, name: str) -> User:
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(email=email, name=name, password=DEMO_PASSWORD)
        return user

    def _print_logins(self) -> None:
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
        for email, _name, role in DEMO_USERS:
            self.stdout.write(f"  {email:28} {role}")
        self.stdout.write("Open http://127.0.0.1:8000/ and log in with one of them.")


def history_questionnaire() -> QuestionnaireVersion | None:
    """The version the demo's history was taken on: the oldest published version of the
    current questionnaire (v1 once v2 is published too), so that the demo firm's next
    assessment starts on the newest and its report compares across versions."""
    current = current_questionnaire()
    if current is None:
        return None
    return (
        QuestionnaireVersion.objects.filter(
            code=current.code, status=QuestionnaireVersion.Status.PUBLISHED
        )
        .order_by("version")
        .first()
    )


def demo_value(question: QuestionSpec, level: int, index: int) -> Any:
    """A plausible answer around maturity `level` (0–5), varied by question position."""
    step = level + (index % 3) - 1
    if question.type is QuestionType.LEVEL:
        return max(0, min(5, step))
    if question.type is QuestionType.CHOICE:
        options = question.options
        return options[min(len(options) - 1, max(0, (len(options) - 1) - step // 2))].value
    if question.type is QuestionType.CHECKLIST:
        return [item.code for item in question.items[: max(0, step)]]
    if question.type is QuestionType.KPI:
        band = question.bands[max(0, min(len(question.bands) - 1, step))]
        return band.start
    return "订单波动大、缺少既懂工艺又懂数据的人才。"
