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
(the count, the total, the share, a year) blocks publication with a message naming the edit and the figure. Small
numbers and fractions written in words ("three of the 17 countries", "la mitad de los países") are figures too.
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
    "Figure",
    "StaleFigure",
    "dump_edits",
    "figures_in",
    "parse_edit",
    "parse_edits",
    "read_edits",
    "stale_figures",
    "stale_passages",
]

EDITS_FORMAT = 1
MAX_TEXT = 4000  # characters of one edited passage (a paragraph)
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
        text = self.edit.text if len(self.edit.text) <= 160 else self.edit.text[:159] + "…"
        return (
            f'{who}: the figure {self.figure} is not supported by the data of this release, in "{text}"; '
            f"the generated text now reads: {self.generated}"
        )


class EditsStale(ValueError):
    """Edited passages whose figures the release no longer supports: publication is refused until they are fixed."""

    def __init__(self, problems: Iterable[StaleFigure], path: str = ""):
        self.problems = tuple(problems)
        where = f" in {path}" if path else ""
        lines = "\n".join(f"  {problem}" for problem in self.problems)
        passages = stale_passages(self.problems)
        super().__init__(f"{passages} edited passage(s){where} no longer match the data:\n{lines}")


def stale_passages(problems: Iterable[StaleFigure]) -> int:
    """How many edited passages the problems are in (a passage may have several stale figures)."""
    return len({(problem.edit.target, problem.edit.language) for problem in problems})


def _from_two(words: str) -> dict[str, int]:
    """The words of the numbers two, three, ... in order, as a mapping to their values."""
    return {word: value for value, word in enumerate(words.split(), start=2)}


# Small numbers and fractions written in words, per language: "three of the 17 countries", "la mitad de los
# países". "One" is left out in every language: it is also a pronoun or an article ("have one", "una estrategia").
_CARDINALS: Mapping[str, Mapping[str, int]] = {
    "en": _from_two(
        "two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen "
        "eighteen nineteen twenty"
    ),
    "es": _from_two(
        "dos tres cuatro cinco seis siete ocho nueve diez once doce trece catorce quince dieciséis diecisiete "
        "dieciocho diecinueve veinte"
    ),
    "pt": {
        **_from_two(
            "dois três quatro cinco seis sete oito nove dez onze doze treze catorze quinze dezesseis dezessete "
            "dezoito dezenove vinte"
        ),
        # the other gender and the spellings of Portugal
        **{"duas": 2, "quatorze": 14, "dezasseis": 16, "dezassete": 17, "dezanove": 19},
    },
    "fr": _from_two(
        "deux trois quatre cinq six sept huit neuf dix onze douze treize quatorze quinze seize dix-sept dix-huit "
        "dix-neuf vingt"
    ),
}
_FRACTIONS: Mapping[str, Mapping[str, float]] = {
    "en": {
        "half": 1 / 2,
        "a third": 1 / 3,
        "one third": 1 / 3,
        "one-third": 1 / 3,
        "two thirds": 2 / 3,
        "two-thirds": 2 / 3,
        "a quarter": 1 / 4,
        "one quarter": 1 / 4,
        "three quarters": 3 / 4,
        "three-quarters": 3 / 4,
        "a fifth": 1 / 5,
        "one fifth": 1 / 5,
    },
    "es": {
        "la mitad": 1 / 2,
        "mitad": 1 / 2,
        "un tercio": 1 / 3,
        "la tercera parte": 1 / 3,
        "dos tercios": 2 / 3,
        "dos terceras partes": 2 / 3,
        "un cuarto": 1 / 4,
        "la cuarta parte": 1 / 4,
        "tres cuartos": 3 / 4,
        "tres cuartas partes": 3 / 4,
        "un quinto": 1 / 5,
    },
    "pt": {
        "metade": 1 / 2,
        "um terço": 1 / 3,
        "a terça parte": 1 / 3,
        "dois terços": 2 / 3,
        "um quarto": 1 / 4,
        "a quarta parte": 1 / 4,
        "três quartos": 3 / 4,
        "um quinto": 1 / 5,
    },
    "fr": {
        "moitié": 1 / 2,
        "un tiers": 1 / 3,
        "deux tiers": 2 / 3,
        "un quart": 1 / 4,
        "trois quarts": 3 / 4,
        "un cinquième": 1 / 5,
    },
}


@dataclass(frozen=True)
class Figure:
    """A figure of a text: ``written`` as it stands ("88", "0,59", "three", "half"), ``value`` its number; a
    fraction ("half") is a share, checked against the counts and totals a passage stands on."""

    written: str
    value: float
    fraction: bool = False

    @property
    def canonical(self) -> str:
        return str(int(self.value)) if self.value.is_integer() else f"{self.value:g}"


