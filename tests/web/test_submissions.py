"""Import of KoboToolbox/ODK exports (CSV and XLSX): columns by question name (group prefixes allowed)."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook
from typer.testing import CliRunner

from govlens.cli import app
from govlens.web.collection.models import Response
from govlens.web.collection.selectors import response_answers
from govlens.web.collection.services import response_save, response_submit, submissions_import
from govlens.web.errors import Invalid

from .conftest import World

# A Kobo "XML values and headers" export: groups in the headers, metadata columns, 0/1 option columns.
KOBO_CSV = (
    "start;end;country;governance/org_exists;governance/org_year;services/channels;services/channels/web;"
    "services/channels/mobile;services/staff;_id;_uuid;_submission_time\n"
    "2026-03-01;2026-03-02;ARG;yes;2014;web mobile;1;1;35;101;u-1;2026-03-02T10:00:00\n"
    "2026-03-01;2026-03-03;bra;no;;web;1;0;;102;u-2;2026-03-03T11:00:00\n"
)


def test_kobo_csv_import_fills_each_countrys_draft(world: World) -> None:
    outcome = submissions_import(actor=None, cycle_slug="lac-2026", data=KOBO_CSV.encode(), filename="kobo.csv")
    assert outcome.changed == {
        "ARG": ["org_exists", "org_year", "channels", "staff"],
        "BRA": ["org_exists", "channels"],
    }
    assert outcome.versions == {"ARG": 1, "BRA": 1}
    assert response_answers(Response.objects.get(country__iso3="ARG")) == {
        "org_exists": "yes",
        "org_year": 2014,
        "channels": ["web", "mobile"],
        "staff": 35,
    }
    assert response_answers(Response.objects.get(country__iso3="BRA")) == {"org_exists": "no", "channels": ["web"]}
    ignored = outcome.warnings[0]
    assert (ignored.code, ignored.path) == ("ignored_columns", "kobo.csv")
    assert "services/channels/web" in ignored.message and "_submission_time" in ignored.message


def test_import_reports_every_problem_and_saves_nothing(world: World) -> None:
    bad = (
        "country,org_exists,org_year,staff\n"
        "ARG,yes,1950,ten\n"  # constraint and type
        "XXX,no,,\n"  # not in the cycle
        "ARG,no,,\n"  # second submission for ARG
        ",no,,\n"  # no country
    )
    with pytest.raises(Invalid) as caught:
        submissions_import(actor=None, cycle_slug="lac-2026", data=bad.encode(), filename="odk.csv")
    found = sorted((p["row"], p["column"], p["code"]) for p in caught.value.problems)
    assert found == [
        (2, "org_year", "constraint_failed"),
        (2, "staff", "invalid_integer"),
        (3, "country", "unknown_country"),
        (4, "country", "duplicate_country"),
        (5, "country", "missing_country"),
    ]
    assert Response.objects.filter(version__gt=0).count() == 0


def test_locked_responses_are_not_overwritten(world: World) -> None:
    fp = world.users["focal_arg"]
    response_save(
        actor=fp, cycle_slug="lac-2026", iso3="ARG", version=0, answers={"org_exists": "no", "channels": ["web"]}
    )
    response_submit(actor=fp, cycle_slug="lac-2026", iso3="ARG")
    with pytest.raises(Invalid) as caught:
        submissions_import(actor=None, cycle_slug="lac-2026", data=b"country,staff\nARG,3\n", filename="k.csv")
    assert [p["code"] for p in caught.value.problems] == ["locked_response"]


def test_xlsx_export_and_dry_run_from_the_command_line(world: World, tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["country", "org_exists", "staff"])
    sheet.append(["ARG", "yes", 12])
    path = tmp_path / "kobo.xlsx"
    book.save(path)
    runner = CliRunner()
    dry = runner.invoke(app, ["cycle", "import", "lac-2026", str(path), "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "ARG: would change 2 answer(s): org_exists, staff (version 0)" in dry.output
    assert Response.objects.get(country__iso3="ARG").version == 0
    done = runner.invoke(app, ["cycle", "import", "lac-2026", str(path)])
    assert "ARG: changed 2 answer(s): org_exists, staff (version 1)" in done.output
    bad = tmp_path / "bad.csv"
    bad.write_text("country,staff\nARG,-3\n", encoding="utf-8")
    refused = runner.invoke(app, ["cycle", "import", "lac-2026", str(bad)])
    assert refused.exit_code == 1
    kobo = tmp_path / "kobo.csv"
    kobo.write_text(KOBO_CSV, encoding="utf-8")
    warned = runner.invoke(app, ["cycle", "import", "lac-2026", str(kobo), "--dry-run"])
    assert warned.exit_code == 0, warned.output
    assert f"{kobo}:1: warning: ignored_columns: " in warned.output  # a warning of the file, located like an error
    # the problems of the file in the format of every command: PATH:ROW: code: message (column 'C')
    line = next(line for line in refused.output.splitlines() if line.startswith(f"{bad}:2: "))
    assert line.startswith(f"{bad}:2: constraint_failed: ") and line.endswith("(column 'staff')"), refused.output


# -- regressions found by tests/web/fuzz/test_kobo_import.py -------------------------------------------------
def _refused(data: bytes, filename: str = "k.csv") -> list[tuple[int | None, str, str]]:
    with pytest.raises(Invalid) as caught:
        submissions_import(actor=None, cycle_slug="lac-2026", data=data, filename=filename)
    assert Response.objects.filter(version__gt=0).count() == 0
    return [(p["row"], p["column"], p["code"]) for p in caught.value.problems]


@pytest.mark.parametrize(
    "data",
    [
        b"country,staff\rARG,3\r",  # old Mac line ends: "new-line character seen in unquoted field"
        "country\tstaff\r\nARG\t3\r\n".encode("utf-16"),  # Excel's "Unicode text": refused as not UTF-8
        # csv.Sniffer took this for a file without doubled quotes: notes 'say "hi""; a' and staff 'b"'
        b'country,notes,staff\nARG,"say ""hi""; a,b",3\n',
    ],
    ids=["cr-line-ends", "utf-16", "quotes-and-semicolons-in-text"],
)
def test_exports_that_were_refused_or_misread_now_import(world: World, data: bytes) -> None:
    outcome = submissions_import(actor=None, cycle_slug="lac-2026", data=data, filename="k.csv")
    assert outcome.versions == {"ARG": 1}
    stored = response_answers(Response.objects.get(country__iso3="ARG"))
    assert stored["staff"] == 3
    assert stored.get("notes") in (None, 'say "hi"; a,b')


def test_a_file_that_is_not_utf8_names_the_line_and_byte(world: World) -> None:
    with pytest.raises(Invalid) as caught:
        submissions_import(
            actor=None, cycle_slug="lac-2026", data="country,notes\nARG,café\n".encode("cp1252"), filename="k.csv"
        )
    (problem,) = caught.value.problems
    assert problem["code"] == "unreadable_file"
    assert "k.csv is not UTF-8 text: line 2 has the byte 0xE9" in problem["message"]


def test_ambiguous_and_unstorable_rows_are_refused_not_guessed(world: World) -> None:
    # A comma inside an unquoted text shifted the row: " world" was dropped without a word.
    assert _refused(b"country,staff,notes\nARG,3,hello, world\n") == [(2, "", "extra_values")]
    # One question under two groups: the second column was ignored as "not a question".
    assert _refused(b"country,g1/staff,g2/staff\nARG,3,4\n") == [(1, "g2/staff", "duplicate_column")]
    # Two country columns: the last one silently won.
    assert _refused(b"country,meta/country,staff\nARG,BRA,4\n") == [(1, "meta/country", "duplicate_column")]
    # NUL cannot be stored in a PostgreSQL text (the import ended in a database error).
    assert _refused(b"country,notes\nARG,a\x00b\n") == [(2, "notes", "control_character")]
    # A 5,000-character country was quoted whole in the message.
    assert _refused(b"country,staff\n" + b"A" * 5000 + b",3\n") == [(2, "country", "invalid_country")]


def test_an_xlsx_formula_never_computed_is_refused(world: World, tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["country", "staff"])
    sheet.append(["ARG", "=1+2"])
    path = tmp_path / "kobo.xlsx"
    book.save(path)
    assert _refused(path.read_bytes(), "kobo.xlsx") == [(2, "staff", "invalid_value")]


def test_an_xlsx_with_wrong_dimensions_is_read_whole(world: World, tmp_path: Path) -> None:
    """The read-only reader trusted the sheet's <dimension>: here it says A1:C2 and BRA's row was dropped."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in (["country", "org_exists", "staff"], ["ARG", "yes", 12], ["BRA", "no", 4]):
        sheet.append(row)
    path = tmp_path / "kobo.xlsx"
    book.save(path)
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    xml = parts["xl/worksheets/sheet1.xml"].decode()
    parts["xl/worksheets/sheet1.xml"] = re.sub(r'<dimension ref="[^"]*"', '<dimension ref="A1:C2"', xml).encode()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    outcome = submissions_import(actor=None, cycle_slug="lac-2026", data=out.getvalue(), filename="kobo.xlsx")
    assert outcome.changed == {"ARG": ["org_exists", "staff"], "BRA": ["org_exists", "staff"]}


