"""Every CSV GovLens writes ends its records with CRLF (RFC 4180): one line end, named once."""

from __future__ import annotations

import ast
from pathlib import Path

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
        if not (isinstance(terminator, ast.Attribute) and terminator.attr == "LINE_END"):
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
