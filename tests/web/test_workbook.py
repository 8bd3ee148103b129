"""Offline filling: download the questionnaire as a workbook, fill it, upload it, review the diff, accept."""

from __future__ import annotations

import io
import json
import zipfile
from typing import Any

from django.test import Client
from openpyxl import load_workbook

from govlens.web.audit.models import AuditEvent
from govlens.web.collection.models import Response
from govlens.web.collection.selectors import response_answers
from govlens.web.collection.services import response_save

from .conftest import PASSWORD, World

PAGE = "/cycles/lac-2026/responses/ARG/"


def _client(username: str) -> Client:
    client = Client()
    assert client.login(username=username, password=PASSWORD)
    return client


def _download(client: Client, lang: str = "en") -> bytes:
    reply = client.get(f"{PAGE}workbook.xlsx?lang={lang}")
    assert reply.status_code == 200
    assert reply["Content-Type"].startswith("application/vnd.openxmlformats")
    return bytes(reply.content)


def _fill(data: bytes, values: dict[str, Any], column: str = "answer") -> io.BytesIO:
    book = load_workbook(io.BytesIO(data))
    sheet = book["questionnaire"]
    header = [cell.value for cell in sheet[1]]
    at = header.index(column) + 1
    for row in range(2, sheet.max_row + 1):
        name = str(sheet.cell(row=row, column=2).value)
        if name in values:
            sheet.cell(row=row, column=at).value = values[name]
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    out.name = "filled.xlsx"
    return out


def test_download_has_labels_in_the_language_answers_and_safe_text(world: World) -> None:
    response_save(
        actor=world.users["focal_arg"],
        cycle_slug="lac-2026",
        iso3="ARG",
        version=0,
        answers={"staff": 12, "channels": ["web", "mobile"]},
        comments={"staff": "=SUM(A1:A9)"},
    )
    book = load_workbook(io.BytesIO(_download(_client("focal_arg"), "es")))
    rows = {row[1]: row for row in book["questionnaire"].iter_rows(min_row=2, values_only=True)}
    assert list(rows) == ["org_exists", "org_year", "strategy_url", "budget", "channels", "staff", "notes"]
    assert rows["org_exists"][2] == "[es] Is there a digital government agency?"
    assert rows["org_exists"][5] == "yes = Sí; no = No"
    assert (rows["staff"][6], rows["channels"][6]) == (12, "web mobile")
    comment_cell = book["questionnaire"]["H7"]
    assert (comment_cell.value, comment_cell.data_type) == ("=SUM(A1:A9)", "s")  # text, never a formula
    meta = {str(row[0]): row[1] for row in book["govlens"].iter_rows(values_only=True)}
    assert (meta["cycle"], meta["country"], meta["version"], meta["language"]) == ("lac-2026", "ARG", 1, "es")


def test_upload_shows_a_diff_and_accepting_saves_it(world: World) -> None:
    client = _client("focal_arg")
    filled = _fill(_download(client), {"org_exists": "yes", "org_year": 2012, "channels": "web counter"})
    reply = client.post(f"{PAGE}workbook", {"workbook": filled})
    assert reply.status_code == 200
    diff = reply.context["diff"]
    assert [(c.question, c.field, c.old, c.new) for c in diff.changes] == [
        ("org_exists", "value", None, "yes"),
        ("org_year", "value", None, 2012),
        ("channels", "value", None, ["web", "counter"]),
    ]
    assert Response.objects.get(country__iso3="ARG").version == 0  # nothing saved before accepting
    accepted = client.post(f"{PAGE}workbook/accept", {"version": "0", "payload": json.dumps(diff.payload())})
    assert accepted.status_code == 302
    response = Response.objects.get(country__iso3="ARG")
    assert response_answers(response) == {"org_exists": "yes", "org_year": 2012, "channels": ["web", "counter"]}
    assert AuditEvent.objects.filter(object_type="answer", actor_username="focal_arg").count() == 3


def test_invalid_workbook_reports_every_problem_by_sheet_row_and_question(world: World) -> None:
    client = _client("focal_arg")
    values = {"org_exists": "yes", "org_year": 1985, "channels": "web fax", "staff": "lots"}
    reply = client.post(f"{PAGE}workbook", {"workbook": _fill(_download(client), values)})
    assert reply.status_code == 422
    found = sorted((p["sheet"], p["row"], p["question"], p["code"]) for p in reply.context["problems"])
    assert found == [
        ("questionnaire", 3, "org_year", "constraint_failed"),
        ("questionnaire", 6, "channels", "unknown_choice"),
        ("questionnaire", 7, "staff", "invalid_integer"),
    ]
    html = reply.content.decode()
    assert "<td>questionnaire</td><td>7</td><td>staff</td>" in html
    assert Response.objects.get(country__iso3="ARG").version == 0


def test_another_countrys_workbook_is_refused(world: World) -> None:
    data = _client("analyst").get("/cycles/lac-2026/responses/BRA/workbook.xlsx").content
    reply = _client("focal_arg").post(f"{PAGE}workbook", {"workbook": _fill(data, {"staff": 3})})
    assert reply.status_code == 422
    assert [p["code"] for p in reply.context["problems"]] == ["wrong_workbook"]


def test_not_a_workbook(world: World) -> None:
    junk = io.BytesIO(b"not a zip")
    junk.name = "answers.xlsx"
    reply = _client("focal_arg").post(f"{PAGE}workbook", {"workbook": junk})
    assert reply.status_code == 422
    assert [p["code"] for p in reply.context["problems"]] == ["unreadable_file"]


