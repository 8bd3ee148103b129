"""``govlens data ...`` against the real mirror (skipped without GOVLENS_DATA_MIRROR) and bad input."""

from __future__ import annotations

import os
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from typer.testing import CliRunner

from govlens.cli import app
from tests.data.conftest import default_csv_field_limit

runner = CliRunner()


@pytest.fixture
def mirror() -> str:
    raw = os.environ.get("GOVLENS_DATA_MIRROR", "")
    if not raw:
        pytest.skip("GOVLENS_DATA_MIRROR is not set")
    return raw


def test_list_names_every_dataset_with_licence_and_source() -> None:
    result = runner.invoke(app, ["data", "list"])
    assert result.exit_code == 0
    for name in ("gtmi-indicators", "gtmi-scores", "egdi", "dgi", "ourdata", "internet"):
        assert f"{name}:" in result.output
    assert "licence:   CC BY 4.0" in result.output
    assert "source:    https://datacatalog.worldbank.org/int/search/dataset/0037889/govtech-dataset" in result.output


def test_show_filters_year_region_and_variable(mirror: str) -> None:
    result = runner.invoke(app, ["data", "show", "dgi", "--year", "2023", "--region", "south-america",
                                 "--variable", "composite"])
    assert result.exit_code == 0, result.output
    assert "licence: OECD terms" in result.output
    table = [line.split() for line in result.output.splitlines() if " composite " in f"{line} "]
    assert sorted(row[0] for row in table) == ["ARG", "BRA", "CHL", "COL", "PER"]
    assert next(row for row in table if row[0] == "COL")[-3:] == ["2023", "composite", "0.736"]


def test_show_gtmi_scores_with_the_group_letter(mirror: str) -> None:
    result = runner.invoke(app, ["data", "show", "gtmi-scores", "--year", "2022", "--region", "URY",
                                 "--variable", "GTMI"])
    assert result.exit_code == 0, result.output
    header = next(line for line in result.output.splitlines() if line.strip().startswith("unit"))
    row = next(line for line in result.output.splitlines() if line.strip().startswith("URY"))
    assert header.split()[-1] == "group" and row.split()[-1] == "A"


def test_show_bad_region_is_exit_1_without_traceback(mirror: str) -> None:
    result = runner.invoke(app, ["data", "show", "egdi", "--region", "latam"])
    assert result.exit_code == 1
    assert "region must be one of {lac, oecd" in result.output
    assert "Traceback" not in result.output


def test_unknown_dataset() -> None:
    result = runner.invoke(app, ["data", "show", "gtmi"])
    assert result.exit_code == 1
    assert "dataset must be one of {gtmi-indicators, gtmi-scores, egdi, dgi, ourdata, internet}; got 'gtmi'" in (
        result.output)


def test_show_without_mirror_or_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GOVLENS_DATA_MIRROR", raising=False)
    result = runner.invoke(app, ["data", "show", "ourdata"])
    assert result.exit_code == 1
    assert "govlens data pull ourdata" in result.output


