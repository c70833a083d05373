from django.core.management.base import BaseCommand
from django.db import transaction

from diagnosis.firmdata import credit_code_check_character
from diagnosis.models import Assignment, Firm, Membership, Provider, ProviderMembership, User

DEMO_PASSWORD = "demo-pass-2026"  # noqa: S105 - printed on purpose: demo accounts only
DEMO_FIRM_CODE = "91310115MA1K4ABC2" + credit_code_check_character("91310115MA1K4ABC2")

DEMO_USERS = [
    ("respondent@demo.example", "王芳 Wang Fang", "respondent (firm owner)"),
    ("colleague@demo.example", "李强 Li Qiang", "respondent (colleague)"),
    ("consultant@demo.example", "陈静 Chen Jing", "consultant"),
    ("manager@demo.example", "赵磊 Zhao Lei", "provider manager"),
    ("admin@demo.example", "周敏 Zhou Min", "programme administrator"),
]


class Command(BaseCommand):
    help = "Create the demo firm, provider and users (idempotent) and print their logins."

    @transaction.atomic
    def handle(self, *args, **options) -> None:
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
        for email, role in (
            ("consultant@demo.example", ProviderMembership.Role.CONSULTANT),
            ("manager@demo.example", ProviderMembership.Role.MANAGER),
        ):
            ProviderMembership.objects.get_or_create(
                user=users[email], provider=provider, defaults={"role": role}
            )
        Assignment.objects.get_or_create(
            firm=firm,
            defaults={"provider": provider, "consultant": users["consultant@demo.example"]},
        )
        admin = users["admin@demo.example"]
        if not admin.is_programme_admin:
            admin.is_programme_admin = admin.is_staff = admin.is_superuser = True
            admin.save()
        self._print_logins()

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
