"""`govlens report|profile|export` on a saved release, and their errors as messages."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from typer.testing import CliRunner

from govlens.cli import app
from govlens.release import Release

runner = CliRunner()


def test_export_report_and_profile(saved: Release, tmp_path: Path) -> None:
    out = tmp_path / "scores.csv"
    result = runner.invoke(app, ["export", "--release", "latest", "--format", "csv", "--out", str(out)])
    assert result.exit_code == 0, result.output
    with out.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert {row["release"] for row in rows} == {saved.id}
    assert len(rows) == len(saved.results.units) * len(saved.results.nodes)
    report = tmp_path / "report.html"
    result = runner.invoke(app, ["report", "--lang", "es", "--out", str(report)])
    assert result.exit_code == 0, result.output
    assert saved.id in report.read_text(encoding="utf-8")
    unit = saved.results.units[0]
    profile = tmp_path / "profile.html"
    result = runner.invoke(app, ["profile", unit, "--out", str(profile)])
    assert result.exit_code == 0, result.output
    assert saved.id in profile.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["export", "--release", "nope-r9"], "no release 'nope-r9'"),
        (
            ["export", "--format", "parquet"],
            "format must be one of {csv, xlsx, sdmx-csv, sdmx-csv-1.0, sdmx-structure, datapackage}",
        ),
        (["report", "--format", "docx"], "format must be one of {html, pdf}"),
        (["profile", "ZZZ"], "country must be one of the release's units"),
    ],
)
def test_errors_are_messages_not_tracebacks(saved: Release, args: list[str], message: str) -> None:
    result = runner.invoke(app, args)
    assert result.exit_code == 1
    assert message in result.output
    assert "Traceback" not in result.output
