"""Uploads beyond the size limit are refused before the body is read (issue 11 item 6)."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from diagnosis.models import Answer

TOO_LARGE = "上传内容超过"  # "The upload is larger than", in the default language


class UnreadableBody:
    """A request body that fails the test if anything reads it."""

    def __init__(self) -> None:
        self.read_from = False

    def read(self, *args):
        self.read_from = True
        raise AssertionError("the body was read")

    readline = read


def test_it_refuses_an_oversized_upload_without_reading_it(client, respondent, draft):
    client.force_login(respondent)
    body = UnreadableBody()

    response = client.post(
        reverse("answer_autosave", args=[draft.pk, "STR-01"]),
        data=b"--limit--",
        content_type="multipart/form-data; boundary=limit",
        CONTENT_LENGTH=str(2 * 1024**3),
        **{"wsgi.input": body},
    )

    assert response.status_code == 413
    page = response.content.decode()
    assert TOO_LARGE in page and "10.0\xa0MB" in page
    assert "data-refusal-message" in page  # the answering page shows it in the card
    assert not body.read_from


@override_settings(EVIDENCE_MAX_BYTES=1000)
def test_it_refuses_a_real_upload_past_the_limit_and_what_fields_need(
    client, respondent, draft, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(respondent)
    big = SimpleUploadedFile("plan.pdf", b"%PDF-1.4\n" + b"0" * (1024 * 1024 + 2000))

    response = client.post(
        reverse("answer_autosave", args=[draft.pk, "STR-01"]),
        {"q-STR-01-value": "2", "q-STR-01-rev": "0", "q-STR-01-evidence": big},
    )

    assert response.status_code == 413
    assert TOO_LARGE in response.content.decode()
    assert not Answer.objects.filter(assessment=draft).exists()


def test_the_population_import_keeps_its_own_larger_limit(client, administrator):
    client.force_login(administrator)
    response = client.post(
        reverse("population_import_new"),
        data=b"--limit--",
        content_type="multipart/form-data; boundary=limit",
        CONTENT_LENGTH=str(30 * 1024 * 1024),  # over the evidence limit, under the import's
        **{"wsgi.input": io.BytesIO(b"")},
    )
    assert response.status_code != 413
