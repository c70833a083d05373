"""Evidence files in storage: what a firm uses against its quota, what no answer references."""

from collections.abc import Iterator
from datetime import datetime

from django.core.files.storage import Storage
from django.db.models import Sum

from diagnosis.models import Answer, Firm

EVIDENCE_DIRECTORY = "evidence"  # Answer.evidence's upload_to, without the date parts


def evidence_storage() -> Storage:
    return Answer.evidence.field.storage


def evidence_bytes_used(firm: Firm) -> int:
    """Bytes of all the firm's evidence files (every assessment). Files stored before sizes
    were recorded are sized in the storage; a file gone from it counts nothing."""
    answers = Answer.objects.filter(assessment__firm=firm).exclude(evidence="")
    known = answers.aggregate(total=Sum("evidence_size"))["total"] or 0
    unsized = answers.filter(evidence_size__isnull=True).values_list("evidence", flat=True)
    return known + sum(stored_size(name) for name in unsized)


def stored_size(name: str) -> int:
    try:
        return evidence_storage().size(name)
    except (OSError, NotImplementedError):
        return 0


def orphan_evidence(*, older_than: datetime) -> Iterator[str]:
    """Names of files in the evidence storage that no answer references, last modified
    before `older_than` (a file is stored before its answer's row commits: a young file
    may belong to a save in progress). One folder at a time, so memory stays bounded."""
    storage = evidence_storage()
    for directory, files in _walk(storage, EVIDENCE_DIRECTORY):
        referenced = _referenced_names(directory)
        for file_name in files:
            name = f"{directory}/{file_name}"
            if name not in referenced and _modified_before(storage, name, older_than):
                yield name


def _walk(storage: Storage, directory: str) -> Iterator[tuple[str, list[str]]]:
    try:
        directories, files = storage.listdir(directory)
    except FileNotFoundError:
        return
    yield directory, sorted(files)
    for child in sorted(directories):
        yield from _walk(storage, f"{directory}/{child}")


def _referenced_names(directory: str) -> set[str]:
    """The evidence names that answers reference directly in `directory` (one month's
    folder with the default upload_to)."""
    names = Answer.objects.filter(evidence__startswith=f"{directory}/").values_list(
        "evidence", flat=True
    )
    return {name for name in names if name.rsplit("/", 1)[0] == directory}


def _modified_before(storage: Storage, name: str, moment: datetime) -> bool:
    try:
        return storage.get_modified_time(name) < moment
    except (OSError, NotImplementedError):
        return False  # unknown age: kept, never deleted by guess
