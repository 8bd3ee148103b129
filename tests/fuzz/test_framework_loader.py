"""Fuzzing the framework loader: damaged YAML documents, random bytes and damaged workbooks become a report.

``validate(path)`` and ``catalogue.load_result(path)`` promise that bad input never raises: every problem is in
the report, with a catalogued code and a message. ``catalogue.load`` raises only its two documented errors.
The starting point is a small valid framework; each example damages it in one or more ways.
"""

from __future__ import annotations

import copy
import datetime
import io
import os
import tempfile
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from govlens.framework import catalogue
from govlens.framework.errors import CATALOGUE
from govlens.framework.model import Framework
from govlens.framework.report import Report
from govlens.framework.validate import validate
from govlens.framework.xlsform_io import write_workbook
from govlens.framework.yaml_io import read_yaml_text
from tests.fuzz.strategies import HOSTILE_TEXT, HUGE_TEXT, SCALARS, damaged, nested

CODES = frozenset(error.code for error in CATALOGUE)


def _label(text: str) -> dict[str, str]:
    return {"en": text, "es": text, "pt": text, "fr": text}


# A small framework that uses every part of the format: choice lists, skip logic, constraints, each scoring
# method and a three-level tree.
VALID: dict[str, Any] = {
    "govlens_framework": 1,
    "id": "fuzz",
    "version": "1",
    "title": _label("Fuzz"),
    "languages": ["en", "es", "pt", "fr"],
    "default_language": "en",
    "settings": {"unanswered_score": 0},
    "choices": {
        "coverage": [
            {"name": "all", "label": _label("All")},
            {"name": "some", "label": _label("Some")},
            {"name": "none", "label": _label("None")},
        ],
    },
    "sections": [
        {
            "name": "gov",
            "label": _label("Governance"),
            "questions": [
                {
                    "name": "has_unit",
                    "type": "yes_no",
                    "label": _label("Unit?"),
                    "required": True,
                    "seed_refs": ["F01"],
                    "scoring": {"method": "points", "points": {"yes": 1, "no": 0}},
                },
                {
                    "name": "reach",
                    "type": "select_one",
                    "choices": "coverage",
                    "label": _label("Reach"),
                    "relevant": "${has_unit} = 'yes'",
                    "scoring": {"method": "points", "points": {"all": 1, "some": 0.5, "none": 0}},
                },
                {
                    "name": "tools",
                    "type": "select_multiple",
                    "choices": "coverage",
                    "label": _label("Tools"),
                    "scoring": {"method": "share_selected", "exclude": ["none"]},
                },
            ],
        },
        {
            "name": "data",
            "label": _label("Data"),
            "relevant": "${has_unit} = 'yes'",
            "questions": [
                {
                    "name": "year",
                    "type": "year",
                    "label": _label("Year"),
                    "constraint": ". >= 1990 and . <= 2030",
                    "constraint_message": _label("1990 to 2030"),
                    "scoring": {"method": "thresholds", "thresholds": [[2015, 0.5], [2020, 1]]},
                },
                {
                    "name": "share",
                    "type": "decimal",
                    "label": _label("Share"),
                    "scoring": {"method": "linear", "low": 0, "high": 100},
                },
                {"name": "site", "type": "url", "label": _label("Site"), "scoring": {"method": "answered"}},
            ],
        },
    ],
    "indicators": [
        {"id": "IDX", "kind": "index", "label": _label("Index")},
        {"id": "P1", "kind": "pillar", "parent": "IDX", "weight": 1, "label": _label("P1")},
        {"id": "P2", "kind": "pillar", "parent": "IDX", "weight": 2, "label": _label("P2")},
        {"id": "I1", "parent": "P1", "label": _label("I1"), "questions": ["has_unit", "reach"]},
        {"id": "I2", "parent": "P1", "label": _label("I2"), "questions": ["tools"], "combine": "max"},
        {"id": "I3", "parent": "P2", "direction": -1, "label": _label("I3"), "questions": ["year", "share"]},
        {"id": "I4", "parent": "P2", "label": _label("I4"), "questions": ["site"], "seed_refs": ["F02"]},
    ],
}


