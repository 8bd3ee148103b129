"""UN E-Government Development Index (EGDI) with its components OSI, TII, HCI and the E-Participation Index.

Two layouts are read:

* the UN Data Center export ``EGOV_DATA_<year>.csv`` (2003-2022): ``Survey Year, Country Name, E-Government
  Rank, E-Government Index, E-Participation Index, Online Service Index, Human Capital Index,
  Telecommunication Infrastructure Index``; country names only (often with a trailing space);
* the 2024 edition as re-saved by a course repository (``EGOV_DATA_2024_modified_copy.csv``) with renamed
  columns and an added ``Region`` column. That column was derived by a third party and is wrong at least once
  (Nicaragua = "Europe"): it is ignored, and regions come from :mod:`govlens.data.groups`.

Editions 2003-2012 write an EGDI of 0.0 (and a tied last rank) for countries the survey did not assess:
73 rows, such as South Sudan before its independence (every index 0) and Monaco in 2008 and 2010 (EGDI 0 with
non-zero components). An EGDI cannot be 0 with non-zero components (it is their mean), so these EGDIs and
ranks are read as missing with the reason ``not_assessed``, as are the components of a row that is all zeros.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from govlens.data.errors import SourceError, data_problem
from govlens.data.harmonise import iso3_from_name, read_value
from govlens.data.model import DatasetSpec, FileKind, LoadedDataset, MissingReason, SourceFile, Variable, tidy_frame
from govlens.data.sources import read_table
from govlens.framework.report import Report

EDITIONS: tuple[int, ...] = (2003, 2004, 2005, 2008, 2010, 2012, 2014, 2016, 2018, 2020, 2022, 2024)
UN_LAYOUT: Mapping[str, str] = {
    "E-Government Index": "EGDI",
    "Online Service Index": "OSI",
    "Telecommunication Infrastructure Index": "TII",
    "Human Capital Index": "HCI",
    "E-Participation Index": "EPI",
    "E-Government Rank": "EGDI_rank",
}
COPY_2024_LAYOUT: Mapping[str, str] = {
    "E_Index": "EGDI",
    "Online_Service": "OSI",
    "Tele_Infra": "TII",
    "Human_Capital": "HCI",
    "E_Participation": "EPI",
    "Rank": "EGDI_rank",
}
FILE_2024 = "EGOV_DATA_2024_modified_copy.csv"
LAST_ZERO_EDITION = 2012  # the last edition that writes 0.0 for a country it did not assess
COMPONENTS: tuple[str, ...] = ("OSI", "TII", "HCI")

VARIABLES: Mapping[str, Variable] = {
    "EGDI": Variable("EGDI", "E-Government Development Index (mean of OSI, TII and HCI)", (0.0, 1.0), "index"),
    "OSI": Variable("OSI", "Online Service Index", (0.0, 1.0), "index", group="EGDI"),
    "TII": Variable("TII", "Telecommunication Infrastructure Index", (0.0, 1.0), "index", group="EGDI"),
    "HCI": Variable("HCI", "Human Capital Index", (0.0, 1.0), "index", group="EGDI"),
    "EPI": Variable("EPI", "E-Participation Index", (0.0, 1.0), "index"),
    "EGDI_rank": Variable("EGDI_rank", "EGDI rank among the 193 UN member states", (1.0, 193.0), "rank",
                          higher_is_better=False),
}


def file_name(year: int) -> str:
    return FILE_2024 if year == 2024 else f"EGOV_DATA_{year}.csv"


def file_specs(url_for: Mapping[int, str | None]) -> tuple[SourceFile, ...]:
    specs = []
    for year in EDITIONS:
        layout = COPY_2024_LAYOUT if year == 2024 else UN_LAYOUT
        name_column = "Country" if year == 2024 else "Country Name"
        # the two latest editions are required; a mirror may lack older ones (reported when absent)
        specs.append(SourceFile(file_name(year), FileKind.CSV, url_for.get(year),
                                columns=("Survey Year", name_column, *layout), optional=year < 2022,
                                description=f"EGDI {year} edition"))
    return tuple(specs)


def read_edition(path: Path, year: int, report: Report, names: dict[str, str]) -> pd.DataFrame:
    where = str(path)
    frame = read_table(path)
    layout = COPY_2024_LAYOUT if "E_Index" in frame.columns else UN_LAYOUT
    name_column = "Country" if "E_Index" in frame.columns else "Country Name"
    missing = [c for c in ("Survey Year", name_column, *layout) if c not in frame.columns]
    if missing:
        raise SourceError(where, f"the columns Survey Year, {name_column}, {', '.join(layout)}",
                          f"no column {', '.join(missing)}")
    if "Region" in frame.columns:
        report.add(data_problem("ignored_column", "'Region' was added by a third party and is wrong at least once "
                                "(Nicaragua = Europe); regions come from govlens groups", where, column="Region"))
    rows: list[tuple[str, int, str, float, str]] = []
    years_in_file = {str(v).strip() for v in frame["Survey Year"] if str(v).strip()}
    if years_in_file and years_in_file != {str(year)}:
        report.add(data_problem("year_mismatch", f"Survey Year says {', '.join(sorted(years_in_file))}; the file "
                                f"name says {year} (the file name wins)", where, column="Survey Year"))
    unassessed: list[str] = []
    for index, record in frame.iterrows():
        row = int(str(index)) + 2
        name = " ".join(str(record[name_column]).split())
        unit = iso3_from_name(name)
        if unit is None:
            report.add(data_problem("unknown_unit", f"country name {name!r} has no ISO3 mapping", where, row=row,
                                    column=name_column))
            continue
        names.setdefault(unit, name)
        values = {variable: read_value(record[column], report, path=where, row=row, column=column)
                  for column, variable in layout.items()}
        if year <= LAST_ZERO_EDITION and values["EGDI"][0] == 0.0:
            unassessed.append(name)
            blank: list[str] = [variable for variable in ("EGDI", "EGDI_rank") if variable in values]
            if all(values[c][0] == 0.0 for c in COMPONENTS if c in values):
                blank = list(values)  # every index 0: nothing was measured
            for variable in blank:
                values[variable] = (math.nan, MissingReason.NOT_ASSESSED.value)
        rows.extend((unit, year, variable, value, reason) for variable, (value, reason) in values.items())
    if unassessed:
        shown = ", ".join(unassessed[:6]) + (f" and {len(unassessed) - 6} more" if len(unassessed) > 6 else "")
        report.add(data_problem("not_assessed", f"{len(unassessed)} rows with an EGDI of 0.0 ({shown}): the survey "
                                "did not assess them; their EGDI and rank (every index when all are 0) are read as "
                                "missing", where, column="E-Government Index" if "E-Government Index" in layout
                                else "E_Index"))
    return tidy_frame(rows)


def load_egdi(spec: DatasetSpec, files: Mapping[str, Path]) -> LoadedDataset:
    """The ``egdi`` dataset: every edition present, one tidy frame."""
    report = Report()
    names: dict[str, str] = {}
    frames = []
    used = []
    for year in EDITIONS:
        path = files.get(file_name(year))
        if path is None:
            report.add(data_problem("optional_file_missing", f"{file_name(year)} absent: no {year} edition", ""))
            continue
        frames.append(read_edition(path, year, report, names))
        used.append(path)
    data = pd.concat(frames, ignore_index=True) if frames else tidy_frame([])
    return LoadedDataset(spec=spec, data=data, variables=dict(VARIABLES), unit_names=names, report=report,
                         files=tuple(used))
