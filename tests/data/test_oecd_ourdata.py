from __future__ import annotations

from govlens.data.model import LoadedDataset


def test_ourdata_fixture(fixture_datasets: dict[str, LoadedDataset]) -> None:
    ds = fixture_datasets["ourdata"]
    data = ds.data.set_index(["unit", "year", "variable"])["value"]
    assert data[("IRL", 2023, "availability_score")] == 0.44  # IRE -> IRL; edition year 2023
    assert data[("IRL", 2023, "reuse_monitoring")] == 0.2
    assert ds.report.codes() == ["legacy_code"]
    assert len(ds.variables) == 12


def test_ourdata_real(real: dict[str, LoadedDataset]) -> None:
    ds = real["ourdata"]
    assert len(ds.data) == 480
    assert ds.data["unit"].nunique() == 40
    wide = ds.data.pivot(index="unit", columns="variable", values="value")
    pillar = wide[["availability_policy", "availability_release", "availability_implementation"]].mean(axis=1)
    assert (wide["availability_score"] - pillar).abs().max() < 0.01
