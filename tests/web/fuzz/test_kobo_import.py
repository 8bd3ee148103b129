"""The Kobo/ODK import (govlens/web/collection/submissions.py and services.submissions_import) on hostile files.

Random bytes, CSV in every encoding, delimiter and line ending a person or a program may produce, tables of
hostile cells, damaged XLSX exports. Whatever arrives, the import either saves answers that pass the
framework's checks, or refuses with problems that name the row and column (the file, for a file that cannot
be read) and writes nothing; a dry run never writes, and says exactly what the real import then does.
"""

from __future__ import annotations

import codecs
import csv
import io
import time
from typing import Any

from hypothesis import example, given, note, settings
from hypothesis import strategies as st
from hypothesis.control import currently_in_test_context
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from typer.testing import CliRunner

from govlens.cli import app
from govlens.web.collection.models import Response
from govlens.web.collection.selectors import response_answers
from govlens.web.collection.services import ImportOutcome, submissions_import
from govlens.web.cycles.frameworks import cycle_framework
from govlens.web.errors import Invalid
from tests.fuzz.strategies import HOSTILE_TEXT, HUGE_TEXT, SCALARS, damaged

from ..conftest import World
from . import (
    AWKWARD_TEXT,
    QUESTIONS,
    VALID_ANSWERS,
    assert_clear,
    assert_valid_answers,
    database_state,
    examples,
    rolled_back,
)

CYCLE = "lac-2026"
FILE_LEVEL = {"unreadable_file", "empty_file"}
KOBO_CSV = (
    b"start;end;country;governance/org_exists;governance/org_year;services/channels;services/channels/web;"
    b"services/channels/mobile;services/staff;_id;_uuid;_submission_time\n"
    b"2026-03-01;2026-03-02;ARG;yes;2014;web mobile;1;1;35;101;u-1;2026-03-02T10:00:00\n"
    b"2026-03-01;2026-03-03;bra;no;;web;1;0;;102;u-2;2026-03-03T11:00:00\n"
)


def _xlsx(rows: list[list[Any]], *, formulas: bool = True) -> bytes:
    """A workbook of one sheet; with ``formulas=False`` a text starting with '=' stays text, as an export has it."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    if not formulas:
        for cells in sheet.iter_rows():
            for cell in cells:
                if cell.data_type == "f":
                    cell.data_type = "s"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


KOBO_XLSX = _xlsx(
    [
        ["start", "country", "governance/org_exists", "services/channels", "services/staff", "notes", "_id"],
        ["2026-03-01", "ARG", "yes", "web counter", 35, "fine", 101],
        ["2026-03-01", "BRA", "no", "mobile", None, None, 102],
    ]
)


# -- checks ------------------------------------------------------------------------------------------------
def _assert_clear(problems: list[dict[str, Any]], filename: str) -> None:
    for problem in assert_clear(problems, filename, FILE_LEVEL):
        assert isinstance(problem["row"], int) and problem["row"] >= 1, problem


def _stored() -> dict[str, dict[str, Any]]:
    return {r.country.iso3: response_answers(r) for r in Response.objects.select_related("country")}


def _import(world: World, data: bytes, filename: str) -> ImportOutcome | None:
    """A dry run, then the import itself: both refuse alike, or the dry run foretells the import exactly.
    Nothing is written by the dry run nor by a refusal; what the import saves passes the framework's checks."""
    before = database_state()
    try:
        dry = submissions_import(actor=None, cycle_slug=CYCLE, data=data, filename=filename, dry_run=True)
    except Invalid as error:
        _assert_clear(error.problems, filename)
        assert database_state() == before, "a refused dry run wrote to the database"
        refused = error.problems
        dry = None
    else:
        assert database_state() == before, "a dry run wrote to the database"
    try:
        outcome = submissions_import(actor=None, cycle_slug=CYCLE, data=data, filename=filename)
    except Invalid as error:
        if currently_in_test_context():
            note(f"refused: {error.problems}")
        assert dry is None, "the dry run passed but the import was refused"
        assert error.problems == refused
        assert database_state() == before, "a refused import wrote to the database"
        return None
    assert dry is not None, "the dry run refused what the import took"
    assert outcome.changed == dry.changed
    framework = cycle_framework(world.cycle)
    for answers in _stored().values():
        assert_valid_answers(framework, answers)
    return outcome


