"""The public check of a signed report: number and code in, signed (firm, date) or not out."""

import pytest
from django.urls import reverse

from diagnosis.models import Assessment
from diagnosis.services import review

URL = reverse("report_verify")


@pytest.fixture
def signed(submitted, consultant) -> Assessment:
    review.review_sign_off(assessment=submitted, consultant=consultant)
    submitted.refresh_from_db()
    return submitted


def result(html: str) -> str:
    """The verdict's own markup."""
    return html[html.index('data-testid="verify-result"') :].split("</div>")[0]


def check(client, number: str, code: str):
    return client.get(URL, {"number": number, "code": code})


def test_it_confirms_a_signed_report_to_anyone(client, signed):
    response = check(client, signed.report_number, signed.verification_code)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="verify-result"' in html
    assert signed.firm.name in html and signed.report_number in html
    assert signed.validated_at.astimezone().strftime("%Y-%m-%d")[:4] in html


def test_it_accepts_the_code_as_printed_in_groups_and_lower_case(client, signed):
    code = signed.verification_code
    printed = "-".join(code[i : i + 4] for i in range(0, 16, 4)).lower()
    assert signed.firm.name in check(client, signed.report_number, printed).content.decode()


def test_it_reveals_nothing_else(client, signed):
    html = check(client, signed.report_number, signed.verification_code).content.decode()
    for secret in (
        signed.firm.credit_code,
        str(signed.validated_by),
        signed.validated_provider.name,
        f"{signed.results.get(kind='validated').overall:.1f}",
    ):
        assert secret not in html


def test_it_answers_a_wrong_code_like_an_unknown_number(client, signed):
    wrong = check(client, signed.report_number, "0" * 16).content.decode()
    unknown = check(client, "DD-1999-999999", signed.verification_code).content.decode()
    assert signed.firm.name not in wrong and signed.firm.name not in unknown
    assert result(wrong) == result(unknown)


def test_it_does_not_confirm_a_report_that_is_not_signed(client, submitted):
    Assessment.objects.filter(pk=submitted.pk).update(
        report_number="DD-2026-000099", verification_code="A" * 16
    )
    html = check(client, "DD-2026-000099", "A" * 16).content.decode()
    assert submitted.firm.name not in html


def test_it_limits_checks_per_address(client, signed, settings):
    settings.VERIFY_CHECKS_PER_HOUR = 3
    statuses = [check(client, "DD-1999-000001", "X").status_code for _ in range(3)]
    assert statuses == [200, 200, 200]
    limited = check(client, signed.report_number, signed.verification_code)
    assert limited.status_code == 429
    assert signed.firm.name not in limited.content.decode()
    other = client.get(URL, {"number": "x", "code": "y"}, REMOTE_ADDR="10.0.0.9")
    assert other.status_code == 200


def test_it_answers_bad_input_with_a_form_error(client):
    assert client.get(URL, {"number": "", "code": "x" * 500}).status_code == 400
    assert client.get(URL).status_code == 200  # the empty form


def test_it_gives_every_signed_report_its_own_number_and_code(signed, draft):
    assert signed.report_number.startswith("DD-")
    assert len(signed.verification_code) == 16
    assert signed.verification_code != review.new_verification_code()
