"""Backup and restore: a platform round-trips (cycles, responses, answers, comments, audit trail, uploads), and a
damaged, truncated or inconsistent archive is refused before anything changes."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from pathlib import Path
from typing import Any

import pytest
import typer
from django.conf import settings
from django.contrib.auth.models import User
from django.contrib.sessions.models import Session
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DatabaseError, connection, transaction
from django.test import Client
from typer.testing import CliRunner

from govlens.cli.backup_cmd import backup as backup_command
from govlens.cli.backup_cmd import restore as restore_command
from govlens.web.audit.models import AuditEvent
from govlens.web.backup import BackupError, backup_key, backup_write, manifest_sign, restore, restore_read
from govlens.web.collection.models import Answer, EvidenceFile, Response
from govlens.web.collection.services import evidence_upload, response_save
from govlens.web.cycles.models import Cycle
from govlens.web.cycles.services import cycle_create
from govlens.web.review.models import ReviewComment
from govlens.web.review.services import review_comment_add

from ..conftest import PASSWORD, World

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 40 + b"evidence-bytes"


def _populate(world: World) -> None:
    fp = world.users["focal_arg"]
    response_save(
        actor=fp,
        cycle_slug="lac-2026",
        iso3="ARG",
        version=0,
        answers={"org_exists": "yes", "org_year": 2014},
        comments={"org_exists": "Decree 12/2014"},
    )
    response_save(actor=fp, cycle_slug="lac-2026", iso3="ARG", version=1, answers={"staff": 12, "notes": "olá"})
    evidence_upload(
        actor=fp,
        cycle_slug="lac-2026",
        iso3="ARG",
        question="budget",
        upload=SimpleUploadedFile("budget.png", PNG, content_type="image/png"),
    )
    review_comment_add(
        actor=world.users["reviewer_arg"],
        cycle_slug="lac-2026",
        iso3="ARG",
        text="Which decree?",
        question="org_exists",
    )


def _state() -> dict[str, Any]:
    """What a restore must bring back, read straight from the tables and the uploads folder."""
    files: dict[str, bytes | None] = {}
    for row in EvidenceFile.objects.all():
        path = Path(row.file.path)
        files[row.original_name] = path.read_bytes() if path.is_file() else None
    return {
        "cycles": sorted(Cycle.objects.values_list("slug", "status", "framework_fingerprint")),
        "responses": sorted(Response.objects.values_list("cycle__slug", "country__iso3", "status", "version")),
        "answers": sorted(
            (a.response.country.iso3, a.question, json.dumps(a.value, ensure_ascii=False), a.comment, a.updated_by_id)
            for a in Answer.objects.select_related("response__country")
        ),
        "comments": sorted(ReviewComment.objects.values_list("question", "text", "author__username")),
        "audit": [
            (e.pk, e.at.isoformat(), e.actor_username, e.object_type, e.object_id, e.field, e.old, e.new)
            for e in AuditEvent.objects.order_by("pk")
        ],
        "users": sorted(User.objects.values_list("pk", "username", "password", "membership__role")),
        "files": files,
    }


def test_round_trip_brings_back_rows_audit_trail_and_uploads(world: World, tmp_path: Path) -> None:
    _populate(world)
    before = _state()
    # Independent expectations for the populated platform (not read back from the code under test).
    assert ("ARG", "staff", "12", "", world.users["focal_arg"].pk) in before["answers"]
    assert ("ARG", "notes", '"olá"', "", world.users["focal_arg"].pk) in before["answers"]
    assert ("lac-2026", "ARG", "draft", 3) in before["responses"]
    assert before["files"] == {"budget.png": PNG}
    archive = tmp_path / "platform.zip"

    summary = backup_write(archive)
    assert summary.files == 1
    assert summary.rows["cycles.cycle"] == 1
    assert summary.rows["collection.response"] == 2
    assert summary.rows["collection.answer"] == 5
    with zipfile.ZipFile(archive) as opened:
        manifest = json.loads(opened.read("manifest.json"))
        for name, entry in manifest["members"].items():
            assert hashlib.sha256(opened.read(name)).hexdigest() == entry["sha256"]
        assert sorted(manifest["members"]) == sorted(n for n in opened.namelist() if not n.startswith("manifest."))

    # Change everything after the backup: answers, a new cycle, a new user, a lost file.
    response_save(actor=world.users["focal_arg"], cycle_slug="lac-2026", iso3="ARG", version=3, answers={"staff": 99})
    cycle_create(actor=None, slug="later", framework="tiny", countries=["ARG"], title="Later")
    User.objects.create_user("intruder", password="x" * 12)
    Path(EvidenceFile.objects.get().file.path).unlink()
    (Path(settings.MEDIA_ROOT) / "stray.txt").write_text("not in the backup")
    assert _state() != before

    browser = Client()
    assert browser.login(username="focal_arg", password=PASSWORD)
    assert Session.objects.count() == 1

    restore(archive)

    assert _state() == before
    # Everybody is logged out: a session could name a user the restored data does not have.
    assert Session.objects.count() == 0
    assert browser.get("/").status_code == 302
    assert not (Path(settings.MEDIA_ROOT) / "stray.txt").exists()
    # The restored platform keeps working: new rows get fresh keys, the trail is still append-only.
    saved = response_save(
        actor=world.users["focal_arg"], cycle_slug="lac-2026", iso3="ARG", version=3, answers={"staff": 7}
    )
    assert saved.version == 4
    assert AuditEvent.objects.order_by("pk").last().new == 7
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent")


def _rewrite(source: Path, target: Path, change: dict[str, bytes | None], manifest: Any = None) -> None:
    """Copy an archive, replacing (bytes) or dropping (None) some members, optionally with another manifest,
    signed with the platform's key (these archives test the checks behind the signature; tests/web/security/
    test_backup_signature.py tests the signature itself)."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        for name in old.namelist():
            if name == "manifest.json" and manifest is not None:
                data = json.dumps(manifest).encode()
                new.writestr(name, data)
                new.writestr("manifest.sig", manifest_sign(data, backup_key()))
            elif name == "manifest.sig" and manifest is not None:
                continue
            elif name in change:
                replacement = change[name]
                if replacement is not None:
                    new.writestr(name, replacement)
            else:
                new.writestr(name, old.read(name))
        for name, data in change.items():
            if name not in old.namelist() and data is not None:
                new.writestr(name, data)


