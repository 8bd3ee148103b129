"""Uploads are measured while they stream in: a file over ``GOVLENS_UPLOAD_MAX_BYTES`` stops being read at the
limit (the 10 MiB check used to run after the whole file had been received and written to a temporary file).

The handler (first of ``FILE_UPLOAD_HANDLERS``) stops the upload and notes why on the request;
:func:`upload_refused` turns the note into the Invalid the page or the API shows."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, Protocol

from django.conf import settings
from django.contrib import messages
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, HttpRequest
from django.utils.translation import gettext as _

from govlens.web.errors import Invalid

logger = logging.getLogger(__name__)

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


def evidence_store(request: HttpRequest, store: Callable[[], object], *, where: str) -> None:
    """Run ``store`` (a service attaching an uploaded evidence file) and tell the user on the next page how it went:
    every problem of a refused file, a server that could not store it (logged; the service rolled back, nothing was
    recorded), or that it was attached. Other service errors go to the caller, which shows its error page."""
    try:
        store()
    except Invalid as error:
        messages.error(request, "; ".join(str(p["message"]) for p in error.problems) or error.message)
    except OSError as error:  # a full disk, a lost mount
        logger.error("evidence for %s could not be stored: %s", where, error)
        messages.error(
            request,
            _("The file could not be stored on the server (%(reason)s); nothing was saved. Please try again later.")
            % {"reason": error.strerror or type(error).__name__},
        )
    else:
        messages.success(request, _("File attached."))


class StoredEvidence(Protocol):
    file: FieldFile
    original_name: str
    content_type: str


def evidence_response(evidence: StoredEvidence) -> FileResponse:
    """A stored evidence file as a download under the name it was uploaded with (the caller checked who asks)."""
    return FileResponse(
        evidence.file.open("rb"),
        as_attachment=True,
        filename=evidence.original_name,
        content_type=evidence.content_type,
    )
