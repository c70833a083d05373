"""The review overview lists each must-resolve warning with a reason field and a Resolve
button; sign-off is refused with a message (never a 500) while one is open."""

import pytest
from django.urls import reverse

from diagnosis.models import WarningResolution
from diagnosis.services import review
from diagnosis.services.assessments import assessment_submit
from tests.numbers_world import numbers_answer, numbers_draft

CONTRADICTION = {"OPS_01": 4, "EQP_01": 100, "EQP_02": 10, "ENE_01": 90, "ENE_02": 100}
CODE = "C-NET-RATE"


@pytest.fixture
def warned(firm, respondent, consultant):
    draft = numbers_draft(firm, respondent)
    numbers_answer(draft, respondent, **CONTRADICTION)
    return assessment_submit(assessment=draft, user=respondent)


@pytest.fixture
def consultant_client(client, consultant):
    client.force_login(consultant)
    client.raise_request_exception = False
    return client


def overview(client, assessment, language="en"):
    client.cookies["django_language"] = language
    response = client.get(reverse("review", args=[assessment.pk]))
    assert response.status_code == 200
    return response.content.decode()


def resolve_url(assessment, code=CODE):
    return reverse("review_warning_resolve", args=[assessment.pk, code])


def test_it_lists_an_open_warning_with_a_reason_field_and_a_resolve_button(
    consultant_client, warned
):
    html = overview(consultant_client, warned)
    assert f'data-testid="must-resolve-{CODE}" data-state="open"' in html
    assert "All machines said to be networked, but the networked share is low" in html
    assert f'action="{resolve_url(warned)}"' in html
    assert f'name="w-{CODE}-reason"' in html
    assert f'data-testid="resolve-{CODE}"' in html
    assert 'data-testid="sign-off-blocked"' in html
    assert 'data-testid="must-resolve-C-NET-INFO"' not in html


def test_it_says_it_in_chinese(consultant_client, warned):
    html = overview(consultant_client, warned, "zh-hans")
    assert "签发前须解除的提示" in html
    assert "自评设备全部联网，但联网率很低" in html
    assert ">解除</button>" in html


def test_it_shows_no_such_section_without_must_resolve_warnings(consultant_client, submitted):
    html = overview(consultant_client, submitted)
    assert 'data-testid="must-resolve"' not in html
    assert 'data-testid="sign-off-blocked"' not in html


@pytest.mark.parametrize("reason", ["", "   "])
def test_it_refuses_an_empty_reason_at_the_field(consultant_client, warned, reason):
    consultant_client.cookies["django_language"] = "en"
    response = consultant_client.post(resolve_url(warned), {f"w-{CODE}-reason": reason})
    html = response.content.decode()
    assert response.status_code == 400
    field = html.index(f'name="w-{CODE}-reason"')
    error = html.index(f'data-testid="error-resolve-{CODE}"')
    assert field < error < field + 600
    assert "Give the reason why the warning can be resolved." in html
    assert 'aria-invalid="true"' in html[field - 200 : error]
    assert not WarningResolution.objects.exists()


def test_it_refuses_an_empty_reason_in_chinese(consultant_client, warned):
    consultant_client.cookies["django_language"] = "zh-hans"
    response = consultant_client.post(resolve_url(warned), {f"w-{CODE}-reason": ""})
    assert response.status_code == 400
    assert "请说明可以解除该提示的理由。" in response.content.decode()


def test_it_resolves_a_warning_and_shows_who_and_why(consultant_client, warned, consultant):
    response = consultant_client.post(
        resolve_url(warned), {f"w-{CODE}-reason": "现场核实：仅数控设备计入联网统计。"}
    )
    assert response.status_code == 302
    location = response.headers["Location"]
    assert location.endswith(reverse("review", args=[warned.pk]) + "#must-resolve")
    resolution = WarningResolution.objects.get()
    assert (resolution.code, resolution.resolved_by) == (CODE, consultant)
    html = overview(consultant_client, warned)
    assert f'data-testid="must-resolve-{CODE}" data-state="resolved"' in html
    assert "现场核实：仅数控设备计入联网统计。" in html
    assert f'name="w-{CODE}-reason"' not in html
    assert 'data-testid="sign-off-blocked"' not in html


def test_it_says_so_when_the_warning_is_not_raised(consultant_client, warned):
    consultant_client.cookies["django_language"] = "en"
    response = consultant_client.post(
        resolve_url(warned, "C-NET-INFO"), {"w-C-NET-INFO-reason": "x"}, follow=True
    )
    assert response.status_code == 200
    assert "The answers raise no warning C-NET-INFO that must be resolved." in (
        response.content.decode()
    )
    assert not WarningResolution.objects.exists()


