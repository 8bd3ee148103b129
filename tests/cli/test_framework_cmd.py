"""`govlens framework ...`: exit codes, one problem per line, never a traceback."""

from __future__ import annotations

import re
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from govlens.cli import app
from govlens.framework.yaml_io import read_yaml

runner = CliRunner()

SMALL = """\
id: tiny
version: "0.1"
title: {en: Tiny, es: Diminuto, pt: Minúsculo, fr: Minuscule}
sections:
  - name: s
    label: {en: S, es: S, pt: S, fr: S}
    questions:
      - name: q
        type: yes_no
        label: {en: Q, es: P, pt: P, fr: Q}
        seed_refs: [F01]
        scoring: {method: points, points: {yes: 1, no: 0}}
      - name: note
        type: text
        label: {en: Note, es: Nota, pt: Nota}
indicators:
  - {id: R, kind: index, label: {en: R, es: R, pt: R, fr: R}}
  - {id: I, parent: R, questions: [q], seed_refs: [F01], label: {en: I, es: Ind, pt: I, fr: I}}
"""

LINE = re.compile(r"^(?P<path>.+?):((?P<sheet>[A-Za-z_]+):)?(?P<row>\d+)?:? (warning: )?(?P<code>[a-z_]+): .+$")


@pytest.fixture
def tiny(tmp_path: Path) -> Path:
    path = tmp_path / "tiny.yaml"
    path.write_text(SMALL, encoding="utf-8")
    return path


def test_help_lists_every_framework_command() -> None:
    top = runner.invoke(app, ["--help"], env={"COLUMNS": "200"})
    assert top.exit_code == 0 and "framework" in top.output
    result = runner.invoke(app, ["framework", "--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0
    for command in ("validate", "list", "show", "export", "trace"):
        assert command in result.output


def test_validate_valid_file_prints_summary_and_warnings(tiny: Path) -> None:
    result = runner.invoke(app, ["framework", "validate", str(tiny)])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[-1] == "tiny 0.1: valid — 1 section, 2 questions, 2 indicators, 1 warning"
    assert lines[0] == f"{tiny}:15: warning: missing_label_language: question 'note' has no label in fr"


def test_validate_bundled_frameworks_by_name() -> None:
    for name in ("lac-dgr", "gtmi-2022"):
        result = runner.invoke(app, ["framework", "validate", name])
        assert result.exit_code == 0, result.output
        assert ": valid — " in result.output


def test_validate_broken_workbook_prints_every_problem(tmp_path: Path) -> None:
    path = tmp_path / "broken.xlsx"
    workbook = openpyxl.Workbook()
    survey = workbook.active
    assert survey is not None
    survey.title = "survey"
    for row in (
        ["type", "name", "label"],
        ["text", "a", "A"],
        ["integer", "a", "A again"],
        ["select_one missing", "b", "B"],
    ):
        survey.append(row)
    workbook.save(path)
    result = runner.invoke(app, ["framework", "validate", str(path)])
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    problems = [line for line in result.stderr.splitlines() if line and ": invalid — " not in line]
    assert all(LINE.match(line) for line in problems), problems
    located = {(m["sheet"], m["row"], m["code"]) for m in map(LINE.match, problems) if m}
    assert ("survey", "3", "duplicate_name") in located
    assert ("survey", "4", "unknown_choice_list") in located


@pytest.mark.parametrize(
    ("name", "content"),
    [("garbage.xlsx", bytes(range(256))), ("empty.xls", b""), ("text.xlsx", b"a,b\n1,2\n"), ("bad.yaml", b"a: [")],
)
def test_validate_unreadable_files_exit_1_without_traceback(tmp_path: Path, name: str, content: bytes) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    result = runner.invoke(app, ["framework", "validate", str(path)])
    assert result.exit_code == 1
    assert result.exception is None or isinstance(result.exception, SystemExit)
    first = result.stderr.splitlines()[0]
    assert first.startswith(f"{path}") and LINE.match(first)


def test_list_shows_bundled_frameworks() -> None:
    result = runner.invoke(app, ["framework", "list"])
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[0].split() == ["name", "id", "version", "questions", "indicators", "status"]
    rows = {line.split()[0]: line.split() for line in lines[1:]}
    assert rows["gtmi-2022"][3] == "0"  # index-only: no questions
    assert rows["lac-dgr"][5] == "valid"


def test_show_tree_in_spanish(tiny: Path) -> None:
    result = runner.invoke(app, ["framework", "show", str(tiny), "--lang", "es"])
    assert result.exit_code == 0, result.output
    assert "Diminuto" in result.output
    assert "  R R [index]" in result.output
    assert "    I Ind [w=1; q]" in result.output


def test_show_rejects_unknown_language(tiny: Path) -> None:
    result = runner.invoke(app, ["framework", "show", str(tiny), "--lang", "de"])
    assert result.exit_code == 1
    assert "--lang must be one of en, es, pt, fr; got 'de'" in result.output


@pytest.mark.parametrize(("fmt", "suffix"), [("xlsform", ".xlsx"), ("yaml", ".yaml")])
def test_export_round_trips(tiny: Path, tmp_path: Path, fmt: str, suffix: str) -> None:
    out = tmp_path / f"out{suffix}"
    result = runner.invoke(app, ["framework", "export", str(tiny), "--format", fmt, "--out", str(out)])
    assert result.exit_code == 0, result.output
    again = runner.invoke(app, ["framework", "validate", str(out)])
    assert again.exit_code == 0, again.output
    if fmt == "yaml":
        assert read_yaml(out).framework == read_yaml(tiny).framework


def test_export_refuses_a_mismatched_extension(tiny: Path, tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["framework", "export", str(tiny), "--format", "xlsform", "--out", str(tmp_path / "x.csv")]
    )
    assert result.exit_code == 1
    assert "must end in .xlsx" in result.output


def test_trace_prints_the_page(tiny: Path) -> None:
    result = runner.invoke(app, ["framework", "trace", str(tiny)])
    assert result.exit_code == 0
    assert "### F01:" in result.output and "- `q` Q" in result.output
