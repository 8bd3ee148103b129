"""The long tables (``cc_iso3c, ref_year, variable, value``) that the OECD indices are extracted to from their
PDF results (DGI 2023, OURdata 2023): one reader for both, onto GovLens's variable names."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from govlens.data.errors import SourceError
from govlens.data.harmonise import read_unit, read_value
from govlens.data.model import tidy_frame
from govlens.data.sources import parse_year, read_table, short_list
from govlens.framework.report import Report

COLUMNS = ("cc_iso3c", "ref_year", "variable", "value")


def read_long_table(path: Path, report: Report, names: Mapping[str, str], *, year: int | None = None) -> pd.DataFrame:
    """The tidy frame of a long table, each ``variable`` renamed by ``names`` (the file's name -> GovLens's); a
    variable ``names`` does not know is a SourceError listing them all. ``year`` files every row under one edition;
    without it each row's ``ref_year`` is its year."""
    where = str(path)
    frame = read_table(path)
    rows: list[tuple[str, int, str, float, str]] = []
    unknown_variables: set[str] = set()
    legacy: set[str] = set()
    for index, record in frame.iterrows():
        row = int(str(index)) + 2
        unit = read_unit(record["cc_iso3c"], report, legacy, path=where, row=row, column="cc_iso3c")
        if unit is None:
            continue
        raw = str(record["variable"]).strip()
        if raw not in names:
            unknown_variables.add(raw)
            continue
        value, reason = read_value(record["value"], report, path=where, row=row, column="value")
        when = year if year is not None else parse_year(record["ref_year"], where, row, "ref_year")
        rows.append((unit, when, names[raw], value, reason))
    if unknown_variables:
        raise SourceError(where, f"variables among {', '.join(names)}",
                          f"the unknown variables {short_list(sorted(unknown_variables), quoted=False)}")
    return tidy_frame(rows)
