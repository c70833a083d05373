"""Behind a reverse proxy, throttles follow the client's address from X-Forwarded-For
(django-ipware, PROXY_COUNT); password spraying is throttled per address (issue 11 item 5)."""

import pytest
from django.test import override_settings
from django.urls import reverse

from tests.factories import PASSWORD
from tests.test_settings import run_manage

# What PROXY_COUNT=1 (one nginx in front) sets; test_it_reads_proxy_count checks it.
BEHIND_ONE_PROXY = override_settings(
    AXES_IPWARE_PROXY_COUNT=0,
    AXES_IPWARE_META_PRECEDENCE_ORDER=("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"),
)
PROXY = "10.0.0.1"  # REMOTE_ADDR of every request: the proxy
ALICE = "203.0.113.5"
BOB = "198.51.100.7"


def login(client, username: str, password: str, forwarded_for: str):
    return client.post(
        reverse("login"),
        {"username": username, "password": password},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=forwarded_for,
    )


def test_it_reads_proxy_count():
    code = (
        "from django.conf import settings as s; "
        "print(s.AXES_IPWARE_PROXY_COUNT, s.AXES_IPWARE_META_PRECEDENCE_ORDER)"
    )
    behind = run_manage("shell", "-c", code, env={"PROXY_COUNT": "1"})
    direct = run_manage("shell", "-c", code, env={"PROXY_COUNT": "0"})
    assert behind.stdout.strip().splitlines()[-1] == "0 ('HTTP_X_FORWARDED_FOR', 'REMOTE_ADDR')", (
        behind.stderr
    )
    assert direct.stdout.strip().splitlines()[-1] == "None ('REMOTE_ADDR',)", direct.stderr


@BEHIND_ONE_PROXY
@override_settings(AXES_FAILURE_LIMIT=3)
def test_behind_a_proxy_one_clients_failures_lock_out_only_that_client(client, respondent):
    for _attempt in range(3):
        login(client, respondent.email, "wrong", ALICE)

    assert login(client, respondent.email, PASSWORD, ALICE).status_code == 429
    response = login(client, respondent.email, PASSWORD, BOB)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(respondent.pk)


@override_settings(AXES_FAILURE_LIMIT=3)
def test_without_a_proxy_the_forwarded_header_is_not_trusted(client, respondent):
    """Else anyone could dodge the lockout by sending a new X-Forwarded-For each time."""
    for attempt in range(3):
        login(client, respondent.email, "wrong", f"192.0.2.{attempt}")

    assert login(client, respondent.email, PASSWORD, BOB).status_code == 429


@BEHIND_ONE_PROXY
@override_settings(AXES_FAILURE_LIMIT=3)
def test_a_forged_header_behind_the_proxy_does_not_pick_the_address(client, respondent):
    """nginx appends the real client to what the client sent: 'forged, real' is not the
    one entry a single proxy adds, so the proxy's own address counts."""
    for attempt in range(3):
        login(client, respondent.email, "wrong", f"192.0.2.{attempt}, {ALICE}")

    assert login(client, respondent.email, PASSWORD, f"192.0.2.9, {BOB}").status_code == 429
    assert login(client, respondent.email, PASSWORD, BOB).status_code == 302


@BEHIND_ONE_PROXY
@override_settings(LOGIN_FAILURES_PER_ADDRESS=5, AXES_FAILURE_LIMIT=100)
def test_it_throttles_many_user_names_from_one_address(client, firm, respondent):
    for number in range(5):
        login(client, f"guess{number}@firm-a.example", "Spring2026!", ALICE)

    sprayed = login(client, respondent.email, PASSWORD, ALICE)
    assert sprayed.status_code == 429
    assert "_auth_user_id" not in client.session
    assert login(client, respondent.email, PASSWORD, BOB).status_code == 302


@BEHIND_ONE_PROXY
@override_settings(VERIFY_CHECKS_PER_HOUR=2)
@pytest.mark.parametrize("limited, other", [(ALICE, BOB)])
def test_the_verify_page_counts_per_forwarded_client(client, db, limited, other):
    url = reverse("report_verify") + "?number=DD-2026-000001&code=ABCD"
    for _check in range(2):
        assert client.get(url, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=limited).status_code == 200

    assert client.get(url, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=limited).status_code == 429
    assert client.get(url, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=other).status_code == 200
