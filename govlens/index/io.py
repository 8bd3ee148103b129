"""Reading indicator data and trees from files, with every problem located by file, row and column."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from govlens import tabular
from govlens.framework.errors import Location, problem
from govlens.framework.model import Framework
from govlens.framework.report import Report
from govlens.index.errors import IndexInputError
from govlens.index.tree import Tree

# Cell texts read as "no value" (compared case-insensitively after stripping spaces).
MISSING_TOKENS: frozenset[str] = frozenset({"", "na", "n/a", "nan", "null", "..", "none"})
SPREADSHEET_SUFFIXES: frozenset[str] = frozenset({".xlsx", ".xlsm"})
MAX_PROBLEMS_PER_COLUMN = 20


@dataclass(frozen=True)
class Dataset:
    """Indicator values (units x indicators, float, NaN = missing) and where each unit came from."""

    values: pd.DataFrame
    path: str = ""
    sheet: str | None = None
    rows: dict[str, int] = field(default_factory=dict)  # unit -> 1-based row of the file
    unit_column: str = "unit"
    groups: pd.Series | None = None  # unit -> group label (for group imputation)
    report: Report = field(default_factory=Report)  # warnings found while reading

    @classmethod
    def from_frame(cls, values: pd.DataFrame, groups: pd.Series | None = None) -> Dataset:
        """A dataset from an in-memory frame indexed by unit (rows numbered as in a CSV with a header)."""
        frame = values.astype(float)
        frame.index = pd.Index([str(unit) for unit in frame.index], name="unit")
        rows = {unit: i + 2 for i, unit in enumerate(frame.index)}
        return cls(frame, rows=rows, groups=groups)


# An indicator table has a row per unit and a column per indicator: these bounds are far above any review's.
LIMITS = tabular.Limits(rows=100_000, columns=5_000, cells=2_000_000)


def _unknown_sheet(path: Path, sheet: str, names: Sequence[str]) -> IndexInputError:
    return IndexInputError.single(problem("data_unknown_sheet", str(path), None, allowed=str(list(names)), sheet=sheet))


def _read_table(path: Path, sheet: str | None, unit_column: str) -> tabular.Sheet:
    """The table of a data file: a sheet of a workbook (``sheet``, else the first) or a CSV."""
    table, names = tabular.read_table(
        path.read_bytes(), filename=path.name, limits=LIMITS, sheet=sheet, prefer=lambda header: unit_column in header
    )
    if sheet is not None and names and sheet not in names:
        raise _unknown_sheet(path, sheet, names)
    return table


def _cell_text(value: object) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return str(value).strip()


def _parse_number(value: object) -> float | None:
    """The cell as a float, NaN when it is a missing-value token, None when it is not a number."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    text = _cell_text(value)
    if text.lower() in MISSING_TOKENS:
        return math.nan
    try:
        number = float(text)
    except ValueError:
        return None
    return None if math.isinf(number) else number


