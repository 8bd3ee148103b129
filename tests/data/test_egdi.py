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
    assert (ds.data["missing_reason"] == "empty").sum() == 8
