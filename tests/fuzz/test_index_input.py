"""Fuzzing the index engine's input: malformed data files and trees, and random matrices through the pipeline.

``read_data`` and ``load_tree`` either return their value or raise :class:`IndexInputError` whose report
locates every problem in the file; ``compute`` returns a result or raises IndexInputError / ValueError with
a message. Bounded normalisations keep every score on [0, scale] (NaN where there is nothing to score).
"""

from __future__ import annotations

import csv
import datetime
import io
import math
import tempfile
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from govlens.index.aggregate import AGGREGATE_METHODS
from govlens.index.errors import IndexInputError
from govlens.index.impute import IMPUTE_METHODS
from govlens.index.io import Dataset, load_tree, read_data
from govlens.index.normalise import BOUNDED_METHODS, NORMALISE_METHODS
from govlens.index.pipeline import compute
from govlens.index.settings import Settings
from govlens.index.tree import Tree, TreeNode
from govlens.index.weight import WEIGHT_METHODS
from tests.fuzz.strategies import HOSTILE_TEXT, damaged


@contextmanager
def _file(name: str, data: bytes) -> Iterator[Path]:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(data)
        yield path


def _assert_located(error: IndexInputError, path: Path | str) -> None:
    assert error.report.errors, "an input error without any problem"
    assert str(error).strip()
    for problem in error.report.errors:
        assert problem.path == str(path), problem
        assert problem.code and problem.message.strip()


# -- read_data ---------------------------------------------------------------------------------------------
HEADER_NAMES = st.sampled_from(["unit", "a", "b", "c", "", " a ", "unit", "region", "A", "ünït", "a;b"])
CELLS = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.integers(-(10**30), 10**30).map(str),
    st.sampled_from(["", "NA", "n/a", "..", "null", "-", "1,5", "1.5e3", "inf", "-inf", "nan", "1e999", "0x10"]),
    st.sampled_from(["ARG", "BRA", "ARG", " ", "CHL"]),
    HOSTILE_TEXT,
)


@st.composite
def csv_tables(draw: st.DrawFn) -> bytes:
    header = draw(st.lists(HEADER_NAMES, min_size=0, max_size=6))
    width = max(len(header), 1)
    rows = draw(st.lists(st.lists(CELLS, min_size=0, max_size=width + 1), max_size=8))
    delimiter = draw(st.sampled_from([",", ";", "\t"]))
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    for row in [header, *rows]:
        writer.writerow(row)
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "latin-1", "utf-16"]))
    return out.getvalue().encode(encoding, errors="replace")


def _check_read_data(path: Path, indicators: list[str] | None) -> None:
    try:
        dataset = read_data(path, indicators=indicators)
    except IndexInputError as error:
        _assert_located(error, path)
        return
    assert isinstance(dataset, Dataset)
    values = dataset.values.to_numpy(dtype=float)
    assert not np.isinf(values).any(), "an infinite value was read as data"
    assert dataset.values.index.is_unique
    assert all(unit.strip() for unit in dataset.values.index)
    if indicators is not None:
        assert list(dataset.values.columns) == indicators


@settings(max_examples=120)
@given(csv_tables(), st.sampled_from([None, ["a"], ["a", "b"], ["missing"]]))
def test_random_csv_tables_read_or_fail_located(data: bytes, indicators: list[str] | None) -> None:
    with _file("data.csv", data) as path:
        _check_read_data(path, indicators)


XLSX_CELLS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**15), 10**15),
    st.floats(allow_nan=False, allow_infinity=False),
    st.datetimes(min_value=datetime.datetime(1900, 3, 1), max_value=datetime.datetime(2100, 1, 1)),
    CELLS.map(lambda text: ILLEGAL_CHARACTERS_RE.sub("", text)),
)


@st.composite
def xlsx_tables(draw: st.DrawFn) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(draw(st.lists(HEADER_NAMES, max_size=5)))
    for row in draw(st.lists(st.lists(XLSX_CELLS, max_size=6), max_size=6)):
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@settings(max_examples=40)
@given(xlsx_tables(), st.sampled_from([None, ["a"], ["a", "b"]]))
def test_random_xlsx_tables_read_or_fail_located(data: bytes, indicators: list[str] | None) -> None:
    with _file("data.xlsx", data) as path:
        _check_read_data(path, indicators)


GOOD_CSV = b"unit,a,b\nARG,1,2\nBRA,3,\nCHL,5,6\n"


