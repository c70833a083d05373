"""The permission matrix: every URL of the project × every persona × every method it takes.

The rows say what the design wants (shared/design.md §6 "Access", style.md "Every view
gets the permission matrix"), not what the code happens to do:
- respondents see only their own firm; a consultant only the firms assigned to them; a
  provider manager the provider's firms, read-only; programme administrators everything,
  read-only;
- answers, goals and submission change only by the firm's members, while it is open;
- review actions only by the assigned consultant; assignments by the programme office
  (providers) and the provider manager (consultants);
- anonymous → login redirect, outsider → 404 (the object's existence is not revealed),
  wrong role → 403, right role → 200 (or 302 after a POST).

Every object is firm A's (`firm`); firm B (`other_firm`) exists only through its owner,
`other_respondent`. Firm A's former consultants (one removed from the provider, one moved to
another) get what an outsider and a consultant of the provider not assigned to A get: 404
on everything of A (issue 11 item 4). `test_it_has_a_row_for_every_url_of_the_project`
fails when a view is added without a row here.
"""

import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import pytest
from django.conf import settings
from django.db import transaction
from django.test import override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from diagnosis.models import Assessment
from tests.answering import answer_post_data
from tests.factories import valid_credit_code
from tests.matrix_world import EVIDENCE_CODE, FORMER_CONSULTANTS, PERSONAS, World, build_world
from tests.population_files import csv_bytes, firm_row, upload

LOGIN = "login"  # a 302 to the login page, with ?next=
Expected = tuple[int | str, ...]  # one status per persona, in PERSONAS order

# Django's own views, tested by Django: the whole admin site (its namespace), the
# language switcher and django.contrib.auth's login, logout and password views.
EXEMPT = frozenset(
    {
        "admin:*",
        "set_language",
        "login",
        "logout",
        "password_change",
        "password_change_done",
        "password_reset",
        "password_reset_done",
        "password_reset_confirm",
        "password_reset_complete",
    }
)


def _no_args(world: World) -> list:
    return []


def _no_data(world: World) -> dict:
    return {}


@dataclass(frozen=True)
class Row:
    """How to call one URL and what each persona gets, per method (None: not tried)."""

    get: Expected
    post: Expected | None = None
    args: Callable[[World], list] = _no_args
    data: Callable[[World], dict] = _no_data
    query: str = ""
    # What a former consultant (FORMER_CONSULTANTS) gets where it differs from the persona
    # they map to: (method, persona) → status.
    former: dict[tuple[str, str], int | str] = field(default_factory=dict)
    methods: tuple[str, ...] = field(init=False)

    def __post_init__(self) -> None:
        assert len(self.get) == len(PERSONAS)
        assert self.post is None or len(self.post) == len(PERSONAS)
        object.__setattr__(self, "methods", ("get",) if self.post is None else ("get", "post"))

    def expected(self, method: str, persona: str) -> int | str:
        if persona in FORMER_CONSULTANTS:
            like = FORMER_CONSULTANTS[persona]
            return self.former.get((method, persona), self.expected(method, like))
        statuses = self.get if method == "get" else self.post
        assert statuses is not None, f"{method} is not tried"
        return statuses[PERSONAS.index(persona)]


