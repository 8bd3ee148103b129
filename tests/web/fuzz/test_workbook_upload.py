"""The offline workbook upload (govlens/web/collection/workbook.py) on random and damaged workbooks.

Every example starts from a workbook really downloaded from the platform, damages it (cells of the wrong type,
formulas, huge text, unknown or repeated questions, sheets or headers removed, the zip or its XML broken) and
uploads it. Whatever arrives, the upload either gives a diff, whose acceptance stores only answers that pass
the framework's checks, or refuses with problems that name the sheet and the row or question (the whole file
for a file that is not a workbook). A refused upload, like the diff itself, writes nothing at all.
"""

from __future__ import annotations

import datetime
import io
import json
import re
import struct
import time
import zipfile
from decimal import Decimal
from fractions import Fraction
from typing import Any

from django.test import Client
from django.utils.html import escape
from hypothesis import example, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from govlens.web.collection.models import Response
from govlens.web.collection.selectors import response_answers, response_workbook
from govlens.web.collection.services import WorkbookDiff, response_save, response_workbook_diff
from govlens.web.collection.workbook import META_SHEET, SHEET
from govlens.web.cycles.frameworks import cycle_framework
from govlens.web.errors import Conflict, Invalid
from tests.fuzz.strategies import HUGE_TEXT, SCALARS, damaged

from ..conftest import PASSWORD, World
from . import (
    AWKWARD_TEXT,
    PLAIN_TEXT,
    QUESTIONS,
    VALID_ANSWERS,
    assert_clear,
    assert_valid_answers,
    database_state,
    examples,
    rolled_back,
)

CYCLE = "lac-2026"
PAGE = f"/cycles/{CYCLE}/responses/ARG/"
# Problems about the whole file: they name the file instead of a sheet and row.
FILE_LEVEL = {"unreadable_file", "missing_sheet", "too_large"}


# -- checks ------------------------------------------------------------------------------------------------
def _assert_clear(problems: list[dict[str, Any]], filename: str) -> None:
    for problem in assert_clear(problems, filename, FILE_LEVEL):
        assert problem["sheet"] in (SHEET, META_SHEET), problem
        if problem["sheet"] == SHEET:
            assert problem["row"] or problem["question"], problem


def _upload(world: World, data: bytes, filename: str = "filled.xlsx") -> WorkbookDiff | None:
    """The diff of an upload, or None when refused; either way nothing is written."""
    before = database_state()
    try:
        diff = response_workbook_diff(
            actor=world.users["focal_arg"], cycle_slug=CYCLE, iso3="ARG", data=data, filename=filename
        )
    except Invalid as error:
        _assert_clear(error.problems, filename)
        assert database_state() == before, "a refused upload wrote to the database"
        return None
    assert database_state() == before, "computing the diff wrote to the database"
    return diff


def _accept(world: World, diff: WorkbookDiff) -> None:
    """Accept a diff as the page does (its payload travels as JSON); what is stored passes every check."""
    payload = json.loads(json.dumps(diff.payload(), ensure_ascii=False))
    response = Response.objects.get(cycle__slug=CYCLE, country__iso3="ARG")
    before = database_state()
    try:
        response_save(actor=world.users["focal_arg"], cycle_slug=CYCLE, iso3="ARG", version=diff.version, **payload)
    except Conflict:
        assert diff.version != response.version  # only a workbook whose version was edited is stale
        assert database_state() == before
        return
    stored = response_answers(Response.objects.get(pk=response.pk))
    assert_valid_answers(cycle_framework(world.cycle), stored)
    for change in diff.changes:  # what the diff showed is what was saved
        if change.field == "value":
            assert stored.get(change.question) == change.new, change


def _base(world: World) -> bytes:
    """A workbook as the focal point downloads it, of a response with some answers already saved."""
    response_save(
        actor=world.users["focal_arg"],
        cycle_slug=CYCLE,
        iso3="ARG",
        version=0,
        answers={"org_exists": "yes", "org_year": 2004, "channels": ["web"], "staff": 7, "notes": "=old"},
        comments={"staff": "headcount"},
        evidence_urls={"budget": ["https://example.org/budget.pdf"]},
    )
    client = Client()
    assert client.login(username="focal_arg", password=PASSWORD)
    reply = client.get(f"{PAGE}workbook.xlsx?lang=en")
    assert reply.status_code == 200
    return bytes(reply.content)