def read_data(
    path: str | Path,
    *,
    unit_column: str = "unit",
    group_column: str | None = None,
    indicators: Sequence[str] | None = None,
    sheet: str | None = None,
    extra: Sequence[str] = (),
) -> Dataset:
    """Read a CSV, XLSX or XLS file with a unit column and one column per indicator.

    ``indicators`` (usually the tree's leaves) are the columns to read; every one must be present.
    Columns that are neither indicators, the unit column nor the group column are ignored (a warning).
    ``extra`` names other numeric columns to read when the file has them (denominators), after the indicators.
    Raises :class:`IndexInputError` listing every problem: a file that cannot be read (e.g. an .xlsx that
    is really a CSV or a web page), unknown unit column, missing indicator columns, non-numeric or
    infinite cells, blank or duplicated units, units without any value.
    """
    path = Path(path)
    where = str(path)
    if not path.is_file():
        raise IndexInputError.single(problem("data_not_found", where))
    try:
        table = _read_table(path, sheet, unit_column)
    except (tabular.Unreadable, OSError) as error:
        raise IndexInputError.single(problem("data_unreadable", where, None, reason=str(error))) from error
    rows = table.rows
    sheet_name = table.name if path.suffix.lower() in tabular.WORKBOOK_SUFFIXES else None
    report = Report()

    def add(code: str, row: int | None = None, column: str | None = None, **params: object) -> None:
        report.add(problem(code, where, Location(sheet_name, row, column), **params))

    while rows and all(not _cell_text(cell) for cell in rows[-1]):
        rows.pop()
    if not rows:
        add("data_empty", reason="the file has no header row")
        raise IndexInputError(report)
    header = [_cell_text(cell) for cell in rows[0]]
    if unit_column not in header:
        found = ", ".join(repr(h) for h in header if h) or "none"
        add("unknown_unit_column", 1, unit_column, name=unit_column, found=found)
    if group_column is not None and group_column not in header:
        add("unknown_group_column", 1, group_column, name=group_column)
    duplicated = sorted({h for h in header if h and header.count(h) > 1})
    for name in duplicated:
        add("duplicate_column", 1, name, name=name)
    wanted = (
        list(indicators)
        if indicators is not None
        else [h for h in header if h and h not in (unit_column, group_column)]
    )
    missing = [name for name in wanted if name not in header]
    for name in missing:
        add("tree_data_mismatch", 1, name, indicator=name, detail="", source="data", what="column")
    also = [name for name in dict.fromkeys(extra) if name in header and name not in wanted]
    if indicators is not None and report.valid:
        ignored = [h for h in header if h and h not in set(wanted) | set(also) | {unit_column, group_column}]
        if ignored:
            add("column_not_in_tree", 1, columns=", ".join(ignored))
    if not report.valid:
        raise IndexInputError(report)
    indicator_count = len(wanted)
    wanted = wanted + also

    unit_at = header.index(unit_column)
    group_at = header.index(group_column) if group_column is not None else None
    column_at = [header.index(name) for name in wanted]
    units: list[str] = []
    unit_rows: dict[str, int] = {}
    groups: list[str | None] = []
    values = np.full((len(rows) - 1, len(wanted)), np.nan)
    bad_in_column = [0] * len(wanted)
    kept = 0
    for row_number, row in enumerate(rows[1:], start=2):
        if all(not _cell_text(cell) for cell in row):
            continue
        cells = list(row) + [None] * (len(header) - len(row))
        unit = _cell_text(cells[unit_at])
        if not unit:
            add("missing_unit", row_number, unit_column)
            continue
        if unit in unit_rows:
            add("duplicate_unit", row_number, unit_column, unit=unit, where=f"already appears in row {unit_rows[unit]}")
            continue
        for j, at in enumerate(column_at):
            unusable = table.unusable(row_number - 1, at)
            number = None if unusable else _parse_number(cells[at])
            if number is None:
                bad_in_column[j] += 1
                if bad_in_column[j] <= MAX_PROBLEMS_PER_COLUMN:
                    add(
                        "non_numeric_value",
                        row_number,
                        wanted[j],
                        reason=f"{unusable} (unit {unit!r})"
                        if unusable
                        else f"value {_cell_text(cells[at])!r} of unit {unit!r} is not a number",
                    )
                continue
            values[kept, j] = number
        if np.isnan(values[kept, :indicator_count]).all() and indicator_count:
            add("unit_without_data", row_number, unit_column, unit=unit)
        unit_rows[unit] = row_number
        units.append(unit)
        groups.append(_cell_text(cells[group_at]) or None if group_at is not None else None)
        kept += 1
    for j, count in enumerate(bad_in_column):
        if count > MAX_PROBLEMS_PER_COLUMN:
            add(
                "problems_not_shown",
                None,
                wanted[j],
                count=count - MAX_PROBLEMS_PER_COLUMN,
                what="non-numeric values in this column",
            )
    if not units and report.valid:
        add("data_empty", 2, reason="the file has a header but no data rows")
    if not report.valid:
        raise IndexInputError(report)
    frame = pd.DataFrame(values[:kept], index=pd.Index(units, name="unit"), columns=pd.Index(wanted))
    group_series = pd.Series(groups, index=frame.index, name=group_column) if group_column is not None else None
    return Dataset(frame, where, sheet_name, unit_rows, unit_column, group_series, report)


# a results file has a row per unit and node: far more rows than an indicator table, few columns
RESULTS_LIMITS = tabular.Limits(rows=2_000_000, columns=20, cells=10_000_000)
RESULTS_COLUMNS: tuple[str, ...] = ("unit", "node", "score", "rank")


