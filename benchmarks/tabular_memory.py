"""Peak memory of a worker reading hostile workbooks through the tabular reader, against a normal workbook.

Each case is read in a fresh subprocess (a worker), with the limits of the path that reads such files: the
offline questionnaire upload (``govlens.web.collection.workbook.LIMITS``) or the Kobo/ODK import
(``govlens.web.collection.submissions.LIMITS``). The worker prints its peak resident memory before and after
the read; the table gives each case's peak against the baseline, a normal filled questionnaire read by the
same path in the same run. The cases are the worst files that fit within the limits (or that the reader must
refuse): the memory bomb of issue 11, the most cells of distinct text, the largest shared-strings table the
zip-bomb guard lets through, and 30 MB of empty rows.

    python benchmarks/tabular_memory.py [--with-old-reader]

``--with-old-reader`` also reads the memory bomb the way the platform did before (openpyxl's read-only
worksheet, padded rows): about 2.4 GB for 11 s.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

from openpyxl import Workbook

ROOT = Path(__file__).resolve().parents[1]
SHEET_XML = "xl/worksheets/sheet1.xml"
UNPACKED = 31 * 1024 * 1024  # just under the 32 MB the zip-bomb guard allows
SHARED_STRINGS_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"


# -- the files -------------------------------------------------------------------------------------------------
def _saved(book: Workbook) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _with_parts(data: bytes, parts: dict[str, bytes]) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        merged = {name: source.read(name) for name in source.namelist()}
    merged.update(parts)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name, content in merged.items():
            target.writestr(name, content)
    return out.getvalue()


def _sheet_xml(rows_xml: str) -> bytes:
    return (
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f"<sheetData>{rows_xml}</sheetData></worksheet>"
    ).encode()


def _column(number: int) -> str:
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def normal_questionnaire() -> bytes:
    """A filled questionnaire of the bundled framework's size: 208 questions x 9 columns, and the meta sheet."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "questionnaire"
    sheet.append(["section", "question", "label", "type", "required", "options", "answer", "comment", "evidence_urls"])
    for n in range(208):
        sheet.append([f"Section {n // 12}", f"q_{n}", f"What does the government do about topic {n}?" * 2,
                      "select_one", "yes", "yes = Yes; no = No", "yes", f"comment {n}", f"https://example.org/{n}"])
    meta = book.create_sheet("govlens")
    for row in (["cycle", "lac-2026"], ["country", "ARG"], ["version", 3], ["framework", "lac-dgr 1.0"]):
        meta.append(row)
    return _saved(book)