@contextmanager
def _file(name: str, data: bytes) -> Iterator[Path]:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(data)
        yield path


def _assert_report(report: Report) -> None:
    """A report a user can act on: catalogued codes, a message each, and valid only when nothing is wrong."""
    assert isinstance(report, Report)
    for problem in report.problems:
        assert problem.code in CODES, problem
        assert isinstance(problem.message, str) and problem.message.strip(), problem
        assert str(problem)  # the printed form never fails


def _check_all_entry_points(path: Path) -> None:
    report = validate(path)
    _assert_report(report)
    result = catalogue.load_result(path)
    _assert_report(result.report)
    if result.framework is None:
        assert not result.report.valid, "nothing was read, yet no error says why"
    try:
        framework = catalogue.load(path)
    except (catalogue.FrameworkNotFound, catalogue.FrameworkInvalid) as error:
        assert str(error)
        assert report.errors or isinstance(error, catalogue.FrameworkNotFound)
    else:
        assert isinstance(framework, Framework)
        assert report.valid


def test_the_starting_document_is_valid() -> None:
    # the mutations below must start from a framework that loads, or they test nothing
    with _file("fuzz.yaml", yaml.safe_dump(VALID, allow_unicode=True).encode()) as path:
        report = validate(path)
        assert report.valid, [str(p) for p in report]
        assert len(catalogue.load(path).nodes) == 7


# -- structured mutations of the document ----------------------------------------------------------------
Path_ = tuple[Any, ...]


def _paths(value: object, prefix: Path_ = ()) -> list[Path_]:
    """Every position in a document (dict keys and list indices), parents before children."""
    found: list[Path_] = [prefix]
    if isinstance(value, dict):
        for key, child in value.items():
            found.extend(_paths(child, (*prefix, key)))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            found.extend(_paths(child, (*prefix, index)))
    return found


def _get(doc: Any, path: Path_) -> Any:
    for part in path:
        doc = doc[part]
    return doc


EXPRESSIONS = st.one_of(
    st.text(st.sampled_from(list("${}()'\". =<>!+-*/abqxyz019_,")), max_size=30),
    st.sampled_from(
        [
            "${nope} = 1",
            "${has_unit} = ",
            "pulldata('x', 'y')",
            "(" * 60 + "1" + ")" * 60,
            "not(" * 60 + "1" + ")" * 60,
            "regex(., '(a+)+[')",
            " or ".join(["1"] * 500),
            "9" * 5000,
            "${" + "a" * 3000 + "}",
        ]
    ),
)

VALUES = st.one_of(SCALARS, HUGE_TEXT, nested(), EXPRESSIONS, st.just({"en": "only english"}))


@st.composite
def mutated_documents(draw: st.DrawFn) -> dict[str, Any]:
    doc = copy.deepcopy(VALID)
    for _ in range(draw(st.integers(1, 4))):
        paths = [path for path in _paths(doc) if path]
        path = draw(st.sampled_from(paths))
        parent = _get(doc, path[:-1])
        key = path[-1]
        action = draw(st.sampled_from(["delete", "replace", "duplicate", "expression", "deepen"]))
        if action == "delete":
            del parent[key]
        elif action == "replace":
            parent[key] = draw(VALUES)
        elif action == "duplicate" and isinstance(parent, list):
            parent.insert(key, copy.deepcopy(parent[key]))  # duplicated names, ids, options
        elif action == "expression":
            # skip logic and constraints of a question that is still there, else any value
            targets = [path for path in paths if path[-1:] in (("relevant",), ("constraint",))]
            targets += [
                (*path, field)
                for path in paths
                if len(path) == 4 and path[2] == "questions"
                for field in ("relevant", "constraint")
                if isinstance(_get(doc, path), dict)
            ]
            if targets:
                target = draw(st.sampled_from(targets))
                _get(doc, target[:-1])[target[-1]] = draw(EXPRESSIONS)
            else:
                parent[key] = draw(EXPRESSIONS)
        else:
            depth = draw(st.integers(1, 80))
            value: Any = parent[key]
            for _ in range(depth):
                value = [value] if draw(st.booleans()) else {"k": value}
            parent[key] = value
    return doc


