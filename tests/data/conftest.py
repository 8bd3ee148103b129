"""Fixtures of the data layer: a small hand-made mirror (tests/data/fixtures/mirror, plus two GTMI workbooks
written here from literal rows) and the real mirror (GOVLENS_DATA_MIRROR; those tests skip when it is unset).
Each real dataset is loaded once per session."""

from __future__ import annotations

import csv
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import openpyxl
import pytest

from govlens.data import registry
from govlens.data.model import LoadedDataset

FIXTURES = Path(__file__).parent / "fixtures"
INDICATOR_HEADER = ["Year", "Code", "Economy", *(f"I-{n}" for n in range(1, 49)), "Grp", "GTMI"]


def indicator_row(year: object, code: object, economy: object, cells: dict[str, object], grp: object = None,
                  gtmi: object = None) -> list[object]:
    """A row of the key-indicator sheet: every indicator 0 unless given in ``cells``."""
    return [year, code, economy, *(cells.get(f"I-{n}", 0) for n in range(1, 49)), grp, gtmi]


# Literal rows reproducing each quirk of ht_Clean_GovTech.xlsx (see PROVENANCE.md of the mirror).
INDICATOR_ROWS: list[list[object]] = [
    indicator_row(2020, "KSV", "Kosovo", {"I-1": 1, "I-3": "New", "I-16": "-", "I-43": 50, "I-26": "New"}, "C", 0.4),
    indicator_row(2022, "KSV", "Kosovo", {"I-1": 2, "I-3": 2, "I-16": "-", "I-43": 0.5, "I-26": None}, "B", 0.6),
    indicator_row(2022, "URY", "Uruguay", {"I-1": 2, "I-16": "0.81", "I-43": 0.9, "I-26": None, "I-35": 3}, "A", 0.9),
    [None] * len(INDICATOR_HEADER),
    indicator_row(None, None, None, {f"I-{n}": 73 for n in range(1, 49)}),
    indicator_row(None, None, None, {"I-26": "Note on I-26:"}),
]

SCORE_HEADER = ["year", "country_code", "country_name", "grp", "gtmi", "cgsi", "psdi", "dcei", "gtei"]
SCORE_ROWS: list[list[object]] = [
    [2020, "ROM", "Romania", "B", 0.6, 0.5, 0.7, 0.4, 0.8],
    [2022, "ROU", "Romania", "A", 0.8, 0.7, 0.9, 0.6, 1.0],
    [2025, "ROU", "Romania", "A", 0.85, 0.8, 0.9, 0.7, 1.0],
    [2025, 0.75, "A", 80, 0.406, None, None, None, None],  # legend rows of the 2025 block
    [2025, 0.65, None, None, 648.5, None, None, None, 6],
]


def write_sheet(path: Path, sheet: str, header: list[str], rows: list[list[object]]) -> None:
    book = openpyxl.Workbook()
    ws = book.active
    assert ws is not None
    ws.title = sheet
    ws.append(header)
    for row in rows:
        ws.append(row)
    book.save(path)


def build_fixture_mirror(target: Path) -> Path:
    shutil.copytree(FIXTURES / "mirror", target, dirs_exist_ok=True)
    (target / "gtmi").mkdir(exist_ok=True)
    write_sheet(target / "gtmi" / "ht_Clean_GovTech.xlsx", "Sheet 1", INDICATOR_HEADER, INDICATOR_ROWS)
    write_sheet(target / "gtmi" / "gtmiR_groups_data.xlsx", "Sheet1", SCORE_HEADER, SCORE_ROWS)
    return target


@pytest.fixture
def fixture_mirror(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A small mirror of hand-made files (a fresh copy per test, so tests may break files)."""
    monkeypatch.delenv("GOVLENS_DATA_MIRROR", raising=False)
    return build_fixture_mirror(tmp_path / "mirror")


@pytest.fixture(scope="session")
def fixture_datasets(tmp_path_factory: pytest.TempPathFactory) -> dict[str, LoadedDataset]:
    mirror = build_fixture_mirror(tmp_path_factory.mktemp("fixture-mirror"))
    return {name: registry.load(name, mirror) for name in registry.DATASETS}


@pytest.fixture(scope="session")
def real_mirror() -> Path:
    raw = os.environ.get("GOVLENS_DATA_MIRROR", "")
    if not raw:
        pytest.skip("GOVLENS_DATA_MIRROR is not set (CI sets it to ../shared/data)")
    return Path(raw)


@pytest.fixture(scope="session")
def real(real_mirror: Path) -> dict[str, LoadedDataset]:
    """Every registered dataset loaded once from the real mirror."""
    return {name: registry.load(name, real_mirror) for name in registry.DATASETS}


CSV_FIELD_LIMIT = 131072  # the csv module's default field_size_limit()


@contextmanager
def default_csv_field_limit() -> Iterator[None]:
    """The csv module's default field limit for the duration: importing some libraries (frictionless) raises
    the process-wide limit, and the tests of fields over the limit need the default."""
    old = csv.field_size_limit(CSV_FIELD_LIMIT)
    try:
        yield
    finally:
        csv.field_size_limit(old)
