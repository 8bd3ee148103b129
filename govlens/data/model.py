"""Types of the data layer: how a public dataset is described, where its files come from, and what loading returns.

Every loader returns a :class:`LoadedDataset` whose ``data`` is a tidy table with the columns
``unit`` (ISO 3166-1 alpha-3, or ``XKX`` for Kosovo), ``year`` (int), ``variable`` (str), ``value`` (float,
NaN when missing) and ``missing_reason`` (why a value is missing; empty when it is present).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

import pandas as pd

from govlens.framework.report import Report

# Columns of every tidy frame, in order.
TIDY_COLUMNS: tuple[str, ...] = ("unit", "year", "variable", "value", "missing_reason")
# Columns of the categorical side table (e.g. the GTMI group letter of an economy in a year).
CATEGORY_COLUMNS: tuple[str, ...] = ("unit", "year", "variable", "category")


class FileKind(StrEnum):
    CSV = "csv"
    XLSX = "xlsx"
    RDA = "rda"


class MissingReason(StrEnum):
    """Why a value is missing: kept beside the value so a gap is never mistaken for a zero."""

    NOT_IN_WAVE = "not_in_wave"  # cell code 'New': the indicator did not exist in that wave
    NOT_PUBLISHED = "not_published"  # cell code '-': the publisher gives no value for this economy
    EMPTY = "empty"  # the cell is empty in the source file
    NOT_A_NUMBER = "not_a_number"  # any other text where a number was expected (also reported)
    NOT_ASSESSED = "not_assessed"  # the publisher wrote 0 for an economy it did not assess (EGDI 2003-2012)


@dataclass(frozen=True)
class SourceFile:
    """One file of a dataset, as laid out in the mirror folder and in the cache."""

    name: str  # file name inside the dataset's folder
    kind: FileKind
    # exact address the file is downloaded from (a pinned copy); None = no download (derived file)
    url: str | None
    columns: tuple[str, ...]  # columns the loader needs (checked before anything is kept)
    sheet: str | None = None  # workbooks: the sheet holding the data
    r_object: str | None = None  # .rda files: the R object holding the data
    optional: bool = False  # a missing optional file is skipped (with a note) rather than an error
    description: str = ""


@dataclass(frozen=True)
class Variable:
    """What a variable of a dataset measures, on what scale, and where it comes from."""

    name: str
    label: str
    scale: tuple[float, float] | None = None  # theoretical (min, max) of the published values
    measure: str = "score"  # score | index | rank | percent | ordinal
    group: str = ""  # pillar, dimension or focus area the variable belongs to, when the publisher says so
    lineage: str = ""  # e.g. "copy of UN EGDI Online Service Index": recorded, never hidden
    higher_is_better: bool = True


@dataclass(frozen=True)
class DatasetSpec:
    """A registered public dataset: who publishes it, under what terms, and how to get and read it."""

    name: str
    title: str
    publisher: str
    years: str  # human-readable coverage, e.g. "2003-2024 (12 editions)"
    units: str  # human-readable coverage of units, e.g. "193 UN member states"
    licence: str
    source_url: str  # the publisher's page for the dataset
    citation: str
    folder: str  # sub-folder of the mirror (a folder laid out like ../shared/data)
    files: tuple[SourceFile, ...]
    loader: Callable[[DatasetSpec, Mapping[str, Path]], LoadedDataset] = field(repr=False, compare=False)
    year_kind: str = "edition"  # edition (survey/edition year) | observation (calendar year of the value)
    notes: str = ""


@dataclass
class LoadedDataset:
    spec: DatasetSpec
    data: pd.DataFrame  # tidy: TIDY_COLUMNS
    variables: Mapping[str, Variable]
    unit_names: Mapping[str, str]  # ISO3 -> name as published
    report: Report = field(default_factory=Report)  # problems and notes found while loading
    # published aggregates (OECD average, world, income groups): same columns as data, unit = aggregate name
    aggregates: pd.DataFrame = field(default_factory=lambda: empty_tidy())
    categories: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=list(CATEGORY_COLUMNS)))
    files: tuple[Path, ...] = ()
    checksums: Mapping[str, str] = field(default_factory=dict)  # file name -> SHA-256 of the bytes read

    def years(self) -> list[int]:
        return sorted(int(year) for year in self.data["year"].unique())

    def variable_names(self) -> list[str]:
        return list(self.variables)


def empty_tidy() -> pd.DataFrame:
    return tidy_frame([])


def tidy_frame(rows: list[tuple[str, int, str, float, str]]) -> pd.DataFrame:
    """A tidy frame with the right column types from (unit, year, variable, value, missing_reason) rows."""
    frame = pd.DataFrame(rows, columns=list(TIDY_COLUMNS))
    types = {"unit": "str", "year": "int64", "variable": "str", "value": "float64", "missing_reason": "str"}
    return frame.astype(types)
