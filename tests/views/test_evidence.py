from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from diagnosis.models import Answer

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def upload(client, assessment, content=PDF, name="plan.pdf"):
    return client.post(
        reverse("answer_autosave", args=[assessment.pk, "STR-01"]),
        {
            "q-STR-01-value": "2",
            "q-STR-01-rev": "0",
            "q-STR-01-evidence": SimpleUploadedFile(name, content),
        },
    )


def test_it_stores_evidence_and_serves_it_to_colleagues(client, respondent, colleague, draft):
    client.force_login(respondent)
    assert upload(client, draft).status_code == 200
    answer = Answer.objects.get(assessment=draft)
    assert answer.evidence_name == "plan.pdf"
    client.force_login(colleague)
    response = client.get(reverse("evidence_download", args=[draft.pk, "STR-01"]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert "attachment" in response["Content-Disposition"]


def test_it_hides_evidence_from_other_firms(client, respondent, other_respondent, draft):
    client.force_login(respondent)
    upload(client, draft)
    client.force_login(other_respondent)
    assert client.get(reverse("evidence_download", args=[draft.pk, "STR-01"])).status_code == 404


def test_it_refuses_a_file_whose_content_is_not_its_type(client, respondent, draft):
    client.force_login(respondent)
    response = upload(client, draft, content=b"MZ\x90\x00 not a pdf")
    assert response.status_code == 422
    assert not Answer.objects.filter(assessment=draft).exists()


def test_it_refuses_an_executable(client, respondent, draft):
    client.force_login(respondent)
    assert upload(client, draft, name="tool.exe").status_code == 422
