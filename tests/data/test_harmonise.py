from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from govlens.data.harmonise import iso3_from_code, iso3_from_name, parse_cell, read_value, unit_name
from govlens.framework.report import Report


@pytest.mark.parametrize(
    ("code", "iso3"),
    [("ADO", "AND"), ("ROM", "ROU"), ("TMP", "TLS"), ("ZAR", "COD"), ("KSV", "XKX"), ("WBG", "PSE"),
     ("OWID_KOS", "XKX"), ("IRE", "IRL"), ("ury", "URY"), (" BRA ", "BRA"), ("XKX", "XKX")],
)
def test_codes_map_to_iso3(code: str, iso3: str) -> None:
    assert iso3_from_code(code) == iso3


@pytest.mark.parametrize("code", ["OECD", "OWID_WRL", "XYZ", "", "0.75", None, 80])
def test_non_country_codes_are_refused(code: object) -> None:
    assert iso3_from_code(code) is None


@pytest.mark.parametrize(
    ("name", "iso3"),
    [("Iran (Islamic Republic of) ", "IRN"), ("Bolivia (Plurinational State of)", "BOL"),
     ("Republic of Korea", "KOR"), ("Georgia (Country)", "GEO"), ("Micronesia (Federated States of)", "FSM"),
     ("Democratic Republic of the Congo", "COD"), ("Congo", "COG"), ("Niger", "NER"), ("Nigeria", "NGA"),
     ("Venezuela (Bolivarian Republic of)", "VEN"), ("Saint Kitts and Nevis", "KNA"), ("Türkiye", "TUR"),
     ("Faeroe Islands", "FRO"), ("United  States of America", "USA")],
)
def test_un_and_owid_names_map_to_iso3(name: str, iso3: str) -> None:
    assert iso3_from_name(name) == iso3


def test_unknown_name_is_none() -> None:
    assert iso3_from_name("Atlantis") is None
    assert iso3_from_name("  ") is None


def test_kosovo_has_a_name_without_iso() -> None:
    assert unit_name("XKX") == "Kosovo"
    assert unit_name("URY") == "Uruguay"


@pytest.mark.parametrize(
    ("raw", "value", "reason"),
    [("New", None, "not_in_wave"), ("new", None, "not_in_wave"), ("-", None, "not_published"),
     ("", None, "empty"), ("  ", None, "empty"), (None, None, "empty"), (float("nan"), None, "empty"),
     ("0.57999999999999996", 0.58, ""), (2, 2.0, ""), ("5.2035127272014627E-2", 0.052035127272014627, ""),
     ("n/a", None, "not_a_number")],
)
def test_parse_cell(raw: object, value: float | None, reason: str) -> None:
    got, why = parse_cell(raw)
    assert why == reason
    if value is None:
        assert math.isnan(got)
    else:
        assert got == pytest.approx(value)


@given(st.floats(allow_nan=False, allow_infinity=False))
def test_numbers_and_their_text_parse_to_the_same_value(number: float) -> None:
    assert parse_cell(number) == (number, "")
    assert parse_cell(repr(number)) == (number, "")


@pytest.mark.parametrize("raw", ["inf", "1e999", "-Infinity", " INF ", "9" * 400, float("inf"), -float("inf"), 10**400])
def test_infinite_cells_are_missing_not_a_number(raw: object) -> None:
    value, reason = parse_cell(raw)
    assert math.isnan(value)
    assert reason == "not_a_number"


def test_read_value_reports_only_cells_that_are_not_numbers() -> None:
    report = Report()
    cells = ["0.5", "New", "n/a", "-1e999", ""]
    got = [read_value(cell, report, path="f.csv", row=row, column="value") for row, cell in enumerate(cells, 2)]
    assert [reason for _, reason in got] == ["", "not_in_wave", "not_a_number", "not_a_number", "empty"]
    assert got[0][0] == 0.5
    assert [(p.code, p.path, p.row, p.column) for p in report] == [
        ("not_a_number", "f.csv", 4, "value"), ("not_a_number", "f.csv", 5, "value")]
    assert "'-1e999'" in report.problems[1].message
    assert report.valid  # warnings: the dataset still loads