@pytest.fixture
def backed_up(world: World, tmp_path: Path) -> tuple[Path, dict[str, Any]]:
    _populate(world)
    archive = tmp_path / "good.zip"
    backup_write(archive)
    # The platform moves on after the backup; a failed restore must leave exactly this state.
    response_save(actor=world.users["focal_arg"], cycle_slug="lac-2026", iso3="ARG", version=3, answers={"staff": 99})
    return archive, _state()


def _manifest(archive: Path) -> dict[str, Any]:
    with zipfile.ZipFile(archive) as opened:
        manifest: dict[str, Any] = json.loads(opened.read("manifest.json"))
    return manifest


def _damaged_variants(archive: Path, tmp_path: Path) -> dict[str, tuple[Path, str]]:
    data = archive.read_bytes()
    variants: dict[str, tuple[Path, str]] = {}

    def add(name: str, content: bytes, expected: str) -> None:
        path = tmp_path / f"{name}.zip"
        path.write_bytes(content)
        variants[name] = (path, expected)

    add("truncated", data[: len(data) // 2], "damaged or truncated")
    add("empty", b"", "damaged or truncated")
    add("not_a_zip", b"name,value\nstaff,1\n", "damaged or truncated")
    with zipfile.ZipFile(archive) as opened:
        database = opened.read("database.json")
    tampered = tmp_path / "tampered.zip"
    _rewrite(archive, tampered, {"database.json": database.replace(b'"staff"', b'"notes"', 1)})
    variants["tampered_rows"] = (tampered, "does not match its SHA-256")
    upload = next(n for n in _manifest(archive)["members"] if n.startswith("uploads/"))
    swapped = tmp_path / "swapped.zip"
    _rewrite(archive, swapped, {upload: b"\x89PNG\r\n\x1a\nsomething else"})
    variants["tampered_upload"] = (swapped, "does not match its SHA-256")
    dropped = tmp_path / "dropped.zip"
    _rewrite(archive, dropped, {upload: None})
    variants["missing_upload"] = (dropped, "missing")
    extra = tmp_path / "extra.zip"
    _rewrite(archive, extra, {"uploads/../../evil.txt": b"x"})
    variants["unlisted_member"] = (extra, "unlisted")
    manifest = _manifest(archive)
    manifest["members"]["../evil.txt"] = {"size": 1, "sha256": hashlib.sha256(b"x").hexdigest()}
    traversal = tmp_path / "traversal.zip"
    _rewrite(archive, traversal, {"../evil.txt": b"x"}, manifest=manifest)
    variants["path_traversal"] = (traversal, "is not allowed")
    no_manifest = tmp_path / "no_manifest.zip"
    _rewrite(archive, no_manifest, {"manifest.json": None})
    variants["no_manifest"] = (no_manifest, "no manifest.json")
    return variants


def test_damaged_archives_are_refused_and_nothing_changes(
    backed_up: tuple[Path, dict[str, Any]], tmp_path: Path
) -> None:
    archive, current = backed_up
    variants = _damaged_variants(archive, tmp_path)
    assert len(variants) == 9
    for name, (path, expected) in variants.items():
        with pytest.raises(BackupError) as caught:
            restore(path)
        assert expected in str(caught.value), name
        assert "nothing was changed" in str(caught.value), name
        assert _state() == current, name
    assert not (tmp_path.parent / "evil.txt").exists()


def _consistent(archive: Path, target: Path, rows: list[dict[str, Any]]) -> None:
    """An archive whose manifest matches its (edited) rows: only the database can refuse it."""
    data = json.dumps(rows).encode()
    manifest = _manifest(archive)
    manifest["members"]["database.json"] = {"size": len(data), "sha256": hashlib.sha256(data).hexdigest()}
    _rewrite(archive, target, {"database.json": data}, manifest=manifest)


def test_rows_the_database_refuses_roll_back_the_whole_restore(
    backed_up: tuple[Path, dict[str, Any]], tmp_path: Path
) -> None:
    archive, current = backed_up
    with zipfile.ZipFile(archive) as opened:
        rows = json.loads(opened.read("database.json"))
    answers = [row for row in rows if row["model"] == "collection.answer"]
    assert len(answers) == 5
    # The last row refers to a response that the archive does not hold: every earlier row was fine.
    answers[-1]["fields"]["response"] = 987654
    broken = tmp_path / "dangling.zip"
    _consistent(archive, broken, rows)
    assert restore_read(broken).summary.rows["collection.answer"] == 5  # the file itself is intact
    with pytest.raises(BackupError) as caught:
        restore(broken)
    assert "rolled back" in str(caught.value)
    assert _state() == current


def test_rows_of_foreign_models_and_missing_evidence_are_refused(
    backed_up: tuple[Path, dict[str, Any]], tmp_path: Path
) -> None:
    archive, current = backed_up
    with zipfile.ZipFile(archive) as opened:
        rows = json.loads(opened.read("database.json"))
    foreign = tmp_path / "foreign.zip"
    _consistent(archive, foreign, [*rows, {"model": "sessions.session", "pk": "x", "fields": {}}])
    with pytest.raises(BackupError, match="which a backup does not hold"):
        restore(foreign)
    for row in rows:
        if row["model"] == "collection.evidencefile":
            row["fields"]["file"] = "evidence/lac-2026/ARG/not-there.png"
    orphan = tmp_path / "orphan.zip"
    _consistent(archive, orphan, rows)
    with pytest.raises(BackupError, match=r"not-there\.png"):
        restore(orphan)
    # a plan action's file is checked the same way
    plan_file = {
        "model": "followup.planevidencefile",
        "pk": 1,
        "fields": {
            "plan": 1,
            "action": 0,
            "file": "evidence/lac-2026/ARG/plan/missing.pdf",
            "original_name": "decree.pdf",
            "content_type": "application/pdf",
            "size": 10,
            "uploaded_at": "2026-12-01T10:00:00Z",
            "uploaded_by": None,
        },
    }
    orphan_plan = tmp_path / "orphan-plan.zip"
    with zipfile.ZipFile(archive) as opened:
        _consistent(archive, orphan_plan, [*json.loads(opened.read("database.json")), plan_file])
    with pytest.raises(BackupError, match=r"plan/missing\.pdf"):
        restore(orphan_plan)
    assert _state() == current


def test_newer_schema_is_refused(backed_up: tuple[Path, dict[str, Any]], tmp_path: Path) -> None:
    archive, current = backed_up
    manifest = _manifest(archive)
    manifest["migrations"]["collection"].append("0099_future")
    newer = tmp_path / "newer.zip"
    _rewrite(archive, newer, {}, manifest=manifest)
    with pytest.raises(BackupError, match=r"collection\.0099_future"):
        restore(newer)
    assert _state() == current


def _cli() -> typer.Typer:
    app = typer.Typer()
    app.command("backup")(backup_command)
    app.command("restore")(restore_command)
    return app


def test_commands_write_restore_and_refuse_damage_with_exit_code_1(world: World, tmp_path: Path) -> None:
    _populate(world)
    runner = CliRunner()
    archive = tmp_path / "cli.zip"
    written = runner.invoke(_cli(), ["backup", "--out", str(archive)])
    assert written.exit_code == 0, written.output
    assert "1 cycle(s), 2 response(s), 5 answer(s)" in written.output
    response_save(actor=world.users["focal_arg"], cycle_slug="lac-2026", iso3="ARG", version=3, answers={"staff": 5})
    declined = runner.invoke(_cli(), ["restore", str(archive)], input="n\n")
    assert declined.exit_code == 1
    assert Answer.objects.get(question="staff").value == 5
    restored = runner.invoke(_cli(), ["restore", str(archive), "--yes"])
    assert restored.exit_code == 0, restored.output
    assert Answer.objects.get(question="staff").value == 12
    truncated = tmp_path / "cut.zip"
    truncated.write_bytes(archive.read_bytes()[:100])
    refused = runner.invoke(_cli(), ["restore", str(truncated), "--yes"])
    assert refused.exit_code == 1
    assert "damaged or truncated" in refused.output
    assert "Traceback" not in refused.output
    missing = runner.invoke(_cli(), ["restore", str(tmp_path / "nope.zip"), "--yes"])
    assert (missing.exit_code, "no such file" in missing.output) == (1, True)
    folder = runner.invoke(_cli(), ["backup", "--out", str(tmp_path / "no" / "such" / "x.zip")])
    assert folder.exit_code == 1
    assert "does not exist" in folder.output


def test_backup_holds_every_upload_byte_for_byte(world: World, tmp_path: Path) -> None:
    _populate(world)
    nested = Path(settings.MEDIA_ROOT) / "other" / "deep"
    nested.mkdir(parents=True)
    (nested / "note.txt").write_bytes(b"abc")
    archive = tmp_path / "b.zip"
    backup_write(archive)
    with zipfile.ZipFile(archive) as opened:
        assert opened.read("uploads/other/deep/note.txt") == b"abc"
        names = [n for n in opened.namelist() if n.startswith("uploads/evidence/")]
        assert len(names) == 1
        assert opened.read(names[0]) == PNG
    assert io.BytesIO(archive.read_bytes()).getbuffer().nbytes > 0