@pytest.mark.parametrize("dry_run", [True, False])
def test_a_closed_cycle_refuses_the_dry_run_as_it_refuses_the_import(world: World, dry_run: bool) -> None:
    from govlens.web.errors import InvalidTransition

    world.cycle.status = "closed"
    world.cycle.save()
    with pytest.raises(InvalidTransition, match="cycle 'lac-2026' is closed"):
        submissions_import(
            actor=None, cycle_slug="lac-2026", data=KOBO_CSV.encode(), filename="kobo.csv", dry_run=dry_run
        )
    assert Response.objects.get(country__iso3="ARG").version == 0


def test_a_memory_bomb_xlsx_export_is_refused_with_a_message(world: World) -> None:
    """Issue 11: 1,000 rows each with one cell in column XFD; the import read 100,000 such rows."""
    from tests.tabular.workbooks import far_cells

    with pytest.raises(Invalid) as caught:
        submissions_import(actor=None, cycle_slug="lac-2026", data=far_cells(), filename="kobo.xlsx")
    [problem] = caught.value.problems
    assert problem["code"] == "unreadable_file"
    assert problem["message"] == (
        "kobo.xlsx, sheet 'Sheet', has a value in column XFD (16,384) on row 1; at most 5,000 columns can be read"
    )
    assert Response.objects.filter(version__gt=0).count() == 0


