"""The admin's "framework file on the server" field let analysts probe and parse any server path (/etc/passwd,
the secret key, another platform's files). The form now takes a framework the loader knows by name or a file in
GOVLENS_FRAMEWORK_DIR, and refuses any path without looking at it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from govlens.framework.yaml_io import write_yaml
from govlens.web.cycles.models import Cycle

from ..conftest import PASSWORD, World, tiny_framework

FORM = {"title": "Caribbean", "country_codes": "JAM", "opens_on": "", "closes_on": ""}


def _post(framework: str, slug: str = "car-2027") -> Any:
    client = Client()
    assert client.login(username="analyst", password=PASSWORD)
    return client.post("/admin/cycles/cycle/add/", {**FORM, "slug": slug, "framework": framework})


@pytest.mark.parametrize(
    "path", ["/etc/passwd", "/etc/hostname", "../../secret_key", "~/.ssh/id_rsa", "./pyproject.toml", ".hidden.yaml"]
)
def test_paths_are_refused_without_being_read(world: World, path: str) -> None:
    reply = _post(path)
    assert reply.status_code == 200  # the form again
    text = reply.content.decode()
    assert "paths are not accepted here" in text or "no framework file" in text
    # nothing of the file, and nothing saying whether it exists or parses
    assert "root:" not in text and "not a framework" not in text.lower()
    assert not Cycle.objects.filter(slug="car-2027").exists()


def test_a_file_of_the_working_folder_is_not_read_by_bare_name(world: World, tmp_path: Path, monkeypatch: Any) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "secrets").write_text("password: hunter2\n", encoding="utf-8")
    reply = _post("secrets")
    assert "paths are not accepted here" in reply.content.decode()
    assert "hunter2" not in reply.content.decode()


def test_a_file_in_the_frameworks_folder_is_used(world: World, tmp_path: Path, settings: Any) -> None:
    folder = tmp_path / "frameworks"
    folder.mkdir()
    settings.GOVLENS_FRAMEWORK_DIR = folder
    settings.GOVLENS_FRAMEWORK_LOADER = "govlens.web.cycles.frameworks.catalogue_loader"
    write_yaml(tiny_framework(), folder / "tiny-file.yaml")
    assert _post("missing.yaml").status_code == 200
    reply = _post("tiny-file.yaml")
    assert reply.status_code == 302, reply.content[:500]
    cycle = Cycle.objects.get(slug="car-2027")
    assert (cycle.framework_id, cycle.framework_source) == ("tiny", str(folder / "tiny-file.yaml"))
