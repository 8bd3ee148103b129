"""`govlens release list|show|verify` on a saved release; a tampered release fails verification."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from govlens.cli import app
from govlens.release import Release

runner = CliRunner()


def test_release_list_show_and_verify(saved: Release) -> None:
    listed = runner.invoke(app, ["release", "list"])
    assert listed.exit_code == 0 and saved.id in listed.output
    shown = runner.invoke(app, ["release", "show", "latest"])
    assert shown.exit_code == 0, shown.output
    assert saved.hash in shown.output
    verified = runner.invoke(app, ["release", "verify", saved.id])
    assert verified.exit_code == 0, verified.output
    assert "bit for bit" in verified.output


def test_verify_fails_on_a_tampered_release(saved: Release, isolated_home: Path) -> None:
    path = isolated_home / "releases" / f"{saved.id}.json"
    path.write_text(path.read_text(encoding="utf-8").replace('"seed": ', '"seed": 1', 1), encoding="utf-8")
    result = runner.invoke(app, ["release", "verify", saved.id])
    assert result.exit_code == 1
    assert "Traceback" not in result.output
