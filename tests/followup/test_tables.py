"""The plans in the exports: CSV files, XLSX sheets and data package resources (tables.py and reports/exports.py)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import openpyxl
import pytest

from govlens.followup import ActionPlan, Register, plan_from_data
from govlens.followup.tables import ACTION_COLUMNS, action_rows, milestone_rows
from govlens.release import Release
from govlens.reports.exports import export, write_plans_csv

from .test_plans import ACTION


def _plans(register: Register) -> list[ActionPlan]:
    mex, _ = plan_from_data(
        [ACTION, {**ACTION, "title": "=HYPERLINK(1)"}], cycle="tiny-2026", country="MEX", register=register
    )
    chl, _ = plan_from_data([ACTION], cycle="tiny-2026", country="CHL", register=register, synthetic=True)
    assert mex is not None and chl is not None
    return [mex, chl]


def test_rows_per_action_and_per_milestone(register: Register) -> None:
    plans = _plans(register)
    rows = action_rows(plans)
    assert [(r[1], r[2]) for r in rows] == [("CHL", 1), ("MEX", 1), ("MEX", 2)]  # country order, numbered
    assert rows[0][ACTION_COLUMNS.index("synthetic")] is True
    assert rows[1][ACTION_COLUMNS.index("due")] == "2027-06-30"
    milestones = milestone_rows(plans)
    assert [(r[1], r[2], r[3], r[6]) for r in milestones][:2] == [("CHL", 1, 1, "2026-09-15"), ("CHL", 1, 2, None)]
    assert len(milestones) == 6


def test_csv_xlsx_and_datapackage_carry_the_plans(register: Register, first: Release, tmp_path: Path) -> None:
    plans = _plans(register)
    actions, milestones = write_plans_csv(plans, tmp_path / "plans.csv", tmp_path / "milestones.csv")
    with actions.open(encoding="utf-8") as handle:
        read = list(csv.DictReader(handle))
    assert len(milestones.read_text(encoding="utf-8").splitlines()) == 1 + 6
    assert read[2]["title"] == "'=HYPERLINK(1)"  # a formula is neutralised as in every export
    assert read[0]["synthetic"] == "true" and read[1]["synthetic"] == "false"
    workbook = openpyxl.load_workbook(export(first, "xlsx", tmp_path / "r.xlsx", plans=plans))
    assert {"action plans", "milestones"} <= set(workbook.sheetnames)
    assert workbook["milestones"].max_row == 1 + 6
    assert "action plans" not in openpyxl.load_workbook(export(first, "xlsx", tmp_path / "plain.xlsx")).sheetnames
    frictionless = pytest.importorskip("frictionless", reason="frictionless is not installed")
    descriptor = export(first, "datapackage", tmp_path / "package", plans=plans)
    report = frictionless.validate(str(descriptor))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    names = [resource["name"] for resource in json.loads(descriptor.read_text(encoding="utf-8"))["resources"]]
    assert names[-2:] == ["action_plans", "milestones"]