def test_pull_from_mirror_then_show_from_cache(mirror: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GOVLENS_DATA_MIRROR", raising=False)
    result = runner.invoke(app, ["data", "pull", "ourdata", "--mirror", mirror])
    assert result.exit_code == 0, result.output
    assert "stored " in result.output and "oecd_ourdata_2023.csv" in result.output
    assert f"from {mirror}" in result.output  # the provenance of each file
    shown = runner.invoke(app, ["data", "show", "ourdata", "--region", "MEX", "--variable", "reuse_score"])
    assert shown.exit_code == 0, shown.output
    assert "MEX" in shown.output and "reuse_score" in shown.output


def test_export_csv_and_xlsx(mirror: str, tmp_path: Path) -> None:
    out = tmp_path / "egdi.csv"
    result = runner.invoke(app, ["data", "export", "egdi", "--out", str(out), "--year", "2024", "--region", "lac"])
    assert result.exit_code == 0, result.output
    frame = pd.read_csv(out)
    assert list(frame.columns) == ["unit", "name", "year", "variable", "value", "missing_reason"]
    assert frame["unit"].nunique() == 33 and set(frame["year"]) == {2024}
    xlsx = tmp_path / "dgi.xlsx"
    assert runner.invoke(app, ["data", "export", "dgi", "--out", str(xlsx)]).exit_code == 0
    assert openpyxl.load_workbook(xlsx).sheetnames == ["data", "variables", "metadata", "problems"]


def test_export_refuses_other_suffixes(mirror: str, tmp_path: Path) -> None:
    result = runner.invoke(app, ["data", "export", "egdi", "--out", str(tmp_path / "x.json")])
    assert result.exit_code == 1
    assert "export file must end with one of {.csv, .xlsx}; got 'x.json'" in result.output


def test_compare_prints_and_writes_tables(mirror: str, tmp_path: Path) -> None:
    result = runner.invoke(app, ["data", "compare", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    for selector in ("dgi-2023", "ourdata-2023", "egdi-2024", "internet"):
        assert f"\n{selector} (LAC: 33 countries" in result.output
        assert (tmp_path / f"compare-{selector}.csv").is_file()
    assert "OECD: members in 2024" in result.output
    combined = pd.read_csv(tmp_path / "compare.csv")
    assert {"gap", "frontier_unit", "lac_median", "oecd_max", "in_both"} <= set(combined.columns)
    # the LAC countries in the OECD (Chile, Colombia, Costa Rica, Mexico) count in both averages, and it says so
    assert "counted in both averages (LAC countries that are OECD members in 2023): CHL, COL, CRI, MEX" in (
        result.output)
    dgi = combined[(combined["dataset"] == "dgi-2023") & (combined["variable"] == "composite")]
    assert set(dgi["in_both"].iloc[0].split()) <= {"CHL", "COL", "CRI", "MEX"}


def test_compare_bad_selector(mirror: str, tmp_path: Path) -> None:
    result = runner.invoke(app, ["data", "compare", "--datasets", "dgi-2021", "--out", str(tmp_path)])
    assert result.exit_code == 1
    assert "year must be one of {2019, 2023} for dgi; got 2021" in result.output


def test_gtmi_check_prints_the_rank_correlation(mirror: str, tmp_path: Path) -> None:
    out = tmp_path / "gtmi.csv"
    result = runner.invoke(app, ["data", "gtmi-check", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "Spearman rank correlation with the published GTMI: 0.98" in result.output
    assert "group agreement" in result.output
    table = pd.read_csv(out)
    assert len(table) == 198
    assert {"ours_GTMI", "published_GTMI", "ours_group", "published_group"} <= set(table.columns)


def test_prefill_prints_suggestions_with_source(mirror: str) -> None:
    result = runner.invoke(app, ["data", "prefill", "URY"])
    assert result.exit_code == 0, result.output
    assert "gov_dg_org_exists = yes  (gtmi-indicators I-33 2022: 2;" in result.output


def test_prefill_bad_country() -> None:
    result = runner.invoke(app, ["data", "prefill", "Uruguay"])
    assert result.exit_code == 1
    assert "country must be an ISO 3166-1 alpha-3 code; got 'Uruguay'" in result.output


def test_show_on_a_csv_whose_header_is_over_the_field_limit(tmp_path: Path) -> None:
    folder = tmp_path / "mirror" / "itu_internet"
    folder.mkdir(parents=True)
    (folder / "share-of-individuals-using-the-internet.csv").write_bytes(b"a" * 200_000 + b"\n")
    with default_csv_field_limit():
        result = runner.invoke(app, ["data", "show", "internet", "--mirror", str(tmp_path / "mirror")])
    assert result.exit_code == 1
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "share-of-individuals-using-the-internet.csv: expected a well-formed UTF-8 CSV file" in result.output
    assert "field larger than field limit" in result.output


@pytest.mark.parametrize(
    ("name", "data", "words"),
    [("peers.yaml", b"peers: 2020-13-45\n", "month must be in 1..12"),
     ("peers.yaml", b"\xff\xfe peers: [URY]\n", "not UTF-8 text"),
     ("peers.csv", b"group,iso3\n" + b"a" * 200_000 + b"\n", "field larger than field limit")],
)
def test_show_with_a_broken_peer_groups_file_names_it(mirror: str, tmp_path: Path, name: str, data: bytes,
                                                      words: str) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    with default_csv_field_limit():
        result = runner.invoke(app, ["data", "show", "internet", "--groups", str(path), "--region", "peers"])
    assert result.exit_code == 1
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert f"{path}" in result.output and words in result.output
    assert f"error: {path}: the peer groups file has errors" in result.output


def test_mirror_under_the_home_of_an_unknown_user() -> None:
    result = runner.invoke(app, ["data", "show", "internet", "--mirror", "~nosuchuser/data"])
    assert result.exit_code == 1
    assert "error: the mirror folder '~nosuchuser/data' starts with '~nosuchuser'" in result.output
    assert "Traceback" not in result.output


def test_the_first_pull_stores_every_dataset_in_the_home_for_every_later_command(
    mirror: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from govlens.data import compare, registry
    from govlens.data.sources import provenance

    monkeypatch.delenv("GOVLENS_DATA_MIRROR", raising=False)
    result = runner.invoke(app, ["data", "pull", "--mirror", mirror])
    assert result.exit_code == 0, result.output
    for name in registry.DATASETS:
        record = provenance(registry.get_spec(name))
        assert record is not None and record["pulled_from"] == "mirror", name
        files = record["files"]
        assert isinstance(files, dict) and files, name
        assert all(str(entry["origin"]).startswith(mirror) for entry in files.values())
        assert registry.load(name).files  # read from the home, with no environment variable
    assert compare.compare(compare.DEFAULT_SELECTORS)  # what a release's benchmarks need
