"""An upload handler that drops a file as soon as it passes the largest size any form
accepts, instead of spooling all of it to disk first (the middleware reads every POST
before a view could choose its own handlers). The form then finds the file missing and
`request.upload_too_large` set, and says why."""

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, SkipFile


def upload_limit() -> int:
    return max(settings.EVIDENCE_MAX_BYTES, settings.POPULATION_IMPORT_MAX_BYTES)


class SizeLimitUploadHandler(FileUploadHandler):
    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        if start + len(raw_data) > upload_limit():
            if self.request is not None:
                self.request.upload_too_large = True  # type: ignore[attr-defined]
            raise SkipFile
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None
