"""World Bank GovTech Maturity Index (GTMI): key indicators (2020, 2022) and published scores (2020-2025).

Key indicators come from a column subset of the World Bank's ``CG_GTMI_Data`` sheet (both waves use the 2022
numbering I-1 ... I-48). Quirks handled here, each recorded in the dataset's report:

* 11 trailing rows without a ``Year`` (blank rows, per-value counts, a note on I-26) are dropped;
* cell codes ``New`` (indicator not in that wave) and ``-`` (no value) become missing values with a reason;
* the published ``GTMI`` and ``Grp`` columns are ignored (they are the hold-out the recomputation is checked
  against);
* I-16, I-18, I-27, I-44 are copies of UN E-Government Survey indices and I-43 of the ITU Global Cybersecurity
  Index: recorded as lineage; I-43 is rescaled from 0-100 to 0-1 in the 2020 wave;
* I-4 (government service bus) is scored 0-3 in 2020 and 0-2 in 2022 (no economy has 3 in 2022): the 2022
  values are brought to the 0-3 scale of the variable (x 1.5), so that "yes" is the top of the scale in both
  waves (the recomputed CGSI then follows the published one more closely: Spearman 0.972 against 0.969);
* legacy codes (ADO, ROM, TMP, ZAR) and World Bank codes (KSV, WBG) are mapped to ISO3.

Published scores: the ``grp`` column holds the group letter A-D; 5 legend rows at the end of the 2025 block
(thresholds, counts and shares) are dropped by keeping only rows whose group is A-D.
"""

from __future__ import annotations

import csv
import math
from collections.abc import Iterator, Mapping
from functools import cache
from importlib import resources
from pathlib import Path

import pandas as pd

from govlens.data.errors import SourceError, data_problem
from govlens.data.harmonise import parse_cell, read_unit, read_value
from govlens.data.model import (
    CATEGORY_COLUMNS,
    DatasetSpec,
    LoadedDataset,
    Variable,
    tidy_frame,
)
from govlens.data.sources import parse_year, read_sheet, sheet_frame
from govlens.framework.report import Report

INDICATORS_FILE = "ht_Clean_GovTech.xlsx"
INDICATORS_SHEET = "Sheet 1"
SCORES_FILE = "gtmiR_groups_data.xlsx"
SCORES_SHEET = "Sheet1"
SCORES_RDA = "gtmiR_gtmi2025.rda"
SCORES_R_OBJECT = "gtmi2025"

INDICATOR_CODES: tuple[str, ...] = tuple(f"I-{n}" for n in range(1, 49))
FOCUS_AREAS: tuple[str, ...] = ("CGSI", "PSDI", "DCEI", "GTEI")
SCORE_COLUMNS: Mapping[str, str] = {"gtmi": "GTMI", "cgsi": "CGSI", "psdi": "PSDI", "dcei": "DCEI", "gtei": "GTEI"}
GROUP_LETTERS: tuple[str, ...] = ("A", "B", "C", "D")
HOLD_OUT_COLUMNS: tuple[str, ...] = ("Grp", "GTMI")

# Key indicators scored on a shorter scale in one wave than the variable's: (code, year) -> that wave's top.
WAVE_SCALES: Mapping[tuple[str, int], float] = {("I-4", 2022): 2.0}

# Key indicators that copy a UN E-Government Survey index of the same edition year (egdi variable names).
UN_COPIES: Mapping[str, str] = {"I-16": "TII", "I-18": "OSI", "I-27": "EPI", "I-44": "HCI"}

SCORE_LABELS: Mapping[str, str] = {
    "GTMI": "GovTech Maturity Index",
    "CGSI": "Core Government Systems Index",
    "PSDI": "Public Service Delivery Index",
    "DCEI": "Digital Citizen Engagement Index (CEI in 2020)",
    "GTEI": "GovTech Enablers Index",
}


@cache
def key_indicator_variables() -> dict[str, Variable]:
    """The 48 key indicators with focus area, answer scale and lineage (``metadata/gtmi_key_indicators.csv``)."""
    text = resources.files("govlens.data").joinpath("metadata", "gtmi_key_indicators.csv").read_text("utf-8")
    variables: dict[str, Variable] = {}
    for row in csv.DictReader(text.splitlines()):
        external = row["kind"] == "external"
        variables[row["code"]] = Variable(
            name=row["code"],
            label=row["label"],
            scale=(0.0, float(row["scale_max"])),
            measure="index" if external else "ordinal",
            group=row["focus_area"],
            lineage=row["lineage"],
        )
    return variables


def _report_dropped(kept: pd.Series, which: str, report: Report, where: str, sheet: str | None = None) -> None:
    """One junk_rows problem for the rows not ``kept`` (``which`` says what they are), from the first of them."""
    dropped = int((~kept).sum())
    if dropped:
        first = int(kept[~kept].index[0]) + 2
        report.add(data_problem("junk_rows", f"{dropped} rows {which} dropped, from row {first}", where, sheet=sheet,
                                row=first))