def test_a_wide_export_within_the_columns_is_bounded_by_its_cells(world: World) -> None:
    from tests.tabular.workbooks import far_cells

    with pytest.raises(Invalid) as caught:  # 1,000 rows x 4,000 columns: 4 million cells
        submissions_import(actor=None, cycle_slug="lac-2026", data=far_cells(1_000, 4_000), filename="kobo.xlsx")
    [problem] = caught.value.problems
    assert "holds more than 1,000,000 cells" in problem["message"]


def test_a_name_in_two_groups_is_read_from_each_groups_column(tmp_path: Path) -> None:
    from govlens.framework.xlsform_io import read_workbook
    from govlens.web.collection.submissions import submissions_read
    from tests.framework.conftest import write_xlsx

    rows = [["type", "name", "label"], ["begin_group", "g1", "G1"], ["integer", "x", "X"], ["end_group", "", ""]]
    rows += [["begin_group", "g2", "G2"], ["begin_group", "inner", "In"], ["integer", "x", "X"], ["text", "y", "Y"]]
    rows += [["end_group", "", ""], ["end_group", "", ""]]
    framework = read_workbook(write_xlsx(tmp_path / "form.xlsx", {"survey": rows})).framework
    assert framework is not None
    export = "country,g1/x,g2/inner/x,g2/inner/y,_id\nARG,1,2,two,7\n"
    read = submissions_read(export.encode(), framework, filename="kobo.csv")
    assert not read.report.errors, [str(p) for p in read.report]
    assert read.columns == {"g1/x": "g1/x", "g2/x": "g2/inner/x", "y": "g2/inner/y"}
    assert read.submissions[0].answers == {"g1/x": 1, "g2/x": 2, "y": "two"}
