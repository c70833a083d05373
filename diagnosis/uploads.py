"""Upload size limits, enforced before the body is read.

`RefuseOversizedUploadsMiddleware` (middleware.py) answers 413 to a multipart POST whose
Content-Length is beyond what its view accepts (`body_limit`), before anything reads the
body. The upload handler below is the second line: it drops a file as soon as it passes
the largest size any form accepts, instead of spooling all of it to disk first (the
middleware reads every POST before a view could choose its own handlers). The form then
finds the file missing and `request.upload_too_large` set, and says why."""

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.urls import Resolver404, resolve

# Room for the form's other fields (notes, answers, multipart headers) beside its files:
# a whole questionnaire page of notes takes far less.
FORM_FIELDS_ALLOWANCE = 1024 * 1024


def upload_limit() -> int:
    return max(settings.EVIDENCE_MAX_BYTES, settings.POPULATION_IMPORT_MAX_BYTES)


def file_limit(path: str) -> int:
    """The largest file the view at `path` accepts: a population list on the import page,
    an evidence file everywhere else (several files posted at once share it)."""
    try:
        name = resolve(path).url_name
    except Resolver404:
        name = None
    if name == "population_import_new":
        return settings.POPULATION_IMPORT_MAX_BYTES
    return settings.EVIDENCE_MAX_BYTES


def body_limit(path: str) -> int:
    return file_limit(path) + FORM_FIELDS_ALLOWANCE


class SizeLimitUploadHandler(FileUploadHandler):
    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        if start + len(raw_data) > upload_limit():
            if self.request is not None:
                self.request.upload_too_large = True  # type: ignore[attr-defined]
            raise SkipFile
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None
