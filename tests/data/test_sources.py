"""Mirror, cache and pull: a bad or changed file gives a clear error naming it, and the cache keeps nothing
half-loaded. No test touches the network: the download function is replaced where a download is needed."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from govlens.data import registry, sources
from govlens.data.errors import DownloadError, NotAvailable, SourceError
from tests.data.conftest import default_csv_field_limit

HTML_PAGE = "<!DOCTYPE html>\n<html><head><title>404 Not Found</title></head><body>Not found</body></html>\n"


def cache_entries() -> list[str]:
    root = sources.cache_dir(registry.get_spec("ourdata")).parent
    return sorted(p.name for p in root.iterdir()) if root.exists() else []


def test_mirror_is_read_in_place(fixture_mirror: Path) -> None:
    files = sources.locate(registry.get_spec("ourdata"), fixture_mirror)
    assert files == {"oecd_ourdata_2023.csv": fixture_mirror / "oecd_ourdata" / "oecd_ourdata_2023.csv"}
    assert cache_entries() == []  # reading a mirror writes nothing to the cache


def test_environment_variable_names_the_mirror(fixture_mirror: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(sources.MIRROR_ENV, str(fixture_mirror))
    assert registry.load("ourdata").data["unit"].nunique() == 3


def test_without_mirror_or_cache_the_dataset_is_not_available(fixture_mirror: Path) -> None:
    with pytest.raises(NotAvailable, match="govlens data pull ourdata"):
        registry.load("ourdata")


def test_pull_from_mirror_fills_the_cache(fixture_mirror: Path) -> None:
    files = registry.pull("dgi", fixture_mirror)
    assert sorted(files) == ["oecd_dgi_2019_table7_extracted.csv", "oecd_dgi_2023.csv"]
    assert all(path.parent == sources.cache_dir(registry.get_spec("dgi")) for path in files.values())
    # later loads use the cache without any mirror
    assert registry.load("dgi").years() == [2019, 2023]


def test_html_page_instead_of_csv(fixture_mirror: Path) -> None:
    target = fixture_mirror / "oecd_ourdata" / "oecd_ourdata_2023.csv"
    target.write_text(HTML_PAGE, encoding="utf-8")
    with pytest.raises(SourceError) as info:
        registry.load("ourdata", fixture_mirror)
    assert str(target) in str(info.value)
    assert "expected a CSV file; found an HTML page" in str(info.value)


def test_missing_column_names_file_and_column(fixture_mirror: Path) -> None:
    target = fixture_mirror / "itu_internet" / "share-of-individuals-using-the-internet.csv"
    target.write_text("Entity,Code,Year,Internet users\nChile,CHL,2022,90\n", encoding="utf-8")
    with pytest.raises(SourceError) as info:
        registry.load("internet", fixture_mirror)
    message = str(info.value)
    assert str(target) in message
    assert "no column 'Individuals using the Internet (% of population)'" in message


def test_renamed_sheet(fixture_mirror: Path) -> None:
    target = fixture_mirror / "gtmi" / "gtmiR_groups_data.xlsx"
    book = openpyxl.load_workbook(target)
    book["Sheet1"].title = "Scores"
    book.save(target)
    with pytest.raises(SourceError, match=r"gtmiR_groups_data\.xlsx: expected a sheet named 'Sheet1'; found the "
                                          r"sheets Scores"):
        registry.load("gtmi-scores", fixture_mirror)


def test_failed_pull_keeps_the_previous_cache(fixture_mirror: Path) -> None:
    registry.pull("ourdata", fixture_mirror)
    cached = sources.cache_dir(registry.get_spec("ourdata")) / "oecd_ourdata_2023.csv"
    before = cached.read_bytes()
    (fixture_mirror / "oecd_ourdata" / "oecd_ourdata_2023.csv").write_text(HTML_PAGE, encoding="utf-8")
    with pytest.raises(SourceError, match="HTML page"):
        registry.pull("ourdata", fixture_mirror)
    assert cached.read_bytes() == before
    assert cache_entries() == ["ourdata"]  # no staging folder left behind


def test_failed_first_pull_leaves_no_cache(fixture_mirror: Path) -> None:
    (fixture_mirror / "egdi" / "EGOV_DATA_2024_modified_copy.csv").write_text("Survey Year,Country\n2024,X\n",
                                                                                encoding="utf-8")
    with pytest.raises(SourceError, match=r"EGOV_DATA_2024_modified_copy\.csv"):
        registry.pull("egdi", fixture_mirror)
    assert cache_entries() == []
    with pytest.raises(NotAvailable):
        registry.load("egdi")


def test_download_of_an_error_page_is_refused(fixture_mirror: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []

    def fake_download(url: str, target: Path) -> None:
        calls.append(url)
        target.write_text(HTML_PAGE, encoding="utf-8")

    monkeypatch.setattr(sources, "download", fake_download)
    with pytest.raises(SourceError) as info:
        registry.pull("internet")
    assert calls == [registry.get_spec("internet").files[0].url]
    assert calls[0] in str(info.value) and "HTML page" in str(info.value)
    assert cache_entries() == []


def test_download_success_path(fixture_mirror: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def fake_download(url: str, target: Path) -> None:
        name = url.rsplit("/", 1)[-1]
        target.write_bytes((fixture_mirror / "itu_internet" / name).read_bytes())

    monkeypatch.setattr(sources, "download", fake_download)
    registry.pull("internet")
    assert registry.load("internet").data["unit"].nunique() == 4


def test_derived_file_without_address_is_skipped_when_downloading(fixture_mirror: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    def fake_download(url: str, target: Path) -> None:
        target.write_bytes((fixture_mirror / "oecd_dgi" / "oecd_dgi_2023.csv").read_bytes())

    monkeypatch.setattr(sources, "download", fake_download)
    registry.pull("dgi")
    loaded = registry.load("dgi")
    assert loaded.years() == [2023]
    assert "optional_file_missing" in loaded.report.codes()


def test_download_errors_are_download_errors(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    with pytest.raises(DownloadError, match="cannot download file:///"):
        sources.download("file:///nonexistent/govlens/file.csv", tmp_path / "x.csv")


def test_every_registered_file_has_an_address_or_a_reason() -> None:
    for spec in registry.DATASETS.values():
        for source in spec.files:
            assert source.url is None or source.url.startswith("https://raw.githubusercontent.com/"), source
            if source.url is None:
                assert source.optional and source.description


def test_loads_record_the_checksum_of_each_file(fixture_mirror: Path) -> None:
    import hashlib

    path = fixture_mirror / "oecd_ourdata" / "oecd_ourdata_2023.csv"
    loaded = registry.load("ourdata", fixture_mirror)
    assert loaded.checksums == {"oecd_ourdata_2023.csv": hashlib.sha256(path.read_bytes()).hexdigest()}


def test_optional_file_that_cannot_be_downloaded_is_left_out(fixture_mirror: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    def fake_download(url: str, target: Path) -> None:
        if url.endswith(".rda"):
            raise DownloadError(f"cannot download {url}: HTTP Error 404")
        target.write_bytes((fixture_mirror / "gtmi" / "gtmiR_groups_data.xlsx").read_bytes())

    monkeypatch.setattr(sources, "download", fake_download)
    files = registry.pull("gtmi-scores")
    assert sorted(files) == ["gtmiR_groups_data.xlsx"]
    assert "optional_file_missing" in registry.load("gtmi-scores").report.codes()


def test_rows_longer_than_the_header_are_refused_with_the_line(tmp_path: Path) -> None:
    # pandas would take the first column as the index and shift every value one column to the left
    path = tmp_path / "long.csv"
    path.write_text("cc_iso3c,ref_year,variable,value\nCHL,2023,composite_index,0.6\nURY,2023,x,0.5,extra\n",
                    encoding="utf-8")
    with pytest.raises(SourceError) as caught:
        sources.read_table(path)
    assert caught.value.path == str(path)
    assert caught.value.found == "5 fields on line 3, 4 in the header"


def test_a_trailing_delimiter_is_not_a_value(tmp_path: Path) -> None:
    # spreadsheets write "a,b," for a row whose last cells are empty: nothing shifts, nothing is lost
    path = tmp_path / "trailing.csv"
    path.write_text("a,b,c\n1,2,3,\n4,5,,\n", encoding="utf-8")
    frame = sources.read_table(path)
    assert frame.to_dict("list") == {"a": ["1", "4"], "b": ["2", "5"], "c": ["3", ""]}


def test_short_rows_still_read(tmp_path: Path) -> None:
    path = tmp_path / "short.csv"
    path.write_text("a,b,c\n1,2,3\n4,5\n", encoding="utf-8")
    frame = sources.read_table(path)
    assert list(frame.columns) == ["a", "b", "c"]
    assert list(frame["a"]) == ["1", "4"]
    assert list(frame.index) == [0, 1]


def test_header_over_the_csv_field_limit_is_a_source_error(fixture_mirror: Path) -> None:
    path = fixture_mirror / "oecd_ourdata" / "oecd_ourdata_2023.csv"
    path.write_bytes(b"x" * 140_000 + b"\n")
    with default_csv_field_limit(), pytest.raises(SourceError, match="field larger than field limit") as caught:
        registry.load("ourdata", fixture_mirror)
    assert caught.value.path == str(path)


def test_mirror_under_the_home_of_an_unknown_user(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(NotAvailable, match="the mirror folder '~nosuchuser/data' starts with '~nosuchuser'"):
        sources.mirror_dir("~nosuchuser/data")
    monkeypatch.setenv(sources.MIRROR_ENV, "~nosuchuser")
    with pytest.raises(NotAvailable, match=f"{sources.MIRROR_ENV} '~nosuchuser' starts with"):
        sources.mirror_dir()


def test_a_very_long_header_is_shortened_in_the_message(fixture_mirror: Path) -> None:
    path = fixture_mirror / "oecd_ourdata" / "oecd_ourdata_2023.csv"
    path.write_text("y" * 5000 + ",value\n1,2\n", encoding="utf-8")
    with pytest.raises(SourceError) as caught:
        registry.load("ourdata", fixture_mirror)
    # the header is 'yyy...y' (5000 characters) and 'value': each name is cut to 60 characters
    assert caught.value.found == (f"no column 'cc_iso3c', 'ref_year', 'variable' (header: '{'y' * 56}..., 'value')")
