"""OECD OURdata (Open, Useful and Re-usable data) Index 2023, by pillar and sub-pillar.

The file is long (``cc_iso3c, ref_year, variable, value``) with 12 variables for 40 countries. The values
describe the reference year 2022; GovLens files them under the edition year 2023, the name everyone uses.
The overall OURdata score is not in the file and is not invented here.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from govlens.data.errors import SourceError
from govlens.data.harmonise import read_unit, read_value
from govlens.data.model import DatasetSpec, FileKind, LoadedDataset, SourceFile, Variable, tidy_frame
from govlens.data.sources import read_table, short_list
from govlens.framework.report import Report

FILE = "oecd_ourdata_2023.csv"
EDITION_YEAR = 2023
REFERENCE_YEAR = 2022
PILLARS: Mapping[str, str] = {"availability": "Data availability", "accessibility": "Data accessibility",
                              "reuse": "Government support for data re-use"}
SUB_PILLARS: Mapping[str, tuple[str, ...]] = {
    "availability": ("policy", "release", "implementation"),
    "accessibility": ("policy", "release", "implementation"),
    "reuse": ("promotion", "dataliteracy", "monitoring"),
}
SUB_LABELS: Mapping[str, str] = {
    "policy": "policy", "release": "release", "implementation": "implementation", "promotion": "data promotion",
    "dataliteracy": "data literacy", "monitoring": "monitoring of impact",
}


def variables() -> dict[str, Variable]:
    found: dict[str, Variable] = {}
    for pillar, label in PILLARS.items():
        found[f"{pillar}_score"] = Variable(f"{pillar}_score", f"{label} (pillar: mean of its sub-pillars)",
                                            (0.0, 1.0), "score", group="OURdata")
        for sub in SUB_PILLARS[pillar]:
            found[f"{pillar}_{sub}"] = Variable(f"{pillar}_{sub}", f"{label}: {SUB_LABELS[sub]}", (0.0, 1.0), "score",
                                                group=f"{pillar}_score")
    return found


def file_specs(url: str | None) -> tuple[SourceFile, ...]:
    return (SourceFile(FILE, FileKind.CSV, url, columns=("cc_iso3c", "ref_year", "variable", "value"),
                       description="OURdata 2023, extracted from the OECD PDF tables"),)


def load_ourdata(spec: DatasetSpec, files: Mapping[str, Path]) -> LoadedDataset:
    path = files[FILE]
    where = str(path)
    report = Report()
    known = variables()
    frame = read_table(path)
    rows: list[tuple[str, int, str, float, str]] = []
    unknown_variables: set[str] = set()
    legacy: set[str] = set()
    for index, record in frame.iterrows():
        row = int(str(index)) + 2
        unit = read_unit(record["cc_iso3c"], report, legacy, path=where, row=row, column="cc_iso3c")
        if unit is None:
            continue
        variable = str(record["variable"]).strip()
        if variable not in known:
            unknown_variables.add(variable)
            continue
        value, reason = read_value(record["value"], report, path=where, row=row, column="value")
        rows.append((unit, EDITION_YEAR, variable, value, reason))
    if unknown_variables:
        raise SourceError(where, f"variables among {', '.join(known)}",
                          f"the unknown variables {short_list(sorted(unknown_variables), quoted=False)}")
    data = tidy_frame(rows)
    names = {str(unit): "" for unit in data["unit"].unique()}
    return LoadedDataset(spec=spec, data=data, variables=known, unit_names=names, report=report, files=(path,))
