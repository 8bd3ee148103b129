"""Import of KoboToolbox/ODK exports (CSV and XLSX): columns by question name (group prefixes allowed)."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook
from typer.testing import CliRunner

from govlens.web.collection.models import Response
from govlens.web.collection.selectors import response_answers
from govlens.web.collection.services import response_save, response_submit, submissions_import
from govlens.web.errors import Invalid

from .conftest import World
from .test_web_cmd import app

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
    assert "services/channels/web" in outcome.warnings[0] and "_submission_time" in outcome.warnings[0]


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
    assert "row 2, staff:" in refused.output
