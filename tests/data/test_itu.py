from __future__ import annotations

from govlens.data.model import LoadedDataset


def test_itu_fixture(fixture_datasets: dict[str, LoadedDataset]) -> None:
    ds = fixture_datasets["internet"]
    data = ds.data.set_index(["unit", "year"])["value"]
    assert data[("CHL", 2022)] == 90
    assert data[("XKX", 2022)] == 96  # OWID_KOS
    assert data[("FRO", 2022)] == 97  # no code in the file, found by name
    assert set(ds.aggregates["unit"]) == {"Low-income countries", "World"}
    assert ds.report.codes() == ["legacy_code", "junk_rows"]


def test_itu_real(real: dict[str, LoadedDataset]) -> None:
    ds = real["internet"]
    assert ds.data["unit"].nunique() == 213
    assert ds.data["value"].between(0, 100).all()
    assert "World" in set(ds.aggregates["unit"])
    assert len(ds.data) + len(ds.aggregates) == 6845
