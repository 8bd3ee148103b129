"""Uploads are measured while they stream in: a file over ``GOVLENS_UPLOAD_MAX_BYTES`` stops being read at the
limit (the 10 MiB check used to run after the whole file had been received and written to a temporary file).

The handler (first of ``FILE_UPLOAD_HANDLERS``) stops the upload and notes why on the request;
:func:`upload_refused` turns the note into the Invalid the page or the API shows."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.http import HttpRequest

from govlens.web.errors import Invalid

_REFUSED = "_govlens_upload_too_large"


class SizeLimitedUploadHandler(FileUploadHandler):
    """Counts the bytes of each file as they arrive and stops the upload past the limit (nothing is kept)."""

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        self.received += len(raw_data)
        limit = int(settings.GOVLENS_UPLOAD_MAX_BYTES)
        if self.received > limit:
            if self.request is not None:
                setattr(self.request, _REFUSED, (self.file_name or "the file", limit))
            raise StopUpload(connection_reset=False)
        return raw_data  # the next handlers store it

    def file_complete(self, file_size: int) -> None:
        return None  # the next handler makes the file


def upload_refused(request: HttpRequest, *, question: str = "") -> Invalid | None:
    """The refusal of a file that was stopped while streaming for being too large, or None."""
    refused = getattr(request, _REFUSED, None)
    if refused is None:
        return None
    name, limit = refused
    message = f"files may be at most {limit} bytes; {name} is larger (it was not kept)"
    return Invalid("the file was not accepted", problems=[{"question": question, "code": "file_too_large",
                                                          "message": message}])
