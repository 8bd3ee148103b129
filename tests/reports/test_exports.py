"""Exports: tidy CSV, XLSX with README, SDMX-CSV header and codes, a valid data package, formula injection."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from govlens.data.compare import Comparison
from govlens.framework.model import Framework
from govlens.release import Release, create_release
from govlens.reports.exports import (
    EXPORT_FORMATS,
    export,
    neutralise,
    sdmx_code,
    sdmx_dataflow,
    write_csv,
    write_datapackage,
    write_sdmx_csv,
    write_xlsx,
)
from tests.release.conftest import ANSWERS, tiny_framework


def _read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def hostile_release() -> Release:
    """Answers and labels that a spreadsheet would run as formulas."""
    framework = tiny_framework(pillar_label="=1+2")
    answers = {"@EVIL": dict(ANSWERS["ARG"]), "+PLUS": dict(ANSWERS["MEX"]), "BRA": dict(ANSWERS["BRA"])}
    answers["@EVIL"]["q_note"] = "-2+3"
    answers["BRA"]["q_note"] = "Agencia;=2+3;=cmd|' /C calc'!A0"  # split at ';' by es/pt/fr spreadsheets
    return create_release(framework, answers, cycle="evil", release_id="evil-r1", created="2026-11-28T08:00:00Z")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("=SUM(A1:A2)", "'=SUM(A1:A2)"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@cmd", "'@cmd"),
        ("\tx", "'\tx"),
        ("ARG", "ARG"),
        ("a=b", "a=b"),
        (0.5, 0.5),
        (-3, -3),
    ],
)
def test_neutralise(raw: object, expected: object) -> None:
    assert neutralise(raw) == expected


def test_tidy_csv_has_every_unit_and_node_with_full_precision(release: Release, tmp_path: Path) -> None:
    rows = _read_csv(write_csv(release, tmp_path / "scores.csv"))
    assert list(rows[0]) == ["release", "unit", "node", "score", "rank", "rank_p05", "rank_p95", "synthetic"]
    assert len(rows) == 5 * 8
    assert {row["release"] for row in rows} == {"tiny-2026-r1"}
    assert {row["synthetic"] for row in rows} == {"true"}
    by_key = {(row["unit"], row["node"]): row for row in rows}
    # BRA's index score worked by hand: ((1 + 0.5 + 0.5) / 3 + (1 + 4/15) / 2) / 2
    assert float(by_key[("BRA", "IDX")]["score"]) == release.results.score("BRA", "IDX")
    assert float(by_key[("BRA", "IDX")]["score"]) == pytest.approx(((2 / 3) + (19 / 30)) / 2, abs=1e-15)
    assert by_key[("BRA", "IDX")]["rank"] == "2"
    assert by_key[("MEX", "P1")]["rank"] == "4"  # tied with CHL


def test_xlsx_has_a_readme_with_source_release_hash_licence_and_label(release: Release, tmp_path: Path) -> None:
    path = write_xlsx(release, tmp_path / "release.xlsx")
    workbook = openpyxl.load_workbook(path)
    assert workbook.sheetnames == ["README", "scores", "nodes", "answers"]
    readme = {row[0].value: row[1].value for row in workbook["README"].iter_rows()}
    assert readme["WARNING"] == "SYNTHETIC DEMO DATA (test)"
    assert readme["release"] == "tiny-2026-r1"
    assert readme["content_hash"] == f"sha256:{release.hash}"
    assert "CC-BY-4.0" in str(readme["licence"])
    assert "tiny-dgr 2026.1" in str(readme["source"])
    scores = workbook["scores"]
    assert scores["A1"].value == "SYNTHETIC DEMO DATA (test)"  # every sheet carries the label
    header = [cell.value for cell in scores[2]]
    assert header[:5] == ["release", "unit", "node", "score", "rank"]
    values = {(row[1], row[2]): row[3] for row in scores.iter_rows(min_row=3, values_only=True)}
    assert values[("ARG", "IDX")] == release.results.score("ARG", "IDX")


def test_real_release_has_no_synthetic_label(plain_release: Release, tmp_path: Path) -> None:
    workbook = openpyxl.load_workbook(write_xlsx(plain_release, tmp_path / "r.xlsx"))
    readme = {row[0].value: row[1].value for row in workbook["README"].iter_rows()}
    assert "WARNING" not in readme and readme["synthetic"] == "no"
    assert workbook["scores"]["A1"].value == "release"
    rows = _read_csv(write_csv(plain_release, tmp_path / "r.csv"))
    assert "rank_p05" not in rows[0] and {row["synthetic"] for row in rows} == {"false"}


def test_sdmx_csv_header_and_codes(release: Release, tmp_path: Path) -> None:
    path = write_sdmx_csv(release, tmp_path / "sdmx.csv")
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    header, body = rows[0], rows[1:]
    assert header == ["STRUCTURE", "STRUCTURE_ID", "ACTION", "REF_AREA", "INDICATOR", "MEASURE", "OBS_VALUE",
                      "COMMENT_OBS"]
    assert {tuple(row[:3]) for row in body} == {("dataflow", "GOVLENS:TINY_DGR(2026.1)", "I")}
    body = [[row[1], *row[3:]] for row in body]  # the version 1 positions: DATAFLOW, REF_AREA, ...
    assert {row[1] for row in body} == {"ARG", "BRA", "CHL", "COL", "MEX"}
    assert all(re.fullmatch(r"[A-Z]{3}", row[1]) for row in body)
    assert {row[2] for row in body} == {"I1", "I2", "I3", "I4", "I5", "P1", "P2", "IDX"}
    assert {row[3] for row in body} == {"SCORE", "RANK", "RANK_P05", "RANK_P95"}
    assert len(body) == 5 * 8 * 4
    assert {row[5] for row in body} == {"SYNTHETIC DEMO DATA (test)"}
    observation = {(row[1], row[2], row[3]): row[4] for row in body}
    assert observation[("ARG", "IDX", "RANK")] == "1"
    assert float(observation[("COL", "P2", "SCORE")]) == 0.0


def test_sdmx_codes_and_dataflow_of_the_bundled_style() -> None:
    assert sdmx_code("P1.2") == "P1_2"
    assert sdmx_code("I5.2.3") == "I5_2_3"
    assert sdmx_code("lac-dgr") == "LAC-DGR"
    for code in ("P1_2", "I5_2_3"):
        assert re.fullmatch(r"[A-Za-z0-9_@$\-]+", code)


def test_sdmx_dataflow_names_agency_id_and_version(release: Release) -> None:
    assert sdmx_dataflow(release) == "GOVLENS:TINY_DGR(2026.1)"
    assert sdmx_dataflow(release, agency="OECD") == "OECD:TINY_DGR(2026.1)"


def test_sdmx_refuses_units_that_are_not_iso3(hostile_release: Release, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="alpha-3"):
        write_sdmx_csv(hostile_release, tmp_path / "x.csv")


def test_datapackage_validates_with_frictionless(release: Release, tmp_path: Path) -> None:
    frictionless = pytest.importorskip("frictionless", reason="frictionless is not installed")
    descriptor = write_datapackage(release, tmp_path / "package")
    data = json.loads(descriptor.read_text(encoding="utf-8"))
    assert [resource["name"] for resource in data["resources"]] == ["scores", "nodes", "answers"]
    assert data["govlens"] == {"release": "tiny-2026-r1", "hash": release.hash, "synthetic": True}
    assert data["description"].startswith("SYNTHETIC DEMO DATA (test)")
    report = frictionless.validate(str(descriptor))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    assert report.stats["tasks"] == 3


def test_datapackage_with_a_broken_cell_does_not_validate(release: Release, tmp_path: Path) -> None:
    frictionless = pytest.importorskip("frictionless", reason="frictionless is not installed")
    descriptor = write_datapackage(release, tmp_path / "package")
    scores = tmp_path / "package" / "scores.csv"
    lines = scores.read_text(encoding="utf-8").splitlines()
    cells = lines[1].split(",")
    cells[4] = "first"  # rank must be an integer
    lines[1] = ",".join(cells)
    scores.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert not frictionless.validate(str(descriptor)).valid


def test_formula_injection_is_neutralised_in_every_format(hostile_release: Release, tmp_path: Path) -> None:
    rows = _read_csv(write_csv(hostile_release, tmp_path / "scores.csv"))
    assert {row["unit"] for row in rows} == {"'@EVIL", "'+PLUS", "BRA"}

    package = tmp_path / "package"
    write_datapackage(hostile_release, package)
    nodes = {row["node"]: row["label"] for row in _read_csv(package / "nodes.csv")}
    assert nodes["P1"] == "'=1+2"
    notes = {row["unit"]: row["answer"] for row in _read_csv(package / "answers.csv") if row["question"] == "q_note"}
    assert notes == {
        "'@EVIL": "'-2+3",
        "'+PLUS": '\'=HYPERLINK("http://evil.example")',
        "BRA": "Agencia;'=2+3;'=cmd|' /C calc'!A0",
    }

    workbook = openpyxl.load_workbook(write_xlsx(hostile_release, tmp_path / "x.xlsx"))
    for worksheet in workbook.worksheets:
        for row in worksheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (worksheet.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str):
                    assert not cell.value.startswith(("=", "+", "-", "@")), (worksheet.title, cell.value)
    labels = {row[0]: row[4] for row in workbook["nodes"].iter_rows(min_row=2, values_only=True)}
    assert labels["P1"] == "'=1+2"


def test_answers_are_exported_with_selections_space_separated(release: Release, tmp_path: Path) -> None:
    package = tmp_path / "package"
    write_datapackage(release, package)
    answers = {(row["unit"], row["question"]): row["answer"] for row in _read_csv(package / "answers.csv")}
    assert answers[("CHL", "q_share")] == "a b c"
    assert answers[("ARG", "q_year")] == "2021"
    assert answers[("MEX", "q_note")] == '\'=HYPERLINK("http://evil.example")'


def test_export_dispatches_and_rejects_unknown_formats(release: Release, tmp_path: Path, framework: Framework) -> None:
    assert EXPORT_FORMATS == ("csv", "xlsx", "sdmx-csv", "sdmx-csv-1.0", "sdmx-structure", "datapackage")
    assert export(release, "sdmx-csv", tmp_path / "a.csv").read_text(encoding="utf-8").startswith("STRUCTURE,")
    assert export(release, "datapackage", tmp_path / "pkg").name == "datapackage.json"
    allowed = "csv, xlsx, sdmx-csv, sdmx-csv-1.0, sdmx-structure, datapackage"
    with pytest.raises(ValueError, match=rf"format must be one of \{{{allowed}\}}; got 'pdf'"):
        export(release, "pdf", tmp_path / "x")


def test_xlsx_has_a_benchmarks_sheet_when_the_release_has_benchmarks(framework: Framework, tmp_path: Path) -> None:
    table = pd.DataFrame(
        [
            {
                "variable": "EGDI",
                "label": "=EGDI",
                "lac_n": 33,
                "lac_mean": 0.5,
                "oecd_n": 38,
                "oecd_mean": 0.75,
                "gap": -0.25,
                "frontier_unit": "URY",
                "frontier_value": 0.9,
            }
        ]
    )
    made = create_release(
        framework,
        ANSWERS,
        cycle="b",
        release_id="b-r1",
        benchmarks=[Comparison("egdi-2024", "egdi", 2024, "2024", table)],
    )
    workbook = openpyxl.load_workbook(write_xlsx(made, tmp_path / "b.xlsx"))
    rows = list(workbook["benchmarks"].iter_rows(values_only=True))
    assert rows[0][:4] == ("dataset", "year", "variable", "label")
    assert rows[1][:6] == ("egdi-2024", "2024", "EGDI", "'=EGDI", 33, 0.5)


@given(st.text(alphabet=st.sampled_from("=+-@\t\r;,'aZ1 \"")) | st.text())
def test_neutralised_text_never_starts_a_formula_and_keeps_its_content(text: str) -> None:
    result = neutralise(text)
    assert isinstance(result, str)
    # no cell starts a formula, whether a spreadsheet splits the text at ',' or at ';' (es/pt/fr locales)
    for separator in (",", ";"):
        for cell in result.split(separator):
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), (text, result)
    # nothing but an apostrophe before each starter that begins the text or follows a separator
    built = "".join(
        ("'" if char in "=+-@\t\r" and (i == 0 or text[i - 1] in ",;") else "") + char for i, char in enumerate(text)
    )
    assert result == built
    assert neutralise(result) == result  # applying it twice changes nothing


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Agencia;=2+3;=cmd|' /C calc'!A0", "Agencia;'=2+3;'=cmd|' /C calc'!A0"),
        ("a,@SUM(1)", "a,'@SUM(1)"),
        ("=1;-2", "'=1;'-2"),
        ("x; =1", "x; =1"),  # a cell starting with a space is text
        ("Agencia; Ministerio", "Agencia; Ministerio"),
    ],
)
def test_neutralise_after_either_separator(raw: str, expected: str) -> None:
    assert neutralise(raw) == expected


def test_datapackage_declares_its_foreign_keys_and_holds_its_source(release: Release, tmp_path: Path) -> None:
    frictionless = pytest.importorskip("frictionless", reason="frictionless is not installed")
    descriptor = write_datapackage(release, tmp_path / "package")
    data = json.loads(descriptor.read_text(encoding="utf-8"))
    schemas = {resource["name"]: resource["schema"] for resource in data["resources"]}
    nodes_key = {"fields": "node", "reference": {"resource": "nodes", "fields": "node"}}
    assert schemas["scores"]["foreignKeys"] == [nodes_key]
    assert schemas["nodes"]["foreignKeys"] == [{"fields": "parent", "reference": {"resource": "", "fields": "node"}}]
    [source] = data["sources"]
    assert (tmp_path / "package" / source["path"]).is_file()  # inside the package, not a path elsewhere
    # a score of a node the tree does not have breaks the foreign key, and frictionless says so
    scores = tmp_path / "package" / "scores.csv"
    text = scores.read_bytes().decode("utf-8")
    first = text.split("\r\n")[1]
    node = first.split(",")[2]
    scores.write_bytes(text.replace(first, first.replace(f",{node},", ",NOPE,", 1), 1).encode("utf-8"))
    report = frictionless.validate(str(descriptor))
    assert not report.valid
    assert "foreign-key" in {row[0] for row in report.flatten(["type"])}