def test_accepting_a_stale_workbook_is_a_conflict(world: World) -> None:
    client = _client("focal_arg")
    filled = _fill(_download(client), {"staff": 8})
    diff = client.post(f"{PAGE}workbook", {"workbook": filled}).context["diff"]
    response_save(actor=world.users["analyst"], cycle_slug="lac-2026", iso3="ARG", version=0, answers={"staff": 9})
    reply = client.post(f"{PAGE}workbook/accept", {"version": "0", "payload": json.dumps(diff.payload())})
    assert reply.status_code == 409
    assert response_answers(Response.objects.get(country__iso3="ARG")) == {"staff": 9}


# -- regressions found by tests/web/fuzz/test_workbook_upload.py ---------------------------------------------
def _problems(client: Client, data: bytes) -> list[tuple[str, int | None, str, str]]:
    upload = io.BytesIO(data)
    upload.name = "filled.xlsx"
    reply = client.post(f"{PAGE}workbook", {"workbook": upload})
    assert reply.status_code == 422
    return [(p["sheet"], p["row"], p["question"], p["code"]) for p in reply.context["problems"]]


def _edited(data: bytes, edit: Any) -> bytes:
    book = load_workbook(io.BytesIO(data))
    edit(book)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_a_meta_sheet_without_its_value_column_is_a_problem_not_an_error_page(world: World) -> None:
    client = _client("focal_arg")
    data = _edited(_download(client), lambda book: book["govlens"].delete_cols(2))
    assert _problems(client, data) == [("govlens", 3, "", "invalid_value")]  # was IndexError, a 500


def test_a_version_of_true_is_not_version_1(world: World) -> None:
    client = _client("focal_arg")
    data = _edited(_download(client), lambda book: setattr(book["govlens"]["B3"], "value", True))
    assert _problems(client, data) == [("govlens", 3, "", "invalid_value")]


def test_a_formula_never_computed_does_not_clear_the_answer(world: World) -> None:
    response_save(actor=world.users["focal_arg"], cycle_slug="lac-2026", iso3="ARG", version=0, answers={"staff": 4})
    client = _client("focal_arg")
    data = _edited(_download(client), lambda book: setattr(book["questionnaire"]["G7"], "value", "=2+2"))
    assert _problems(client, data) == [("questionnaire", 7, "staff", "formula_without_value")]


def test_a_broken_sheet_inside_a_good_zip_is_unreadable(world: World) -> None:
    client = _client("focal_arg")
    source = zipfile.ZipFile(io.BytesIO(_download(client)))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for name in source.namelist():
            content = source.read(name)
            target.writestr(name, content[: len(content) // 2] if name == "xl/worksheets/sheet1.xml" else content)
    assert _problems(client, out.getvalue()) == [("", None, "", "unreadable_file")]  # was ParseError, a 500


def test_line_breaks_long_numbers_and_odd_characters_survive_the_round_trip(world: World) -> None:
    """A text area sends CRLF (XML reads CR back as LF); 10**20 has more digits than a spreadsheet number keeps;
    10**350 is beyond a float (the download failed); U+FFFF made a file no reader opens.
    Each is written as spreadsheet programs write it, and an unchanged workbook uploads with no change."""
    client = _client("focal_arg")
    for version, answers, comments in (
        (0, {"notes": "first\r\nsecond", "staff": 10**20}, {"notes": "a\r\nb", "staff": " padded "}),
        (1, {"notes": "bell here \uffff _x0041_", "staff": 10**350}, {}),
    ):
        response_save(
            actor=world.users["focal_arg"],
            cycle_slug="lac-2026",
            iso3="ARG",
            version=version,
            answers=answers,
            comments=comments,
        )
        data = _download(client)
        upload = io.BytesIO(data)
        upload.name = "same.xlsx"
        reply = client.post(f"{PAGE}workbook", {"workbook": upload})
        assert reply.status_code == 200
        assert reply.context["diff"].changes == []
    rows = {row[1]: row for row in load_workbook(io.BytesIO(data))["questionnaire"].iter_rows(values_only=True)}
    assert rows["notes"][6] == "bell here _xFFFF_ _x005F_x0041_"
    assert rows["staff"][6] == "1" + "0" * 350


# -- issue 11: a workbook that would take a worker's memory --------------------------------------------------
def _far_rows(xml: str, first: int = 1_000, count: int = 1_000) -> str:
    rows = "".join(f'<row r="{n}"><c r="XFD{n}"><v>1</v></c></row>' for n in range(first, first + count))
    return xml.replace("</sheetData>", rows + "</sheetData>")


def test_a_memory_bomb_workbook_is_refused_with_a_message_and_stores_nothing(world: World) -> None:
    from tests.tabular.workbooks import edited_sheet

    client = _client("focal_arg")
    bomb = edited_sheet(_download(client), _far_rows)  # 1,000 rows each with one cell in column XFD
    assert len(bomb) < 30_000
    upload = io.BytesIO(bomb)
    upload.name = "filled.xlsx"
    reply = client.post(f"{PAGE}workbook", {"workbook": upload})
    assert reply.status_code == 422
    [problem] = reply.context["problems"]
    assert problem["code"] == "too_large"
    assert "sheet 'questionnaire', has a value in column XFD (16,384) on row 1,000" in problem["message"]
    assert "at most 200 columns" in problem["message"]
    assert Response.objects.get(country__iso3="ARG").version == 0
