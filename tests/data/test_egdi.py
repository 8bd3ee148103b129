from __future__ import annotations

from govlens.data.model import LoadedDataset


def test_egdi_fixture(fixture_datasets: dict[str, LoadedDataset]) -> None:
    ds = fixture_datasets["egdi"]
    data = ds.data.set_index(["unit", "year", "variable"])
    assert data.loc[("URY", 2022, "OSI"), "value"] == 0.9
    assert data.loc[("IRN", 2022, "EGDI"), "value"] == 0.5
    assert bool(data["value"].isna()[("IRN", 2022, "EPI")])
    assert data.loc[("IRN", 2022, "EPI"), "missing_reason"] == "empty"
    assert data.loc[("GEO", 2022, "EGDI_rank"), "value"] == 60
    # the 2024 copy: renamed columns, its Region column ignored (Nicaragua is not in Europe)
    assert data.loc[("NIC", 2024, "TII"), "value"] == 0.5
    assert "Region" not in set(ds.data["variable"])
    assert ds.unit_names["URY"] == "Uruguay"
    codes = ds.report.codes()
    assert codes.count("unknown_unit") == 1 and "Atlantis" in str(ds.report.problems)
    assert codes.count("ignored_column") == 1
    assert codes.count("optional_file_missing") == 10  # editions 2003-2020 absent from the fixture mirror


def test_egdi_real(real: dict[str, LoadedDataset]) -> None:
    ds = real["egdi"]
    assert ds.years() == [2003, 2004, 2005, 2008, 2010, 2012, 2014, 2016, 2018, 2020, 2022, 2024]
    per_year = ds.data.groupby("year")["unit"].nunique()
    assert (per_year == 193).all()
    assert "unknown_unit" not in ds.report.codes()
    wide = ds.data[ds.data["year"] == 2024].pivot(index="unit", columns="variable", values="value")
    # EGDI = mean(OSI, HCI, TII) (PROVENANCE: to 3.7e-5)
    assert (wide["EGDI"] - wide[["OSI", "HCI", "TII"]].mean(axis=1)).abs().max() < 1e-4
    # the 8 empty cells (ranks of countries not assessed) are now read as not_assessed, with their row
    assert (ds.data["missing_reason"] == "empty").sum() == 0


def test_egdi_zero_for_countries_not_assessed_is_missing_with_the_reason(real: dict[str, LoadedDataset]) -> None:
    # issue 18: 73 rows of the 2003-2012 editions write EGDI 0.0 (and a tied last rank) for a country not assessed
    ds = real["egdi"]
    data = ds.data.set_index(["unit", "year", "variable"])
    egdi = ds.data[ds.data["variable"] == "EGDI"]
    assert (egdi["missing_reason"] == "not_assessed").sum() == 73
    assert not (egdi["value"] == 0.0).any()  # no EGDI of 0 is left to pull a mean down
    # Monaco 2008: EGDI and rank missing, its published non-zero components kept
    assert data.loc[("MCO", 2008, "EGDI"), "missing_reason"] == "not_assessed"
    assert data.loc[("MCO", 2008, "EGDI_rank"), "missing_reason"] == "not_assessed"
    assert data.loc[("MCO", 2008, "TII"), "value"] > 0
    # South Sudan before independence: every index 0, every one read as missing
    south_sudan = ds.data[(ds.data["unit"] == "SSD") & (ds.data["year"] == 2010)]
    assert set(south_sudan["missing_reason"]) == {"not_assessed"}
    # from 2014 on, nothing is read that way; one problem per edition says how many rows and which
    assert set(ds.data.loc[ds.data["missing_reason"] == "not_assessed", "year"]) == {2003, 2004, 2005, 2008, 2010, 2012}
    notes = [p for p in ds.report.problems if p.code == "not_assessed"]
    assert len(notes) == 6 and any("Monaco" in p.message for p in notes)