def _dump(doc: object) -> bytes:
    return yaml.safe_dump(doc, allow_unicode=True, sort_keys=False, width=10_000).encode("utf-8")


def _representable(value: object) -> object:
    """The document with what YAML's safe dumper cannot write (bytes, sets, Decimals ...) made into text."""
    if isinstance(value, dict):
        return {str(k): _representable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_representable(v) for v in value]
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


@settings(max_examples=100)
@given(mutated_documents())
def test_mutated_documents_give_a_report(doc: dict[str, Any]) -> None:
    with _file("fw.yaml", _dump(_representable(doc))) as path:
        _check_all_entry_points(path)


@settings(max_examples=60)
@given(
    st.dictionaries(
        st.sampled_from(["govlens_framework", "id", "version", "title", "choices", "sections", "indicators", "x"]),
        nested(max_leaves=12),
        max_size=6,
    )
    | nested()
)
def test_random_documents_give_a_report(doc: object) -> None:
    with _file("fw.yaml", _dump(_representable(doc))) as path:
        _check_all_entry_points(path)


VALID_TEXT = _dump(VALID)


@settings(max_examples=100)
@given(damaged(VALID_TEXT) | st.binary(max_size=256))
def test_damaged_yaml_bytes_give_a_report(data: bytes) -> None:
    with _file("fw.yml", data) as path:
        _check_all_entry_points(path)


@pytest.mark.parametrize(
    "text",
    [
        "a: &a [x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n"
        "d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: [*e,*e,*e,*e,*e,*e,*e,*e,*e]\n",
        "a: &a [*a]\n",
        "id: !!python/object/apply:os.system ['echo owned']\n",
        "id: !!binary '@@@'\n",
        "? [a, b]\n: 1\nid: x\n",
        "~: 1\n",
        "<<: {id: x}\n",
        "id: x\x00\n",
        "\ufeffid: fuzz\n",
        "- just\n- a list\n",
        "42\n",
        "---\nid: a\n---\nid: b\n",
    ],
    ids=[
        "alias-bomb",
        "self-alias",
        "python-tag",
        "bad-binary",
        "complex-key",
        "null-key",
        "merge-key",
        "nul-byte",
        "bom",
        "top-level-list",
        "top-level-scalar",
        "two-documents",
    ],
)
def test_hostile_yaml_gives_a_report(text: str) -> None:
    with _file("fw.yaml", text.encode("utf-8")) as path:
        report = validate(path)
        _assert_report(report)
        assert not report.valid
        assert catalogue.load_result(path).report.codes() == report.codes()


def test_non_utf8_yaml_is_named() -> None:
    with _file("fw.yaml", "id: fuzz\ntitle: café\n".encode("utf-16")) as path:
        report = validate(path)
        assert report.codes() == ["unreadable_file"]
        assert "UTF-8" in report.problems[0].message


# -- found by the fuzzing and fixed since: kept as regression tests ----------------------------------------
@pytest.mark.parametrize(
    ("scalar", "said"),
    [
        ("2020-13-45", "'2020-13-45' is not a valid timestamp"),
        ("2020-02-30 10:00:00", "'2020-02-30 10:00:00' is not a valid timestamp"),
        ("!!float abc", "'abc' is not a valid float"),
        ("!!int abc", "'abc' is not a valid int"),
        ("9" * 5000, "more digits than Python reads"),
    ],
    ids=["bad-date", "bad-timestamp", "float-tag", "int-tag", "int-over-4300-digits"],
)
def test_scalar_that_does_not_construct_is_a_located_problem(scalar: str, said: str) -> None:
    report = read_yaml_text(f"govlens_framework: 1\nid: fuzz\nversion: {scalar}\n", "fw.yaml").report
    problems = [p for p in report.problems if p.code == "yaml_syntax"]
    assert len(problems) == 1
    assert problems[0].row == 3  # the line of the value
    assert said in problems[0].message
    assert str(problems[0]).startswith("fw.yaml:3: yaml_syntax: ")


