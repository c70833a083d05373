"""Shared fixtures: the bundled questionnaire and named personas."""

import copy
import os
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import caches
from django.db import connections

from diagnosis.definitions.loader import read_definition_data
from diagnosis.models import Assignment, Membership, Provider, ProviderMembership
from diagnosis.services.assessments import assessment_start, assessment_submit
from diagnosis.services.questionnaires import questionnaire_store
from tests.answering import fill
from tests.factories import make_district_officer, make_firm, make_member, make_user
from tests.outage import database_outage as cut_off_database

BUNDLED = (
    Path(__file__).resolve().parent.parent / "diagnosis/definitions/smart-manufacturing-v1.yaml"
)
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
MUST_NOT_SKIP = {"browser", "postgres"}


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """In CI a browser or PostgreSQL test that would skip fails instead."""
    report = yield
    if IN_CI and report.skipped and MUST_NOT_SKIP & {m.name for m in item.iter_markers()}:
        report.outcome = "failed"
        report.longrepr = f"skipped in CI, which must run it: {report.longrepr}"
    return report


@pytest.fixture(autouse=True)
def fast_password_hasher(settings):
    """Real hashing costs ~0.5 s per user here; tests don't need it to be slow."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix) -> None:
    """On SQLite, connections close after each request, so tests/outage.py can lock the file."""
    database = connections["default"].settings_dict
    if database["ENGINE"].endswith("sqlite3"):
        database["CONN_MAX_AGE"] = 0


@pytest.fixture
def database_outage(transactional_db):
    """`with database_outage():` the test database is really unreachable (tests/outage.py)."""
    return cut_off_database


@pytest.fixture(autouse=True)
def fresh_default_cache():
    """Counters kept in the default cache (checks on /verify/) start from zero."""
    caches["default"].clear()


@pytest.fixture(scope="session")
def bundled_data() -> dict[str, Any]:
    """The bundled questionnaire file's mapping, read once per test process: reading the YAML
    costs more than storing it, and some 120 tests store it."""
    return read_definition_data(BUNDLED)


@pytest.fixture
def questionnaire(db, bundled_data):
    """The bundled questionnaire, loaded and published."""
    data = copy.deepcopy(bundled_data)  # a test may change what it was given
    return questionnaire_store(data=data, source=BUNDLED.name, publish=True).version


@pytest.fixture
def firm(db):
    return make_firm(name="上海甲精密制造有限公司")


@pytest.fixture
def other_firm(db):
    return make_firm(name="乙电子科技有限公司")


@pytest.fixture
def respondent(firm):
    """The owner of `firm`."""
    return make_member(firm, Membership.Role.OWNER, email="owner@firm-a.example", name="王芳")


@pytest.fixture
def colleague(firm):
    return make_member(firm, email="colleague@firm-a.example", name="李强")


@pytest.fixture
def other_respondent(other_firm):
    return make_member(other_firm, Membership.Role.OWNER, email="owner@firm-b.example")


@pytest.fixture
def outsider(db):
    return make_user(email="outsider@example.com")


@pytest.fixture
def provider(db):
    return Provider.objects.create(name="示范诊断服务商")


@pytest.fixture
def consultant(provider, firm):
    """A consultant of `provider`, assigned to `firm`."""
    user = make_user(email="consultant@provider.example", name="陈静")
    ProviderMembership.objects.create(user=user, provider=provider)
    Assignment.objects.create(firm=firm, provider=provider, consultant=user)
    return user


@pytest.fixture
def other_consultant(provider):
    """A consultant of the same provider, not assigned to `firm`."""
    user = make_user(email="consultant2@provider.example")
    ProviderMembership.objects.create(user=user, provider=provider)
    return user


@pytest.fixture
def manager(provider):
    user = make_user(email="manager@provider.example")
    ProviderMembership.objects.create(
        user=user, provider=provider, role=ProviderMembership.Role.MANAGER
    )
    return user


@pytest.fixture
def administrator(db):
    return make_user(email="admin@programme.example", is_programme_admin=True)


@pytest.fixture
def district_officer(db):
    """An officer of 闵行 (minhang), the district of `firm`."""
    return make_district_officer("minhang", email="officer@minhang.example", name="孙丽")


@pytest.fixture
def other_district_officer(db):
    """An officer of 嘉定 (jiading), a district `firm` is not in."""
    return make_district_officer("jiading", email="officer@jiading.example")


@pytest.fixture
def draft(questionnaire, firm, respondent):
    """An assessment of `firm` in progress, with no answer yet."""
    return assessment_start(firm=firm, user=respondent)


@pytest.fixture
def submitted(draft, respondent, consultant):
    """`draft`, completely answered (seeded random values) and submitted."""
    fill(draft, respondent)
    return assessment_submit(assessment=draft, user=respondent)


@pytest.fixture
def committing_requests(client, monkeypatch):
    """Each request of `client` ends as a committed request does in production: what it
    queued for after its commit (emails, tasks) runs before the request returns."""
    from tests.committing import committed

    original = client.request

    def request(**kwargs):
        with committed():
            return original(**kwargs)

    monkeypatch.setattr(client, "request", request)
    return client
