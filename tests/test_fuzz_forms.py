"""Fuzzed form bodies to every POST URL of the project never answer 5xx (issue 11 item 13).

Each URL is posted by the persona the permission matrix lets through (so the body reaches
the view), with a valid CSRF token checked as a real server checks it. The HTTP version,
~12,000 requests to gunicorn, is tests/perf/fuzz_forms.py.
"""

import random

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from tests.fuzzing import form_fields, fuzzed_body
from tests.matrix_world import PERSONAS
from tests.test_access_matrix import MATRIX
from tests.test_access_matrix import world as world

CSRF_TOKEN = "f" * 32
POST_URLS = sorted(name for name, row in MATRIX.items() if row.post is not None)


def _persona(name: str) -> str:
    """The first persona whose POST the matrix lets through, else the firm's owner."""
    row = MATRIX[name]
    allowed = [p for p in PERSONAS if p != "anonymous" and row.expected("post", p) in (200, 302)]
    return allowed[0] if allowed else "respondent"


@pytest.mark.parametrize("url_name", POST_URLS)
@hypothesis_settings(
    max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(seed=st.integers(min_value=0, max_value=2**32))
def test_it_never_answers_5xx_to_a_fuzzed_form(db, world, url_name, seed):
    row = MATRIX[url_name]
    client = Client(enforce_csrf_checks=True, raise_request_exception=False)
    client.cookies[settings.CSRF_COOKIE_NAME] = CSRF_TOKEN
    client.cookies[settings.SESSION_COOKIE_NAME] = world.sessions[_persona(url_name)]
    content_type, body = fuzzed_body(random.Random(seed), form_fields(row.data(world)))
    url = reverse(url_name, args=row.args(world)) + row.query

    response = client.generic("POST", url, body, content_type, headers={"X-CSRFToken": CSRF_TOKEN})

    assert response.status_code < 500, (content_type, body[:300])