# Columns, in PERSONAS order:
#   anonymous, respondent (owner of A), colleague (of A), other_respondent (owner of B),
#   consultant (assigned to A), other_consultant (same provider, not assigned to A),
#   manager (of A's provider), administrator (programme office), outsider (no role),
#   district_officer (of minhang, A's district), other_district_officer (of jiading)
# fmt: off
#                  anon   resp coll B    cons ocons mgr admin outsider dist odist
EVERYONE_200     = (200,  200, 200, 200, 200, 200, 200, 200, 200, 200, 200)
NOT_GET          = (LOGIN, 405, 405, 405, 405, 405, 405, 405, 405, 405, 405)  # a POST-only view
READ_A           = (LOGIN, 200, 200, 404, 200, 404, 200, 200, 404, 404, 404)
READ_A_REDIRECTS = (LOGIN, 302, 302, 404, 302, 404, 302, 302, 404, 404, 404)
WRITE_A          = (LOGIN, 302, 302, 404, 403, 404, 403, 403, 404, 404, 404)
AUTOSAVE_A       = (LOGIN, 200, 200, 404, 403, 404, 403, 403, 404, 404, 404)
REVIEW_A_GET     = (LOGIN, 403, 403, 404, 200, 404, 403, 403, 404, 404, 404)
REVIEW_A_POST    = (LOGIN, 403, 403, 404, 302, 404, 403, 403, 404, 404, 404)
OWNER_OF_A       = (LOGIN, 302, 403, 404, 404, 404, 404, 404, 404, 404, 404)
OWN_FIRM_OWNER   = (LOGIN, 302, 403, 302, 404, 404, 404, 404, 404, 404, 404)  # B's owner acts on B
PROGRAMME_GET    = (LOGIN, 403, 403, 403, 403, 403, 403, 200, 403, 403, 403)
PROGRAMME_POST   = (LOGIN, 403, 403, 403, 403, 403, 403, 302, 403, 403, 403)
PROVIDER_GET     = (LOGIN, 403, 403, 403, 403, 403, 200, 403, 403, 403, 403)
PROVIDER_POST    = (LOGIN, 403, 403, 403, 403, 403, 302, 403, 403, 403, 403)
# The programme views of the population: the programme office and district officers,
# each officer for their own districts (A's entry is in minhang).
DISTRICTS_GET    = (LOGIN, 403, 403, 403, 403, 403, 403, 200, 403, 200, 200)
DISTRICTS_POST   = (LOGIN, 403, 403, 403, 403, 403, 403, 302, 403, 302, 302)
DISTRICT_A_GET   = (LOGIN, 403, 403, 403, 403, 403, 403, 200, 403, 200, 404)
# A bulk assignment's first POST shows the confirmation (200); the provider table is the
# programme office's, the district officers' (their districts) and the managers'.
PROGRAMME_CONFIRM = (LOGIN, 403, 403, 403, 403, 403, 403, 200, 403, 403, 403)
PROVIDER_CONFIRM = (LOGIN, 403, 403, 403, 403, 403, 200, 403, 403, 403, 403)
PROVIDER_TABLE   = (LOGIN, 403, 403, 403, 403, 403, 200, 200, 403, 200, 200)
# fmt: on


def _draft(world: World) -> list:
    return [world.draft.pk]


def _submitted(world: World) -> list:
    return [world.submitted.pk]


def _draft_section(world: World) -> list:
    return [world.draft.pk, "STR"]


def _submitted_answer(world: World) -> list:
    return [world.submitted.pk, "STR-01"]


def _new_firm(world: World) -> dict:
    return {
        "name": "新注册制造有限公司",
        "credit_code": valid_credit_code(),
        "industry": "36",
        "employees": "40",
        "revenue": "900",
        "district": "jiading",
    }


def _population_upload(world: World) -> dict:
    return {"file": upload(csv_bytes([firm_row(901)]), "population.csv")}


def _section_post(world: World) -> dict:
    codes = [question.code for question in world.definition.dimension("STR").questions]
    data = answer_post_data(world.definition, codes, random.Random(1), high=True)
    data.update({"goal-STR-target_level": "4", "goal-STR-relevance": "3"})
    return data