@dataclass(frozen=True)
class Results:
    """Scores and ranks (units x nodes, in the file's order) read back from a ``govlens index compute`` file."""

    scores: pd.DataFrame
    ranks: pd.DataFrame
    path: str = ""


def read_results(path: str | Path) -> Results:
    """A results CSV (or workbook) with the columns unit, node, score, rank (more are ignored), as written by
    ``govlens index compute``; raises :class:`IndexInputError` naming the file, the row and the column at fault."""
    path = Path(path)
    where = str(path)
    if not path.is_file():
        raise IndexInputError.single(problem("data_not_found", where))
    try:
        table, _ = tabular.read_table(path.read_bytes(), filename=path.name, limits=RESULTS_LIMITS)
    except (tabular.Unreadable, OSError) as error:
        raise IndexInputError.single(problem("data_unreadable", where, None, reason=str(error))) from error
    report = Report()
    rows = table.rows
    header = [_cell_text(cell) for cell in rows[0]] if rows else []
    for name in RESULTS_COLUMNS:
        if name not in header:
            found = ", ".join(repr(h) for h in header if h) or "none"
            report.add(problem("results_missing_column", where, Location(row=1, column=name), name=name, found=found))
    if not report.valid:
        raise IndexInputError(report)
    at = {name: header.index(name) for name in RESULTS_COLUMNS}
    units: dict[str, None] = {}
    nodes: dict[str, None] = {}
    cells: dict[tuple[str, str], tuple[float, float]] = {}
    for number, row in enumerate(rows[1:], start=2):
        if all(not _cell_text(cell) for cell in row):
            continue
        cells_of = list(row) + [None] * (len(header) - len(row))
        unit, node = _cell_text(cells_of[at["unit"]]), _cell_text(cells_of[at["node"]])
        pair: list[float] = []
        for name in ("score", "rank"):
            value = _parse_number(cells_of[at[name]])
            if value is None or not unit or not node:
                what = f"unit {unit!r}, node {node!r}: {name} {_cell_text(cells_of[at[name]])!r} is not a number"
                report.add(problem("non_numeric_value", where, Location(row=number, column=name), reason=what))
                value = math.nan
            pair.append(value)
        if (unit, node) in cells:
            twice = f"appears twice with node {node!r}"
            report.add(problem("duplicate_unit", where, Location(row=number, column="unit"), unit=unit, where=twice))
        units.setdefault(unit)
        nodes.setdefault(node)
        cells[(unit, node)] = (pair[0], pair[1])
    if not cells and report.valid:
        report.add(problem("data_empty", where, Location(row=2), reason="the file has a header but no results"))
    if not report.valid:
        raise IndexInputError(report)
    index, columns = pd.Index(list(units), name="unit"), pd.Index(list(nodes), name="node")
    scores = pd.DataFrame(np.nan, index=index, columns=columns)
    ranks = pd.DataFrame(np.nan, index=index, columns=columns)
    for (unit, node), (score, rank) in cells.items():
        scores.at[unit, node] = score
        ranks.at[unit, node] = rank
    return Results(scores, ranks, where)


def looks_like_file(text: str) -> bool:
    """True for an existing file or a name with a data file extension (otherwise: a dataset selector)."""
    path = Path(text)
    return path.is_file() or path.suffix.lower() in {".csv", ".txt", ".xls", *SPREADSHEET_SUFFIXES}


def load_tree(name_or_path: str | Path) -> Tree:
    """A tree from a CSV file (``id,parent,weight,direction,label``) or from a GovLens framework
    (a bundled name or a framework file, read by ``govlens.framework.catalogue``)."""
    text = str(name_or_path)
    if text.lower().endswith(".csv"):
        if not Path(text).is_file():
            raise IndexInputError.single(problem("tree_not_found", text))
        return Tree.from_csv(text)
    return Tree.from_framework(_load_framework(text))


def _load_framework(name_or_path: str) -> Framework:
    """A valid framework by bundled name or file, through ``govlens.framework.catalogue``."""
    from govlens.framework import catalogue  # local: reading YAML/XLSForm frameworks is not always needed

    try:
        return catalogue.load(name_or_path)
    except catalogue.FrameworkNotFound as error:
        raise IndexInputError.single(problem("tree_source_not_found", name_or_path, None, reason=str(error))) from error
    except catalogue.FrameworkInvalid as error:
        raise IndexInputError(error.report) from error
