"""Backups are signed: a restore accepted an archive whose checksums were recomputed after its rows were edited (an
answer and an audit event rewritten, a superuser added). The manifest now carries an HMAC with a key that is never
in the archive; unsigned, re-signed with another key, or edited archives are refused with a message, and nothing
changes."""

from __future__ import annotations

import hashlib
import json
import zipfile
from pathlib import Path
from typing import Any

import pytest
import typer
from django.contrib.auth.models import User
from typer.testing import CliRunner

from govlens.cli.backup_cmd import backup as backup_command
from govlens.cli.backup_cmd import restore as restore_command
from govlens.web.audit.models import AuditEvent
from govlens.web.backup import BackupError, BackupKey, backup_key, backup_write, manifest_sign, restore
from govlens.web.collection.models import Answer
from govlens.web.collection.services import response_save

from ..conftest import World


def _state() -> tuple[Any, ...]:
    return (
        sorted(Answer.objects.values_list("question", "value")),
        AuditEvent.objects.count(),
        sorted(User.objects.values_list("username", "is_superuser")),
    )


@pytest.fixture
def archive(world: World, tmp_path: Path) -> Path:
    response_save(actor=world.users["focal_arg"], cycle_slug="lac-2026", iso3="ARG", version=0, answers={"staff": 12})
    path = tmp_path / "platform.zip"
    backup_write(path)
    return path


def _attack(archive: Path, target: Path, *, sign_with: BackupKey | None = None, keep_signature: bool = True) -> None:
    """What the attack did: rewrite an answer and an audit event, add a superuser, recompute every checksum."""
    with zipfile.ZipFile(archive) as opened:
        rows = json.loads(opened.read("database.json"))
        manifest = json.loads(opened.read("manifest.json"))
        signature = opened.read("manifest.sig")
    for row in rows:
        if row["model"] == "collection.answer" and row["fields"]["question"] == "staff":
            row["fields"]["value"] = 999
        if row["model"] == "audit.auditevent" and row["fields"]["new"] == 12:
            row["fields"]["new"] = 999
    admin = next(row for row in rows if row["model"] == "auth.user" and row["fields"]["is_superuser"])
    rows.append({**admin, "pk": 9999, "fields": {**admin["fields"], "username": "intruder"}})
    data = json.dumps(rows).encode()
    manifest["members"]["database.json"] = {"size": len(data), "sha256": hashlib.sha256(data).hexdigest()}
    manifest["rows"]["auth.user"] += 1
    manifest_bytes = json.dumps(manifest).encode()
    with zipfile.ZipFile(target, "w") as out:
        out.writestr("manifest.json", manifest_bytes)
        out.writestr("database.json", data)
        if sign_with is not None:
            out.writestr("manifest.sig", manifest_sign(manifest_bytes, sign_with))
        elif keep_signature:
            out.writestr("manifest.sig", signature)


def test_an_edited_archive_with_recomputed_checksums_is_refused(archive: Path, tmp_path: Path) -> None:
    before = _state()
    edited = tmp_path / "edited.zip"
    _attack(archive, edited)
    with pytest.raises(BackupError) as caught:
        restore(edited)
    assert "its manifest does not match its signature: the archive was changed after it was written" in str(
        caught.value
    )
    assert "nothing was changed" in str(caught.value)
    assert _state() == before
    assert not User.objects.filter(username="intruder").exists()


def test_an_unsigned_archive_is_refused(archive: Path, tmp_path: Path) -> None:
    before = _state()
    unsigned = tmp_path / "unsigned.zip"
    _attack(archive, unsigned, keep_signature=False)
    with pytest.raises(BackupError, match=r"it is not signed \(no manifest.sig\)"):
        restore(unsigned)
    assert _state() == before


def test_an_archive_signed_with_another_key_is_refused(archive: Path, tmp_path: Path) -> None:
    before = _state()
    forged = tmp_path / "forged.zip"
    attacker = BackupKey(b"the attacker's own key", "attacker")
    _attack(archive, forged, sign_with=attacker)
    with pytest.raises(BackupError) as caught:
        restore(forged)
    assert f"it is signed with another key (key id '{attacker.id}'" in str(caught.value)
    assert "--key-file" in str(caught.value)
    assert _state() == before


def test_the_key_is_kept_outside_the_archive(archive: Path) -> None:
    key = backup_key()
    with zipfile.ZipFile(archive) as opened:
        names = opened.namelist()
        everything = b"".join(opened.read(name) for name in names)
    assert "manifest.sig" in names
    assert key.secret not in everything
    assert (Path(key.source).stat().st_mode & 0o777) == 0o600


def test_an_archive_moves_to_another_platform_with_its_key_file(
    world: World, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    response_save(actor=world.users["focal_arg"], cycle_slug="lac-2026", iso3="ARG", version=0, answers={"staff": 3})
    key_file = tmp_path / "offsite.key"
    key_file.write_text("a key kept in the vault\n", encoding="utf-8")
    app = typer.Typer()
    app.command("backup")(backup_command)
    app.command("restore")(restore_command)
    runner = CliRunner()
    out = tmp_path / "moved.zip"
    written = runner.invoke(app, ["backup", "--out", str(out), "--key-file", str(key_file)])
    assert written.exit_code == 0, written.output
    response_save(actor=world.users["focal_arg"], cycle_slug="lac-2026", iso3="ARG", version=1, answers={"staff": 4})
    # without the key the platform's own key does not match: refused, with what to do
    refused = runner.invoke(app, ["restore", str(out), "--yes"])
    assert refused.exit_code == 1
    assert "signed with another key" in refused.output and "--key-file" in refused.output
    assert Answer.objects.get(question="staff").value == 4
    restored = runner.invoke(app, ["restore", str(out), "--yes", "--key-file", str(key_file)])
    assert restored.exit_code == 0, restored.output
    assert "is intact and signed" in restored.output
    assert Answer.objects.get(question="staff").value == 3
    # the key may also come from the environment
    monkeypatch.setenv("GOVLENS_BACKUP_KEY", "a key kept in the vault")
    assert runner.invoke(app, ["restore", str(out), "--yes"]).exit_code == 0
    missing = runner.invoke(app, ["restore", str(out), "--yes", "--key-file", str(tmp_path / "nope.key")])
    assert (missing.exit_code, "cannot read the backup key" in missing.output) == (1, True)