@settings(max_examples=60)
@given(damaged(GOOD_CSV))
def test_damaged_csv_reads_or_fails_located(data: bytes) -> None:
    with _file("data.csv", data) as path:
        _check_read_data(path, ["a", "b"])


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"", "data_empty"),
        (b"\n\n,,\n", "data_empty"),
        (b"unit,a\n", "data_empty"),
        (b"unit,a\nARG,x\n", "non_numeric_value"),
        (b"unit,a\nARG,1\nARG,2\n", "duplicate_unit"),
        (b"unit,a,a\nARG,1,2\n", "duplicate_column"),
        (b"country,a\nARG,1\n", "unknown_unit_column"),
        (b"unit,b\nARG,1\n", "tree_data_mismatch"),
        (b"unit,a\n,1\n", "missing_unit"),
        (b"unit,a\nARG,\n", "unit_without_data"),
        (b"unit,a\nARG,inf\n", "non_numeric_value"),
        (b"unit,a\n" + b"x," + b"9" * 200_000 + b"\n", "data_unreadable"),
        (b"unit,a\nARG,\xff\xfe\n", "data_unreadable"),
    ],
    ids=[
        "empty",
        "blank-lines",
        "header-only",
        "text-cell",
        "duplicate-unit",
        "duplicate-column",
        "no-unit-column",
        "tree-mismatch",
        "blank-unit",
        "unit-without-data",
        "infinite",
        "field-over-csv-limit",
        "not-utf8",
    ],
)
def test_malformed_csv_names_the_problem(data: bytes, code: str) -> None:
    # the csv module's default field limit: importing some libraries (frictionless) raises it process-wide
    old_limit = csv.field_size_limit(131072)
    try:
        with _file("data.csv", data) as path, pytest.raises(IndexInputError) as caught:
            read_data(path, indicators=["a"])
    finally:
        csv.field_size_limit(old_limit)
    _assert_located(caught.value, path)
    assert code in caught.value.report.codes()


@pytest.mark.parametrize(
    "data",
    [b"unit,a\nARG,1\n", b"\xd0\xcf\x11\xe0" + b"\0" * 600, b""],
    ids=["csv-named-xls", "short-ole-junk", "empty"],
)
def test_xls_garbage_is_unreadable(data: bytes) -> None:
    with _file("data.xls", data) as path, pytest.raises(IndexInputError) as caught:
        read_data(path, indicators=["a"])
    _assert_located(caught.value, path)


