"""Firm A's objects in every state the permission matrix needs, built through the services.

`build_world` returns, for the `firm` of tests/conftest.py:
- `submitted`: a complete assessment, submitted (so it has a report and can be reviewed),
  whose answer to `EVIDENCE_CODE` carries a PDF evidence file;
- `draft`: the firm's next assessment, complete but not submitted (so it can be answered
  and submitted);
- a pending join request, an open invitation (for the outsider's email) and the
  colleague's membership, for the owner's actions.
"""

import random
from dataclasses import dataclass

from django.core.files.uploadedfile import SimpleUploadedFile

from diagnosis.answers import clean_answer
from diagnosis.models import Assessment, Firm, Invitation, JoinRequest, Membership, User
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
from tests.answering import sample_value
from tests.factories import make_user

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
)
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


def build_world(users: dict[str, User], firm: Firm, questionnaire: Version) -> World:
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
    )
