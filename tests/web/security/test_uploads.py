"""Evidence uploads through the page: size limit, type by extension and by content, hostile file names."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from govlens.web.collection.models import EvidenceFile, Response

from ..conftest import PASSWORD, World

UPLOAD = "/cycles/lac-2026/responses/ARG/upload"
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 24


def _client(username: str = "focal_arg") -> Client:
    client = Client()
    assert client.login(username=username, password=PASSWORD)
    return client


def _upload(client: Client, name: str, data: bytes, content_type: str = "application/octet-stream") -> Any:
    return client.post(
        UPLOAD, {"question": "budget", "file": SimpleUploadedFile(name, data, content_type=content_type)}, follow=True
    )


def _stored_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def _version() -> int:
    return Response.objects.get(country__iso3="ARG").version


def test_an_oversized_file_is_refused_and_nothing_is_stored(world: World, settings: Any) -> None:
    settings.GOVLENS_UPLOAD_MAX_BYTES = 1000
    client = _client()
    reply = _upload(client, "big.pdf", PDF + b"x" * 1000)
    assert "at most 1000 bytes" in reply.content.decode()
    assert (EvidenceFile.objects.count(), _stored_files(), _version()) == (0, [], 0)
    # Exactly at the limit is fine.
    fits = _upload(client, "fits.pdf", PDF + b"x" * (1000 - len(PDF)))
    assert fits.status_code == 200
    assert EvidenceFile.objects.count() == 1


@pytest.mark.parametrize(
    ("name", "data", "expected"),
    [
        ("report.pdf", b"<html><script>alert(1)</script></html>", "is not a PDF file"),
        ("photo.png", b"\xff\xd8\xff\xe0JFIF", "is not a PNG file"),
        ("photo.jpg", PNG, "is not a JPG file"),
        ("sheet.xlsx", b"name,value\n", "is not a XLSX file"),
        ("page.html", b"<html></html>", "file type must be one of"),
        ("page.svg", b"<svg onload=alert(1)>", "file type must be one of"),
        ("run.exe", b"MZ\x90\x00", "file type must be one of"),
        ("report.pdf.html", PDF, "file type must be one of"),
        ("no_extension", PDF, "file type must be one of"),
    ],
)
def test_mislabelled_or_disallowed_files_are_refused(world: World, name: str, data: bytes, expected: str) -> None:
    reply = _upload(_client(), name, data)
    assert expected in reply.content.decode()
    assert (EvidenceFile.objects.count(), _stored_files(), _version()) == (0, [], 0)


@pytest.mark.parametrize(
    "name",
    [
        "../../../../tmp/evil.pdf",
        "..\\..\\..\\evil.pdf",
        "/etc/cron.d/evil.pdf",
        "evidence/lac-2026/BRA/evil.pdf",
        "%2e%2e%2f%2e%2e%2fevil.pdf",
        "....//....//evil.pdf",
    ],
)
def test_path_traversal_names_never_choose_where_the_file_goes(world: World, name: str) -> None:
    client = _client()
    reply = _upload(client, name, PDF)
    assert reply.status_code == 200
    stored = EvidenceFile.objects.get()
    path = Path(stored.file.path).resolve()
    folder = (Path(settings.MEDIA_ROOT) / "evidence" / "lac-2026" / "ARG").resolve()
    assert path.parent == folder
    assert len(path.stem) == 32 and all(c in "0123456789abcdef" for c in path.stem)  # a generated name
    assert path.suffix == ".pdf"
    assert _stored_files() == [path]
    assert "/" not in stored.original_name and "\\" not in stored.original_name
    download = client.get(f"/cycles/lac-2026/responses/ARG/files/{stored.pk}")
    assert download.status_code == 200
    disposition = download["Content-Disposition"]
    assert disposition.startswith("attachment")
    assert "\r" not in disposition and "\n" not in disposition and "/" not in disposition
    assert b"".join(download.streaming_content) == PDF


def test_downloads_use_the_allowed_type_not_the_uploaders(world: World) -> None:
    client = _client()
    _upload(client, "notes.txt", b"<script>alert(1)</script>", content_type="text/html")
    stored = EvidenceFile.objects.get()
    assert stored.content_type == "text/plain"
    download = client.get(f"/cycles/lac-2026/responses/ARG/files/{stored.pk}")
    assert download["Content-Type"].startswith("text/plain")
    assert download["Content-Disposition"].startswith("attachment")
    assert download["X-Content-Type-Options"] == "nosniff"


def test_another_country_cannot_upload_or_download(world: World) -> None:
    _upload(_client(), "mine.pdf", PDF)
    stored = EvidenceFile.objects.get()
    other = _client("focal_bra")
    assert other.get(f"/cycles/lac-2026/responses/ARG/files/{stored.pk}").status_code in (403, 404)
    # The file id of ARG through BRA's response: not found either.
    assert other.get(f"/cycles/lac-2026/responses/BRA/files/{stored.pk}").status_code == 404
    refused = other.post(UPLOAD, {"question": "budget", "file": SimpleUploadedFile("x.pdf", PDF)})
    assert refused.status_code in (403, 404)
    assert EvidenceFile.objects.count() == 1


def test_a_multipart_body_without_boundary_is_refused_on_the_page_too(world: World) -> None:
    reply = _client().post(UPLOAD, b"--x\r\n", content_type="multipart/form-data")
    assert reply.status_code == 400
    assert EvidenceFile.objects.count() == 0 and _stored_files() == []