def test_xls_does_not_need_a_pandas_engine() -> None:
    with _file("data.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600) as path:
        with pytest.raises(IndexInputError) as caught:
            read_data(path, indicators=["a"])
        assert caught.value.report.codes() == ["data_unreadable"]


def _zip_without_workbook() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("hello.txt", "not a workbook")
    return out.getvalue()


def test_zip_that_is_not_a_workbook_is_unreadable() -> None:
    with _file("data.xlsx", _zip_without_workbook()) as path, pytest.raises(IndexInputError) as caught:
        read_data(path)
    assert caught.value.report.codes() == ["data_unreadable"]


def test_unknown_sheet_is_named() -> None:
    book = openpyxl.Workbook()
    out = io.BytesIO()
    book.save(out)
    with _file("data.xlsx", out.getvalue()) as path, pytest.raises(IndexInputError) as caught:
        read_data(path, sheet="Data")
    assert "'Data'" in str(caught.value)


# -- regressions of bugs found by the fuzzing ------------------------------------------------------------
@pytest.mark.parametrize(
    "data",
    [b"unit,a\nARG,1\n", b"<html><body>404</body></html>", b"PK\x03\x04truncated"],
    ids=["csv-named-xlsx", "html", "truncated-zip"],
)
def test_xlsx_that_is_not_a_zip_is_unreadable(data: bytes) -> None:
    with _file("data.xlsx", data) as path, pytest.raises(IndexInputError) as caught:
        read_data(path, indicators=["a"])
    assert caught.value.report.codes() == ["data_unreadable"]


# -- trees -------------------------------------------------------------------------------------------------
IDS = st.sampled_from(["IDX", "P1", "P2", "a", "b", "c", "", " ", "a b", "IDX"])
TREE_CELLS = st.one_of(IDS, st.sampled_from(["1", "-1", "0", "2.5", "-3", "nan", "inf", "x", "1e400", ""]))


@st.composite
def tree_tables(draw: st.DrawFn) -> bytes:
    columns = draw(
        st.lists(st.sampled_from(["id", "parent", "weight", "direction", "label", "low", "high", "x"]), max_size=7)
    )
    rows = draw(st.lists(st.lists(TREE_CELLS, min_size=len(columns), max_size=len(columns)), max_size=8))
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(columns)
    writer.writerows(rows)
    return out.getvalue().encode()


@settings(max_examples=120)
@given(tree_tables() | damaged(b"id,parent,weight\nIDX,,1\nP1,IDX,1\na,P1,1\nb,P1,2\n"))
def test_random_tree_tables_load_or_fail_located(data: bytes) -> None:
    with _file("tree.csv", data) as path:
        try:
            tree = load_tree(str(path))
        except IndexInputError as error:
            _assert_located(error, path)
            return
        assert isinstance(tree, Tree)
        assert tree.leaves and tree.root not in tree.leaves
        assert all(tree.weight(node) >= 0 and math.isfinite(tree.weight(node)) for node in tree.node_ids)


@pytest.mark.parametrize("name", ["tree.yaml", "tree.xlsx", "tree.xls", "nope", "tree.csv"])
def test_tree_from_a_missing_or_garbage_file_is_an_input_error(name: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        if name != "tree.csv":
            path.write_bytes(b"\x00\x01garbage\xff")
        with pytest.raises(IndexInputError) as caught:
            load_tree(str(path) if name != "nope" else name)
        assert str(caught.value).strip()


def test_very_deep_tree_loads() -> None:
    rows = ["id,parent", "n0,"] + [f"n{i},n{i - 1}" for i in range(1, 1500)]
    with _file("tree.csv", "\n".join(rows).encode()) as path:
        tree = load_tree(str(path))
        assert tree.leaves == ("n1499",)


# -- the pipeline on random matrices over a random small tree --------------------------------------------
@st.composite
def small_trees(draw: st.DrawFn) -> Tree:
    nodes = [TreeNode("IDX", None)]
    for p in range(draw(st.integers(1, 3))):
        nodes.append(TreeNode(f"P{p}", "IDX", draw(st.sampled_from([0.0, 0.5, 1.0, 3.0]))))
        for i in range(draw(st.integers(1, 3))):
            nodes.append(
                TreeNode(f"I{p}{i}", f"P{p}", draw(st.sampled_from([0.0, 1.0, 2.0])), draw(st.sampled_from([1, -1])))
            )
    return Tree(nodes)


FINITE_OR_NAN = st.one_of(
    st.floats(min_value=-1e6, max_value=1e6, allow_nan=False),
    st.just(math.nan),
    st.sampled_from([0.0, 1.0, -1.0, 1e-300]),
)


WITH_INFINITY = st.one_of(FINITE_OR_NAN, st.sampled_from([math.inf, -math.inf]))


@st.composite
def pipeline_cases(
    draw: st.DrawFn, cells: st.SearchStrategy[float] = FINITE_OR_NAN
) -> tuple[Tree, pd.DataFrame, dict[str, object]]:
    tree = draw(small_trees())
    units = draw(st.integers(1, 7))
    data = pd.DataFrame(
        {leaf: draw(st.lists(cells, min_size=units, max_size=units)) for leaf in tree.leaves},
        index=pd.Index([f"U{i}" for i in range(units)], name="unit"),
    )
    options: dict[str, object] = {
        "normalise": draw(st.sampled_from(NORMALISE_METHODS)),
        "aggregate": draw(st.sampled_from(AGGREGATE_METHODS)),
        "impute": draw(st.sampled_from([m for m in IMPUTE_METHODS if not m.startswith(("group", "carry"))])),
        "treat": draw(st.sampled_from(["none", "winsorise"])),
        "weights": draw(st.sampled_from(WEIGHT_METHODS)),
        "scale": draw(st.sampled_from([1.0, 100.0])),
        "coverage_threshold": draw(st.sampled_from([0.0, 0.5, 1.0])),
        "unit_coverage": draw(st.sampled_from([0.0, 0.5])),
        "groups": draw(st.sampled_from(["none", "quartiles"])),
    }
    return tree, data, options


@settings(max_examples=150)
@given(pipeline_cases() | pipeline_cases(WITH_INFINITY))
def test_compute_gives_a_result_or_a_clear_error(case: tuple[Tree, pd.DataFrame, dict[str, object]]) -> None:
    # infinite cells are refused as input errors naming unit and indicator; otherwise never an exception
    # other than a clear error, nor a score out of range
    tree, data, options = case
    try:
        result = compute(data, tree, Settings(**options))
    except IndexInputError as error:
        assert error.report.errors and str(error).strip()
        return
    except ValueError as error:
        assert str(error).strip()
        return
    scores = result.scores.to_numpy(dtype=float)
    assert list(result.scores.columns) == list(tree.node_ids)
    assert not np.isinf(scores).any(), "an infinite score"
    if options["normalise"] in BOUNDED_METHODS:
        scale = float(options["scale"])  # type: ignore[arg-type]
        present = scores[~np.isnan(scores)]
        assert (present >= -1e-9).all() and (present <= scale * (1 + 1e-9)).all(), (options, scores)
    ranks = result.ranks.to_numpy(dtype=float)
    ranked = ranks[~np.isnan(ranks)]
    assert ((ranked >= 1) & (ranked <= len(result.scores))).all()


def test_compute_on_a_tree_the_data_does_not_match() -> None:
    tree = Tree([TreeNode("IDX", None), TreeNode("a", "IDX"), TreeNode("z", "IDX")])
    data = pd.DataFrame({"a": [1.0, 2.0]}, index=["X", "Y"])
    with pytest.raises(IndexInputError) as caught:
        compute(data, tree)
    assert caught.value.report.codes() == ["tree_data_mismatch"]
    assert "'z'" in str(caught.value)


@pytest.mark.parametrize(
    "settings_",
    [{"normalise": "minmaxx"}, {"scale": 7}, {"winmax": -1}, {"unit_coverage": math.nan}, {"nope": 1}],
    ids=["unknown-normalise", "scale", "winmax", "nan-coverage", "unknown-setting"],
)
def test_bad_settings_are_value_errors_naming_the_setting(settings_: dict[str, object]) -> None:
    tree = Tree([TreeNode("IDX", None), TreeNode("a", "IDX"), TreeNode("b", "IDX")])
    data = pd.DataFrame({"a": [1.0, 2.0], "b": [3.0, 1.0]}, index=["X", "Y"])
    with pytest.raises(ValueError, match=next(iter(settings_))):
        compute(data, tree, Settings.from_dict(settings_))


_TREE = Tree([TreeNode("IDX", None), TreeNode("a", "IDX"), TreeNode("b", "IDX")])


def test_infinite_values_are_refused() -> None:
    data = pd.DataFrame({"a": [1.0, math.inf, 3.0], "b": [1.0, 2.0, 3.0]}, index=["X", "Y", "Z"])
    with pytest.raises((IndexInputError, ValueError), match="inf"):
        compute(data, _TREE)


def test_minmax_span_does_not_overflow() -> None:
    data = pd.DataFrame({"a": [1e308, -1e308, 0.0], "b": [1.0, 2.0, 3.0]}, index=["X", "Y", "Z"])
    scores = compute(data, _TREE).scores["a"]
    # worked out by hand: (x - min) / (max - min) = 1, 0, 0.5
    assert scores.round(6).tolist() == [1.0, 0.0, 0.5]


@st.composite
def grouped_cases(draw: st.DrawFn) -> tuple[Tree, Dataset, pd.DataFrame, str]:
    tree, data, _ = draw(pipeline_cases())
    labels = draw(st.lists(st.sampled_from(["SA", "CA", "", None]), min_size=len(data.index), max_size=len(data.index)))
    groups = pd.Series(labels, index=data.index, name="group")
    previous_units = draw(st.lists(st.sampled_from([*data.index, "OLD"]), unique=True, max_size=len(data.index) + 1))
    previous_columns = draw(st.lists(st.sampled_from([*tree.leaves, "gone"]), unique=True))
    previous = pd.DataFrame(
        {
            c: draw(st.lists(FINITE_OR_NAN, min_size=len(previous_units), max_size=len(previous_units)))
            for c in previous_columns
        },
        index=pd.Index(previous_units, name="unit"),
    )
    method = draw(st.sampled_from(["group-mean", "group-median", "carry-forward"]))
    return tree, Dataset.from_frame(data, groups=groups), previous, method


@settings(max_examples=80)
@given(grouped_cases())
def test_group_and_carry_forward_imputation_give_a_result_or_a_clear_error(
    case: tuple[Tree, Dataset, pd.DataFrame, str],
) -> None:
    tree, dataset, previous, method = case
    try:
        result = compute(dataset, tree, Settings(impute=method), previous)
    except IndexInputError as error:
        assert error.report.errors and str(error).strip()
        return
    except ValueError as error:
        assert str(error).strip()
        return
    scores = result.scores.to_numpy(dtype=float)
    present = scores[~np.isnan(scores)]
    assert ((present >= -1e-9) & (present <= 1 + 1e-9)).all()
    # imputation only fills gaps: every value present in the data is unchanged
    given_values = dataset.values.loc[result.scores.index, list(tree.leaves)]
    imputed = result.prepared.imputer.imputed_
    assert not (imputed & given_values.notna()).to_numpy().any()


def test_every_unit_excluded_by_coverage_is_an_input_error() -> None:
    tree = Tree([TreeNode("IDX", None), TreeNode("a", "IDX"), TreeNode("b", "IDX"), TreeNode("c", "IDX")])
    data = pd.DataFrame({"a": [math.nan], "b": [math.nan], "c": [0.0]}, index=["X"])
    with pytest.raises((IndexInputError, ValueError), match="unit"):
        compute(data, tree, Settings(unit_coverage=0.5))
