"""Analysts' edits of the generated chapter: a file that replaces any paragraph, finding sentence, recommendation or
key message of a cycle's report, kept apart from the release so that it survives every recomputation.

An edit names what it replaces by a stable key, never by the generated words, so a new release of the same cycle
takes the same edits (``docs/reports.md`` gives the format)::

    govlens_edits: 1
    cycle: lac-demo-2026
    edits:
      - target: finding:f01-lead-organisation    # finding:<rule> recommendation:<rule> intro:<theme>
        language: en                             # regional:<theme> key:<theme>
        by: ana.rivera
        text: "Fifteen countries of 17 (88%) have a lead organisation, most of them in a line ministry."

Each replaced passage is marked as edited (by whom) in the page. Before a report is published every figure of
an edited passage is checked against the data of the release: a number the generated passage no longer supports
(the count, the total, the share, a year) blocks publication with a message naming the edit and the figure.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import yaml

from govlens.i18n import LANGUAGES

__all__ = [
    "EDITS_FORMAT",
    "KINDS",
    "Edit",
    "EditSet",
    "EditsInvalid",
    "EditsStale",
    "StaleFigure",
    "figures_in",
    "read_edits",
]

EDITS_FORMAT = 1
KINDS: tuple[str, ...] = ("finding", "recommendation", "intro", "regional", "key")
_TARGET = re.compile(r"(?P<kind>[a-z]+):(?P<key>[a-z0-9][a-z0-9-]*)")
# a figure: digits with an optional decimal part ("88", "0.59", "0,59"); a percent sign or space does not matter
_NUMBER = re.compile(r"(?<![\w.,])\d+(?:[.,]\d+)?(?![\w])")


@dataclass(frozen=True)
class Edit:
    target: str  # "finding:f01-lead-organisation"
    language: str
    text: str
    by: str
    at: str = ""  # when, as the analyst wrote it (free text, e.g. an ISO date)

    @property
    def kind(self) -> str:
        return self.target.split(":", 1)[0]

    @property
    def key(self) -> str:
        return self.target.split(":", 1)[1]


@dataclass(frozen=True)
class EditSet:
    cycle: str
    edits: tuple[Edit, ...]
    path: str = ""

    def get(self, target: str, language: str) -> Edit | None:
        return next((e for e in self.edits if e.target == target and e.language == language), None)


class EditsInvalid(ValueError):
    """An edits file that cannot be read; the message names the file, the entry and the field."""


@dataclass(frozen=True)
class StaleFigure:
    edit: Edit
    figure: str  # the number of the edit that the data do not support ("" for an edit that matches nothing)
    generated: str  # what the release says there now

    def __str__(self) -> str:
        who = f"{self.edit.target} ({self.edit.language}, edited by {self.edit.by})"
        if not self.figure:
            return f"{who}: this release has no such passage; remove the edit or correct its target"
        return (
            f"{who}: the figure {self.figure} is not supported by the data of this release; "
            f"the generated text now reads: {self.generated}"
        )


class EditsStale(ValueError):
    """Edited passages whose figures the release no longer supports: publication is refused until they are fixed."""

    def __init__(self, problems: Iterable[StaleFigure], path: str = ""):
        self.problems = tuple(problems)
        where = f" in {path}" if path else ""
        lines = "\n".join(f"  {problem}" for problem in self.problems)
        super().__init__(f"{len(self.problems)} edited passage(s){where} no longer match the data:\n{lines}")


def figures_in(text: str) -> list[str]:
    """The numbers of a text, with a point as decimal mark: "15 de 17 (88 %), 0,59" -> 15, 17, 88, 0.59."""
    return [match.group(0).replace(",", ".") for match in _NUMBER.finditer(text)]


def stale_figures(edit: Edit, generated: str, supported: Iterable[str] = ()) -> list[StaleFigure]:
    """The figures of an edit that neither the generated passage nor ``supported`` (the statement's own count,
    total and share) contain."""
    allowed = {_canonical(n) for n in (*figures_in(generated), *supported)}
    return [StaleFigure(edit, n, generated) for n in figures_in(edit.text) if _canonical(n) not in allowed]


def _canonical(number: str) -> str:
    value = float(number)
    return str(int(value)) if value.is_integer() else f"{value:g}"


def _fail(path: str, message: str) -> EditsInvalid:
    return EditsInvalid(f"{path}: {message}" if path else message)


def parse_edits(data: object, path: str = "") -> EditSet:
    """An edit set from the parsed YAML of an edits file; raises EditsInvalid naming each problem's entry."""
    if not isinstance(data, Mapping):
        raise _fail(path, "an edits file is a mapping with 'govlens_edits', 'cycle' and 'edits'")
    if data.get("govlens_edits") != EDITS_FORMAT:
        raise _fail(path, f"govlens_edits must be {EDITS_FORMAT}; got {data.get('govlens_edits')!r}")
    cycle = data.get("cycle")
    if not isinstance(cycle, str) or not cycle:
        raise _fail(path, "cycle must name the cycle the edits are for (e.g. lac-demo-2026)")
    entries = data.get("edits") or []
    if not isinstance(entries, list):
        raise _fail(path, "edits must be a list")
    edits: list[Edit] = []
    seen: set[tuple[str, str]] = set()
    for number, entry in enumerate(entries, start=1):
        where = f"edit #{number}"
        if not isinstance(entry, Mapping):
            raise _fail(path, f"{where} must be a mapping with target, language, by and text")
        unknown = sorted(set(entry) - {"target", "language", "by", "text", "at"})
        if unknown:
            allowed = "target, language, by, text, at"
            raise _fail(path, f"{where}: unknown field(s) {', '.join(unknown)}; allowed: {allowed}")
        target = str(entry.get("target", ""))
        match = _TARGET.fullmatch(target)
        if match is None or match.group("kind") not in KINDS:
            raise _fail(
                path, f"{where}: target must be <kind>:<id> with kind one of {{{', '.join(KINDS)}}}; got {target!r}"
            )
        language = str(entry.get("language", ""))
        if language not in LANGUAGES:
            raise _fail(path, f"{where}: language must be one of {{{', '.join(LANGUAGES)}}}; got {language!r}")
        by = str(entry.get("by") or "").strip()
        if not by:
            raise _fail(path, f"{where}: 'by' must name the analyst who made the edit")
        text = " ".join(str(entry.get("text") or "").split())
        if not text:
            raise _fail(path, f"{where}: text must not be empty")
        if (target, language) in seen:
            raise _fail(path, f"{where}: {target} in {language} is edited twice")
        seen.add((target, language))
        edits.append(Edit(target, language, text, by, str(entry.get("at") or "")))
    return EditSet(cycle=cycle, edits=tuple(edits), path=path)


def read_edits(path: Path) -> EditSet:
    """Read an edits file (YAML)."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise _fail(str(path), f"cannot be read: {error.strerror or error}") from error
    except yaml.YAMLError as error:
        raise _fail(str(path), f"is not valid YAML: {error}") from error
    return parse_edits(data, str(path))
