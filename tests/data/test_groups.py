from __future__ import annotations

from pathlib import Path

import pycountry
import pytest

from govlens.data.groups import (
    lac_countries,
    load_peer_groups,
    members,
    oecd_members,
    resolve_region,
    subregion_of,
)
from tests.data.conftest import default_csv_field_limit


def test_lac_has_33_countries_in_three_subregions() -> None:
    assert len(lac_countries()) == 33
    assert len(members("south-america")) == 12
    assert len(members("central-america")) == 8
    assert len(members("caribbean")) == 13
    assert "MEX" in members("central-america")
    assert subregion_of("JAM") == "caribbean"
    assert subregion_of("ESP") == ""


def test_lac_m49_codes_match_iso() -> None:
    for country in lac_countries():
        iso = pycountry.countries.get(alpha_3=country.iso3)
        assert iso is not None and iso.numeric == country.m49, country


@pytest.mark.parametrize(("year", "count"), [(2009, 30), (2010, 34), (2016, 35), (2018, 36), (2019, 36),
                                             (2020, 37), (2021, 38), (2024, 38)])
def test_oecd_membership_by_year(year: int, count: int) -> None:
    assert len(oecd_members(year)) == count


def test_colombia_and_costa_rica_join_in_their_accession_year() -> None:
    assert "COL" not in oecd_members(2019) and "COL" in oecd_members(2020)
    assert "CRI" not in oecd_members(2020) and "CRI" in oecd_members(2021)
    assert len(oecd_members()) == 38


def test_resolve_region() -> None:
    assert resolve_region("LAC") == members("lac")
    assert resolve_region("oecd", 2019) == oecd_members(2019)
    assert resolve_region("ury, ROM,KSV") == ("URY", "ROU", "XKX")
    with pytest.raises(ValueError, match=r"region must be one of \{lac, oecd.*got 'latam'"):
        resolve_region("latam")
    with pytest.raises(ValueError, match="unknown codes: XYZ"):
        resolve_region("URY,XYZ")


def test_peer_groups_from_yaml(tmp_path: Path) -> None:
    path = tmp_path / "peers.yaml"
    path.write_text("groups:\n  pacific-alliance: [CHL, COL, MEX, PER, XXX]\n  southern-cone: [ARG, URY, ROM]\n",
                    encoding="utf-8")
    groups, report = load_peer_groups(path)
    assert groups == {"pacific-alliance": ("CHL", "COL", "MEX", "PER"), "southern-cone": ("ARG", "URY", "ROU")}
    assert report.codes() == ["unknown_unit"]
    assert report.valid  # a warning: the group loads without the unknown code
    assert "XXX" in report.problems[0].message
    assert resolve_region("pacific-alliance", peer_groups=groups) == ("CHL", "COL", "MEX", "PER")


def test_peer_groups_from_csv(tmp_path: Path) -> None:
    path = tmp_path / "peers.csv"
    path.write_text("group,iso3\nandean,BOL\nandean,PER\nlac,URY\n", encoding="utf-8")
    groups, report = load_peer_groups(path)
    assert groups == {"andean": ("BOL", "PER")}
    assert report.codes() == ["group_hides_built_in"]


def test_peer_groups_bad_files(tmp_path: Path) -> None:
    bad_csv = tmp_path / "bad.csv"
    bad_csv.write_text("name,code\nx,URY\n", encoding="utf-8")
    assert load_peer_groups(bad_csv)[1].codes() == ["group_columns"]
    bad_yaml = tmp_path / "bad.yaml"
    bad_yaml.write_text("groups: [1, 2\n", encoding="utf-8")
    assert load_peer_groups(bad_yaml)[1].codes() == ["yaml_syntax"]
    assert load_peer_groups(tmp_path / "absent.yaml")[1].codes() == ["unreadable_file"]


@pytest.mark.parametrize(
    ("name", "data", "code", "row", "words"),
    [
        ("peers.csv", b"group,iso3\n" + b"a" * 200_000 + b"\n", "unreadable_file", 2, "field larger than field limit"),
        ("peers.yaml", b"peers: " + b"[" * 3000 + b"]" * 3000 + b"\n", "yaml_syntax", None, "nested too deeply"),
        ("peers.yaml", b"\xff\xfe peers: [URY]\n", "unreadable_file", None, "not UTF-8 text (byte 0)"),
        ("peers.csv", b"group,iso3\nandean,P\xe9RU\n", "unreadable_file", None, "not UTF-8 text (byte 19)"),
        ("peers.yaml", b"peers: 2020-13-45\n", "yaml_syntax", None, "month must be in 1..12"),
    ],
    ids=["csv-field-over-the-limit", "deep-yaml", "yaml-not-utf8", "csv-not-utf8", "impossible-date"],
)
def test_peer_groups_files_that_do_not_parse_are_one_located_problem(
    tmp_path: Path, name: str, data: bytes, code: str, row: int | None, words: str
) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    with default_csv_field_limit():
        groups, report = load_peer_groups(path)
    assert groups == {}
    assert [(p.code, p.path, p.row) for p in report] == [(code, str(path), row)]
    assert words in report.problems[0].message
    assert not report.valid


def test_long_names_and_codes_are_cut_in_messages(tmp_path: Path) -> None:
    path = tmp_path / "peers.csv"
    path.write_text("group,iso3\n" + "g" * 1000 + "," + "c" * 1000 + "\n", encoding="utf-8")
    groups, report = load_peer_groups(path)
    assert groups == {"g" * 1000: ()}
    assert report.problems[0].message == (f"group '{'g' * 57}...': '{'c' * 57}...' is not an ISO 3166-1 alpha-3 "
                                          "code; it is left out")
