"""ITU: share of individuals using the internet (% of population), in Our World in Data's grapher layout.

Rows without a code (income groups, "South Asia (WB)") and ``OWID_WRL`` (world) are aggregates: they go to
the aggregates table, not the data. ``OWID_KOS`` is Kosovo (``XKX``).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from govlens.data.errors import SourceError, data_problem
from govlens.data.harmonise import is_legacy_code, iso3_from_code, iso3_from_name, read_value
from govlens.data.model import DatasetSpec, FileKind, LoadedDataset, SourceFile, Variable, tidy_frame
from govlens.data.sources import parse_year, read_table, short_list
from govlens.framework.report import Report

FILE = "share-of-individuals-using-the-internet.csv"
VALUE_COLUMN = "Individuals using the Internet (% of population)"
VARIABLE = "internet_users"
AGGREGATE_CODES: Mapping[str, str] = {"OWID_WRL": "World"}


def variables() -> dict[str, Variable]:
    return {VARIABLE: Variable(VARIABLE, "Individuals using the internet (% of population)", (0.0, 100.0),
                               "percent")}


def file_specs(url: str | None) -> tuple[SourceFile, ...]:
    return (SourceFile(FILE, FileKind.CSV, url, columns=("Entity", "Code", "Year", VALUE_COLUMN),
                       description="ITU via World Bank WDI / Our World in Data grapher export"),)


def load_internet(spec: DatasetSpec, files: Mapping[str, Path]) -> LoadedDataset:
    path = files[FILE]
    where = str(path)
    report = Report()
    frame = read_table(path)
    if VALUE_COLUMN not in frame.columns:
        found = f"the columns {short_list(list(frame.columns), quoted=False)}"
        raise SourceError(where, f"a column '{VALUE_COLUMN}'", found)
    rows: list[tuple[str, int, str, float, str]] = []
    aggregates: list[tuple[str, int, str, float, str]] = []
    names: dict[str, str] = {}
    legacy: set[str] = set()
    for index, record in frame.iterrows():
        row = int(str(index)) + 2
        code = str(record["Code"]).strip()
        entity = str(record["Entity"]).strip()
        value, reason = read_value(record[VALUE_COLUMN], report, path=where, row=row, column=VALUE_COLUMN)
        year = parse_year(record["Year"], where, row, "Year")
        if not code or code in AGGREGATE_CODES:
            # A few countries come without a code in OWID exports (e.g. "Faeroe Islands"): try the name first.
            unit = iso3_from_name(entity) if not code else None
            if unit is None:
                aggregates.append((AGGREGATE_CODES.get(code, entity), year, VARIABLE, value, reason))
                continue
        else:
            unit = iso3_from_code(code)
            if unit is None:
                report.add(data_problem("unknown_unit", f"code {code!r} ({entity}) is not ISO3", where, row=row,
                                        column="Code"))
                continue
            if is_legacy_code(code) and code not in legacy:
                legacy.add(code)
                report.add(data_problem("legacy_code", f"code {code} read as {unit}", where, row=row, column="Code"))
        names.setdefault(unit, entity)
        rows.append((unit, year, VARIABLE, value, reason))
    aggregate_names = sorted({a[0] for a in aggregates})
    if aggregate_names:
        report.add(data_problem("junk_rows", f"{len(aggregates)} rows of aggregates ({', '.join(aggregate_names)}) "
                                "moved to the aggregates table", where))
    return LoadedDataset(spec=spec, data=tidy_frame(rows), variables=variables(), unit_names=names, report=report,
                         aggregates=tidy_frame(aggregates), files=(path,))
