"""Every CSV GovLens writes ends its records with CRLF (RFC 4180), one line end named once, and holds no cell a
spreadsheet would evaluate."""

from __future__ import annotations

import ast
from pathlib import Path

import pandas as pd

from govlens import tabular

PACKAGE = Path(__file__).resolve().parents[2] / "govlens"


def unterminated(source: str) -> list[int]:
    """Lines of the csv.writer(...) and .to_csv(...) calls of a source that do not pass tabular.LINE_END."""
    lines = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute):
            continue
        is_writer = node.func.attr == "writer" and getattr(node.func.value, "id", "") == "csv"
        if not (is_writer or node.func.attr == "to_csv"):
            continue
        terminator = next((k.value for k in node.keywords if k.arg == "lineterminator"), None)
        named = (isinstance(terminator, ast.Attribute) and terminator.attr == "LINE_END") or (
            isinstance(terminator, ast.Name) and terminator.id == "LINE_END"
        )
        if not named:
            lines.append(node.lineno)
    return lines


def test_every_csv_writer_ends_lines_with_crlf() -> None:
    found = {str(p.relative_to(PACKAGE)): unterminated(p.read_text(encoding="utf-8")) for p in PACKAGE.rglob("*.py")}
    assert {path: lines for path, lines in found.items() if lines} == {}


def test_the_check_finds_a_writer_without_it() -> None:
    source = (
        "import csv\nw = csv.writer(h)\nframe.to_csv(p, lineterminator='\\n')\n"
        "ok = csv.writer(h, lineterminator=tabular.LINE_END)\nframe.to_csv(p, lineterminator=tabular.LINE_END)\n"
    )
    assert unterminated(source) == [2, 3]


def test_frames_are_written_neutralised_with_crlf(tmp_path: Path) -> None:
    frame = pd.DataFrame(
        {"unit": ["Agencia;=2+3", "=cmd|' /C calc'!A0", "ARG"], "score": [-1.5, 0.25, float("nan")], "=h": [1, 2, 3]}
    )
    out = tmp_path / "t.csv"
    tabular.write_frame(frame, out)
    raw = out.read_bytes()
    assert raw.count(b"\r\n") == 4 and b"\n" not in raw.replace(b"\r\n", b"")
    read = pd.read_csv(out)
    assert list(read.columns) == ["unit", "score", "'=h"]
    assert list(read["unit"]) == ["Agencia;'=2+3", "'=cmd|' /C calc'!A0", "ARG"]
    assert read["score"].iloc[0] == -1.5  # numbers are not text: a negative number stays a number


def test_data_and_engine_csv_go_through_the_neutraliser() -> None:
    """Public data and engine tables are written by tabular.write_frame, not by a bare to_csv."""
    bare = {
        str(p.relative_to(PACKAGE)): [
            n.lineno
            for n in ast.walk(ast.parse(p.read_text(encoding="utf-8")))
            if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute) and n.func.attr == "to_csv"
        ]
        for p in PACKAGE.rglob("*.py")
        if p.parts[-2] != "tabular"
    }
    assert {path: lines for path, lines in bare.items() if lines} == {}


def test_repeated_texts_and_mixed_columns_are_neutralised_cell_by_cell(tmp_path: Path) -> None:
    """Texts are neutralised once per distinct value; a column mixing texts with other values goes cell by cell
    (True stays True, not the 1 it equals)."""
    frame = pd.DataFrame(
        {"unit": ["=x", "ARG", "=x", None, "ARG"], "mixed": pd.Series([1, True, "=y", None, 1.0], dtype=object)}
    )
    out = tmp_path / "t.csv"
    tabular.write_frame(frame, out)
    assert out.read_text().splitlines() == ["unit,mixed", "'=x,1", "ARG,True", "'=x,'=y", ",", "ARG,1.0"]