@pytest.mark.parametrize("text", ["a: " + "[" * 3000 + "]" * 3000, "a: " + "{a: " * 3000 + "1" + "}" * 3000])
def test_deeply_nested_yaml_is_refused(text: str) -> None:
    report = read_yaml_text(text).report
    assert report.codes() == ["yaml_syntax"]
    assert "nested more than 64 levels" in report.problems[0].message
    assert report.problems[0].row == 1


def test_nesting_up_to_the_limit_is_read() -> None:
    # 64 levels of lists under a key: a path of 65 keys and indices, which the walker accepts
    text = "a: " + "[" * 63 + "1" + "]" * 63 + "\n"
    assert "yaml_syntax" not in read_yaml_text(text).report.codes()
    text = "a: " + "[" * 64 + "1" + "]" * 64 + "\n"
    assert "yaml_syntax" in read_yaml_text(text).report.codes()


# found by the fuzzing (OverflowError from _Builder.number) and fixed in yaml_io since: kept as a regression
@pytest.mark.parametrize(
    "text",
    [
        "govlens_framework: " + "1" * 400 + "\nid: fuzz\n",
        "id: fuzz\nindicators:\n  - {id: A, weight: " + "9" * 400 + "}\n",
    ],
    ids=["format-version", "weight"],
)
def test_integer_past_the_float_range_is_a_problem(text: str) -> None:
    report = read_yaml_text(text).report
    assert {"invalid_value", "invalid_weight"} & set(report.codes())


# -- workbooks ---------------------------------------------------------------------------------------------
def _workbook_bytes() -> bytes:
    framework = read_yaml_text(VALID_TEXT.decode()).framework
    assert framework is not None
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "fw.xlsx"
        write_workbook(framework, path)
        return path.read_bytes()


WORKBOOK = _workbook_bytes()


def test_the_starting_workbook_is_valid() -> None:
    with _file("fw.xlsx", WORKBOOK) as path:
        report = validate(path)
        assert report.valid, [str(p) for p in report]


@settings(max_examples=40)
@given(damaged(WORKBOOK))
def test_damaged_xlsx_bytes_give_a_report(data: bytes) -> None:
    with _file("fw.xlsx", data) as path:
        _check_all_entry_points(path)


def _zip_without(data: bytes, member: str) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            if info.filename != member:
                target.writestr(info, source.read(info.filename))
    return out.getvalue()


def _zip_replacing(data: bytes, member: str, content: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            target.writestr(info, content if info.filename == member else source.read(info.filename))
    return out.getvalue()


MEMBERS = sorted(zipfile.ZipFile(io.BytesIO(WORKBOOK)).namelist())


@settings(max_examples=30)
@given(
    st.sampled_from(MEMBERS),
    st.one_of(st.none(), st.binary(max_size=64), st.just(b"<?xml version='1.0'?><worksheet/>"), st.just(b"<a")),
)
def test_workbook_with_a_broken_part_gives_a_report(member: str, content: bytes | None) -> None:
    data = _zip_without(WORKBOOK, member) if content is None else _zip_replacing(WORKBOOK, member, content)
    with _file("fw.xlsx", data) as path:
        _check_all_entry_points(path)


CELL_VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**15), 10**15),
    st.floats(allow_nan=False, allow_infinity=False),
    st.datetimes(min_value=datetime.datetime(1900, 3, 1)),
    HOSTILE_TEXT.map(lambda text: openpyxl.cell.cell.ILLEGAL_CHARACTERS_RE.sub("", text)),
    st.sampled_from(["#DIV/0!", "#N/A", "=1/0", "=SUM(A1:A2)", "x" * 32_000]),
)
SHEETS = ["survey", "choices", "settings", "scoring", "indicators"]


