from __future__ import annotations

from govlens.data.model import LoadedDataset


def test_dgi_fixture(fixture_datasets: dict[str, LoadedDataset]) -> None:
    ds = fixture_datasets["dgi"]
    data = ds.data.set_index(["unit", "year", "variable"])["value"]
    assert data[("COL", 2023, "digital_by_design")] == 0.8  # 2023 names mapped onto common names
    assert data[("COL", 2023, "composite")] == 0.7
    assert data[("COL", 2023, "composite_rank")] == 3
    assert data[("COL", 2019, "government_as_platform")] == 0.79
    assert data[("URY", 2019, "composite_rank")] == 9
    # the OECD average row is an aggregate, not a unit
    assert "OECD" not in set(ds.data["unit"])
    aggregates = ds.aggregates.set_index("variable")["value"]
    assert aggregates["composite"] == 0.501
    # Colombia is flagged an OECD member in 2019 but acceded in 2020
    flags = [p for p in ds.report if p.code == "member_flag_differs"]
    assert len(flags) == 1 and "COL" in flags[0].message


def test_dgi_real(real: dict[str, LoadedDataset]) -> None:
    ds = real["dgi"]
    assert ds.years() == [2019, 2023]
    d23 = ds.data[ds.data["year"] == 2023]
    assert d23["unit"].nunique() == 38
    ranked = set(d23[d23["variable"] == "composite_rank"]["unit"])
    assert {"ARG", "BRA", "HRV", "PER", "ROU"}.isdisjoint(ranked) and len(ranked) == 33
    wide = d23.pivot(index="unit", columns="variable", values="value")
    dims = ["digital_by_design", "data_driven", "government_as_platform", "open_by_default", "user_driven",
            "proactiveness"]
    assert (wide["composite"] - wide[dims].mean(axis=1)).abs().max() < 0.001
    assert ds.data[ds.data["year"] == 2019]["unit"].nunique() == 33


def test_published_oecd_average_2019_uses_the_members_of_that_year(real: dict[str, LoadedDataset]) -> None:
    # The OECD's own 2019 average (0.501) is the mean over the 28 members present by accession date; counting
    # Colombia (flagged a member in the file, acceded 2020) would give 0.509.
    from govlens.data.groups import oecd_members

    ds = real["dgi"]
    composite = ds.data[(ds.data["year"] == 2019) & (ds.data["variable"] == "composite")].set_index("unit")["value"]
    members = composite[composite.index.isin(oecd_members(2019))]
    published = float(ds.aggregates.set_index("variable")["value"]["composite"])
    assert len(members) == 28
    assert abs(members.mean() - published) < 0.0005
    with_colombia = composite[composite.index.isin([*oecd_members(2019), "COL"])]
    assert abs(with_colombia.mean() - published) > 0.005