def test_it_says_so_for_an_unknown_warning_even_without_a_reason(consultant_client, warned):
    consultant_client.cookies["django_language"] = "en"
    response = consultant_client.post(resolve_url(warned, "C-NONE"), {"w-C-NONE-reason": ""})
    assert response.status_code == 400
    assert "The answers raise no warning C-NONE that must be resolved." in (
        response.content.decode()
    )


@pytest.mark.parametrize("confirmed", [False, True])
def test_it_refuses_sign_off_with_a_message_while_a_warning_is_open(
    consultant_client, warned, confirmed
):
    consultant_client.cookies["django_language"] = "en"
    data = {"decision": "sign_off"} | ({"confirmed": "on"} if confirmed else {})
    response = consultant_client.post(reverse("review_decide", args=[warned.pk]), data)
    assert response.status_code == 302
    assert reverse("review", args=[warned.pk]) in response.headers["Location"]
    page = consultant_client.get(response.headers["Location"]).content.decode()
    assert "Sign-off must wait: resolve the warning C-NET-RATE with a reason first." in page
    warned.refresh_from_db()
    assert warned.status == "submitted"


def test_it_asks_for_confirmation_once_the_warning_is_resolved(consultant_client, warned):
    consultant_client.post(resolve_url(warned), {f"w-{CODE}-reason": "Checked on site."})
    response = consultant_client.post(
        reverse("review_decide", args=[warned.pk]), {"decision": "sign_off"}
    )
    assert response.status_code == 200
    assert 'data-testid="confirm-sign-off"' in response.content.decode()
    response = consultant_client.post(
        reverse("review_decide", args=[warned.pk]), {"decision": "sign_off", "confirmed": "on"}
    )
    assert response.status_code == 302
    warned.refresh_from_db()
    assert warned.status == "validated"


def test_the_history_tells_who_resolved_which_warning_and_why(
    consultant_client, warned, consultant
):
    review.warning_resolve(
        assessment=warned, consultant=consultant, code=CODE, reason="Checked on site."
    )
    consultant_client.cookies["django_language"] = "en"
    html = consultant_client.get(reverse("history", args=[warned.pk])).content.decode()
    assert (
        f"{consultant} resolved the warning {CODE} “All machines said to be networked, but the "
        "networked share is low”. Reason: Checked on site." in html
    )


def test_only_the_assigned_consultant_resolves(client, warned, other_consultant, respondent):
    for user, status in ((other_consultant, 404), (respondent, 403)):
        client.force_login(user)
        response = client.post(resolve_url(warned), {f"w-{CODE}-reason": "x"})
        assert response.status_code == status
    assert not WarningResolution.objects.exists()


def test_the_dimension_page_marks_the_warning_to_resolve(consultant_client, warned):
    consultant_client.cookies["django_language"] = "en"
    url = reverse("review_dimension", args=[warned.pk, "OPS"])
    html = consultant_client.get(url).content.decode()
    row = html[html.index('data-testid="warning-C-NET-RATE-OPS-01"') :]
    assert row.index('data-testid="must-resolve-badge"') < row.index("</div>")
    assert "to resolve before sign-off" in row


def test_the_confirmation_names_the_resolved_warnings_and_the_level_label(
    consultant_client, warned
):
    consultant_client.post(resolve_url(warned), {f"w-{CODE}-reason": "Checked on site."})
    consultant_client.cookies["django_language"] = "en"
    response = consultant_client.post(
        reverse("review_decide", args=[warned.pk]), {"decision": "sign_off"}
    )
    html = response.content.decode()
    assert "You resolved the warning C-NET-RATE; your reason is in the history." in html
    # The numbers questionnaire's levels have no gates: sign-off alone verifies the level.
    assert "The level will be called a verified level" in html


def test_the_confirmation_names_the_unverified_gate_answers(consultant_client, submitted):
    consultant_client.cookies["django_language"] = "en"
    response = consultant_client.post(
        reverse("review_decide", args=[submitted.pk]), {"decision": "sign_off"}
    )
    html = response.content.decode()
    assert "The level will be called a self-assessed level (indicative)" in html
    assert "No evidence file: SEC-01." in html and "Not verified by you: SEC-01." in html
    assert 'data-testid="resolved-warnings"' not in html