@st.composite
def workbook_edits(draw: st.DrawFn) -> list[tuple[str, Any]]:
    edits: list[tuple[str, Any]] = []
    for _ in range(draw(st.integers(1, 5))):
        kind = draw(st.sampled_from(["cell", "header", "drop_sheet", "rename_sheet", "duplicate_row", "empty_sheet"]))
        sheet = draw(st.sampled_from(SHEETS))
        if kind == "cell":
            edits.append((kind, (sheet, draw(st.integers(1, 12)), draw(st.integers(1, 12)), draw(CELL_VALUES))))
        elif kind == "header":
            edits.append((kind, (sheet, draw(st.integers(1, 12)), draw(CELL_VALUES))))
        elif kind == "rename_sheet":
            edits.append((kind, (sheet, draw(st.sampled_from(["Survey ", "SURVEY", "x", "choices ", "Sheet1"])))))
        elif kind == "duplicate_row":
            edits.append((kind, (sheet, draw(st.integers(2, 8)))))
        else:
            edits.append((kind, sheet))
    return edits


def _apply(edits: list[tuple[str, Any]], path: Path) -> None:
    book = openpyxl.load_workbook(io.BytesIO(WORKBOOK))
    for kind, arg in edits:
        sheet_name = arg if isinstance(arg, str) else arg[0]
        if sheet_name not in book.sheetnames:
            continue
        ws = book[sheet_name]
        if kind == "cell":
            _, row, column, value = arg
            ws.cell(row=row, column=column, value=value)
        elif kind == "header":
            _, column, value = arg
            ws.cell(row=1, column=column, value=value)
        elif kind == "drop_sheet":
            book.remove(ws)
        elif kind == "rename_sheet" and arg[1] not in book.sheetnames:
            ws.title = arg[1]
        elif kind == "duplicate_row":
            row = [cell.value for cell in ws[arg[1]]]
            ws.append(row)
        elif kind == "empty_sheet":
            book.remove(ws)
            book.create_sheet(sheet_name)
    if not book.sheetnames:
        book.create_sheet("empty")
    book.save(path)


@settings(max_examples=30)
@given(workbook_edits())
def test_mutated_workbooks_give_a_report(edits: list[tuple[str, Any]]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "fw.xlsx"
        _apply(edits, path)
        _check_all_entry_points(path)


def _xls_header() -> bytes:
    return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


@settings(max_examples=40)
@given(st.binary(max_size=2048).map(lambda junk: _xls_header() + junk) | st.binary(max_size=256))
def test_xls_garbage_gives_a_report(data: bytes) -> None:
    with _file("fw.xls", data) as path:
        report = validate(path)
        _assert_report(report)
        assert not report.valid
        _check_all_entry_points(path)


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("fw.xlsx", b""),
        ("fw.xlsx", b"id,parent\nIDX,\n"),
        ("fw.xlsx", b"<!DOCTYPE html><html><body>502 Bad Gateway</body></html>"),
        ("fw.xlsx", b"PK\x03\x04" + b"\0" * 100),
        ("fw.xls", b"PK\x03\x04" + b"\0" * 100),
        ("fw.json", b"{}"),
        ("fw", b"id: fuzz\n"),
    ],
    ids=["empty", "csv", "html", "zip-header-only", "xls-that-is-zip", "json", "no-extension"],
)
def test_wrong_content_for_the_extension_is_named(name: str, data: bytes) -> None:
    with _file(name, data) as path:
        report = validate(path)
        assert not report.valid
        assert report.errors[0].code in {"unreadable_file", "unknown_file_type"}
        assert report.errors[0].path == str(path)
        _check_all_entry_points(path)


