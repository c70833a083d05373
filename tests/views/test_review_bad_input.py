"""Bad input to the consultant's endpoints and the public check: a clear 4xx or a form error
(400/422), never a 500, and nothing recorded from refused input."""

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from diagnosis.models import AnswerValidation, AuditEntry, ReviewComment

FEW = settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
TEXT = st.text(st.characters(codec="utf-8"), max_size=40)
HUGE = st.sampled_from(["x" * 100_000, "数" * 6000])
ANY = st.one_of(TEXT, HUGE, st.lists(TEXT, max_size=3))


@pytest.fixture
def consultant_client(client, consultant, submitted):
    client.force_login(consultant)
    client.raise_request_exception = False
    return client


def recorded() -> tuple[int, int, int]:
    return (AnswerValidation.objects.count(), ReviewComment.objects.count(), _audited())


def _audited() -> int:
    return AuditEntry.objects.exclude(action__startswith="diagnosis.assessment").count()


@FEW
@given(code=st.sampled_from(["STR-01", "STR-04", "STR-06", "EQP-02"]), action=ANY, value=ANY)
def test_it_refuses_any_bad_verdict_cleanly(consultant_client, submitted, code, action, value):
    before = recorded()
    data = {f"v-{code}-action": action, f"v-{code}-value": value, f"v-{code}-reason": ""}
    for headers in ({}, {"HTTP_HX_REQUEST": "true"}):
        response = consultant_client.post(
            reverse("review_answer", args=[submitted.pk, code]), data, **headers
        )
        assert response.status_code < 500
        if action not in ("confirm", ["confirm"]):
            assert response.status_code in (400, 422)
    if action not in ("confirm", ["confirm"]):
        assert recorded() == before


@FEW
@given(code=TEXT, text=st.one_of(TEXT, HUGE))
def test_it_answers_any_note_without_a_server_error(consultant_client, submitted, code, text):
    url = reverse("review_comment_add", args=[submitted.pk])
    response = consultant_client.post(url, {"question": code, "text": text}, HTTP_HX_REQUEST="true")
    assert response.status_code < 500


@FEW
@given(code=TEXT.filter(lambda c: c and "/" not in c))
def test_it_answers_404_for_an_unknown_dimension_or_question(consultant_client, submitted, code):
    definition = submitted.questionnaire.definition
    if code in definition.questions or code in {d.code for d in definition.dimensions}:
        return
    # By name, not by the URL's text: a code such as "confirm" makes one URL look like another.
    for name, method in (
        ("review_dimension", consultant_client.get),
        ("review_dimension_confirm", consultant_client.post),
        ("review_answer", consultant_client.post),
    ):
        url = reverse(name, args=[submitted.pk, code])
        assert method(url).status_code in (400, 404), url


@FEW
@given(number=st.one_of(TEXT, HUGE), code=st.one_of(TEXT, HUGE))
def test_it_checks_any_number_and_code_without_a_server_error(db, client, number, code):
    client.raise_request_exception = False
    response = client.get(reverse("report_verify"), {"number": number, "code": code})
    assert response.status_code in (200, 400, 429)
    assert b'data-testid="verify-result"' not in response.content or b"alert-danger" in (
        response.content
    )
