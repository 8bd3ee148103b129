"""OECD Digital Government Index (DGI): 2023 by dimension (long CSV) and 2019 (Table 7 of the results paper).

Both editions are read onto one set of variable names: the six dimensions, ``composite`` and
``composite_rank``; 2019 also has one rank per dimension (``<dimension>_rank``). The 2019 table's ``OECD``
row is the published OECD average: it goes to the aggregates, not the data. Its ``oecd_member_2019`` flag
is compared with the accession dates of :mod:`govlens.data.groups` (Colombia acceded in 2020 but is flagged
as a member in 2019); the flag is reported, not used.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from govlens.data.errors import SourceError, data_problem
from govlens.data.groups import oecd_members
from govlens.data.harmonise import iso3_from_code, read_value
from govlens.data.long_table import COLUMNS, read_long_table
from govlens.data.model import DatasetSpec, FileKind, LoadedDataset, SourceFile, Variable, tidy_frame
from govlens.data.sources import read_table
from govlens.framework.report import Report

FILE_2023 = "oecd_dgi_2023.csv"
FILE_2019 = "oecd_dgi_2019_table7_extracted.csv"

DIMENSIONS: Mapping[str, str] = {
    "digital_by_design": "Digital by design",
    "data_driven": "Data-driven public sector",
    "government_as_platform": "Government as a platform",
    "open_by_default": "Open by default",
    "user_driven": "User-driven",
    "proactiveness": "Proactiveness",
}
NAMES_2023: Mapping[str, str] = {
    "digital_design": "digital_by_design",
    "data_driven": "data_driven",
    "govt_as_platform": "government_as_platform",
    "open_default": "open_by_default",
    "user_driven": "user_driven",
    "proactiveness": "proactiveness",
    "composite_index": "composite",
    "composite_rank": "composite_rank",
}
PREFIX_2019: Mapping[str, str] = {
    "digital_by_design": "digital_by_design",
    "data_driven": "data_driven",
    "govt_as_platform": "government_as_platform",
    "open_by_default": "open_by_default",
    "user_driven": "user_driven",
    "proactiveness": "proactiveness",
    "composite": "composite",
}
COLUMNS_2019: tuple[str, ...] = ("country", "iso3", "oecd_member_2019",
                                 *(f"{p}_{s}" for p in PREFIX_2019 for s in ("score", "rank")))


def variables() -> dict[str, Variable]:
    found = {
        name: Variable(name, label, (0.0, 1.0), "score", group="DGI") for name, label in DIMENSIONS.items()
    }
    found["composite"] = Variable("composite", "Digital Government Index (mean of the six dimensions)", (0.0, 1.0),
                                  "index")
    found["composite_rank"] = Variable("composite_rank", "Rank on the composite among the ranked countries",
                                       None, "rank", higher_is_better=False)
    for name, label in DIMENSIONS.items():
        found[f"{name}_rank"] = Variable(f"{name}_rank", f"Rank on {label} (2019 only)", None, "rank",
                                         higher_is_better=False)
    return found


def file_specs(url_2023: str | None) -> tuple[SourceFile, ...]:
    return (
        SourceFile(FILE_2023, FileKind.CSV, url_2023, columns=COLUMNS,
                   description="DGI 2023, extracted from the OECD PDF table"),
        SourceFile(FILE_2019, FileKind.CSV, None, columns=COLUMNS_2019, optional=True,
                   description="DGI 2019, transcribed from Table 7 of the OECD results paper"),
    )


def read_2023(path: Path, report: Report) -> pd.DataFrame:
    return read_long_table(path, report, NAMES_2023)


def read_2019(path: Path, report: Report, names: dict[str, str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    where = str(path)
    frame = read_table(path)
    missing = [c for c in COLUMNS_2019 if c not in frame.columns]
    if missing:
        raise SourceError(where, f"the columns {', '.join(COLUMNS_2019)}", f"no column {', '.join(missing)}")
    rows: list[tuple[str, int, str, float, str]] = []
    aggregates: list[tuple[str, int, str, float, str]] = []
    members_2019 = set(oecd_members(2019))
    for index, record in frame.iterrows():
        row = int(str(index)) + 2
        code = str(record["iso3"]).strip()
        is_aggregate = code == "OECD"
        unit = "OECD" if is_aggregate else iso3_from_code(code)
        if unit is None:
            report.add(data_problem("unknown_unit", f"country code {code!r} is not ISO3", where, row=row,
                                    column="iso3"))
            continue
        if not is_aggregate:
            names.setdefault(unit, str(record["country"]).strip())
            flagged = str(record["oecd_member_2019"]).strip().lower() == "true"
            if flagged != (unit in members_2019):
                report.add(data_problem(
                    "member_flag_differs",
                    f"{unit} is flagged oecd_member_2019={record['oecd_member_2019']} but "
                    f"{'acceded after 2019' if flagged else 'was a member in 2019'}; govlens uses accession dates",
                    where, row=row, column="oecd_member_2019"))
        target = aggregates if is_aggregate else rows
        for prefix, variable in PREFIX_2019.items():
            for suffix in ("score", "rank"):
                if is_aggregate and suffix == "rank":
                    continue  # the OECD average has no rank
                column = f"{prefix}_{suffix}"
                value, reason = read_value(record[column], report, path=where, row=row, column=column)
                name = variable if suffix == "score" else f"{variable}_rank"
                target.append((unit, 2019, name, value, reason))
    return tidy_frame(rows), tidy_frame(aggregates)


def load_dgi(spec: DatasetSpec, files: Mapping[str, Path]) -> LoadedDataset:
    """The ``dgi`` dataset: 2023 and, when its transcribed table is present, 2019."""
    report = Report()
    names: dict[str, str] = {}
    frames = [read_2023(files[FILE_2023], report)]
    aggregates = tidy_frame([])
    used = [files[FILE_2023]]
    if FILE_2019 in files:
        data_2019, aggregates = read_2019(files[FILE_2019], report, names)
        frames.insert(0, data_2019)
        used.insert(0, files[FILE_2019])
    else:
        report.add(data_problem("optional_file_missing", f"{FILE_2019} absent: the dataset has 2023 only",
                                str(files[FILE_2023])))
    for unit in pd.concat(frames)["unit"].unique():
        names.setdefault(str(unit), "")
    return LoadedDataset(spec=spec, data=pd.concat(frames, ignore_index=True), variables=variables(),
                         unit_names=names, report=report, aggregates=aggregates, files=tuple(used))