MATRIX: dict[str, Row] = {
    "home": Row(get=EVERYONE_200),
    # Signing up is open to all; an empty form comes back with its errors.
    "signup": Row(get=EVERYONE_200, post=EVERYONE_200),
    # The emailed link is the capability; a wrong or used one says so to anyone.
    "signup_confirm": Row(
        get=EVERYONE_200, post=EVERYONE_200, args=lambda world: ["MQ", "wrong-token"]
    ),
    # The user's own firm: B's owner sees B. Staff without a firm have none to see.
    "firm_detail": Row(get=(LOGIN, 200, 200, 200, 404, 404, 404, 404, 404, 404, 404)),
    # Members already have a firm (→ /firm/). Registering a firm is for would-be respondents:
    # provider staff, the programme office and district officers are not (the navigation
    # hides the link from them); letting them would make a consultant a member of a firm
    # they may review.
    "firm_register": Row(
        get=(LOGIN, 302, 302, 302, 403, 403, 403, 403, 200, 403, 403),
        post=(LOGIN, 302, 302, 302, 403, 403, 403, 403, 302, 403, 403),
        data=_new_firm,
    ),
    # The owner changes their own firm's profile (B's owner B's); colleagues may not.
    "firm_edit": Row(
        get=(LOGIN, 200, 403, 200, 404, 404, 404, 404, 404, 404, 404),
        post=OWN_FIRM_OWNER,
        data=lambda world: {
            "name": "改名制造有限公司",
            "industry": "35",
            "employees": "60",
            "revenue": "700",
            "district": "minhang",
        },
    ),
    # A's pending invitation: only A's owners (another firm's owner gets 404).
    "invitation_resend": Row(
        get=NOT_GET, post=OWNER_OF_A, args=lambda world: [world.invitation.pk]
    ),
    "invitation_revoke": Row(
        get=NOT_GET, post=OWNER_OF_A, args=lambda world: [world.invitation.pk]
    ),
    "firm_invite": Row(
        get=NOT_GET,
        post=OWN_FIRM_OWNER,
        data=lambda world: {"email": "new.colleague@firm-a.example"},
    ),
    # The confirmed removal (without `confirmed` the owner gets the question, 200).
    "member_remove": Row(
        get=NOT_GET,
        post=OWNER_OF_A,
        args=lambda world: [world.colleague_membership.pk],
        data=lambda world: {"confirmed": "yes"},
    ),
    "join_request_decide": Row(
        get=NOT_GET,
        post=OWNER_OF_A,
        args=lambda world: [world.join_request.pk],
        data=lambda world: {"decision": "approve"},
    ),
    # The token is the capability: anyone holding the link sees it. Only the invitee (the
    # outsider's address) can accept; anyone else is told why on the page.
    "invitation": Row(
        get=EVERYONE_200,
        post=(200, 200, 200, 200, 200, 200, 200, 200, 302, 200, 200),
        args=lambda world: [world.invitation_token],
        former={("post", "removed_consultant"): 200},
    ),
    # A's members are told A already has one open; B's owner starts B's.
    "assessment_new": Row(
        get=NOT_GET, post=(LOGIN, 302, 302, 302, 404, 404, 404, 404, 404, 404, 404)
    ),
    # Members resume answering; readers are sent to the report.
    "assessment_resume": Row(get=READ_A_REDIRECTS, args=_draft),
    "section": Row(get=READ_A, post=WRITE_A, args=_draft_section, data=_section_post),
    "section_changes": Row(
        get=READ_A, args=_draft_section, query="?since=2000-01-01T00:00:00%2B00:00"
    ),
    "goal_autosave": Row(
        get=NOT_GET,
        post=AUTOSAVE_A,
        args=_draft_section,
        data=lambda world: {"goal-STR-target_level": "3", "goal-STR-relevance": "5"},
    ),
    "answer_autosave": Row(
        get=NOT_GET,
        post=AUTOSAVE_A,
        args=lambda world: [world.draft.pk, "STR-01"],
        data=lambda world: {"q-STR-01-value": "2", "q-STR-01-rev": "1"},
    ),
    "evidence_download": Row(get=READ_A, args=lambda world: [world.submitted.pk, EVIDENCE_CODE]),
    "submit": Row(get=READ_A, post=WRITE_A, args=_draft, data=lambda world: {"confirmed": "yes"}),
    "report": Row(get=READ_A, args=_submitted),
    "report_pdf": Row(get=READ_A, args=_submitted),
    # Public: anyone may check a signed report's number and code; it reveals only whether
    # a report with that number was signed, for which firm and when.
    "report_verify": Row(get=EVERYONE_200, query="?number=DD-2026-000001&code=ABCD"),
    # Everyone who works for a provider has a queue (the unassigned consultant's is empty).
    "review_queue": Row(get=(LOGIN, 403, 403, 403, 200, 200, 200, 403, 403, 403, 403)),
    "review": Row(get=REVIEW_A_GET, args=_submitted),
    "review_dimension": Row(get=REVIEW_A_GET, args=lambda world: [world.submitted.pk, "STR"]),
    "review_dimension_confirm": Row(
        get=NOT_GET, post=REVIEW_A_POST, args=lambda world: [world.submitted.pk, "STR"]
    ),
    "review_answer": Row(
        get=NOT_GET,
        post=REVIEW_A_POST,
        args=_submitted_answer,
        data=lambda world: {"v-STR-01-action": "confirm"},
    ),
    "review_comment_add": Row(
        get=NOT_GET,
        post=REVIEW_A_POST,
        args=_submitted,
        data=lambda world: {"text": "请补充规划文件。"},
    ),
    # v1 raises no must-resolve warning: the consultant is told so on the overview (302).
    "review_warning_resolve": Row(
        get=NOT_GET,
        post=REVIEW_A_POST,
        args=lambda world: [world.submitted.pk, "C-MES-DATA"],
        data=lambda world: {"w-C-MES-DATA-reason": "现场核实：两项回答均属实。"},
    ),
    "review_decide": Row(
        get=NOT_GET,
        post=REVIEW_A_POST,
        args=_submitted,
        # Signing off; returning is test_it_returns_an_assessment_while_the_next_is_open.
        data=lambda world: {"decision": "sign_off", "confirmed": "on"},
    ),
    "history": Row(get=READ_A, args=_submitted),
    # Programme-office and manager pages check the role before any lookup, so the answer
    # (403) is the same for every firm and reveals nothing.
    "programme": Row(get=PROGRAMME_GET),
    "assign_provider": Row(
        get=NOT_GET,
        post=PROGRAMME_POST,
        args=lambda world: [world.firm.pk],
        data=lambda world: {f"firm-{world.firm.pk}-provider": world.firm.assignment.provider_id},
    ),
    "publish_version": Row(
        get=NOT_GET, post=PROGRAMME_POST, args=lambda world: [world.questionnaire.pk]
    ),
    "provider": Row(get=PROVIDER_GET),
    # The population: officers see their districts' firms (another district's is a 404);
    # importing, quotas and the template are the programme office's.
    "population": Row(get=DISTRICTS_GET, query="?status=started&industry=34"),
    "population_firm": Row(get=DISTRICT_A_GET, args=lambda world: [world.population_entry.pk]),
    "population_import_new": Row(get=PROGRAMME_GET, post=PROGRAMME_POST, data=_population_upload),
    "population_import": Row(get=PROGRAMME_GET, args=lambda world: [world.population_import.pk]),
    "population_import_confirm": Row(
        get=NOT_GET, post=PROGRAMME_POST, args=lambda world: [world.population_import.pk]
    ),
    "population_import_report": Row(
        get=PROGRAMME_GET, args=lambda world: [world.population_import.pk]
    ),
    "population_template": Row(get=PROGRAMME_GET, args=lambda world: ["xlsx"]),
    "district_quotas": Row(
        get=PROGRAMME_GET, post=PROGRAMME_POST, data=lambda world: {"minhang": "300"}
    ),
    # Officers send reminders in their districts (the other officer's go to jiading's
    # firms); invitations are the programme office's (test_outreach_views).
    "outreach": Row(
        get=DISTRICTS_GET,
        post=DISTRICTS_POST,
        data=lambda world: {"kind": "reminder", "reminder_days": "14"},
    ),
    # The signed link is the capability, like a colleague's invitation: it shows the firm's
    # name to anyone; a signed-in user is taken on to the registration form.
    "population_welcome": Row(
        get=(200, 302, 302, 302, 302, 302, 302, 302, 302, 302, 302),
        args=lambda world: [world.population_token],
    ),
    "assign_consultant": Row(
        get=NOT_GET,
        post=PROVIDER_POST,
        args=lambda world: [world.firm.pk],
        data=lambda world: {f"firm-{world.firm.pk}-consultant": world.users["other_consultant"].pk},
    ),
    # The firm directory (views/directory.py): officers see their districts' firms (another
    # district's firm is a 404); assigning providers is the programme office's.
    "directory": Row(
        get=DISTRICTS_GET, query="?division=34&status=population&sort=-overall&page=2"
    ),
    "directory_export": Row(get=DISTRICTS_GET, args=lambda world: ["xlsx"], query="?level=v1-2"),
    "directory_firm": Row(get=DISTRICT_A_GET, args=lambda world: [world.population_entry.pk]),
    "directory_firm_provider": Row(
        get=NOT_GET,
        post=PROGRAMME_POST,
        args=lambda world: [world.population_entry.pk],
        data=lambda world: {f"firm-{world.firm.pk}-provider": world.firm.assignment.provider_id},
    ),
    "directory_assign": Row(
        get=NOT_GET,
        post=PROGRAMME_CONFIRM,
        query="?district=minhang",
        data=lambda world: {"bulk-provider": world.firm.assignment.provider_id},
    ),
    "providers": Row(get=PROVIDER_TABLE),
    # Coverage and results: officers see their districts; asking for another district's
    # figures is a 404.
    "coverage": Row(get=DISTRICT_A_GET, query="?district=minhang&division=34&size=small"),
    "results": Row(get=DISTRICT_A_GET, query="?district=minhang&division=34&by=size"),
    "provider_assign_consultant": Row(
        get=NOT_GET,
        post=PROVIDER_CONFIRM,
        query="?consultant=none",
        data=lambda world: {"bulk-consultant": world.users["other_consultant"].pk},
    ),
}