# -- damaging a workbook -----------------------------------------------------------------------------------
# Any text a database column holds (NUL is refused by PostgreSQL before any workbook is made).
ANY_TEXT = st.text(st.characters(codec="utf-8", exclude_characters="\x00"), max_size=20)
CELL_TEXT = st.sampled_from(
    [
        "=1+1",
        "=A1",
        "=1/0",
        "=SUM(G2:G8)",
        "=NA()",
        "yes",
        "no",
        "maybe",
        "web mobile",
        "web,fax",
        "web web",
        "1990",
        "1989",
        "2012.0",
        "-3",
        "12.5",
        "1e3",
        "https://example.org",
        "ftp://example.org",
        "https://a.example\nnot a url",
        "#N/A",
        "#DIV/0!",
        *QUESTIONS,
        "ORG_EXISTS",
        " staff ",
    ]
)
CELL_VALUES: st.SearchStrategy[object] = st.one_of(
    SCALARS, HUGE_TEXT, CELL_TEXT, st.timedeltas(), st.integers(-(10**20), 10**20)
)


def _storable(value: object) -> object:
    """What openpyxl can put in a cell: the illegal XML characters removed, other types as text."""
    if isinstance(value, bytes):
        value = value.decode("utf-8", "replace")
    if isinstance(value, Fraction):
        value = float(value)
    if isinstance(value, Decimal) and not value.is_finite():
        value = str(value)
    if isinstance(value, datetime.datetime | datetime.time) and value.tzinfo is not None:
        value = value.replace(tzinfo=None)
    if isinstance(value, int) and abs(value) > 10**300:
        value = str(value)  # openpyxl writes numbers through float
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
    return value


Edit = tuple[Any, ...]
SHEETS = st.sampled_from([SHEET, META_SHEET])
CELL_EDITS: st.SearchStrategy[Edit] = st.one_of(
    st.tuples(st.just("set"), st.just(SHEET), st.integers(1, 10), st.integers(1, 11), CELL_VALUES),
    st.tuples(st.just("set"), st.just(SHEET), st.integers(2, 9), st.just(7), CELL_VALUES),  # the answer column
    st.tuples(st.just("set"), st.just(META_SHEET), st.integers(1, 6), st.integers(1, 3), CELL_VALUES),
    st.tuples(st.just("copy_row"), st.integers(1, 9), st.integers(2, 12)),
)
SHAPE_EDITS: st.SearchStrategy[Edit] = st.one_of(
    st.tuples(st.just("delete_rows"), SHEETS, st.integers(1, 9), st.integers(1, 3)),
    st.tuples(st.just("delete_cols"), SHEETS, st.integers(1, 10)),
    st.tuples(st.just("insert_cols"), SHEETS, st.integers(1, 10)),
    st.tuples(st.just("remove_sheet"), SHEETS),
    st.tuples(st.just("add_sheet"), st.sampled_from([SHEET, META_SHEET, "Sheet", "questionnaire ", "x" * 31])),
    st.tuples(st.just("rename_sheet"), SHEETS, st.sampled_from(["Questionnaire", "GOVLENS", "answers"])),
    st.tuples(st.just("move_sheet"), SHEETS, st.integers(-2, 2)),
    st.tuples(st.just("clear"), SHEETS),
)
# Cells typed over; or the workbook's shape changed first (a sheet, row or column gone), then cells typed over.
EDITS: st.SearchStrategy[list[Edit]] = st.one_of(
    st.lists(CELL_EDITS, min_size=1, max_size=5),
    st.tuples(st.lists(SHAPE_EDITS, min_size=1, max_size=2), st.lists(CELL_EDITS, max_size=4)).map(
        lambda parts: parts[0] + parts[1]
    ),
)