def test_a_folder_and_a_missing_file_are_reported() -> None:
    with tempfile.TemporaryDirectory() as folder:
        for path in (Path(folder) / "dir.yaml", Path(folder) / "missing.xlsx"):
            if path.suffix == ".yaml":
                path.mkdir()
            report = validate(path)
            assert report.codes() == ["unreadable_file"]
            result = catalogue.load_result(path)
            assert result.framework is None and not result.report.valid
            with pytest.raises((catalogue.FrameworkNotFound, catalogue.FrameworkInvalid)):
                catalogue.load(path)


@settings(max_examples=60)
@given(HOSTILE_TEXT)
def test_random_names_are_not_found_cleanly(name: str) -> None:
    result = catalogue.load_result(name)
    _assert_report(result.report)
    if result.framework is None:
        assert not result.report.valid


@pytest.mark.parametrize("name", ["x" * 5000, "x" * 5000 + ".yaml"], ids=["name", "file-name"])
def test_name_longer_than_the_file_system_allows(name: str) -> None:
    result = catalogue.load_result(name)
    assert result.report.codes() in (["framework_not_found"], ["unreadable_file"])
    with pytest.raises(catalogue.FrameworkNotFound):
        catalogue.load(name)


# -- real XLSForms ($GOVLENS_XLSFORM_CORPUS, pyxform's example forms), damaged -----------------------------
CORPUS = Path(os.environ.get("GOVLENS_XLSFORM_CORPUS", "/nonexistent-corpus"))
CORPUS_FORMS = sorted(p for p in CORPUS.glob("*.xls*") if p.suffix in (".xls", ".xlsx")) if CORPUS.is_dir() else []
needs_corpus = pytest.mark.skipif(not CORPUS_FORMS, reason="GOVLENS_XLSFORM_CORPUS is not set or holds no forms")
CORPUS_VALUES = st.one_of(
    CELL_VALUES,
    st.sampled_from(["begin group", "end repeat", "select_one nope", "select_multiple", "${", "label::Xx (xx)"]),
)


@needs_corpus
@settings(max_examples=30)
@given(st.sampled_from(CORPUS_FORMS or [Path("none.xlsx")]), st.data())
def test_damaged_real_forms_give_a_report(form: Path, data: st.DataObject) -> None:
    raw = form.read_bytes()
    if form.suffix == ".xls" or data.draw(st.booleans()):
        damaged_bytes = data.draw(damaged(raw))
    else:
        book = openpyxl.load_workbook(io.BytesIO(raw))
        for _ in range(data.draw(st.integers(1, 6))):
            sheet = book.worksheets[data.draw(st.integers(0, len(book.worksheets) - 1))]
            row = data.draw(st.integers(1, min(sheet.max_row + 1, 20)))
            column = data.draw(st.integers(1, min(sheet.max_column + 1, 10)))
            sheet.cell(row=row, column=column, value=data.draw(CORPUS_VALUES))
        out = io.BytesIO()
        book.save(out)
        damaged_bytes = out.getvalue()
    with _file(form.name, damaged_bytes) as path:
        report = validate(path)
        _assert_report(report)
        result = catalogue.load_result(path)
        assert result.framework is not None or not result.report.valid


@pytest.mark.parametrize("name", ["a\x00b.yaml", "a\x00b.xlsx"], ids=["yaml", "xlsx"])
def test_path_with_a_nul_character(name: str) -> None:
    report = validate(name)
    assert report.codes() == ["unreadable_file"]
    assert "NUL character" in report.problems[0].message
    assert catalogue.load_result(name).report.codes() == ["unreadable_file"]


@pytest.mark.parametrize("name", ["~nosuchuser", "~nosuchuser/fw.yaml"])
def test_tilde_name_of_an_unknown_user(name: str) -> None:
    assert catalogue.load_result(name).report.codes() == ["framework_not_found"]
    with pytest.raises(catalogue.FrameworkNotFound, match="home folder of user 'nosuchuser' is unknown"):
        catalogue.load(name)