def _walk(patterns, namespace: str = "") -> Iterator[tuple[str, URLPattern]]:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = ":".join(part for part in (namespace, entry.namespace) if part)
            yield from _walk(entry.url_patterns, inner)
        else:
            qualified = f"{namespace}:{entry.name}" if namespace else entry.name
            yield qualified or f"<unnamed {entry.pattern}>", entry


def _is_exempt(name: str) -> bool:
    return name in EXEMPT or f"{name.split(':', 1)[0]}:*" in EXEMPT


def project_url_names() -> list[str]:
    """Every URL name of the project outside EXEMPT (namespaced as `namespace:name`)."""
    return [name for name, _pattern in _walk(get_resolver().url_patterns) if not _is_exempt(name)]


def test_it_has_a_row_for_every_url_of_the_project():
    names = project_url_names()
    assert len(names) == len(set(names)), "two URL patterns share a name"
    assert sorted(set(names) - set(MATRIX)) == [], "views missing from the permission matrix"
    assert sorted(set(MATRIX) - set(names)) == [], "matrix rows for URLs that no longer exist"


def test_it_exempts_only_djangos_own_views():
    for name, pattern in _walk(get_resolver().url_patterns):
        if _is_exempt(name):
            assert pattern.callback.__module__.startswith("django."), name