# -- random and damaged files ------------------------------------------------------------------------------
FILENAMES = st.sampled_from(["kobo.csv", "odk.CSV", "export.xlsx", "export.XLSM", "submissions.txt", "noext"])


def test_random_bytes_are_refused_clearly(world: World) -> None:
    @settings(max_examples=examples(60))
    @given(data=st.one_of(st.binary(max_size=600), damaged(KOBO_CSV), damaged(KOBO_XLSX)), filename=FILENAMES)
    @example(data=b"", filename="kobo.csv")
    @example(data=b"", filename="export.xlsx")
    @example(data=codecs.BOM_UTF8, filename="kobo.csv")
    @example(data="country;staff\nARG;3\n".encode("utf-16"), filename="kobo.csv")  # Excel's "Unicode text"
    @example(data="country,notes\nARG,café\n".encode("cp1252"), filename="kobo.csv")  # not UTF-8: said so
    @example(data=b"country,staff\rARG,3\r", filename="kobo.csv")  # old Mac line ends were refused
    @example(data=b"country,notes\nARG,a\x00b\n", filename="kobo.csv")  # NUL: PostgreSQL refuses it in text
    @example(data=b'country,notes\nARG,"' + b"x" * 200_000 + b'"\n', filename="kobo.csv")  # over csv's limit
    @example(data=KOBO_XLSX, filename="kobo.csv")  # a workbook named .csv
    @example(data=KOBO_CSV, filename="export.xlsx")
    def check(data: bytes, filename: str) -> None:
        with rolled_back():
            _import(world, data, filename)

    check()


def test_the_example_exports_import(world: World) -> None:
    """The two genuine exports the fuzzing starts from do import (so the damaged ones test something)."""
    with rolled_back():
        assert _import(world, KOBO_CSV, "kobo.csv") is not None
        assert _stored()["ARG"] == {"org_exists": "yes", "org_year": 2014, "channels": ["web", "mobile"], "staff": 35}
    with rolled_back():
        assert _import(world, KOBO_XLSX, "kobo.xlsx") is not None
        assert _stored()["BRA"] == {"org_exists": "no", "channels": ["mobile"]}


# -- tables of hostile cells -------------------------------------------------------------------------------
HEADERS = st.sampled_from(
    [
        "country",
        "Country",
        "meta/country",
        "g/country",
        *QUESTIONS,
        *(f"group/{name}" for name in QUESTIONS),
        "services/channels/web",
        "start",
        "_id",
        "_submission_time",
        "",
        " staff ",
        "x" * 300,
    ]
)
CELLS: st.SearchStrategy[object] = st.one_of(
    st.sampled_from(["ARG", "arg", " BRA ", "BRA", "XXX", "", "Argentina"]),
    st.sampled_from(["yes", "no", "web mobile", "web,fax", "1990", "1989", "-1", "12.5", "1,000", "https://a.example"]),
    AWKWARD_TEXT,
    HOSTILE_TEXT,
    SCALARS,
    HUGE_TEXT,
)


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return str(value)


def _csv(rows: list[list[object]], delimiter: str, terminator: str, quoting: Any) -> str:
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=delimiter, lineterminator=terminator, quoting=quoting)
    writer.writerows([[_text(cell) for cell in row] for row in rows])
    return out.getvalue()


ENCODINGS = st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1252", "latin-1"])
DELIMITERS = st.sampled_from([",", ";", "\t", "|"])
TERMINATORS = st.sampled_from(["\n", "\r\n", "\r"])
QUOTING = st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_ALL])


def _storable(value: object) -> object:
    """A value openpyxl can write to a cell, or its text."""
    if isinstance(value, bool | int | float | str) or value is None:
        if isinstance(value, int) and abs(value) > 10**300:
            return str(value)
        return ILLEGAL_CHARACTERS_RE.sub("", value) if isinstance(value, str) else value
    return ILLEGAL_CHARACTERS_RE.sub("", _text(value))