def _words(language: str) -> re.Pattern[str]:
    """Digits, and the language's number words and fractions (longest first, so "two thirds" is one fraction)."""
    phrases = sorted({*_FRACTIONS.get(language, {}), *_CARDINALS.get(language, {})}, key=len, reverse=True)
    words = "|".join(re.escape(phrase).replace(r"\ ", r"\s+") for phrase in phrases)
    spelled = rf"|(?<![\w-])(?P<words>{words})(?![\w-])" if words else ""
    return re.compile(rf"(?P<digits>{_NUMBER.pattern}){spelled}", re.IGNORECASE)


_PATTERNS = {language: _words(language) for language in LANGUAGES}


def figures_in(text: str, language: str = "en") -> list[Figure]:
    """The figures of a text, with a point as decimal mark: "15 de 17 (88 %), 0,59, tres, la mitad" -> 15, 17, 88,
    0.59, 3 and the fraction 0.5 (number words and fractions of ``language``)."""
    found: list[Figure] = []
    for match in _PATTERNS.get(language, _PATTERNS["en"]).finditer(text):
        if match.group("digits"):
            found.append(Figure(match.group(0), float(match.group(0).replace(",", "."))))
            continue
        phrase = " ".join(match.group(0).lower().split())
        if phrase in _FRACTIONS.get(language, {}):
            found.append(Figure(match.group(0), _FRACTIONS[language][phrase], fraction=True))
        else:
            found.append(Figure(match.group(0), float(_CARDINALS[language][phrase])))
    return found


def stale_figures(
    edit: Edit,
    generated: str,
    supported: Iterable[object] = (),
    shares: Iterable[tuple[int, int]] = (),
) -> list[StaleFigure]:
    """The figures of an edit that neither the generated passage nor ``supported`` (the statement's own count,
    total and share) contain. A number in words counts as its digits; a fraction ("half of the countries") is
    supported when one of ``shares`` (count, total) has a count within one of that fraction of its total."""
    language = edit.language
    written = figures_in(generated, language)
    allowed = {figure.canonical for figure in written if not figure.fraction}
    allowed |= {Figure(str(number), float(str(number))).canonical for number in supported}
    fractions = {round(figure.value, 6) for figure in written if figure.fraction}
    pairs = [(count, total) for count, total in shares if total]
    problems = []
    for figure in figures_in(edit.text, language):
        if figure.fraction:
            near = any(abs(count - figure.value * total) < 1 for count, total in pairs)
            if near or round(figure.value, 6) in fractions:
                continue
        elif figure.canonical in allowed:
            continue
        problems.append(StaleFigure(edit, figure.written, generated))
    return problems


def _fail(path: str, message: str) -> EditsInvalid:
    return EditsInvalid(f"{path}: {message}" if path else message)


def parse_edit(entry: object, where: str = "the edit", path: str = "") -> Edit:
    """One edit from its mapping (target, language, by, text and optionally at), as in an edits file or a form of
    the platform; raises EditsInvalid naming ``where`` and the field."""
    if not isinstance(entry, Mapping):
        raise _fail(path, f"{where} must be a mapping with target, language, by and text")
    unknown = sorted(set(entry) - {"target", "language", "by", "text", "at"})
    if unknown:
        raise _fail(
            path, f"{where}: unknown field(s) {', '.join(map(str, unknown))}; allowed: target, language, by, text, at"
        )
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
    if len(text) > MAX_TEXT:
        raise _fail(path, f"{where}: text may be at most {MAX_TEXT} characters (one passage); got {len(text)}")
    return Edit(target, language, text, by, str(entry.get("at") or ""))


def dump_edits(edits: EditSet) -> str:
    """An edit set as the YAML of an edits file (what ``read_edits`` reads back)."""
    entries = []
    for edit in edits.edits:
        entry = {"target": edit.target, "language": edit.language, "by": edit.by}
        if edit.at:
            entry["at"] = edit.at
        entries.append({**entry, "text": edit.text})
    document = {"govlens_edits": EDITS_FORMAT, "cycle": edits.cycle, "edits": entries}
    return yaml.safe_dump(document, allow_unicode=True, sort_keys=False, width=110)


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
        edit = parse_edit(entry, f"edit #{number}", path)
        if (edit.target, edit.language) in seen:
            raise _fail(path, f"edit #{number}: {edit.target} in {edit.language} is edited twice")
        seen.add((edit.target, edit.language))
        edits.append(edit)
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
