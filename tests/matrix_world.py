"""Firm A's objects in every state the permission matrix needs, built through the services.

The matrix runs some four hundred requests against one set of objects, so `build_world`
makes them once per module (see the `world` fixture) instead of through the
function-scoped fixtures of tests/conftest.py; `_personas` mirrors those fixtures: the
same people, firms, provider and assignment. For firm A it builds:
- `submitted`: a complete assessment, submitted (so it has a report and can be reviewed),
  whose answer to `EVIDENCE_CODE` carries a PDF evidence file;
- `draft`: the firm's next assessment, complete but not submitted (so it can be answered
  and submitted);
- a pending join request, an open invitation (for the outsider's email) and the
  colleague's membership, for the owner's actions.
"""

import copy
import random
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from diagnosis.answers import clean_answer
from diagnosis.models import (
    Assessment,
    Assignment,
    Firm,
    Invitation,
    JoinRequest,
    Membership,
    PopulationFirm,
    PopulationImport,
    Provider,
    ProviderMembership,
    User,
)
from diagnosis.models import QuestionnaireVersion as Version
from diagnosis.scoring.definition import Definition
from diagnosis.services import firms as firm_services
from diagnosis.services.assessments import (
    AnswerEntry,
    answers_save,
    assessment_start,
    assessment_submit,
    goal_save,
)
from diagnosis.services.outreach import invitation_token
from diagnosis.services.population import population_import_check, population_import_upload
from diagnosis.services.providers import provider_member_move, provider_member_remove
from diagnosis.services.questionnaires import questionnaire_store
from tests.answering import sample_value
from tests.factories import (
    make_district_officer,
    make_firm,
    make_member,
    make_population_firm,
    make_user,
)
from tests.population_files import csv_bytes, firm_row, upload

BUNDLED = (
    Path(__file__).resolve().parent.parent / "diagnosis/definitions/smart-manufacturing-v1.yaml"
)

PERSONAS = (
    "anonymous",
    "respondent",
    "colleague",
    "other_respondent",
    "consultant",
    "other_consultant",
    "manager",
    "administrator",
    "outsider",
    "district_officer",
    "other_district_officer",
)
# Firm A's consultants before `consultant`: one removed from the provider, one moved to
# another provider (services/providers.py). Each gets what the persona it maps to gets,
# except where tests/test_access_matrix.py says otherwise.
FORMER_CONSULTANTS = {"removed_consultant": "outsider", "moved_consultant": "other_consultant"}
EVIDENCE_CODE = "STR-01"
PDF_BYTES = b"%PDF-1.4\n% matrix evidence\n"


@dataclass(frozen=True)
class World:
    users: dict[str, User]
    firm: Firm
    questionnaire: Version
    submitted: Assessment
    draft: Assessment
    colleague_membership: Membership
    join_request: JoinRequest
    invitation: Invitation
    invitation_token: str
    population_entry: PopulationFirm
    population_import: PopulationImport
    population_token: str
    sessions: dict[str, str]  # persona → session key of a login made once for the module

    @property
    def definition(self) -> Definition:
        return self.questionnaire.definition


def complete_entries(definition: Definition, *, evidence_code: str = "") -> list[AnswerEntry]:
    """An answer to every question (high values, so every dependent question shows)."""
    rng = random.Random(3)
    entries = []
    for question in definition.questions.values():
        value = clean_answer(question, sample_value(question, rng, high=True))
        evidence = None
        if question.code == evidence_code:
            evidence = SimpleUploadedFile("plan.pdf", PDF_BYTES, content_type="application/pdf")
        entries.append(AnswerEntry(code=question.code, value=value, evidence=evidence))
    return entries


def answer_completely(assessment: Assessment, user: User, *, evidence_code: str = "") -> None:
    definition = assessment.questionnaire.definition
    entries = complete_entries(definition, evidence_code=evidence_code)
    answers_save(assessment=assessment, user=user, entries=entries)
    for dimension in definition.dimensions:
        goal_save(assessment=assessment, dimension_code=dimension.code, target_level=4, relevance=3)


