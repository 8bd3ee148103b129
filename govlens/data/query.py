"""Selecting from a loaded dataset (year, region, variables) and exporting it to CSV or Excel."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

import pandas as pd

from govlens import tabular
from govlens.data.groups import resolve_region
from govlens.data.harmonise import unit_name
from govlens.data.model import LoadedDataset

EXPORT_SUFFIXES: tuple[str, ...] = (".csv", ".xlsx")


def select(
    dataset: LoadedDataset,
    *,
    year: int | None = None,
    region: str | None = None,
    variables: Sequence[str] = (),
    peer_groups: Mapping[str, tuple[str, ...]] | None = None,
) -> pd.DataFrame:
    """Rows of the tidy table for a year, a region (group name or ISO3 list) and variables, with unit names."""
    data = dataset.data
    if year is not None:
        years = dataset.years()
        if year not in years:
            raise ValueError(f"year must be one of {{{', '.join(map(str, years))}}} for {dataset.spec.name}; "
                             f"got {year}")
        data = data[data["year"] == year]
    if region:
        data = data[data["unit"].isin(resolve_region(region, year, peer_groups))]
    if variables:
        unknown = [v for v in variables if v not in dataset.variables]
        if unknown:
            raise ValueError(f"variable must be one of {{{', '.join(dataset.variables)}}}; got "
                             f"{', '.join(repr(v) for v in unknown)}")
        data = data[data["variable"].isin(list(variables))]
    names = data["unit"].map(lambda u: dataset.unit_names.get(u) or unit_name(u))
    out = data.assign(name=names)[["unit", "name", "year", "variable", "value", "missing_reason"]]
    if not dataset.categories.empty:
        # categorical values (the GTMI group letter) as extra columns beside every row of the unit and year
        wide = dataset.categories.pivot_table(index=["unit", "year"], columns="variable", values="category",
                                              aggfunc="first").reset_index()
        wide.columns.name = None
        out = out.merge(wide, on=["unit", "year"], how="left")
    return out.sort_values(["unit", "year", "variable"], kind="stable").reset_index(drop=True)


def variables_table(dataset: LoadedDataset) -> pd.DataFrame:
    rows = [
        {
            "variable": v.name,
            "label": v.label,
            "measure": v.measure,
            "scale_min": v.scale[0] if v.scale else None,
            "scale_max": v.scale[1] if v.scale else None,
            "group": v.group,
            "lineage": v.lineage,
        }
        for v in dataset.variables.values()
    ]
    return pd.DataFrame(rows)


def metadata_table(dataset: LoadedDataset) -> pd.DataFrame:
    spec = dataset.spec
    rows = [
        ("name", spec.name), ("title", spec.title), ("publisher", spec.publisher), ("years", spec.years),
        ("units", spec.units), ("licence", spec.licence), ("source", spec.source_url), ("citation", spec.citation),
        ("files", "; ".join(str(p) for p in dataset.files)),
        *((f"sha256 {name}", digest) for name, digest in dataset.checksums.items()),
    ]
    return pd.DataFrame(rows, columns=["field", "value"])


def export(dataset: LoadedDataset, out: Path, rows: pd.DataFrame | None = None) -> Path:
    """Write the tidy table to ``out`` (.csv; or .xlsx with the sheets data, variables, metadata, problems)."""
    suffix = out.suffix.lower()
    if suffix not in EXPORT_SUFFIXES:
        raise ValueError(f"export file must end with one of {{{', '.join(EXPORT_SUFFIXES)}}}; got {out.name!r}")
    table = rows if rows is not None else select(dataset)
    out.parent.mkdir(parents=True, exist_ok=True)
    if suffix == ".csv":
        tabular.write_frame(table, out)
    else:
        with pd.ExcelWriter(out, engine="openpyxl") as writer:
            table.to_excel(writer, sheet_name="data", index=False)
            variables_table(dataset).to_excel(writer, sheet_name="variables", index=False)
            metadata_table(dataset).to_excel(writer, sheet_name="metadata", index=False)
            pd.DataFrame(dataset.report.flatten(), columns=["path", "sheet", "row", "column", "severity", "code",
                                                           "message"]).to_excel(writer, sheet_name="problems",
                                                                                index=False)
    return out
