"""OECD OURdata (Open, Useful and Re-usable data) Index 2023, by pillar and sub-pillar.

The file is long (``cc_iso3c, ref_year, variable, value``) with 12 variables for 40 countries. The values
describe the reference year 2022; GovLens files them under the edition year 2023, the name everyone uses.
The overall OURdata score is not in the file and is not invented here.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from govlens.data.long_table import COLUMNS, read_long_table
from govlens.data.model import DatasetSpec, FileKind, LoadedDataset, SourceFile, Variable
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
    return (SourceFile(FILE, FileKind.CSV, url, columns=COLUMNS,
                       description="OURdata 2023, extracted from the OECD PDF tables"),)


def load_ourdata(spec: DatasetSpec, files: Mapping[str, Path]) -> LoadedDataset:
    path = files[FILE]
    report = Report()
    known = variables()
    data = read_long_table(path, report, {name: name for name in known}, year=EDITION_YEAR)
    names = {str(unit): "" for unit in data["unit"].unique()}
    return LoadedDataset(spec=spec, data=data, variables=known, unit_names=names, report=report, files=(path,))