def _rows_under(header: list[str]) -> st.SearchStrategy[list[list[object]]]:
    """A header and up to four rows of about as many cells (one fewer or one more now and then)."""
    row = st.lists(CELLS, min_size=max(0, len(header) - 1), max_size=len(header) + 1)
    return st.lists(row, max_size=4).map(lambda rows: [[*header], *rows])


TABLES = st.lists(HEADERS, min_size=1, max_size=6).flatmap(_rows_under)


def test_tables_of_hostile_cells(world: World) -> None:
    @settings(max_examples=examples(80))
    @given(
        rows=TABLES,
        form=st.one_of(
            st.tuples(st.just("csv"), ENCODINGS, DELIMITERS, TERMINATORS, QUOTING),
            st.tuples(st.just("xlsx")),
        ),
    )
    @example(rows=[["country", "staff", "notes"], ["ARG", "3", "hello", " world"]], form=("csv", "utf-8", ",", "\n", 0))
    @example(rows=[["country", "g1/staff", "g2/staff"], ["ARG", "3", "4"]], form=("csv", "utf-8", ",", "\n", 0))
    @example(rows=[["country", "meta/country", "staff"], ["ARG", "BRA", "4"]], form=("csv", "utf-8", ";", "\n", 0))
    @example(rows=[["country", "notes"], ["A" * 5000, "x"]], form=("csv", "utf-8", ",", "\n", 0))
    @example(rows=[["country", "notes"], ["ARG", "a\x01b"]], form=("csv", "utf-8", ",", "\n", 0))
    @example(rows=[["country", "staff"], ["ARG", "=1+1"]], form=("xlsx",))
    @example(rows=[["country", "channels"], ["ARG", "web " + "x" * 5000]], form=("xlsx",))  # quoted whole
    @example(rows=[["country", "strategy_url"], ["ARG", "x" * 5000]], form=("xlsx",))
    def check(rows: list[list[object]], form: tuple[Any, ...]) -> None:
        if form[0] == "xlsx":
            data, filename = _xlsx([[_storable(cell) for cell in row] for row in rows]), "export.xlsx"
        else:
            _kind, encoding, delimiter, terminator, quoting = form
            text = _csv(rows, delimiter, terminator, quoting)
            data, filename = text.encode(encoding, errors="replace"), "export.csv"
        with rolled_back():
            _import(world, data, filename)

    check()


# -- valid exports, however written, import exactly --------------------------------------------------------
def _cell(value: Any) -> str:
    """An answer as an export writes it: options space-separated, numbers in full."""
    if isinstance(value, list):
        return " ".join(value)
    if isinstance(value, float):
        return repr(value)
    return str(value)