def _country_rows(sheet: pd.DataFrame, columns: tuple[str, str, str], names: dict[str, str], report: Report,
                  where: str) -> Iterator[tuple[int, str, int, pd.Series]]:
    """(spreadsheet row, ISO3 unit, year, record) of each row whose ``columns`` (code, year, name) name a country
    (the others are reported by read_unit); the first name of each unit goes to ``names``."""
    code, year, name = columns
    legacy: set[str] = set()
    for index, record in sheet.iterrows():
        excel_row = int(str(index)) + 2
        unit = read_unit(record[code], report, legacy, path=where, row=excel_row, column=code)
        if unit is None:
            continue
        when = parse_year(record[year], where, excel_row, year)
        names.setdefault(unit, str(record[name]).strip())
        yield excel_row, unit, when, record


def read_key_indicators(path: Path) -> tuple[pd.DataFrame, dict[str, str], Report]:
    """Tidy key indicators (unit, year, variable, value, missing_reason), unit names and the load report."""
    report = Report()
    where = str(path)
    sheet = sheet_frame(read_sheet(path, INDICATORS_SHEET))
    missing = [c for c in ("Year", "Code", "Economy", *INDICATOR_CODES) if c not in sheet.columns]
    if missing:
        raise SourceError(f"{where}:{INDICATORS_SHEET}", "the columns Year, Code, Economy, I-1 ... I-48",
                          f"no column {', '.join(missing)}")
    has_year = sheet["Year"].map(lambda v: not (v is None or (isinstance(v, float) and math.isnan(v))))
    _report_dropped(has_year, "without a Year (blank rows, per-value counts, notes)", report, where, INDICATORS_SHEET)
    for column in HOLD_OUT_COLUMNS:
        if column in sheet.columns:
            report.add(data_problem("ignored_column", f"'{column}' is the published result, kept out of the inputs "
                                    "(load the gtmi-scores dataset for it)", where, sheet=INDICATORS_SHEET,
                                    column=column))
    variables = key_indicator_variables()
    rows: list[tuple[str, int, str, float, str]] = []
    names: dict[str, str] = {}
    for excel_row, unit, year, record in _country_rows(sheet[has_year], ("Code", "Year", "Economy"), names, report,
                                                       where):
        for code in INDICATOR_CODES:
            value, reason = read_value(record[code], report, path=where, row=excel_row, column=code,
                                       sheet=INDICATORS_SHEET)
            rows.append((unit, year, code, value, reason))
    frame = tidy_frame(rows)
    # I-43 (ITU GCI) is published 0-100 in the 2020 wave and 0-1 in 2022: bring 2020 to 0-1.
    gci = (frame["variable"] == "I-43") & frame["value"].notna()
    for year in sorted(frame.loc[gci, "year"].unique()):
        mask = gci & (frame["year"] == year)
        if frame.loc[mask, "value"].max() > 1.5:
            frame.loc[mask, "value"] = frame.loc[mask, "value"] / 100.0
            report.add(data_problem("rescaled", f"I-43 (ITU Global Cybersecurity Index) {year} divided by 100 "
                                    "(published 0-100; 0-1 in the other wave)", where, column="I-43"))
    for (code, year), top in WAVE_SCALES.items():
        mask = (frame["variable"] == code) & (frame["year"] == year) & frame["value"].notna()
        if not mask.any():
            continue
        highest = float(frame.loc[mask, "value"].max())
        scale = variables[code].scale
        assert scale is not None  # every key indicator has its answer scale (metadata)
        scale_top = scale[1]
        if highest > top:  # the file is not the one this rule was written for: say so, change nothing
            report.add(data_problem("rescaled", f"{code} {year} reaches {highest:g}, above the {top:g} its wave "
                                    "is scored out of: left as published", where, column=code))
            continue
        frame.loc[mask, "value"] = frame.loc[mask, "value"] * (scale_top / top)
        report.add(data_problem("rescaled", f"{code} {year} is scored 0-{top:g} (0-{scale_top:g} in the other wave):"
                                f" multiplied by {scale_top / top:g} to the variable's 0-{scale_top:g} scale", where,
                                column=code))
    for code, variable in variables.items():
        if variable.lineage:
            report.add(data_problem("lineage", f"{code}: {variable.lineage}", where, column=code))
    return frame, names, report


def read_scores(path: Path) -> tuple[pd.DataFrame, pd.DataFrame, dict[str, str], Report]:
    """Published scores (tidy), group letters (categorical), unit names and the load report."""
    report = Report()
    where = str(path)
    return _tidy_scores(sheet_frame(read_sheet(path, SCORES_SHEET)), where, report)


def read_scores_rda(path: Path) -> pd.DataFrame:
    """The R data copy of the published scores, as read by ``pyreadr`` (object ``gtmi2025``)."""
    import pyreadr

    objects = pyreadr.read_r(str(path))
    if SCORES_R_OBJECT not in objects:
        raise SourceError(str(path), f"an R object named '{SCORES_R_OBJECT}'", f"the objects {', '.join(objects)}")
    frame: pd.DataFrame = objects[SCORES_R_OBJECT]
    return frame