def memory_bomb() -> bytes:
    """Issue 11: 1,000 rows each holding one cell in column XFD (about 10 KB)."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in range(1, 1001):
        sheet.cell(row=row, column=16_384, value=1)
    return _saved(book)


def most_text_cells(rows: int, columns: int, length: int) -> bytes:
    """``rows`` x ``columns`` cells of distinct text of ``length`` characters, inline (no shared strings)."""
    body = []
    for r in range(1, rows + 1):
        cells = "".join(
            f'<c r="{_column(c)}{r}" t="inlineStr"><is><t>{(str(r * columns + c) * length)[:length]}</t></is></c>'
            for c in range(1, columns + 1)
        )
        body.append(f'<row r="{r}">{cells}</row>')
    return _with_parts(_saved(Workbook()), {SHEET_XML: _sheet_xml("".join(body))})


def largest_shared_strings(count: int, length: int) -> bytes:
    """A shared-strings table of ``count`` distinct texts of ``length`` characters, and one cell using it."""
    entries = [f"<si><t>{(str(n) * length)[:length]}</t></si>" for n in range(count)]
    n = count
    table = (
        f'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="{n}" uniqueCount="{n}">'
        + "".join(entries)
        + "</sst>"
    ).encode()
    base = _saved(Workbook())
    with zipfile.ZipFile(io.BytesIO(base)) as source:
        types = source.read("[Content_Types].xml").decode()
    types = types.replace(
        "</Types>", f'<Override PartName="/xl/sharedStrings.xml" ContentType="{SHARED_STRINGS_TYPE}"/></Types>'
    )
    sheet = _sheet_xml('<row r="1"><c r="A1" t="s"><v>0</v></c></row>')
    return _with_parts(base, {"xl/sharedStrings.xml": table, "[Content_Types].xml": types.encode(), SHEET_XML: sheet})


def empty_rows() -> bytes:
    """About 30 MB of empty row elements: nothing to keep, but each one parsed."""
    return _with_parts(_saved(Workbook()), {SHEET_XML: _sheet_xml("<row/>" * (UNPACKED // 6 - 100))})


# -- the worker ------------------------------------------------------------------------------------------------
def _peak_mb() -> float:
    """Peak resident memory of this process: VmHWM, which starts afresh at exec (ru_maxrss is kept across it,
    so a worker started by a large parent would report the parent's peak)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux


def _limits(limits_of: str) -> tuple[int, int, int, int]:
    """The limits of a reading path, read from its module's source (the worker imports only the reader)."""
    import ast

    module = {"upload": "workbook", "kobo": "submissions"}[limits_of]
    tree = ast.parse((ROOT / "govlens" / "web" / "collection" / f"{module}.py").read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and any(getattr(t, "id", "") == "LIMITS" for t in node.targets):
            assert isinstance(node.value, ast.Call)
            given = {k.arg: ast.literal_eval(k.value) for k in node.value.keywords}
            return given["rows"], given["columns"], given["cells"], given.get("unpacked_bytes", 32 * 1024 * 1024)
    raise LookupError(f"no LIMITS in {module}.py")


def worker(path: str, limits_of: str, old_reader: bool) -> None:
    """Read one file as the platform's worker would, and print its peak memory (JSON)."""
    from govlens import tabular

    rows, columns, cells_allowed, unpacked = _limits(limits_of)
    limits = tabular.Limits(rows=rows, columns=columns, cells=cells_allowed, unpacked_bytes=unpacked)
    data = Path(path).read_bytes()
    before = _peak_mb()
    started = time.perf_counter()
    outcome = "read"
    cells = 0
    try:
        if old_reader:
            cells = _old_read(data)
        else:
            book = tabular.read_workbook(data, filename=Path(path).name, limits=limits)
            cells = sum(len(row) for sheet in book.sheets.values() for row in sheet.rows)
    except tabular.Unreadable as error:
        outcome = f"refused: {error}"
    seconds = time.perf_counter() - started
    print(json.dumps({"before_mb": before, "peak_mb": _peak_mb(), "seconds": seconds, "cells": cells,
                      "outcome": outcome}))


def _old_read(data: bytes) -> int:
    """The reading before the tabular reader: openpyxl's read-only worksheet, every row padded to its widest."""
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    sheet = book.worksheets[0]
    sheet.reset_dimensions()
    rows = [[(cell.value, getattr(cell, "data_type", "n")) for cell in row] for row in sheet.iter_rows(max_row=20_001)]
    book.close()
    return sum(len(row) for row in rows)


def _run(path: Path, limits_of: str, old_reader: bool = False) -> dict[str, object]:
    command = [sys.executable, __file__, "--worker", str(path), "--limits", limits_of]
    if old_reader:
        command.append("--old-reader")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(command, capture_output=True, text=True, env=env, check=True, timeout=600)
    result: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--limits", default="upload", help=argparse.SUPPRESS)
    parser.add_argument("--old-reader", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--with-old-reader", action="store_true", help="also read the bomb the way it was read before")
    args = parser.parse_args()
    if args.worker:
        worker(args.worker, args.limits, args.old_reader)
        return
    cases: list[tuple[str, str, bytes, bool]] = [
        ("baseline: normal filled questionnaire (208 x 9)", "upload", normal_questionnaire(), False),
        ("memory bomb of issue 11 (1,000 rows x cell in XFD)", "upload", memory_bomb(), False),
        ("most text the upload allows, inline (330 x 199 cells, 400 chars)", "upload",
         most_text_cells(330, 199, 400), False),
        ("most text the upload allows, shared (95,000 x 320 chars)", "upload", largest_shared_strings(95_000, 320),
         False),
        ("shared strings past the cells (1.8 million short ones)", "upload", largest_shared_strings(1_800_000, 1),
         False),
        ("30 MB of empty rows", "upload", empty_rows(), False),
        ("memory bomb, Kobo import limits", "kobo", memory_bomb(), False),
        ("most cells the Kobo import allows (330 x 1,000, 50 chars)", "kobo", most_text_cells(330, 1_000, 50),
         False),
    ]
    if args.with_old_reader:
        cases.append(("memory bomb, the reader before (openpyxl padded rows)", "upload", memory_bomb(), True))
    print(f"CPUs: {os.cpu_count()}, load average: {', '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(f"{'case':<62} {'file KB':>8} {'s':>6} {'peak MB':>8} {'read MB':>8} {'x base':>7}  outcome")
    baseline = None
    with tempfile.TemporaryDirectory() as folder:
        for name, limits_of, data, old in cases:
            path = Path(folder) / "case.xlsx"
            path.write_bytes(data)
            result = _run(path, limits_of, old)
            peak = float(str(result["peak_mb"]))
            baseline = baseline or peak
            grown = peak - float(str(result["before_mb"]))
            outcome = str(result["outcome"])
            outcome = outcome if len(outcome) <= 90 else outcome[:87] + "..."
            print(f"{name:<62} {len(data) / 1024:>8.0f} {float(str(result['seconds'])):>6.2f} {peak:>8.0f} "
                  f"{grown:>8.0f} {peak / baseline:>7.2f}  {outcome}")


if __name__ == "__main__":
    main()