def _line_feeds(by_country: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {
        iso3: {k: v.replace("\r\n", "\n") if isinstance(v, str) else v for k, v in answers.items()}
        for iso3, answers in by_country.items()
    }


def test_valid_exports_import_exactly(world: World) -> None:
    @settings(max_examples=examples(50))
    @given(
        submissions=st.dictionaries(st.sampled_from(["ARG", "BRA"]), VALID_ANSWERS, min_size=1).filter(
            lambda submissions: any(submissions.values())  # an export has at least one question column
        ),
        prefix=st.sampled_from(["", "group/", "a/b/"]),
        form=st.one_of(
            st.tuples(
                st.just("csv"),
                st.sampled_from(["utf-8", "utf-8-sig", "utf-16"]),
                DELIMITERS.filter(lambda d: d != "|"),
                TERMINATORS,
                QUOTING,
            ),
            st.tuples(st.just("xlsx")),
        ),
        lowercase=st.booleans(),
    )
    @example(  # a text answer holding the other delimiters: csv.Sniffer guessed ';' for this comma file
        submissions={"ARG": {"notes": 'say "hi"; a,b'}}, prefix="", form=("csv", "utf-8", ",", "\n", 0), lowercase=False
    )
    # rows ending in "\r" alone (old Mac exports) were unreadable: "new-line character seen in unquoted field"
    @example(submissions={"BRA": {"notes": "a\nb"}}, prefix="", form=("csv", "utf-8", ",", "\r", 1), lowercase=True)
    def check(submissions: dict[str, dict[str, Any]], prefix: str, form: tuple[Any, ...], lowercase: bool) -> None:
        names = [name for name in QUESTIONS if any(name in answers for answers in submissions.values())]
        header = ["start", "country", *(prefix + name for name in names), "_id"]
        rows: list[list[Any]] = [header]
        for number, (iso3, answers) in enumerate(sorted(submissions.items())):
            country = iso3.lower() if lowercase else iso3
            rows.append(["2026-03-01", country, *(answers.get(name) for name in names), number])
        if form[0] == "xlsx":
            data, filename = _xlsx([[_xlsx_cell(v) for v in row] for row in rows], formulas=False), "export.xlsx"
            # whether a carriage return survives a workbook's XML depends on openpyxl's XML library (lxml keeps it,
            # the standard library's parser reads it as a line feed): compare line breaks as line feeds
            submissions = _line_feeds(submissions)
        else:
            _kind, encoding, delimiter, terminator, quoting = form
            if terminator == "\r":
                quoting = csv.QUOTE_ALL  # Python's writer leaves a "\n" unquoted when rows end with "\r" alone
            text = _csv(
                [[("" if v is None else _cell(v)) for v in row] for row in rows], delimiter, terminator, quoting
            )
            data, filename = text.encode(encoding), "export.csv"
        with rolled_back():
            outcome = _import(world, data, filename)
            assert outcome is not None, "a valid export was refused"
            stored = _stored() if form[0] != "xlsx" else _line_feeds(_stored())
            for iso3, answers in submissions.items():
                assert stored[iso3] == answers, iso3

    check()


def _xlsx_cell(value: Any) -> Any:
    """A cell as a spreadsheet export holds it: a number when a number cell keeps it exactly, else text."""
    if isinstance(value, list) or (isinstance(value, int) and abs(value) >= 10**15):
        return _cell(value)
    if isinstance(value, float) and float(f"{value:.15g}") != value:
        return repr(value)
    return value


# -- the command line --------------------------------------------------------------------------------------
def test_the_import_command_never_shows_a_traceback(world: World, tmp_path: Any) -> None:
    runner = CliRunner()

    @settings(max_examples=examples(25))
    @given(
        data=st.one_of(st.binary(max_size=300), damaged(KOBO_CSV), damaged(KOBO_XLSX)),
        name=st.sampled_from(["kobo.csv", "kobo.xlsx"]),
        dry_run=st.booleans(),
    )
    @example(data=b"country,notes\nARG,a\x00b\n", name="kobo.csv", dry_run=False)
    @example(data=b"\xff\xfe\x00", name="kobo.csv", dry_run=True)
    def check(data: bytes, name: str, dry_run: bool) -> None:
        path = tmp_path / name
        path.write_bytes(data)
        with rolled_back():
            before = database_state()
            result = runner.invoke(app, ["cycle", "import", CYCLE, str(path), *(["--dry-run"] if dry_run else [])])
            assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
            assert "Traceback" not in result.output
            assert result.exit_code in (0, 1), result.output
            if result.exit_code == 1:
                assert result.output.strip()
            if dry_run or result.exit_code == 1:
                assert database_state() == before

    check()


def test_a_zip_bomb_export_is_refused_quickly(world: World) -> None:
    import zipfile

    with zipfile.ZipFile(io.BytesIO(KOBO_XLSX)) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    sheet = parts["xl/worksheets/sheet1.xml"].decode()
    padding = "<row/>" * (200 * 1024 * 1024 // 6)
    parts["xl/worksheets/sheet1.xml"] = sheet.replace("</sheetData>", padding + "</sheetData>").encode()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    started = time.monotonic()
    with rolled_back():
        assert _import(world, out.getvalue(), "bomb.xlsx") is None
    assert time.monotonic() - started < 5
