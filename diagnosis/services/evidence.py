"""Deleting evidence files from storage: only once no committed row references them."""

import logging
from collections.abc import Iterable

from django.db import transaction

from diagnosis.queries.evidence import evidence_storage

logger = logging.getLogger(__name__)


def evidence_files_delete_on_commit(names: Iterable[str]) -> None:
    """Delete the files once the current transaction commits; a rolled-back change keeps
    them (its rows still reference them). Outside a transaction, at once."""
    names = [name for name in names if name]
    if names:
        transaction.on_commit(lambda: evidence_files_delete(names), robust=True)


def evidence_files_delete(names: Iterable[str]) -> int:
    """Delete the files from the evidence storage; returns how many were deleted. A file
    that cannot be deleted is logged and left for `prune_evidence`."""
    storage = evidence_storage()
    deleted = 0
    for name in names:
        try:
            storage.delete(name)
        except Exception:  # any storage backend's error: the change itself has committed
            logger.warning("evidence file %s could not be deleted", name, exc_info=True)
        else:
            deleted += 1
    return deleted
