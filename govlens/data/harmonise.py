"""Harmonisation: country codes and names to ISO 3166-1 alpha-3, and cell codes to numbers or missing values.

Publishers disagree on codes (the World Bank's 2020 GTMI sheet uses ``ROM`` for Romania, OWID uses
``OWID_KOS`` for Kosovo) and on names (the UN writes "Iran (Islamic Republic of)"). Everything is mapped to
ISO 3166-1 alpha-3 through ``pycountry``; Kosovo, which has no ISO code, gets ``XKX`` (the user-assigned code
the World Bank and the EU use).
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import pycountry

from govlens.data.errors import data_problem
from govlens.data.model import MissingReason
from govlens.framework.report import Report

# Legacy or non-ISO codes used by publishers -> ISO 3166-1 alpha-3.
LEGACY_CODES: Mapping[str, str] = {
    "ADO": "AND",  # Andorra (World Bank legacy)
    "ROM": "ROU",  # Romania (World Bank legacy)
    "TMP": "TLS",  # Timor-Leste (World Bank legacy, from East Timor)
    "ZAR": "COD",  # Congo, Dem. Rep. (World Bank legacy, from Zaire)
    "KSV": "XKX",  # Kosovo (World Bank code; XKX is the user-assigned code in common use)
    "WBG": "PSE",  # West Bank and Gaza (World Bank) -> State of Palestine
    "OWID_KOS": "XKX",  # Kosovo (Our World in Data)
    "IRE": "IRL",  # Ireland, Iceland, Lithuania: codes seen in OECD PDF tables
    "ICE": "ISL",
    "LTH": "LTU",
}

# Codes that are not in ISO 3166-1 but are accepted as units, with their names.
NON_ISO_UNITS: Mapping[str, str] = {"XKX": "Kosovo"}

# Names that pycountry does not resolve exactly (lower-case, stripped) -> ISO3.
NAME_OVERRIDES: Mapping[str, str] = {
    "georgia (country)": "GEO",
    "republic of korea": "KOR",
    "korea, rep.": "KOR",
    "democratic republic of the congo": "COD",
    "congo, dem. rep.": "COD",
    "iran (islamic republic of)": "IRN",
    "micronesia (federated states of)": "FSM",
    "kosovo": "XKX",
    "turkey": "TUR",
    "türkiye": "TUR",
    "netherlands (kingdom of the)": "NLD",
    "swaziland": "SWZ",
    "the former yugoslav republic of macedonia": "MKD",
    "cape verde": "CPV",
    "czech republic": "CZE",
    "democratic people's republic of korea": "PRK",
    "lao people's democratic republic": "LAO",
    "united republic of tanzania": "TZA",
    "venezuela (bolivarian republic of)": "VEN",
    "bolivia (plurinational state of)": "BOL",
    "republic of moldova": "MDA",
    "faeroe islands": "FRO",
    "west bank and gaza": "PSE",
}

# Cell codes that mean "no value", with the reason recorded beside the missing value.
CELL_CODES: Mapping[str, MissingReason] = {
    "new": MissingReason.NOT_IN_WAVE,
    "-": MissingReason.NOT_PUBLISHED,
    "..": MissingReason.NOT_PUBLISHED,
    "": MissingReason.EMPTY,
}


def iso3_from_code(code: object) -> str | None:
    """ISO3 for a publisher's country code (ISO3, legacy code or XKX); None when it is not a country code."""
    if not isinstance(code, str):
        return None
    key = code.strip().upper()
    if key in LEGACY_CODES:
        return LEGACY_CODES[key]
    if key in NON_ISO_UNITS:
        return key
    if len(key) == 3 and pycountry.countries.get(alpha_3=key) is not None:
        return key
    return None


def is_legacy_code(code: str) -> bool:
    return code.strip().upper() in LEGACY_CODES


def read_unit(code: object, report: Report, seen_legacy: set[str], *, path: str, row: int, column: str) -> str | None:
    """The ISO3 code of a source's country code; an unknown code is reported (the row is then skipped), and
    each legacy code once per file (it is read, but the reader should know)."""
    iso3 = iso3_from_code(code)
    if iso3 is None:
        report.add(data_problem("unknown_unit", f"country code {code!r} is not ISO 3166-1 alpha-3", path, row=row,
                                column=column))
        return None
    text = str(code).strip().upper()
    if is_legacy_code(text) and text not in seen_legacy:
        seen_legacy.add(text)
        report.add(data_problem("legacy_code", f"code {text} read as {iso3}", path, row=row, column=column))
    return iso3


def iso3_from_name(name: object) -> str | None:
    """ISO3 for a country name as written by the UN, the World Bank or OWID; None when unknown."""
    if not isinstance(name, str) or not name.strip():
        return None
    key = " ".join(name.split()).lower()
    if key in NAME_OVERRIDES:
        return NAME_OVERRIDES[key]
    try:
        country = pycountry.countries.lookup(key)
    except LookupError:
        return None
    code: str = country.alpha_3
    return code


def unit_name(iso3: str) -> str:
    """A display name for an ISO3 code (the ISO short name; '' when unknown)."""
    if iso3 in NON_ISO_UNITS:
        return NON_ISO_UNITS[iso3]
    country = pycountry.countries.get(alpha_3=iso3)
    return str(country.name) if country is not None else ""


def parse_cell(raw: object) -> tuple[float, str]:
    """A source cell as (value, missing_reason): numbers pass; 'New', '-' and blanks become NaN with a reason.

    Any other text also becomes NaN, with reason ``not_a_number`` (loaders report it as a problem), and so do
    infinite values ('inf', '1e999', '-Infinity'): no published indicator is infinite, and one would spoil
    every mean, rescaling and index computed from the dataset.
    """
    if raw is None:
        return math.nan, MissingReason.EMPTY.value
    if isinstance(raw, bool):
        return float(raw), ""
    if isinstance(raw, int | float):
        try:
            value = float(raw)
        except OverflowError:  # an int too large for a float
            return math.nan, MissingReason.NOT_A_NUMBER.value
        return _checked(value)
    text = str(raw).strip()
    reason = CELL_CODES.get(text.lower())
    if reason is not None:
        return math.nan, reason.value
    try:
        value = float(text.replace(",", "")) if "," in text and "." in text else float(text)
    except ValueError:
        return math.nan, MissingReason.NOT_A_NUMBER.value
    return _checked(value)


def _checked(value: float) -> tuple[float, str]:
    if math.isnan(value):
        return math.nan, MissingReason.EMPTY.value
    if math.isinf(value):
        return math.nan, MissingReason.NOT_A_NUMBER.value
    return value, ""


def read_value(raw: object, report: Report, *, path: str, row: int, column: str, sheet: str | None = None
               ) -> tuple[float, str]:
    """:func:`parse_cell`, reporting a cell that is not a (finite) number as ``not_a_number`` at its place."""
    value, reason = parse_cell(raw)
    if reason == MissingReason.NOT_A_NUMBER:
        shown = repr(raw) if len(repr(raw)) <= 60 else repr(raw)[:57] + "..."
        report.add(data_problem("not_a_number", f"{shown} is not a finite number; it is read as missing", path,
                                row=row, column=column, sheet=sheet))
    return value, reason
