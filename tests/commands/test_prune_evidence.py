"""`prune_evidence` deletes evidence files no answer references (issue 11 item 6)."""

import os
import time
from io import StringIO

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from diagnosis.services.assessments import AnswerEntry, answers_save

DAY = 24 * 3600


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def prune(*args: str) -> str:
    out = StringIO()
    call_command("prune_evidence", *args, stdout=out)
    return out.getvalue()


def age(media, name: str, seconds: float) -> None:
    moment = time.time() - seconds
    os.utime(media / name, (moment, moment))


@pytest.fixture
def files(draft, respondent, media):
    """A referenced file and two orphans (one two days old, one a minute old)."""
    upload = SimpleUploadedFile("plan.pdf", b"%PDF-1.4\n", content_type="application/pdf")
    entry = AnswerEntry(code="STR-01", value=2, evidence=upload)
    answer = answers_save(assessment=draft, user=respondent, entries=[entry]).answers["STR-01"]
    referenced = answer.evidence.name or ""
    old = default_storage.save("evidence/2025/01/orphan.pdf", ContentFile(b"old"))
    young = default_storage.save("evidence/2026/12/young.pdf", ContentFile(b"young"))
    for name, seconds in ((referenced, 2 * DAY), (old, 2 * DAY), (young, 60)):
        age(media, name, seconds)
    return referenced, old, young


def test_it_deletes_old_orphans_only(files):
    referenced, old, young = files
    output = prune()
    assert old in output and "1 orphan files deleted" in output
    assert not default_storage.exists(old)
    assert default_storage.exists(referenced) and default_storage.exists(young)


def test_it_lists_orphans_without_deleting_them_in_a_dry_run(files):
    referenced, old, young = files
    output = prune("--dry-run")
    assert old in output and referenced not in output and young not in output
    assert default_storage.exists(old)


def test_it_deletes_young_orphans_when_told_to(files):
    referenced, old, young = files
    prune("--min-age-hours", "0")
    assert not default_storage.exists(young) and not default_storage.exists(old)
    assert default_storage.exists(referenced)


def test_it_has_nothing_to_do_without_an_evidence_folder(db):
    assert "0 orphan files deleted" in prune()
