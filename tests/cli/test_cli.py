"""The command tree: every command is listed by --help, and docs/cli.md matches the code."""

from __future__ import annotations

from pathlib import Path

import typer
from typer.testing import CliRunner

from govlens.cli import app
from govlens.cli.reference import is_group, render, walk

DOC = Path(__file__).resolve().parents[2] / "docs" / "cli.md"
runner = CliRunner()


def test_every_command_is_listed_by_its_group_help() -> None:
    root = typer.main.get_command(app)
    groups = [(path, cmd) for path, cmd in walk(root) if is_group(cmd)]
    assert len(groups) >= 4
    for path, group in groups:
        result = runner.invoke(app, [*path, "--help"], env={"COLUMNS": "200"})
        assert result.exit_code == 0, result.output
        for name in group.list_commands(None):
            assert name in result.output, f"'govlens {' '.join(path)} --help' does not list {name}"


def test_cli_reference_is_current() -> None:
    assert DOC.read_text(encoding="utf-8") == render(app), "regenerate: python -m govlens.cli.reference > docs/cli.md"


def test_version() -> None:
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.output.startswith("govlens ")
