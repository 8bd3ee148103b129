"""Fuzzing the data loaders on damaged copies of the hand-made fixture mirror (tests/data/fixtures).

Every registered dataset is loaded from a mirror in which one or more of its files were damaged the way
downloads and hand edits damage them: columns missing or renamed, an HTML error page, binary junk, an
empty file, another encoding, junk in cells. ``registry.load`` returns a dataset or raises a
:class:`DataError` whose message names the file. ``registry.pull`` from a damaged mirror either fills the
cache completely or leaves it exactly as it was (no partial write, no staging folder left behind).
"""

from __future__ import annotations

import atexit
import csv
import hashlib
import io
import math
import shutil
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from govlens.data import registry, sources
from govlens.data.errors import DataError, SourceError
from govlens.data.model import DatasetSpec, FileKind, LoadedDataset
from tests.data.conftest import build_fixture_mirror, default_csv_field_limit
from tests.fuzz.strategies import HOSTILE_TEXT, damaged

# built once when the module is imported: the strategies read the fixture files while drawing examples
_BASE = Path(tempfile.mkdtemp(prefix="govlens-fuzz-mirror-"))
atexit.register(shutil.rmtree, _BASE, True)
BASE_MIRROR = build_fixture_mirror(_BASE / "mirror")
NAMES = sorted(registry.DATASETS)
HTML_PAGE = b"<!DOCTYPE html>\n<html><head><title>404 Not Found</title></head><body>Not Found</body></html>\n"


def _present_files(spec: DatasetSpec) -> list[str]:
    return [source.name for source in spec.files if (BASE_MIRROR / spec.folder / source.name).is_file()]