def _tidy_scores(sheet: pd.DataFrame, where: str, report: Report
                 ) -> tuple[pd.DataFrame, pd.DataFrame, dict[str, str], Report]:
    sheet = sheet.copy()
    sheet.columns = [str(column).strip() for column in sheet.columns]
    missing = [c for c in ("year", "country_code", "country_name", "grp", *SCORE_COLUMNS) if c not in sheet.columns]
    if missing:
        raise SourceError(where, "the columns year, country_code, country_name, grp, gtmi, cgsi, psdi, dcei, gtei",
                          f"no column {', '.join(missing)}")
    is_group = sheet["grp"].map(lambda v: isinstance(v, str) and v.strip() in GROUP_LETTERS)
    _report_dropped(is_group, "whose group is not A-D (legend rows: thresholds, counts, shares)", report, where)
    rows: list[tuple[str, int, str, float, str]] = []
    categories: list[tuple[str, int, str, str]] = []
    names: dict[str, str] = {}
    columns = ("country_code", "year", "country_name")
    for _, unit, year, record in _country_rows(sheet[is_group], columns, names, report, where):
        categories.append((unit, year, "group", str(record["grp"]).strip()))
        for column, variable in SCORE_COLUMNS.items():
            value, reason = parse_cell(record[column])
            rows.append((unit, year, variable, value, reason))
    category_frame = pd.DataFrame(categories, columns=list(CATEGORY_COLUMNS)).astype({"year": "int64"})
    return tidy_frame(rows), category_frame, names, report


def score_variables() -> dict[str, Variable]:
    variables = {
        name: Variable(name=name, label=label, scale=(0.0, 1.0), measure="index", group="" if name == "GTMI" else name)
        for name, label in SCORE_LABELS.items()
    }
    return variables


def compare_score_copies(xlsx: pd.DataFrame, rda: pd.DataFrame, where: str, report: Report) -> None:
    """Report when the R data copy of the scores differs from the workbook (it should not)."""
    rda_tidy, _, _, _ = _tidy_scores(rda.astype(object), where, Report())
    merged = xlsx.merge(rda_tidy, on=["unit", "year", "variable"], how="outer", suffixes=("", "_rda"))
    differs = (merged["value"] - merged["value_rda"]).abs() > 1e-9
    absent = merged["value"].isna() != merged["value_rda"].isna()
    bad = int((differs | absent).sum())
    if bad:
        report.add(data_problem("sources_disagree",
                                f"values that differ between the workbook and the R data copy: {bad}", where))


def load_gtmi_indicators(spec: DatasetSpec, files: Mapping[str, Path]) -> LoadedDataset:
    """The ``gtmi-indicators`` dataset: 48 key indicators, 198 economies, 2020 and 2022."""
    path = files[INDICATORS_FILE]
    data, names, report = read_key_indicators(path)
    return LoadedDataset(spec=spec, data=data, variables=dict(key_indicator_variables()), unit_names=names,
                         report=report, files=(path,))


def load_gtmi_scores(spec: DatasetSpec, files: Mapping[str, Path]) -> LoadedDataset:
    """The ``gtmi-scores`` dataset: published GTMI and focus-area scores and groups, 2020, 2022, 2025."""
    path = files[SCORES_FILE]
    data, categories, names, report = read_scores(path)
    used = [path]
    if SCORES_RDA in files:
        compare_score_copies(data, read_scores_rda(files[SCORES_RDA]), str(files[SCORES_RDA]), report)
        used.append(files[SCORES_RDA])
    else:
        report.add(data_problem("optional_file_missing", f"{SCORES_RDA} absent: no cross-check of the scores",
                                str(path)))
    return LoadedDataset(spec=spec, data=data, variables=score_variables(), unit_names=names, report=report,
                         categories=categories, files=tuple(used))


def lineage_differences(indicators: LoadedDataset, egdi: LoadedDataset) -> pd.DataFrame:
    """How far each GTMI copy of a UN index is from the UN's own value of the same year (max and mean absolute
    difference over the economies in both): the lineage recorded on the variables, checked on the data."""
    rows = []
    for code, un_variable in UN_COPIES.items():
        for year in sorted(indicators.data["year"].unique()):
            ours = indicators.data[(indicators.data["variable"] == code) & (indicators.data["year"] == year)]
            theirs = egdi.data[(egdi.data["variable"] == un_variable) & (egdi.data["year"] == year)]
            left = ours.set_index("unit")["value"].dropna()
            right = theirs.set_index("unit")["value"].dropna()
            common = left.index.intersection(right.index)
            diff = (left[common] - right[common]).abs()
            rows.append({"indicator": code, "un_index": un_variable, "year": int(year), "n": len(common),
                         "max_abs_diff": float(diff.max()) if len(common) else float("nan"),
                         "mean_abs_diff": float(diff.mean()) if len(common) else float("nan")})
    return pd.DataFrame(rows)