CASES = [
    pytest.param(name, method, persona, id=f"{name}-{method}-{persona}")
    for name, row in MATRIX.items()
    for method in row.methods
    for persona in PERSONAS + tuple(FORMER_CONSULTANTS)
]


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory, bundled_data) -> Iterator[World]:
    """Firm A's objects, built once for the module in a transaction rolled back at its end
    (like Django's TestCase.setUpTestData); each test's `db` runs in a savepoint inside it.

    A cheap password hasher: nine users with the default PBKDF2 cost take seconds.
    """
    with (
        django_db_blocker.unblock(),
        override_settings(
            MEDIA_ROOT=tmp_path_factory.mktemp("media"),
            PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        ),
        transaction.atomic(),
    ):
        yield build_world(bundled_data)
        transaction.set_rollback(True)


@pytest.mark.parametrize(("url_name", "method", "persona"), CASES)
def test_it_answers_each_persona_as_the_design_says(db, client, world, url_name, method, persona):
    row = MATRIX[url_name]
    expected = row.expected(method, persona)
    if persona != "anonymous":
        client.cookies[settings.SESSION_COOKIE_NAME] = world.sessions[persona]
    client.raise_request_exception = False
    url = reverse(url_name, args=row.args(world)) + row.query
    response = client.get(url) if method == "get" else client.post(url, row.data(world))

    login_prefix = f"{reverse('login')}?next="
    location = response.headers.get("Location", "")
    if expected == LOGIN:
        assert (response.status_code, location[: len(login_prefix)]) == (302, login_prefix)
        return
    assert response.status_code == expected, f"{method.upper()} {url} as {persona}: {location}"
    if expected == 302:
        assert not location.startswith(login_prefix), "a signed-in user was sent to log in"


def test_it_returns_an_assessment_while_the_next_is_open(db, client, world):
    """Firm A started its next assessment (`draft`) while `submitted` waits for review,
    which assessment_start allows; returning `submitted` must not break the one open
    assessment per firm rule with a server error."""
    client.force_login(world.users["consultant"])
    client.raise_request_exception = False
    response = client.post(
        reverse("review_decide", args=[world.submitted.pk]),
        {"decision": "return", "comment": "请核对 STR-01。"},
    )
    assert response.status_code == 302
    open_statuses = Assessment.OPEN_STATUSES
    assert Assessment.objects.filter(firm=world.firm, status__in=open_statuses).count() == 1