def _personas() -> tuple[dict[str, User], Firm]:
    """The personas of tests/conftest.py, and firm A (`firm`)."""
    firm = make_firm(name="上海甲精密制造有限公司")
    other_firm = make_firm(name="乙电子科技有限公司")
    provider = Provider.objects.create(name="示范诊断服务商")
    users = {
        "respondent": make_member(
            firm, Membership.Role.OWNER, email="owner@firm-a.example", name="王芳"
        ),
        "colleague": make_member(firm, email="colleague@firm-a.example", name="李强"),
        "other_respondent": make_member(
            other_firm, Membership.Role.OWNER, email="owner@firm-b.example"
        ),
        "consultant": make_user(email="consultant@provider.example", name="陈静"),
        "other_consultant": make_user(email="consultant2@provider.example"),
        "manager": make_user(email="manager@provider.example"),
        "administrator": make_user(email="admin@programme.example", is_programme_admin=True),
        "outsider": make_user(email="outsider@example.com"),
        "district_officer": make_district_officer(
            "minhang", email="officer@minhang.example", name="孙丽"
        ),
        "other_district_officer": make_district_officer("jiading", email="officer@jiading.example"),
    }
    for persona in ("consultant", "other_consultant"):
        ProviderMembership.objects.create(user=users[persona], provider=provider)
    ProviderMembership.objects.create(
        user=users["manager"], provider=provider, role=ProviderMembership.Role.MANAGER
    )
    _former_consultants(users, firm, provider)
    Assignment.objects.filter(firm=firm).update(consultant=users["consultant"])
    return users, firm


def _former_consultants(users: dict[str, User], firm: Firm, provider: Provider) -> None:
    """Firm A assigned in turn to two consultants who then left the provider."""
    other_provider = Provider.objects.create(name="另一家诊断服务商")
    for persona in FORMER_CONSULTANTS:
        user = make_user(email=f"{persona.replace('_', '.')}@provider.example")
        users[persona] = user
        membership = ProviderMembership.objects.create(user=user, provider=provider)
        Assignment.objects.update_or_create(
            firm=firm, defaults={"provider": provider, "consultant": user}
        )
        if persona == "moved_consultant":
            provider_member_move(membership=membership, provider=other_provider, actor=None)
        else:
            provider_member_remove(membership=membership, actor=None)


def build_world(bundled_data: dict[str, Any]) -> World:
    """Build the world with the bundled questionnaire (its file's mapping, bundled_data)."""
    data = copy.deepcopy(bundled_data)
    questionnaire = questionnaire_store(data=data, source=BUNDLED.name, publish=True).version
    users, firm = _personas()
    owner = users["respondent"]
    submitted = assessment_start(firm=firm, user=owner)
    answer_completely(submitted, owner, evidence_code=EVIDENCE_CODE)
    assessment_submit(assessment=submitted, user=owner)
    draft = assessment_start(firm=firm, user=owner)
    answer_completely(draft, owner)
    join_request = firm_services.firm_request_join(user=make_user(), firm=firm)
    invitation, token = firm_services.invitation_create(
        firm=firm, owner=owner, email=users["outsider"].email
    )
    # Firm A's entry in the population (minhang), and one not registered yet, invited.
    population_entry = make_population_firm(
        credit_code=firm.credit_code, name=firm.name, district=firm.district, firm=firm
    )
    invited = make_population_firm(district="minhang")
    population_import = population_import_upload(
        uploaded_file=upload(csv_bytes([firm_row(900)])), actor=users["administrator"]
    )
    population_import_check(population_import=population_import)
    return World(
        users=users,
        firm=firm,
        questionnaire=questionnaire,
        submitted=submitted,
        draft=draft,
        colleague_membership=Membership.objects.get(user=users["colleague"]),
        join_request=join_request,
        invitation=invitation,
        invitation_token=token,
        population_entry=population_entry,
        population_import=population_import,
        population_token=invitation_token(invited),
        sessions=_logged_in_sessions(users),
    )


def _logged_in_sessions(users: dict[str, User]) -> dict[str, str]:
    """A session key per persona: Client.force_login with django-axes' bookkeeping costs
    about 30 ms, once per persona instead of once per request of the matrix."""
    sessions = {}
    for persona, user in users.items():
        client = Client()
        client.force_login(user)
        sessions[persona] = client.cookies[settings.SESSION_COOKIE_NAME].value
    return sessions
