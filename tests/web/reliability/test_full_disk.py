"""A full disk under the uploads folder: the upload is refused with a clear error and nothing is lost."""

from __future__ import annotations

import errno
from typing import Any

import pytest
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from govlens.web.audit.models import AuditEvent
from govlens.web.collection.models import Answer, EvidenceFile, Response
from govlens.web.collection.services import evidence_upload, response_save

from ..conftest import PASSWORD, RESPONSE_ARG, Api, World

PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n"


@pytest.fixture
def full_disk(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_space(self: FileSystemStorage, name: str, content: Any) -> str:
        raise OSError(errno.ENOSPC, "No space left on device", name)

    monkeypatch.setattr(FileSystemStorage, "_save", no_space)


def _state() -> tuple[Any, ...]:
    response = Response.objects.get(country__iso3="ARG")
    answers = sorted(Answer.objects.filter(response=response).values_list("question", "value"))
    return response.version, answers, EvidenceFile.objects.count(), AuditEvent.objects.count()


def test_the_service_writes_nothing_when_the_disk_is_full(world: World, full_disk: None) -> None:
    response_save(actor=world.users["focal_arg"], cycle_slug="lac-2026", iso3="ARG", version=0, answers={"staff": 4})
    before = _state()
    assert before[:3] == (1, [("staff", 4)], 0)
    with pytest.raises(OSError) as raised:
        evidence_upload(
            actor=world.users["focal_arg"],
            cycle_slug="lac-2026",
            iso3="ARG",
            question="budget",
            upload=SimpleUploadedFile("b.pdf", PDF),
        )
    assert raised.value.errno == errno.ENOSPC
    assert _state() == before  # no answer row for 'budget', no file row, no audit event, same version


def test_the_page_says_the_file_could_not_be_stored(world: World, full_disk: None) -> None:
    client = Client(raise_request_exception=False)
    assert client.login(username="focal_arg", password=PASSWORD)
    before = _state()
    reply = client.post(
        "/cycles/lac-2026/responses/ARG/upload",
        {"question": "budget", "file": SimpleUploadedFile("b.pdf", PDF)},
        follow=True,
    )
    assert _state() == before
    assert reply.status_code != 500
    assert "could not be stored" in reply.content.decode() or "space" in reply.content.decode()


def test_the_api_answers_503_when_the_file_cannot_be_stored(world: World, full_disk: None) -> None:
    api = Api("focal_arg")
    before = _state()
    upload = {"question": "budget", "file": SimpleUploadedFile("b.pdf", PDF)}
    reply = api.client.post(f"{RESPONSE_ARG}/evidence", upload, headers=api.headers)
    assert reply.status_code == 503
    error = reply.json()["error"]
    assert error["code"] == "storage_unavailable" and "No space left on device" in error["message"]
    assert _state() == before