def _edit(data: bytes, edits: list[Edit]) -> bytes:
    """The workbook with ``edits`` made in order, as a person in a spreadsheet program might; an edit of a sheet
    that an earlier edit removed is skipped."""
    book = load_workbook(io.BytesIO(data))
    for edit in edits:
        kind = edit[0]
        if kind == "add_sheet":
            book.create_sheet(edit[1])
            continue
        sheet_name = SHEET if kind == "copy_row" else edit[1]
        if sheet_name not in book.sheetnames:
            continue
        if kind == "set":
            book[edit[1]].cell(row=edit[2], column=edit[3]).value = _storable(edit[4])  # type: ignore[assignment]
        elif kind == "delete_rows":
            book[edit[1]].delete_rows(edit[2], edit[3])
        elif kind == "copy_row":
            sheet = book[SHEET]
            for column in range(1, 10):
                sheet.cell(row=edit[2], column=column).value = sheet.cell(row=edit[1], column=column).value
        elif kind == "delete_cols":
            book[edit[1]].delete_cols(edit[2])
        elif kind == "insert_cols":
            book[edit[1]].insert_cols(edit[2])
        elif kind == "remove_sheet":
            book.remove(book[edit[1]])
        elif kind == "rename_sheet":
            book[edit[1]].title = edit[2]
        elif kind == "move_sheet":
            book.move_sheet(edit[1], edit[2])
        elif kind == "clear":
            book.remove(book[edit[1]])
            book.create_sheet(edit[1])
    if all(sheet.sheet_state != "visible" for sheet in book.worksheets):
        book.create_sheet("Sheet")  # a workbook needs one visible sheet to be saved at all
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def _zipped(parts: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    return out.getvalue()


QUESTIONNAIRE_XML = "xl/worksheets/sheet1.xml"
META_XML = "xl/worksheets/sheet2.xml"
# A cell as a spreadsheet program may write it: every cell type with values openpyxl's own writer never makes.
RAW_CELLS = st.tuples(
    st.sampled_from(["n", "s", "b", "e", "str", "d", "inlineStr", "x"]),
    st.sampled_from(
        [
            "nan",
            "inf",
            "1e999",
            "-1e999",
            "1e-400",
            "0x10",
            "",
            "1.2.3",
            "9" * 500,
            "2",
            "7",
            "-1",
            "2020-02-30",
            "2020-01-01T00:00:00",
            "#REF!",
            "99999999",
        ]
    ),
)


def _raw_cell(parts: dict[str, bytes], part: str, reference: str, kind: str, value: str) -> bytes:
    """The workbook with cell ``reference`` of ``part`` replaced by a hand-written one."""
    xml = parts[part].decode()
    cell = f'<c r="{reference}" t="{kind}"><v>{value}</v></c>'
    pattern = re.compile(rf'<c r="{reference}"[^>]*?(?:/>|>.*?</c>)', re.S)
    xml = pattern.sub(lambda _m: cell, xml, count=1) if pattern.search(xml) else xml
    return _zipped({**parts, part: xml.encode()})


# -- properties --------------------------------------------------------------------------------------------
def test_edited_workbooks_are_accepted_valid_or_refused_clearly(world: World) -> None:
    base = _base(world)

    @settings(max_examples=examples(120))
    @given(edits=EDITS)
    @example(edits=[("delete_cols", META_SHEET, 2)])  # the version column gone: every key without a value
    @example(edits=[("set", META_SHEET, 3, 2, True)])  # a version of TRUE is not version 1
    @example(edits=[("set", SHEET, 7, 7, "=1+1")])  # a formula with no computed value must not clear the answer
    @example(edits=[("set", SHEET, 6, 8, 0)])  # a comment of 0 is "0"
    @example(edits=[("set", SHEET, 3, 2, "x" * 40_000)])  # an unknown question of 40,000 characters
    @example(edits=[("copy_row", 7, 9), ("set", SHEET, 9, 7, 8)])  # a question twice, different answers
    @example(edits=[("set", SHEET, 1, 7, None)])  # no answer header
    @example(edits=[("remove_sheet", META_SHEET)])
    @example(edits=[("clear", SHEET)])
    @example(edits=[("set", SHEET, 8, 7, "\u00a0")])
    @example(edits=[("set", SHEET, 2, 7, "x" * 40_000)])  # an unknown option was quoted whole in the message
    @example(edits=[("set", SHEET, 4, 7, "x" * 40_000)])  # so was a web address
    @example(edits=[("set", SHEET, 5, 9, "x" * 40_000)])  # and an evidence link
    def check(edits: list[Edit]) -> None:
        with rolled_back():
            diff = _upload(world, _edit(base, edits))
            if diff is not None:
                _accept(world, diff)

    check()


def test_damaged_bytes_are_refused_clearly(world: World) -> None:
    base = _base(world)

    @settings(max_examples=examples(60))
    @given(data=st.one_of(damaged(base), st.binary(max_size=2048)))
    @example(data=b"")
    @example(data=b"PK\x05\x06" + bytes(18))  # an empty zip
    @example(data=base[: len(base) // 2])
    def check(data: bytes) -> None:
        with rolled_back():
            diff = _upload(world, data)
            if diff is not None:
                _accept(world, diff)

    check()


def test_damaged_xml_parts_are_refused_clearly(world: World) -> None:
    base = _base(world)
    parts = _parts(base)
    names = sorted(parts)

    @settings(max_examples=examples(60))
    @given(
        change=st.sampled_from(names).flatmap(lambda name: st.tuples(st.just(name), damaged(parts[name]))),
    )
    @example(change=(QUESTIONNAIRE_XML, parts[QUESTIONNAIRE_XML][: len(parts[QUESTIONNAIRE_XML]) // 2]))
    @example(change=(META_XML, parts[META_XML][:-40]))
    def check(change: tuple[str, bytes]) -> None:
        with rolled_back():
            diff = _upload(world, _zipped({**parts, change[0]: change[1]}))
            if diff is not None:
                _accept(world, diff)

    check()


def test_hand_written_cells_are_typed_or_refused(world: World) -> None:
    base = _base(world)
    parts = _parts(base)

    @settings(max_examples=examples(60))
    @given(
        where=st.sampled_from([(QUESTIONNAIRE_XML, f"G{row}") for row in range(2, 9)] + [(META_XML, "B3")]),
        cell=RAW_CELLS,
    )
    @example(where=(QUESTIONNAIRE_XML, "G7"), cell=("n", "nan"))  # openpyxl cannot read it: not a crash
    @example(where=(QUESTIONNAIRE_XML, "G5"), cell=("n", "1e999"))  # an infinite budget
    @example(where=(QUESTIONNAIRE_XML, "G7"), cell=("e", "#REF!"))  # an Excel error is not an answer
    @example(where=(QUESTIONNAIRE_XML, "G8"), cell=("e", "#N/A"))
    @example(where=(META_XML, "B3"), cell=("d", "2020-02-30"))
    def check(where: tuple[str, str], cell: tuple[str, str]) -> None:
        with rolled_back():
            diff = _upload(world, _raw_cell(parts, where[0], where[1], *cell))
            if diff is not None:
                _accept(world, diff)
                if cell[0] == "e":  # an error value (#N/A) is never an answer; typed as text ("str", "s") it may be
                    stored = response_answers(Response.objects.get(cycle__slug=CYCLE, country__iso3="ARG"))
                    assert cell[1] not in stored.values(), stored

    check()


def test_an_unchanged_download_uploads_with_no_change(world: World) -> None:
    @settings(max_examples=examples(40))
    @given(
        answers=VALID_ANSWERS,
        comments=st.dictionaries(st.sampled_from(QUESTIONS), st.one_of(PLAIN_TEXT, AWKWARD_TEXT, ANY_TEXT), max_size=3),
        urls=st.dictionaries(
            st.sampled_from(QUESTIONS),
            st.lists(st.sampled_from(["https://a.example/1", "http://b.example/x?y=1"]), max_size=2),
            max_size=2,
        ),
    )
    @example(answers={"notes": "=SUM(A1)"}, comments={"staff": " padded ", "org_exists": " "}, urls={})
    @example(answers={"notes": "a\r\nb"}, comments={"notes": "line\r\nbreak"}, urls={})  # as a text area sends it
    @example(answers={"staff": 10**15, "budget": 0.1}, comments={}, urls={})  # 16 digits: written as text
    @example(answers={"budget": 100000000000.21875}, comments={}, urls={})  # 17 digits: openpyxl writes 16
    @example(answers={"staff": 10**350}, comments={}, urls={})  # beyond a float: the download failed
    @example(answers={"notes": "a\uffffb"}, comments={}, urls={})  # U+FFFF: a download no reader could open
    @example(answers={"notes": "bell\x07"}, comments={"notes": "\x1b[0m"}, urls={})  # refused when saved
    def check(answers: dict[str, Any], comments: dict[str, str], urls: dict[str, list[str]]) -> None:
        with rolled_back():
            try:
                response_save(
                    actor=world.users["focal_arg"],
                    cycle_slug=CYCLE,
                    iso3="ARG",
                    version=0,
                    answers=answers,
                    comments=comments,
                    evidence_urls=urls,
                )
            except Invalid as error:  # text with a control character is refused when saved: nothing to download
                assert {p["code"] for p in error.problems} == {"control_character"}, error.problems
                return
            response = Response.objects.select_related("cycle", "country").get(cycle__slug=CYCLE, country__iso3="ARG")
            diff = _upload(world, response_workbook(response, language="es"))
            assert diff is not None, "a workbook downloaded unchanged was refused"
            assert diff.version == response.version
            assert [(c.question, c.field, c.old, c.new) for c in diff.changes] == []

    check()


def test_declared_dimensions_are_not_trusted(world: World) -> None:
    """A sheet's <dimension> is written by whatever program saved it; a wrong one must not hide rows."""
    base = _edit(_base(world), [("set", SHEET, 8, 7, "changed on the last row")])
    parts = _parts(base)

    @settings(max_examples=examples(10))
    @given(ref=st.one_of(st.sampled_from(["A1", "A1:I3", "A1:B2", "", "ZZ", "A1:XFD1048576"]), st.text(max_size=8)))
    @example(ref="A1:I3")  # the reader stopped at row 3: the change on row 8 was silently dropped
    def check(ref: str) -> None:
        xml = parts[QUESTIONNAIRE_XML].decode()
        ref = ILLEGAL_CHARACTERS_RE.sub("", ref).replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")
        xml = re.sub(r'<dimension ref="[^"]*"', lambda _match: f'<dimension ref="{ref}"', xml)
        with rolled_back():
            diff = _upload(world, _zipped({**parts, QUESTIONNAIRE_XML: xml.encode()}))
            if diff is not None:  # a dimension openpyxl cannot parse at all is an unreadable file, said so
                assert ("notes", "value", "=old", "changed on the last row") in [
                    (c.question, c.field, c.old, c.new) for c in diff.changes
                ]

    check()


# -- through the page --------------------------------------------------------------------------------------
def test_the_upload_page_never_fails(world: World) -> None:
    base = _base(world)
    parts = _parts(base)
    client = Client()
    assert client.login(username="focal_arg", password=PASSWORD)
    inputs: st.SearchStrategy[bytes] = st.one_of(
        EDITS.map(lambda edits: _edit(base, edits)),
        damaged(base),
        st.tuples(st.sampled_from([QUESTIONNAIRE_XML, META_XML]), RAW_CELLS).map(
            lambda t: _raw_cell(parts, t[0], "G7" if t[0] == QUESTIONNAIRE_XML else "B3", *t[1])
        ),
    )

    @settings(max_examples=examples(30))
    @given(data=inputs, name=st.sampled_from(["filled.xlsx", "answers.csv", "<b>x</b>.xlsx", "ñandú.XLSX"]))
    @example(data=_edit(base, [("delete_cols", META_SHEET, 2)]), name="filled.xlsx")
    def check(data: bytes, name: str) -> None:
        with rolled_back():
            before = database_state()
            upload = io.BytesIO(data)
            upload.name = name
            reply = client.post(f"{PAGE}workbook", {"workbook": upload})
            assert reply.status_code in (200, 422), reply.status_code
            html = reply.content.decode()
            assert "Traceback" not in html
            if reply.status_code == 422:
                assert database_state() == before
                assert escape(reply.context["message"]) in html  # the page says why, and where
                for problem in reply.context["problems"]:
                    assert escape(problem["message"]) in html
                return
            accepted = client.post(
                f"{PAGE}workbook/accept",
                {"version": str(reply.context["diff"].version), "payload": reply.context["payload"]},
            )
            assert accepted.status_code in (302, 409), accepted.status_code
            stored = response_answers(Response.objects.get(cycle__slug=CYCLE, country__iso3="ARG"))
            assert_valid_answers(cycle_framework(world.cycle), stored)

    check()


# -- a zip bomb --------------------------------------------------------------------------------------------
def _bomb(parts: dict[str, bytes], megabytes: int) -> bytes:
    """The workbook with a questionnaire sheet of ``megabytes`` MB of empty rows (a few hundred kB zipped)."""
    xml = parts[QUESTIONNAIRE_XML].decode()
    padding = "<row/>" * (megabytes * 1024 * 1024 // 6)
    return _zipped({**parts, QUESTIONNAIRE_XML: xml.replace("</sheetData>", padding + "</sheetData>").encode()})


def test_a_zip_bomb_is_refused_quickly(world: World) -> None:
    base = _base(world)
    bomb = _bomb(_parts(base), 200)
    assert len(bomb) < 2 * 1024 * 1024  # it fits well under the upload limit
    started = time.monotonic()
    assert _upload(world, bomb) is None
    assert time.monotonic() - started < 5


def test_a_workbook_made_by_another_program_is_read(world: World) -> None:
    """Not a GovLens download at all, but the right sheets and columns (say, rebuilt by hand): it is read."""
    base = _base(world)
    meta = {str(r[0]): r[1] for r in load_workbook(io.BytesIO(base))[META_SHEET].iter_rows(values_only=True)}
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = SHEET
    sheet.append(["answer", "question", "comment", "evidence_urls"])  # other order, fewer columns
    sheet.append([12, "staff", "", ""])
    book.create_sheet(META_SHEET).append(["version", meta["version"]])
    for key in ("cycle", "country"):
        book[META_SHEET].append([key, meta[key]])
    out = io.BytesIO()
    book.save(out)
    diff = _upload(world, out.getvalue())
    assert diff is not None
    assert [(c.question, c.field, c.old, c.new) for c in diff.changes] == [
        ("staff", "value", 7, 12),
        ("staff", "comment", "headcount", ""),
    ]


def _declared_size(data: bytes, member: str, size: int) -> bytes:
    """The zip with ``member`` claiming to unpack to ``size`` bytes, in its local header and central directory."""
    buffer = bytearray(data)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        offset = archive.getinfo(member).header_offset
    buffer[offset + 22 : offset + 26] = struct.pack("<I", size)
    at = buffer.find(b"PK\x01\x02")
    while at >= 0:
        length = struct.unpack("<H", buffer[at + 28 : at + 30])[0]
        if bytes(buffer[at + 46 : at + 46 + length]) == member.encode():
            buffer[at + 24 : at + 28] = struct.pack("<I", size)
        at = buffer.find(b"PK\x01\x02", at + 4)
    return bytes(buffer)


def test_a_zip_bomb_that_understates_its_size_is_refused_quickly(world: World) -> None:
    """The size guard trusts the sizes a zip declares; reading a member stops there (its checksum then fails)."""
    bomb = _declared_size(_bomb(_parts(_base(world)), 50), QUESTIONNAIRE_XML, 1000)
    started = time.monotonic()
    assert _upload(world, bomb) is None
    assert time.monotonic() - started < 5
