"""SDMX-CSV 2.0 (the default) and 1.0, and the SDMX-ML structure of the export, read back with sdmx1."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from govlens.framework.model import Framework
from govlens.release import Release
from govlens.reports.exports import export, sdmx_rows, write_sdmx_csv, write_sdmx_structure


def test_sdmx_csv_2_is_the_default_and_1_on_request(release: Release) -> None:
    header, rows = sdmx_rows(release)
    assert header[:3] == ["STRUCTURE", "STRUCTURE_ID", "ACTION"]
    assert header[3:] == ["REF_AREA", "INDICATOR", "MEASURE", "OBS_VALUE", "COMMENT_OBS"]
    assert {tuple(row[:3]) for row in rows} == {("dataflow", "GOVLENS:TINY_DGR(2026.1)", "I")}
    header_1, rows_1 = sdmx_rows(release, version="1.0")
    assert header_1[0] == "DATAFLOW" and [row[1:] for row in rows_1] == [row[3:] for row in rows]
    with pytest.raises(ValueError, match=r"one of \{2.0, 1.0\}; got '3.0'"):
        sdmx_rows(release, version="3.0")


def test_every_csv_line_ends_with_crlf(release: Release, tmp_path: Path) -> None:
    data = write_sdmx_csv(release, tmp_path / "x.csv").read_bytes()
    assert data.count(b"\r\n") == data.count(b"\n") == len(sdmx_rows(release)[1]) + 1


def test_the_export_reads_back_with_sdmx1_against_its_structure(
    release: Release, framework: Framework, tmp_path: Path
) -> None:
    sdmx = pytest.importorskip("sdmx", reason="sdmx1 is a dev dependency")
    structure = sdmx.read_sdmx(write_sdmx_structure(release, tmp_path / "structure.xml", framework))
    flow = structure.dataflow["TINY_DGR"]
    dsd = flow.structure
    assert [d.id for d in dsd.dimensions] == ["REF_AREA", "INDICATOR", "MEASURE"]
    codelists = {cl.id: cl for cl in structure.codelist.values()}
    assert sorted(code.id for code in codelists["CL_REF_AREA"]) == ["ARG", "BRA", "CHL", "COL", "MEX"]
    assert str(codelists["CL_REF_AREA"]["ARG"].name) == "Argentina"
    assert {code.id for code in codelists["CL_INDICATOR"]} == {"I1", "I2", "I3", "I4", "I5", "P1", "P2", "IDX"}
    assert {code.id for code in codelists["CL_MEASURE"]} == {"SCORE", "RANK", "RANK_P05", "RANK_P95"}

    path = write_sdmx_csv(release, tmp_path / "data.csv")
    message = sdmx.read_sdmx(path, format="csv", structure=flow)
    observations = [obs for data_set in message.data for obs in data_set.obs]
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))[1:]
    assert len(observations) == len(rows) == 5 * 8 * 4
    read = {
        (o.dimension["REF_AREA"].value, o.dimension["INDICATOR"].value, o.dimension["MEASURE"].value): float(o.value)
        for o in observations
    }
    assert read == {(r[3], r[4], r[5]): float(r[6]) for r in rows}
    # every key of the data is a code of the structure's codelists
    for area, indicator, measure in read:
        assert area in codelists["CL_REF_AREA"] and indicator in codelists["CL_INDICATOR"]
        assert measure in codelists["CL_MEASURE"]


def test_export_formats_include_both_sdmx_versions_and_the_structure(release: Release, tmp_path: Path) -> None:
    assert export(release, "sdmx-csv-1.0", tmp_path / "a.csv").read_text().startswith("DATAFLOW,")
    assert export(release, "sdmx-csv", tmp_path / "b.csv").read_text().startswith("STRUCTURE,STRUCTURE_ID,ACTION,")
    assert b"<str:DataStructure " in export(release, "sdmx-structure", tmp_path / "s.xml").read_bytes()
