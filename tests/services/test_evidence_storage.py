"""Evidence storage (issue 11 item 6): replaced and removed files are deleted once the
change commits, never before; each firm's files stay within its quota."""

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import reverse

from diagnosis.models import Answer
from diagnosis.queries.evidence import evidence_bytes_used
from diagnosis.services.assessments import AnswerEntry, EvidenceQuotaExceeded, answers_save

PDF = b"%PDF-1.4\n" + b"0" * 991  # 1,000 bytes


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def evidence(content: bytes = PDF, name: str = "plan.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def save(assessment, user, code="STR-01", **fields) -> Answer:
    entry = AnswerEntry(code=code, value=2, **fields)
    return answers_save(assessment=assessment, user=user, entries=[entry]).answers[code]


def stored(assessment, code="STR-01") -> str:
    return Answer.objects.get(assessment=assessment, question__code=code).evidence.name or ""


def test_it_deletes_a_replaced_file_once_the_change_commits(
    draft, respondent, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        save(draft, respondent, evidence=evidence())
    first = stored(draft)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        save(draft, respondent, evidence=evidence(name="plan-v2.pdf"))
        assert default_storage.exists(first)  # not before the commit
    for callback in callbacks:
        callback()

    assert not default_storage.exists(first)
    assert default_storage.exists(stored(draft))


def test_it_deletes_a_removed_file_once_the_change_commits(
    draft, respondent, django_capture_on_commit_callbacks
):
    save(draft, respondent, evidence=evidence())
    first = stored(draft)

    with django_capture_on_commit_callbacks(execute=True):
        save(draft, respondent, remove_evidence=True)

    assert stored(draft) == ""
    assert not default_storage.exists(first)


def test_a_rolled_back_change_keeps_the_file(draft, respondent, django_capture_on_commit_callbacks):
    save(draft, respondent, evidence=evidence())
    first = stored(draft)

    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        save(draft, respondent, evidence=evidence(name="plan-v2.pdf"))
        raise RuntimeError("the request failed after the save")

    assert callbacks == []
    assert stored(draft) == first
    assert default_storage.exists(first)


def test_it_records_the_size_of_each_file(draft, firm, respondent):
    save(draft, respondent, evidence=evidence())
    save(draft, respondent, code="STR-02", evidence=evidence(PDF + b"0" * 500))
    assert evidence_bytes_used(firm) == 2500


def test_it_sizes_files_stored_before_sizes_were_recorded(draft, firm, respondent):
    save(draft, respondent, evidence=evidence())
    Answer.objects.filter(assessment=draft).update(evidence_size=None)
    assert evidence_bytes_used(firm) == 1000


def test_it_refuses_a_file_beyond_the_firms_quota_and_stores_nothing(
    draft, respondent, settings, media
):
    settings.EVIDENCE_QUOTA_PER_FIRM_BYTES = 1500
    save(draft, respondent, evidence=evidence())

    with pytest.raises(EvidenceQuotaExceeded) as refused:
        save(draft, respondent, code="STR-02", evidence=evidence())

    assert refused.value.codes == ["STR-02"]
    assert "1.5" in str(refused.value)  # the quota, as the user reads it
    assert not Answer.objects.filter(assessment=draft, question__code="STR-02").exists()
    assert len(list((media / "evidence").rglob("*.pdf"))) == 1


def test_a_replacement_counts_only_the_new_file_against_the_quota(draft, respondent, settings):
    settings.EVIDENCE_QUOTA_PER_FIRM_BYTES = 1500
    save(draft, respondent, evidence=evidence())
    save(draft, respondent, evidence=evidence(PDF + b"0" * 400))
    assert Answer.objects.get(assessment=draft).evidence_size == 1400


def test_the_answering_page_says_the_quota_is_reached_at_the_file(
    client, draft, respondent, settings
):
    settings.EVIDENCE_QUOTA_PER_FIRM_BYTES = 1500
    save(draft, respondent, evidence=evidence())
    client.force_login(respondent)

    response = client.post(
        reverse("answer_autosave", args=[draft.pk, "STR-02"]),
        {"q-STR-02-value": "2", "q-STR-02-rev": "0", "q-STR-02-evidence": evidence()},
    )

    assert response.status_code == 422
    page = response.content.decode()
    assert 'id="id_q-STR-02-evidence" class="form-control form-control-sm is-invalid"' in page
    assert "贵企业的佐证文件合计不得超过" in page
    assert not Answer.objects.filter(assessment=draft, question__code="STR-02").exists()


def test_a_page_saved_without_javascript_keeps_its_answers_beyond_the_quota(
    client, draft, respondent, settings
):
    settings.EVIDENCE_QUOTA_PER_FIRM_BYTES = 1500
    save(draft, respondent, evidence=evidence())
    client.force_login(respondent)

    response = client.post(
        reverse("section", args=[draft.pk, "STR"]),
        {"q-STR-02-value": "2", "q-STR-02-rev": "0", "q-STR-02-evidence": evidence()},
    )

    assert response.status_code == 400
    assert "贵企业的佐证文件合计不得超过" in response.content.decode()
    answer = Answer.objects.get(assessment=draft, question__code="STR-02")
    assert (answer.value, answer.evidence.name) == (2, "")