# -- mutations ---------------------------------------------------------------------------------------------
def _csv_rows(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def _csv_bytes(rows: list[list[str]], encoding: str = "utf-8") -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode(encoding, errors="replace")


@st.composite
def csv_mutation(draw: st.DrawFn, data: bytes) -> bytes | None:
    rows = _csv_rows(data)
    width = len(rows[0]) if rows else 1
    kind = draw(
        st.sampled_from(
            [
                "drop_column",
                "rename_column",
                "junk_cells",
                "extra_field",
                "short_rows",
                "header_only",
                "encoding",
                "html",
                "binary",
                "empty",
                "delete",
                "bytes",
                "duplicate_header",
            ]
        )
    )
    if kind == "drop_column":
        column = draw(st.integers(0, width - 1))
        return _csv_bytes([[cell for i, cell in enumerate(row) if i != column] for row in rows])
    if kind == "rename_column":
        column = draw(st.integers(0, width - 1))
        rows[0][column] = draw(st.sampled_from(["", "Value", rows[0][column].upper(), rows[0][column] + " "]))
        return _csv_bytes(rows)
    if kind == "junk_cells":
        for _ in range(draw(st.integers(1, 6))):
            if len(rows) > 1:
                row = draw(st.integers(1, len(rows) - 1))
                column = draw(st.integers(0, max(len(rows[row]) - 1, 0)))
                if rows[row]:
                    rows[row][column] = draw(
                        HOSTILE_TEXT | st.sampled_from(["inf", "-1e999", "9" * 400, "1,234.5", "3000", "-5", "x"])
                    )
        return _csv_bytes(rows)
    if kind == "extra_field":
        return _csv_bytes([rows[0], *[[*row, "extra"] for row in rows[1:]]])
    if kind == "short_rows":
        return _csv_bytes([rows[0], *[row[: draw(st.integers(0, len(row)))] for row in rows[1:]]])
    if kind == "header_only":
        return _csv_bytes(rows[:1])
    if kind == "encoding":
        text = data.decode("utf-8-sig").replace("Uruguay", "Uruguáy")
        return text.encode(draw(st.sampled_from(["latin-1", "utf-16", "cp1252"])), errors="replace")
    if kind == "html":
        return HTML_PAGE
    if kind == "binary":
        return draw(st.binary(min_size=1, max_size=256))
    if kind == "empty":
        return b""
    if kind == "delete":
        return None
    if kind == "duplicate_header":
        return _csv_bytes([rows[0] + rows[0][:1], *rows[1:]])
    return draw(damaged(data))


@st.composite
def xlsx_mutation(draw: st.DrawFn, data: bytes) -> bytes | None:
    kind = draw(st.sampled_from(["bytes", "html", "empty", "delete", "rename_sheet", "drop_column", "junk_cells"]))
    if kind == "bytes":
        return draw(damaged(data))
    if kind == "html":
        return HTML_PAGE
    if kind == "empty":
        return b""
    if kind == "delete":
        return None
    book = openpyxl.load_workbook(io.BytesIO(data))
    sheet = book.worksheets[0]
    if kind == "rename_sheet":
        sheet.title = draw(st.sampled_from(["Data", "sheet 1", "Sheet 1 ", "Sheet2"]))
    elif kind == "drop_column":
        sheet.delete_cols(draw(st.integers(1, sheet.max_column)))
    else:
        for _ in range(draw(st.integers(1, 6))):
            value = draw(
                st.one_of(
                    HOSTILE_TEXT.map(lambda text: openpyxl.cell.cell.ILLEGAL_CHARACTERS_RE.sub("", text)),
                    st.sampled_from(["New", "-", 1e300, -1.0, True, 3000, 1899, "2022.5", None]),
                )
            )
            sheet.cell(row=draw(st.integers(2, sheet.max_row + 1)), column=draw(st.integers(1, 4)), value=value)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@st.composite
def damaged_mirrors(draw: st.DrawFn) -> tuple[str, dict[str, bytes | None]]:
    """A dataset name and, for one or two of its files, the damaged bytes (None: the file is deleted)."""
    name = draw(st.sampled_from(NAMES))
    spec = registry.DATASETS[name]
    files = _present_files(spec)
    chosen = draw(st.lists(st.sampled_from(files), min_size=1, max_size=min(2, len(files)), unique=True))
    changes: dict[str, bytes | None] = {}
    for file_name in chosen:
        data = (BASE_MIRROR / spec.folder / file_name).read_bytes()
        kind = next(source.kind for source in spec.files if source.name == file_name)
        strategy = xlsx_mutation(data) if kind is FileKind.XLSX else csv_mutation(data)
        changes[file_name] = draw(strategy)
    return name, changes


@contextmanager
def _mirror(name: str, changes: Mapping[str, bytes | None]) -> Iterator[Path]:
    spec = registry.DATASETS[name]
    with tempfile.TemporaryDirectory() as folder:
        mirror = Path(folder) / "mirror"
        shutil.copytree(BASE_MIRROR / spec.folder, mirror / spec.folder)
        for file_name, data in changes.items():
            path = mirror / spec.folder / file_name
            if data is None:
                path.unlink()
            else:
                path.write_bytes(data)
        yield mirror


def _assert_clear(error: DataError) -> None:
    text = str(error)
    assert text.strip()
    assert len(text) < 2000, "an error message a person cannot read"
    if isinstance(error, SourceError):
        assert error.path and error.expected and error.found


def _assert_dataset(dataset: LoadedDataset) -> None:
    assert list(dataset.data.columns)[:4] == ["unit", "year", "variable", "value"]
    assert dataset.data["unit"].map(lambda unit: isinstance(unit, str) and len(unit) == 3).all()
    assert dataset.data["year"].map(lambda year: 1900 <= int(year) <= 2100).all()
    for problem in dataset.report:
        assert problem.code and problem.message.strip()


# -- loading -----------------------------------------------------------------------------------------------
@pytest.mark.parametrize("name", NAMES)
def test_the_undamaged_mirror_loads(name: str) -> None:
    dataset = registry.load(name, BASE_MIRROR)
    _assert_dataset(dataset)
    assert len(dataset.data) > 0


@settings(max_examples=150)
@given(damaged_mirrors())
def test_damaged_mirror_loads_or_raises_a_data_error(case: tuple[str, dict[str, bytes | None]]) -> None:
    name, changes = case
    with _mirror(name, changes) as mirror:
        try:
            dataset = registry.load(name, mirror)
        except DataError as error:
            _assert_clear(error)
            return
        _assert_dataset(dataset)


HOSTILE_FILES: list[tuple[str, bytes]] = [
    ("html", HTML_PAGE),
    ("html-with-bom", b"\xef\xbb\xbf  <html><body>login</body></html>"),
    ("empty", b""),
    ("binary", bytes(range(256))),
    ("utf16", "Entity,Code,Year,x\n".encode("utf-16")),
    ("nul", b"\x00" * 64),
    ("csv-field-over-the-limit", b"a" * 200_000 + b"\n"),
]


@pytest.mark.parametrize(("what", "data"), HOSTILE_FILES, ids=[what for what, _ in HOSTILE_FILES])
@pytest.mark.parametrize("name", NAMES)
def test_every_required_file_replaced_by_junk_is_a_source_error(name: str, what: str, data: bytes) -> None:
    spec = registry.DATASETS[name]
    required = [source.name for source in spec.files if not source.optional]
    with _mirror(name, dict.fromkeys(required, data)) as mirror, pytest.raises(DataError) as caught:
        registry.load(name, mirror)
    _assert_clear(caught.value)
    assert any(file_name in str(caught.value) for file_name in required), str(caught.value)


@settings(max_examples=20)
@given(st.binary(max_size=256) | st.just(b"RDX2\nX\n" + bytes(200)) | st.just(HTML_PAGE))
def test_junk_optional_r_data_file_is_a_source_error(data: bytes) -> None:
    # the fixture mirror has no .rda copy of the GTMI scores; a junk one must be refused, not crash pyreadr
    with _mirror("gtmi-scores", {"gtmiR_gtmi2025.rda": data}) as mirror, pytest.raises(SourceError) as caught:
        registry.load("gtmi-scores", mirror)
    _assert_clear(caught.value)
    assert "gtmiR_gtmi2025.rda" in str(caught.value)


@settings(max_examples=40)
@given(HOSTILE_TEXT)
def test_unknown_dataset_names_are_refused(name: str) -> None:
    if name in registry.DATASETS:
        return
    with pytest.raises(DataError, match="dataset must be one of"):
        registry.load(name, BASE_MIRROR)


# -- pulling into the cache: all or nothing ----------------------------------------------------------------
def _snapshot(folder: Path) -> dict[str, str]:
    """Every file under the cache's data folder with the SHA-256 of its bytes."""
    if not folder.exists():
        return {}
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


@settings(max_examples=60)
@given(damaged_mirrors())
def test_a_failed_pull_leaves_the_cache_untouched(case: tuple[str, dict[str, bytes | None]]) -> None:
    name, changes = case
    spec = registry.DATASETS[name]
    cache = sources.cache_dir(spec)
    registry.pull(name, BASE_MIRROR)  # a complete cached copy to protect
    before = _snapshot(cache.parent)
    with _mirror(name, changes) as mirror:
        try:
            files = registry.pull(name, mirror)
        except DataError as error:
            _assert_clear(error)
            assert _snapshot(cache.parent) == before, "a failed pull changed the cache"
        else:
            # a pull that passed replaced the folder as a whole: the cache holds exactly the mirror's files
            assert (cache / ".complete").is_file()
            for file_name, path in files.items():
                assert path.read_bytes() == (mirror / spec.folder / file_name).read_bytes()
            assert set(files) == {p.name for p in (mirror / spec.folder).iterdir() if p.name in files}
    leftovers = [p.name for p in cache.parent.iterdir() if p.name.startswith(".staging") or p.name.endswith(".old")]
    assert leftovers == [], "a staging folder was left behind"


def test_a_failed_pull_keeps_the_previous_copy_loadable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(sources.MIRROR_ENV, raising=False)
    registry.pull("internet", BASE_MIRROR)
    damaged_copy = {"share-of-individuals-using-the-internet.csv": HTML_PAGE}
    with _mirror("internet", damaged_copy) as mirror, pytest.raises(SourceError, match="HTML page"):
        registry.pull("internet", mirror)
    dataset = registry.load("internet")  # from the cache
    # the fixture has Chile 2021 and 2022 and Haiti 2019 (the README lists the file's rows)
    assert sorted(dataset.data.loc[dataset.data["unit"] == "CHL", "year"].astype(int)) == [2021, 2022]


# -- bugs found by the fuzzing ----------------------------------------------------------------------------
def _internet_with(value: str) -> dict[str, bytes | None]:
    text = "Entity,Code,Year,Individuals using the Internet (% of population)\nChile,CHL,2022," + value + "\n"
    return {"share-of-individuals-using-the-internet.csv": text.encode()}


@pytest.mark.parametrize("value", ["inf", "1e999", "-Infinity", "9" * 400])
def test_infinite_cell_is_missing_and_reported(value: str) -> None:
    with _mirror("internet", _internet_with(value)) as mirror:
        dataset = registry.load("internet", mirror)
    # parse_cell used to load such cells as infinite values, with no problem reported
    values = dataset.data["value"].astype(float)
    assert all(math.isfinite(v) or math.isnan(v) for v in values)
    assert list(dataset.data["missing_reason"]) == ["not_a_number"]
    problems = [p for p in dataset.report if p.code == "not_a_number"]
    assert [(p.row, p.column) for p in problems] == [(2, "Individuals using the Internet (% of population)")]


# when every data row has one field more than the header, pandas.read_csv used to make the first column the
# index (shifting every value one column over); sources.read_table refuses such a file, naming the line
def test_extra_field_on_every_row_itu() -> None:
    text = "Entity,Code,Year,Individuals using the Internet (% of population)\nChile,CHL,2022,90,extra\n"
    damaged_copy: dict[str, bytes | None] = {"share-of-individuals-using-the-internet.csv": text.encode()}
    with _mirror("internet", damaged_copy) as mirror, pytest.raises(SourceError) as caught:
        registry.load("internet", mirror)
    assert "share-of-individuals-using-the-internet.csv" in str(caught.value)
    assert "5 fields on line 2, 4 in the header" in str(caught.value)


@pytest.mark.parametrize(
    ("name", "file_name"),
    [("dgi", "oecd_dgi_2023.csv"), ("dgi", "oecd_dgi_2019_table7_extracted.csv"), ("ourdata", "oecd_ourdata_2023.csv")],
)
def test_extra_field_on_every_row_oecd(name: str, file_name: str) -> None:
    rows = _csv_rows((BASE_MIRROR / registry.DATASETS[name].folder / file_name).read_bytes())
    data = _csv_bytes([rows[0], *[[*row, "extra"] for row in rows[1:]]])
    with _mirror(name, {file_name: data}) as mirror, pytest.raises(SourceError) as caught:
        registry.load(name, mirror)
    assert file_name in str(caught.value)


def test_csv_field_over_the_limit() -> None:
    # a header field over csv.field_size_limit() (131072 characters, e.g. a one-line minified page without
    # '<html') used to raise _csv.Error out of registry.load and registry.pull
    damaged_copy: dict[str, bytes | None] = {"share-of-individuals-using-the-internet.csv": b"a" * 200_000 + b"\n"}
    with _mirror("internet", damaged_copy) as mirror, default_csv_field_limit():
        with pytest.raises(SourceError, match=r"share-of-individuals-using-the-internet\.csv"):
            registry.load("internet", mirror)
        with pytest.raises(SourceError, match=r"share-of-individuals-using-the-internet\.csv"):
            registry.pull("internet", mirror)


def test_mirror_under_an_unknown_users_home(monkeypatch: pytest.MonkeyPatch) -> None:
    # Path.expanduser() raises RuntimeError for '~nosuchuser'; it must be a DataError naming the mirror
    with pytest.raises(DataError, match="~nosuchuser/mirror"):
        registry.load("internet", "~nosuchuser/mirror")
    monkeypatch.setenv(sources.MIRROR_ENV, "~nosuchuser/mirror")
    with pytest.raises(DataError, match=sources.MIRROR_ENV):
        registry.pull("internet")
