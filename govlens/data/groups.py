"""Country groups as data: Latin America and the Caribbean (UN M49) with sub-regions, OECD members with their
accession dates, and user-defined peer groups loaded from a file.

An "OECD average" for a year is computed over the countries that were members in that year: Colombia
(2020) and Costa Rica (2021) count from their accession year on, not before.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

import yaml

from govlens.data.errors import data_problem
from govlens.data.harmonise import iso3_from_code
from govlens.framework.errors import Location, problem
from govlens.framework.report import Report

LAC = "lac"
OECD = "oecd"
SUBREGIONS: tuple[str, ...] = ("south-america", "central-america", "caribbean")
BUILT_IN_GROUPS: tuple[str, ...] = (LAC, OECD, *SUBREGIONS)


@dataclass(frozen=True)
class LacCountry:
    iso3: str
    m49: str
    name: str
    subregion: str


@dataclass(frozen=True)
class OecdMember:
    iso3: str
    name: str
    accession: dt.date


def _rows(filename: str) -> list[dict[str, str]]:
    text = resources.files("govlens.data").joinpath("groups", filename).read_text(encoding="utf-8")
    return list(csv.DictReader(text.splitlines()))


@cache
def lac_countries() -> tuple[LacCountry, ...]:
    return tuple(LacCountry(r["iso3"], r["m49"], r["name"], r["subregion"]) for r in _rows("lac.csv"))


@cache
def oecd_table() -> tuple[OecdMember, ...]:
    return tuple(
        OecdMember(r["iso3"], r["name"], dt.date.fromisoformat(r["accession_date"])) for r in _rows("oecd.csv")
    )


def oecd_members(year: int | None = None) -> tuple[str, ...]:
    """OECD members in ``year`` (accession in or before that year); all current members when year is None."""
    return tuple(m.iso3 for m in oecd_table() if year is None or m.accession.year <= year)


def members(group: str, year: int | None = None, peer_groups: Mapping[str, tuple[str, ...]] | None = None
            ) -> tuple[str, ...]:
    """ISO3 codes of a built-in group (lac, oecd, south-america, central-america, caribbean) or a peer group."""
    if group == LAC:
        return tuple(c.iso3 for c in lac_countries())
    if group in SUBREGIONS:
        return tuple(c.iso3 for c in lac_countries() if c.subregion == group)
    if group == OECD:
        return oecd_members(year)
    if peer_groups and group in peer_groups:
        return peer_groups[group]
    allowed = [*BUILT_IN_GROUPS, *(peer_groups or {})]
    raise ValueError(f"group must be one of {{{', '.join(allowed)}}}; got {group!r}")


def resolve_region(spec: str, year: int | None = None, peer_groups: Mapping[str, tuple[str, ...]] | None = None
                   ) -> tuple[str, ...]:
    """Units for a ``--region`` value: a group name, or a comma-separated list of ISO3 codes."""
    text = spec.strip()
    key = text.lower()
    if key in BUILT_IN_GROUPS or (peer_groups and text in peer_groups):
        return members(key if key in BUILT_IN_GROUPS else text, year, peer_groups)
    codes: list[str] = []
    unknown: list[str] = []
    for part in (p.strip() for p in text.split(",") if p.strip()):
        code = iso3_from_code(part)
        (codes if code else unknown).append(code or part)
    if unknown or not codes:
        allowed = [*BUILT_IN_GROUPS, *(peer_groups or {}), "ISO3,ISO3,..."]
        raise ValueError(
            f"region must be one of {{{', '.join(allowed)}}}; got {spec!r}"
            + (f" (unknown codes: {', '.join(unknown)})" if unknown else "")
        )
    return tuple(codes)


def subregion_of(iso3: str) -> str:
    """The LAC sub-region of a country ('' outside Latin America and the Caribbean)."""
    return next((c.subregion for c in lac_countries() if c.iso3 == iso3), "")


def load_peer_groups(path: Path) -> tuple[dict[str, tuple[str, ...]], Report]:
    """User-defined peer groups from a YAML file (``name: [ISO3, ...]``, optionally under ``groups:``) or a
    CSV file with the columns ``group,iso3``. Unknown codes are reported and left out."""
    report = Report()
    where = str(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        report.add(problem("unreadable_file", where, None, reason=exc.strerror or str(exc)))
        return {}, report
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        report.add(problem("unreadable_file", where, None, reason=f"not UTF-8 text (byte {exc.start})"))
        return {}, report
    read = _csv_groups if path.suffix.lower() == ".csv" else _yaml_groups
    raw = read(text, where, report)
    if raw is None:
        return {}, report
    groups: dict[str, tuple[str, ...]] = {}
    for name, codes in raw.items():
        shown = _short(name)
        if name.lower() in BUILT_IN_GROUPS:
            report.add(problem("group_hides_built_in", where, None, name=shown))
            continue
        resolved: list[str] = []
        for code in codes:
            iso3 = iso3_from_code(code)
            if iso3 is None:
                report.add(data_problem("unknown_unit", f"group '{shown}': '{_short(code)}' is not an ISO 3166-1 "
                                        "alpha-3 code; it is left out", where))
            elif iso3 not in resolved:
                resolved.append(iso3)
        groups[name] = tuple(resolved)
    return groups, report


def _csv_groups(text: str, where: str, report: Report) -> dict[str, list[str]] | None:
    """``group,iso3`` rows as {group: [code, ...]}; None (with a problem) when the file is not that CSV."""
    raw: dict[str, list[str]] = {}
    reader = csv.DictReader(io.StringIO(text, newline=""))
    try:
        if not reader.fieldnames or not {"group", "iso3"} <= set(reader.fieldnames):
            shown = ", ".join(reader.fieldnames or []) or "no header"
            report.add(problem("group_columns", where, Location(row=1), found=shown[:200]))
            return None
        for row in reader:
            raw.setdefault((row["group"] or "").strip(), []).append((row["iso3"] or "").strip())
    except csv.Error as exc:  # e.g. a field longer than csv.field_size_limit()
        line = reader.reader.line_num or None  # DictReader's own line_num is only updated after a good row
        report.add(problem("unreadable_file", where, Location(row=line), reason=f"the CSV does not parse: {exc}"))
        return None
    return raw


def _yaml_groups(text: str, where: str, report: Report) -> dict[str, list[str]] | None:
    """``name: [ISO3, ...]`` (optionally under ``groups:``); None (with a problem) when the YAML is not that."""
    try:
        loaded = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        report.add(problem("yaml_syntax", where, None, reason=str(exc)))
        return None
    except RecursionError:
        report.add(problem("yaml_syntax", where, None, reason="it is nested too deeply"))
        return None
    except (ValueError, TypeError, OverflowError) as exc:  # a scalar that does not construct, e.g. 2020-13-45
        report.add(problem("yaml_syntax", where, None, reason=f"a value is not valid ({exc})"))
        return None
    if isinstance(loaded, dict) and isinstance(loaded.get("groups"), dict):
        loaded = loaded["groups"]
    if not isinstance(loaded, dict):
        expected = "a mapping of group name -> list of ISO3 codes"
        found = type(loaded).__name__
        report.add(problem("invalid_structure", where, None, what="the file", expected=expected, value=found))
        return None
    raw: dict[str, list[str]] = {}
    for name, codes in loaded.items():
        if not isinstance(codes, list):
            got = _short(repr(codes))
            what = f"group '{_short(str(name))}'"
            report.add(problem("invalid_structure", where, None, what=what, expected="a list of ISO3 codes", value=got))
            continue
        raw[str(name)] = [str(code) for code in codes]
    return raw


def _short(text: str, limit: int = 60) -> str:
    """A name or value cut to ``limit`` characters for a message (a damaged file can hold a whole page)."""
    return text if len(text) <= limit else f"{text[:limit - 3]}..."
