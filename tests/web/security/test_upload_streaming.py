"""Uploads were read whole (into a temporary file) before the 10 MiB check. The first upload handler now counts
bytes as they stream in and stops at the limit: the rest of the file is never read, nothing is kept, and the page
and the API say why."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.test import Client

from govlens.web.collection.models import EvidenceFile

from ..conftest import PASSWORD, RESPONSE_ARG, Api, World

LIMIT = 64 * 1024


class CountingFile(io.BytesIO):
    """A file that remembers how far it was read (the request body is built from it as it is read)."""

    def __init__(self, data: bytes, name: str) -> None:
        super().__init__(data)
        self.name = name
        self.served = 0

    def read(self, size: int | None = -1) -> bytes:
        chunk = super().read(size)
        self.served += len(chunk)
        return chunk


@pytest.fixture
def small_limit(settings: Any) -> None:
    settings.GOVLENS_UPLOAD_MAX_BYTES = LIMIT


def test_the_api_stops_an_oversized_upload_while_streaming(world: World, small_limit: None, monkeypatch: Any) -> None:
    from django.core.files.uploadhandler import MemoryFileUploadHandler, TemporaryFileUploadHandler

    written: list[int] = []
    for handler in (MemoryFileUploadHandler, TemporaryFileUploadHandler):
        original = handler.receive_data_chunk

        def spy(self: Any, raw_data: bytes, start: int, original: Any = original) -> Any:
            written.append(len(raw_data))
            return original(self, raw_data, start)

        monkeypatch.setattr(handler, "receive_data_chunk", spy)
    api = Api("focal_arg")
    big = b"%PDF-1.4 " + b"x" * (20 * LIMIT)
    reply = api.client.post(
        f"{RESPONSE_ARG}/evidence", {"question": "budget", "file": CountingFile(big, "big.pdf")}, headers=api.headers
    )
    assert reply.status_code == 422, reply.content
    problem = reply.json()["error"]["details"]["problems"][0]
    assert (problem["question"], problem["code"]) == ("budget", "file_too_large")
    assert f"at most {LIMIT} bytes; big.pdf is larger (it was not kept)" in problem["message"]
    # what reached the storing handlers stopped near the limit, far from the 20x file
    assert 0 < sum(written) <= LIMIT + 64 * 1024
    assert not EvidenceFile.objects.exists()


def test_the_page_says_the_file_is_too_large(world: World, small_limit: None) -> None:
    client = Client()
    assert client.login(username="focal_arg", password=PASSWORD)
    big = b"%PDF-1.4 " + b"x" * (3 * LIMIT)
    reply = client.post(
        "/cycles/lac-2026/responses/ARG/upload", {"question": "budget", "file": CountingFile(big, "big.pdf")},
        follow=True,
    )
    assert f"files may be at most {LIMIT} bytes" in reply.content.decode()
    assert not EvidenceFile.objects.exists()
    fits = client.post(
        "/cycles/lac-2026/responses/ARG/upload",
        {"question": "budget", "file": CountingFile(b"%PDF-1.4 small", "small.pdf")},
    )
    assert fits.status_code == 302
    assert EvidenceFile.objects.count() == 1
