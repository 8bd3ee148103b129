"""Read and write the XLSForm-compatible workbook form of a framework (``docs/framework-workbook.md``).

The ``survey``, ``choices`` and ``settings`` sheets follow XLSForm, so the workbook opens in KoboToolbox and
ODK tools; the ``scoring`` and ``indicators`` sheets carry what XLSForm has no place for. Reading turns the
sheets into the document shape of the YAML format and builds the model with the same checks, each problem
located by sheet and row (1-based, as a spreadsheet shows them). ``.xls`` files are read only.

pyxform checks the XLSForm part (:func:`pyxform_problems`), but GovLens keeps its own typed model.
"""

from __future__ import annotations

import datetime
import re
import warnings
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from govlens import tabular
from govlens.framework.errors import Collector, Location, read_file_bytes
from govlens.framework.model import (
    LANGUAGE_NAMES,
    LANGUAGES,
    YES_NO_LIST,
    Evidence,
    Framework,
    QuestionType,
    Scoring,
    Text,
    qualified_name,
    unqualified_name,
)
from govlens.framework.report import Problem, Severity
from govlens.framework.tree_rules import WEIGHT_SET_PREFIX
from govlens.framework.yaml_io import FORMAT_VERSION, DocPath, LoadResult, build_framework

SURVEY, CHOICES, SETTINGS, SCORING, INDICATORS = "survey", "choices", "settings", "scoring", "indicators"

# sections of release defaults on the settings sheet, one column per setting: govlens_<section>_<setting>
RELEASE_SECTIONS = ("index", "uncertainty")
SCORING_COLUMNS = ("question", "method", "option", "points", "bound", "score", "low", "high", "exclude", "unanswered")
NODE_COLUMNS = ("id", "kind", "parent", "weight", "direction", "questions", "combine", "source", "seed_refs")

# Language names as forms spell them -> language code (a code in brackets, "English (en)", always wins).
_LANGUAGE_CODES = {
    "english": "en",
    "español": "es",
    "espanol": "es",
    "spanish": "es",
    "português": "pt",
    "portugues": "pt",
    "portuguese": "pt",
    "français": "fr",
    "francais": "fr",
    "french": "fr",
}

# Columns whose header may carry a language: canonical name -> the spellings forms use.
_TRANSLATABLE = {
    "label": ("label", "caption"),
    "hint": ("hint",),
    "constraint_message": (
        "constraint_message",
        "constraint message",
        "constraint-msg",
        "jr:constraintmsg",
        "constraining_message",
    ),
    "govlens_title": ("govlens_title",),
    "govlens_description": ("govlens_description",),
    "description": ("description",),
}
_ALIASES = {
    "relevance": "relevant",
    "list name": "list_name",
    "id_string": "form_id",
    "title": "form_title",
    "calculate": "calculation",
    "read only": "read_only",
    "readonly": "read_only",
}

# XLSForm question types GovLens reads but does not support yet: named in a warning, the row is skipped.
_UNSUPPORTED_TYPES = {
    "note",
    "calculate",
    "hidden",
    "acknowledge",
    "trigger",
    "range",
    "rank",
    "date",
    "time",
    "datetime",
    "date time",
    "geopoint",
    "geotrace",
    "geoshape",
    "gps",
    "location",
    "start-geopoint",
    "background-geopoint",
    "image",
    "photo",
    "audio",
    "background-audio",
    "video",
    "file",
    "barcode",
    "start",
    "end",
    "today",
    "deviceid",
    "device id",
    "subscriberid",
    "subscriber id",
    "simserial",
    "sim id",
    "phonenumber",
    "phone number",
    "username",
    "email",
    "audit",
    "imei",
    "xml-external",
    "csv-external",
    "osm",
    "start time",
    "end time",
    "get start time",
    "get end time",
    "get today",
    "get device id",
    "get subscriber id",
    "get sim id",
    "get phone number",
    "uri:deviceid",
    "uri:email",
    "uri:phonenumber",
    "uri:simserial",
    "uri:subscriberid",
    "uri:username",
    "select_one_external",
    "select one external",
}
# the texts a `required` cell may hold as a plain yes or no (anything else is an XLSForm expression)
_BOOLEAN_TEXTS = {"yes", "no", "true", "false", "true()", "false()", "1", "0", "y", "n", ""}
# types followed by a list or a parameter ("rank colours", "select_one_external c1", "osm buildings")
_UNSUPPORTED_WITH_LIST = {"rank", "range", "select_one_external", "osm"}
_SELECT_RE = re.compile(
    r"^(?P<kind>select_one|select one|select1|select_multiple|select multiple|select all that apply)"
    r"(?:\s+from|\s+using)?\s+(?P<list>\S+)(?:\s+(?P<other>or_other|or specify other))?$",
    re.IGNORECASE,
)
_FROM_FILE_RE = re.compile(
    r"^(select_one_from_file|select_multiple_from_file|select (one|multiple) from file)\b", re.IGNORECASE
)
_PYXFORM_ROW_RE = re.compile(r"\[row\s*:\s*(\d+)\]")
_PYXFORM_SHEET_RE = re.compile(r"[Oo]n the '(\w+)' sheet")
# a reference to a survey row in an expression or a text, as pyxform finds them (also inside quotes)
_REFERENCE_RE = re.compile(r"\$\{\s*([^}]*?)\s*\}")
# what a text shows in place of a reference to a row GovLens skipped
SKIPPED_REFERENCE = "…"


# -- reading sheets ----------------------------------------------------------------------------------------


@dataclass
class _Sheet:
    title: str
    headers: list[str]
    rows: list[tuple[int, list[Any]]]  # (1-based row number, cell values) of the non-empty rows after the header

    def records(self) -> Iterable[tuple[int, dict[str, Any]]]:
        """Each non-empty row as header -> value (comment columns starting with '_' dropped)."""
        for number, cells in self.rows:
            record = {
                header: value
                for header, value in zip(self.headers, cells, strict=False)
                if header and not header.startswith("_") and value is not None
            }
            yield number, record


def _cell(value: Any) -> Any:
    if isinstance(value, str):
        value = value.strip()
        return value or None
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


# Forms have hundreds or a few thousand rows; a sheet formatted far to the right holds many empty cells, which
# count as cells read but are not kept. Within these bounds a worker's memory stays small (benchmarks/).
LIMITS = tabular.Limits(rows=100_000, columns=2_000, cells=2_000_000)


def _read_sheets(data: bytes, filename: str) -> dict[str, _Sheet]:
    """The sheets of a workbook by lower-case name; raises tabular.Unreadable with a reason a person understands."""
    book = tabular.read_workbook(data, filename=filename, limits=LIMITS)
    return {name.strip().lower(): _sheet(name, sheet.rows) for name, sheet in book.sheets.items()}


def _sheet(title: str, raw_rows: Iterable[Sequence[Any]]) -> _Sheet:
    rows = iter(raw_rows)
    header_cells = [_cell(value) for value in next(rows, ())]
    # only the columns up to the last header: notes to the right of the form are not part of it
    width = max((index + 1 for index, value in enumerate(header_cells) if value is not None), default=0)
    headers = [str(value).strip() if value is not None else "" for value in header_cells[:width]]
    body = []
    for number, row in enumerate(rows, start=2):
        cells = [_cell(value) for value in row[:width]]
        if any(cell is not None for cell in cells):
            body.append((number, cells))
    return _Sheet(title, headers, body)


# -- headers -----------------------------------------------------------------------------------------------


def language_code(name: str, default: str = "en") -> str:
    """'English (en)' -> 'en', 'Español' -> 'es', 'EN' -> 'en', 'chinese' -> 'chinese', 'default' -> default."""
    text = name.strip()
    bracket = re.search(r"\(([A-Za-z][\w-]*)\)\s*$", text)
    if bracket:
        return bracket.group(1).lower()
    lower = text.lower()
    if lower in ("", "default"):
        return default
    return _LANGUAGE_CODES.get(lower, lower)


def language_header(code: str) -> str:
    """The header spelling of a language: 'English (en)' for the four GovLens languages, else the code."""
    return f"{LANGUAGE_NAMES[code]} ({code})" if code in LANGUAGE_NAMES else code


def _column(header: str) -> tuple[str, str | None]:
    """A header as (canonical column, language name or None)."""
    lower = " ".join(header.strip().lower().split())
    for prefix in ("bind::", "bind:"):
        if lower.startswith(prefix) and lower[len(prefix) :] in (
            "relevant",
            "constraint",
            "required",
            "jr:constraintmsg",
            "calculate",
        ):
            lower = lower[len(prefix) :]
    for canonical, spellings in _TRANSLATABLE.items():
        for spelling in spellings:
            if lower == spelling:
                return canonical, None
            for separator in ("::", ":"):
                if lower.startswith(spelling + separator):
                    language = header.strip()[len(spelling) + len(separator) :]
                    return canonical, language
    return _ALIASES.get(lower, lower), None


@dataclass
class _Columns:
    """The columns of one sheet: plain ones by canonical name, translatable ones by language code."""

    plain: dict[str, str] = field(default_factory=dict)  # canonical -> header
    texts: dict[str, dict[str, str]] = field(default_factory=dict)  # canonical -> language code -> header

    @classmethod
    def of(cls, sheet: _Sheet, default_language: str) -> _Columns:
        columns = cls()
        for header in sheet.headers:
            if not header or header.startswith("_"):
                continue
            canonical, language = _column(header)
            if canonical in _TRANSLATABLE:
                code = language_code(language or "", default_language)
                columns.texts.setdefault(canonical, {}).setdefault(code, header)
            else:
                columns.plain.setdefault(canonical, header)
        return columns

    def value(self, record: Mapping[str, Any], name: str) -> Any:
        header = self.plain.get(name)
        return None if header is None else record.get(header)

    def text(self, record: Mapping[str, Any], name: str) -> dict[str, str]:
        result: dict[str, str] = {}
        for code, header in self.texts.get(name, {}).items():
            value = record.get(header)
            if value is not None and str(value) != "":
                result[code] = value if isinstance(value, str) else str(value)
        return result

    def languages(self) -> list[str]:
        return [code for by_language in self.texts.values() for code in by_language]


# -- workbook -> document ----------------------------------------------------------------------------------


class _Reader:
    def __init__(self, sheets: dict[str, _Sheet], col: Collector, stem: str):
        self.sheets = sheets
        self.col = col
        self.stem = stem
        self.doc: dict[str, Any] = {}
        self.locations: dict[DocPath, Location] = {}
        self.other_names: set[str] = set()
        self.question_paths: dict[str, DocPath] = {}
        self.is_govlens = False  # a workbook GovLens wrote (settings: govlens_framework), not a plain XLSForm

    def at(self, sheet: _Sheet, row: int | None, column: str | None = None) -> Location:
        return Location(sheet.title, row, column)

    def add(self, code: str, location: Location, **params: object) -> None:
        self.col.add(code, location, **params)

    # -- settings ---------------------------------------------------------------------------------------
    def setting(self, name: str) -> Any:
        """A value of the settings sheet's first row (None when absent)."""
        sheet = self.sheets.get(SETTINGS)
        if sheet is None:
            return None
        columns = _Columns.of(sheet, "en")
        return next((columns.value(record, name) for _, record in sheet.records()), None)

    def settings(self) -> str:
        sheet = self.sheets.get(SETTINGS)
        record: dict[str, Any] = {}
        columns = _Columns()
        row = 2
        if sheet is not None:
            columns = _Columns.of(sheet, "en")
            rows = list(sheet.records())
            if rows:
                row, record = rows[0]
        value = columns.value
        is_govlens = value(record, "govlens_framework") is not None
        self.is_govlens = is_govlens
        raw_default = value(record, "default_language")
        raw_languages = value(record, "govlens_languages")
        languages = (
            [language_code(part) for part in re.split(r"[\s,]+", str(raw_languages)) if part]
            if raw_languages is not None
            else []
        )
        default_language = language_code(str(raw_default)) if raw_default is not None else None
        if not languages:
            found = self.survey_languages(default_language or "en")
            languages = [code for code in LANGUAGES if code in found] + [
                code for code in found if code not in LANGUAGES
            ]
            languages = languages or [default_language or "en"]
            if default_language is not None and default_language not in languages:
                # as pyxform: a warning, and the form's first language is the default
                self.add(
                    "default_language_unused",
                    Location(sheet.title if sheet else None, row, columns.plain.get("default_language")),
                    value=str(raw_default).strip(),
                    languages=", ".join(languages),
                    used=languages[0],
                )
                default_language = None
        default_language = default_language or languages[0]

        def loc(column: str) -> Location:
            return Location(sheet.title, row, columns.plain.get(column)) if sheet is not None else Location()

        doc = self.doc
        doc["govlens_framework"] = value(record, "govlens_framework") if is_govlens else FORMAT_VERSION
        self.locations[("govlens_framework",)] = loc("govlens_framework")
        form_id = value(record, "form_id")
        if is_govlens:
            doc["id"] = form_id
        else:  # a plain XLSForm: its form_id (or file name) made into a GovLens id
            doc["id"] = _slug(str(form_id) if form_id is not None else self.stem)
        self.locations[("id",)] = loc("form_id")
        version = value(record, "version")
        doc["version"] = version if version is not None or is_govlens else "0"
        if isinstance(doc["version"], float | int) and not isinstance(doc["version"], bool):
            doc["version"] = str(doc["version"])
        self.locations[("version",)] = loc("version")
        title = columns.text(record, "govlens_title")
        if not title and value(record, "form_title") is not None:
            title = {default_language: str(value(record, "form_title"))}
        doc["title"] = title or ({} if is_govlens else {default_language: str(doc["id"])})
        self.locations[("title",)] = loc("form_title")
        description = columns.text(record, "govlens_description")
        if description:
            doc["description"] = description
        if value(record, "govlens_source") is not None:
            doc["source"] = str(value(record, "govlens_source"))
        doc["languages"] = languages
        self.locations[("languages",)] = loc("govlens_languages")
        doc["default_language"] = default_language
        self.locations[("default_language",)] = loc("default_language")
        if "govlens_unanswered_score" in columns.plain:
            score = value(record, "govlens_unanswered_score")
            if isinstance(score, str) and score.lower() in ("null", "none"):
                score = None
            doc["settings"] = {"unanswered_score": score}
            self.locations[("settings", "unanswered_score")] = loc("govlens_unanswered_score")
        for section in RELEASE_SECTIONS:  # govlens_index_normalise -> index: {normalise: ...}
            prefix = f"govlens_{section}_"
            for column in columns.plain:
                if column.startswith(prefix) and len(column) > len(prefix):
                    cell = value(record, column)
                    if cell is not None:
                        doc.setdefault(section, {})[column[len(prefix) :]] = cell
                        self.locations[(section, column[len(prefix) :])] = loc(column)
        return default_language

    def survey_languages(self, default_language: str) -> list[str]:
        found: list[str] = []
        for name in (SURVEY, CHOICES, INDICATORS):
            sheet = self.sheets.get(name)
            if sheet is None:
                continue
            for code in _Columns.of(sheet, default_language).languages():
                if code not in found:
                    found.append(code)
        return found

    # -- choices ----------------------------------------------------------------------------------------
    def choices(self, default_language: str) -> None:
        sheet = self.sheets.get(CHOICES)
        if sheet is None:
            return
        columns = _Columns.of(sheet, default_language)
        if "list_name" not in columns.plain or "name" not in columns.plain:
            if sheet.rows:
                missing = "list_name" if "list_name" not in columns.plain else "name"
                self.add("missing_column", self.at(sheet, 1), sheet=sheet.title, column=missing)
            return
        lists: dict[str, list[dict[str, Any]]] = {}
        duplicates_allowed = str(self.setting("allow_choice_duplicates") or "").lower() in ("yes", "true", "1")
        warned: set[str] = set()
        for row, record in sheet.records():
            list_name = columns.value(record, "list_name")
            if list_name is None:
                if columns.value(record, "name") is not None:
                    self.add("missing_field", self.at(sheet, row), what="a choice", field="list_name")
                continue
            list_name = str(list_name)
            options = lists.setdefault(list_name, [])
            name = columns.value(record, "name")
            if duplicates_allowed and any(option["name"] == name for option in options):
                if list_name not in warned:
                    warned.add(list_name)
                    self.add(
                        "unsupported_feature",
                        self.at(sheet, row),
                        feature=f"a repeated option in list '{list_name}' (allow_choice_duplicates)",
                        consequence="only the first option of each name is kept",
                    )
                continue
            if not options:
                self.locations[("choices", list_name)] = self.at(sheet, row)
            path = ("choices", list_name, len(options))
            self.locations[path] = self.at(sheet, row)
            self.locations[(*path, "label")] = self.at(sheet, row)
            label = columns.text(record, "label")
            # ODK Validate refuses an option without a label (a GovLens workbook keeps what its framework holds)
            if not label and name is not None and not self.is_govlens:
                self.add("unlabelled_choice", self.at(sheet, row), choice=_name(name), list=list_name)
                label = {default_language: _name(name)}
            options.append({"name": name, "label": label})
        self.doc["choices"] = lists

    # -- survey -----------------------------------------------------------------------------------------
    def survey(self, default_language: str) -> bool:
        sheet = self.sheets.get(SURVEY)
        if sheet is None and len(self.sheets) == 1:  # as pyxform: a workbook of one sheet is its survey
            sheet = next(iter(self.sheets.values()))
            self.add("sheet_read_as_survey", self.at(sheet, None), sheet=sheet.title)
        if sheet is None:
            names = ", ".join(f"'{s.title}'" for s in self.sheets.values())
            self.add("missing_sheet", Location(), sheet=SURVEY, detail=f" (its sheets: {names})" if names else "")
            return False
        columns = _Columns.of(sheet, default_language)
        for needed in ("type", "name"):
            if needed not in columns.plain and sheet.rows:
                self.add("missing_column", self.at(sheet, 1), sheet=sheet.title, column=needed)
                return False
        for unsupported in ("choice_filter", "repeat_count", "trigger"):
            header = columns.plain.get(unsupported)
            for row, record in sheet.records():
                if header is not None and record.get(header) is not None:
                    self.add(
                        "unsupported_feature",
                        self.at(sheet, row, header),
                        feature=f"column '{header}'",
                        consequence="the column is ignored",
                    )
        sections: list[dict[str, Any]] = []
        # stack of open groups: (kind, name, row); kind is "section", "group" (nested) or "repeat"
        stack: list[tuple[str, str, int]] = []
        current: dict[str, Any] | None = None
        ungrouped = 0
        for row, record in sheet.records():
            raw_type = columns.value(record, "type")
            name_value = columns.value(record, "name")
            name = "" if name_value is None else str(name_value)
            type_text = " ".join(str(raw_type).split()) if raw_type is not None else ""
            lower = type_text.lower()
            in_repeat = any(kind == "repeat" for kind, _, _ in stack)
            if not type_text:
                if name or columns.text(record, "label"):
                    self.add(
                        "missing_field",
                        self.at(sheet, row, columns.plain.get("type")),
                        what=f"survey row '{name}'" if name else "a survey row",
                        field="type",
                    )
                continue
            if lower in ("begin group", "begin_group"):
                if in_repeat or stack:
                    kind = "repeat" if in_repeat else "group"
                    if kind == "group":
                        self.add(
                            "unsupported_feature",
                            self.at(sheet, row, columns.plain.get("type")),
                            feature=f"nested group '{name}'",
                            consequence=f"its questions are read into section '{stack[0][1]}'"
                            + (" and its relevant is not applied" if columns.value(record, "relevant") else ""),
                        )
                    stack.append((kind, name, row))
                    continue
                stack.append(("section", name, row))
                path: DocPath = ("sections", len(sections))
                current = {"name": name_value, "label": columns.text(record, "label"), "questions": []}
                if columns.value(record, "relevant") is not None:
                    current["relevant"] = _expression(columns.value(record, "relevant"))
                self.locate_row(path, sheet, row, columns)
                sections.append(current)
                continue
            if lower in ("end group", "end_group"):
                if not stack:
                    self.add(
                        "invalid_value",
                        self.at(sheet, row, columns.plain.get("type")),
                        field="type",
                        what="a survey row",
                        allowed="after a matching begin_group",
                        value="'end_group'",
                    )
                    continue
                kind, _, _ = stack.pop()
                if kind == "section":
                    current = None
                continue
            if lower.startswith(("begin repeat", "begin_repeat", "begin loop", "begin looped")):
                if not in_repeat:
                    self.add(
                        "unsupported_feature",
                        self.at(sheet, row, columns.plain.get("type")),
                        feature=f"repeat '{name}'",
                        consequence="the repeat and the questions in it are skipped",
                    )
                stack.append(("repeat", name, row))
                self.other_names.add(name)
                continue
            if lower.startswith(("end repeat", "end_repeat", "end loop", "end looped")):
                if stack and stack[-1][0] == "repeat":
                    stack.pop()
                else:
                    self.add(
                        "invalid_value",
                        self.at(sheet, row, columns.plain.get("type")),
                        field="type",
                        what="a survey row",
                        allowed="after a matching begin_repeat",
                        value=f"'{type_text}'",
                    )
                continue
            if in_repeat:
                self.other_names.add(name)
                continue
            question = self.question(sheet, row, record, columns, type_text)
            if question is None:
                self.other_names.add(name)
                continue
            if current is None:  # a question outside any group: ungrouped questions form their own section
                ungrouped += 1
                section_name = "ungrouped" if ungrouped == 1 else f"ungrouped_{ungrouped}"
                current = {"name": section_name, "label": dict(self.doc.get("title") or {}), "questions": []}
                self.locations[("sections", len(sections))] = self.at(sheet, row)
                sections.append(current)
            path = ("sections", len(sections) - 1, "questions", len(current["questions"]))
            self.locate_row(path, sheet, row, columns)
            if name and name not in self.question_paths:
                self.question_paths[name] = path
            current["questions"].append(question)
        for kind, name, row in stack:
            what = "begin_repeat" if kind == "repeat" else "begin_group"
            self.add(
                "invalid_value",
                self.at(sheet, row, columns.plain.get("type")),
                field="type",
                what=f"'{name}'",
                allowed="closed by a matching end row",
                value=f"'{what}' without end",
            )
        self.qualify_repeated_names(sections, sheet)
        self.without_unusable_expressions(sections)
        self.doc["sections"] = self.without_empty_sections(sections)
        return True

    def qualify_repeated_names(self, sections: list[dict[str, Any]], sheet: _Sheet) -> None:
        """XLSForm allows one name in two groups (their paths differ); GovLens keys answers, scoring and the tree
        by question name, so a name that questions of two sections share becomes, in each, the section's name
        and the question's: ``group/name`` (the path Kobo and ODK exports name its column by). A name repeated
        within one section (its nested groups) stays a duplicate_name."""
        where: dict[str, list[int]] = {}  # question name -> the sections holding it
        for si, section in enumerate(sections):
            for question in section["questions"]:
                name = question.get("name")
                if isinstance(name, str) and name and si not in where.setdefault(name, []):
                    where[name].append(si)
        repeated = {
            name: indices
            for name, indices in where.items()
            if len(indices) > 1 and all(sections[si].get("name") for si in indices)
        }
        self.question_paths = {}
        for si, section in enumerate(sections):
            for qi, question in enumerate(section["questions"]):
                path: DocPath = ("sections", si, "questions", qi)
                name = question.get("name")
                if isinstance(name, str) and name in repeated:
                    qualified = qualified_name(str(section["name"]), name)
                    if si == repeated[name][0]:
                        self.add(
                            "qualified_name",
                            self.locations.get((*path, "name"), self.at(sheet, None)),
                            name=name,
                            names=", ".join(
                                f"'{qualified_name(str(sections[i]['name']), name)}'" for i in repeated[name]
                            ),
                        )
                    question["name"] = name = qualified
                if name:
                    self.question_paths.setdefault(str(name), path)

    def without_unusable_expressions(self, sections: list[dict[str, Any]]) -> None:
        """Expressions of the kept rows that GovLens cannot use though pyxform converts them, each dropped and
        named in a warning at its cell: one that names a skipped row (GovLens has no value for it, and its export
        would name a row that is not there, which pyxform refuses), one whose regular expression GovLens refuses
        to run (it could take exponential time on the server). In a text, a reference to a skipped row is shown
        as SKIPPED_REFERENCE."""
        from govlens.framework import expression

        skipped = self.other_names - {""}
        consequences = {
            "relevant": "the relevant is not applied (always asked)",
            "constraint": "the constraint is not checked",
        }
        for si, section in enumerate(sections):
            items: list[tuple[DocPath, dict[str, Any]]] = [(("sections", si), section)]
            items += [(("sections", si, "questions", qi), q) for qi, q in enumerate(section["questions"])]
            for path, item in items:
                what = f"'{item.get('name')}'"
                for key, consequence in consequences.items():
                    source = item.get(key)
                    if not isinstance(source, str):
                        continue
                    feature = None
                    names = _skipped_references([source], skipped)
                    if names:
                        feature = f"a {key} reading skipped {names} (on {what})"
                    else:
                        try:
                            expression.parse(source)
                        except expression.UnsafePatternError:
                            feature = f"a {key} whose regular expression could match in exponential time (on {what})"
                        except expression.ExpressionError:
                            pass  # reported by the validator
                    if feature is not None:
                        del item[key]
                        location = self.locations.get((*path, key), Location())
                        self.add("unsupported_feature", location, feature=feature, consequence=consequence)
                for key in ("label", "hint", "constraint_message"):
                    texts: dict[str, str] = item.get(key) or {}
                    names = _skipped_references(texts.values(), skipped)
                    if names:
                        item[key] = {code: _shown_without(text, skipped) for code, text in texts.items()}
                        self.add(
                            "unsupported_feature",
                            self.locations.get((*path, key), Location()),
                            feature=f"a {key} showing skipped {names} (on {what})",
                            consequence=f"'{SKIPPED_REFERENCE}' is shown in its place",
                        )

    def without_empty_sections(self, sections: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """The sections that kept a question: a group whose questions were all skipped is no section (ODK
        Validate refuses an empty group, "Group has no children!"); the located paths follow the renumbering."""
        keep = [index for index, section in enumerate(sections) if section["questions"]]
        if len(keep) == len(sections):
            return sections
        number = {old: new for new, old in enumerate(keep)}

        def moved(path: DocPath) -> DocPath | None:
            if len(path) > 1 and path[0] == "sections" and isinstance(path[1], int):
                return ("sections", number[path[1]], *path[2:]) if path[1] in number else None
            return path

        self.locations = {new: location for path, location in self.locations.items() if (new := moved(path))}
        self.question_paths = {name: new for name, path in self.question_paths.items() if (new := moved(path))}
        return [sections[index] for index in keep]

    def locate_row(self, path: DocPath, sheet: _Sheet, row: int, columns: _Columns) -> None:
        self.locations[path] = self.at(sheet, row)
        for canonical, header in columns.plain.items():
            self.locations[(*path, canonical)] = self.at(sheet, row, header)
        for canonical in columns.texts:
            self.locations[(*path, canonical)] = self.at(sheet, row)

    def question(
        self, sheet: _Sheet, row: int, record: Mapping[str, Any], columns: _Columns, type_text: str
    ) -> dict[str, Any] | None:
        """The document of a question row, or None for a row GovLens skips (reported)."""
        name = columns.value(record, "name")
        type_header = columns.plain.get("type")
        location = self.at(sheet, row, type_header)
        lower = type_text.lower()
        list_name: str | None = None
        qtype: str
        if _FROM_FILE_RE.match(type_text):
            self.add(
                "unsupported_feature",
                location,
                feature=f"type '{type_text}' (choices from a file)",
                consequence=f"question '{name}' is skipped",
            )
            return None
        select = _SELECT_RE.match(type_text)
        if select:
            kind = select.group("kind").lower()
            qtype = "select_one" if kind in ("select_one", "select one", "select1") else "select_multiple"
            list_name = select.group("list")
            if select.group("other"):
                self.add(
                    "unsupported_feature",
                    location,
                    feature=f"'{select.group('other')}' on '{name}'",
                    consequence="the 'other' option and its text are not asked",
                )
        elif lower in ("text", "string"):
            qtype = "text"
        elif lower in ("integer", "int"):
            qtype = "integer"
        elif lower == "decimal":
            qtype = "decimal"
        elif lower in ("select_one", "select_multiple"):
            qtype = lower  # the list is missing: reported by the validator
        elif lower in _UNSUPPORTED_TYPES or lower.split(" ")[0] in _UNSUPPORTED_WITH_LIST:
            # the row is skipped, so its expression cannot make the form invalid; one that GovLens cannot parse
            # is named in the warning all the same
            unparsed = self.unparsed_calculation(record, columns) if lower == "calculate" else None
            consequence = f"question '{name}' is skipped" if name else "the row is skipped"
            self.add(
                "unsupported_feature",
                location,
                feature=f"type '{type_text}'",
                consequence=consequence + (f" (its calculation does not parse here: {unparsed})" if unparsed else ""),
            )
            return None
        else:
            self.add(
                "invalid_type",
                location,
                name=name if name is not None else "",
                type=type_text,
                allowed="text, integer, decimal, select_one LIST, select_multiple LIST "
                "(with govlens_type yes_no, year or url)",
            )
            return None
        govlens_type = columns.value(record, "govlens_type")
        if govlens_type is not None:
            wanted = str(govlens_type).strip()
            compatible = {"yes_no": "select_one", "year": "integer", "url": "text"}
            if wanted in compatible and compatible[wanted] == qtype:
                qtype = wanted
            elif wanted != qtype:
                self.add(
                    "invalid_type",
                    self.at(sheet, row, columns.plain.get("govlens_type")),
                    name=name if name is not None else "",
                    type=f"{type_text} / govlens_type {wanted}",
                    allowed="govlens_type yes_no with select_one, year with integer, url with text",
                )
        if qtype == "yes_no" and list_name == YES_NO_LIST:
            list_name = None
        calculation = columns.value(record, "calculation")
        if calculation is not None:
            self.add(
                "unsupported_feature",
                self.at(sheet, row, columns.plain.get("calculation")),
                feature=f"a calculation on question '{name}'",
                consequence="the calculation is ignored",
            )
        question: dict[str, Any] = {
            "name": name,
            "type": qtype,
            "label": columns.text(record, "label"),
            "hint": columns.text(record, "hint"),
            "constraint_message": columns.text(record, "constraint_message"),
        }
        for key in ("required", "relevant", "constraint", "evidence", "seed_refs"):
            value = columns.value(record, key)
            if value is not None:
                question[key] = _expression(value) if key in ("relevant", "constraint") else value
        required = question.get("required")
        if isinstance(required, str) and required.strip().lower() not in _BOOLEAN_TEXTS:
            self.add(
                "unsupported_feature",
                self.at(sheet, row, columns.plain.get("required")),
                feature=f"a required expression on '{name}'",
                consequence="the question is not required",
            )
            del question["required"]
        if list_name is not None:
            question["choices"] = list_name
        return question

    def unparsed_calculation(self, record: Mapping[str, Any], columns: _Columns) -> str | None:
        """Why the calculation of a row cannot be parsed by GovLens's evaluator, or None."""
        from govlens.framework import expression

        calculation = columns.value(record, "calculation")
        if calculation is None:
            return None
        try:
            expression.parse(str(_expression(calculation)))
        except expression.UnknownFunctionError:
            return None
        except expression.ExpressionError as exc:
            return f"{exc.message} at position {exc.position + 1}"
        return None

    # -- scoring ----------------------------------------------------------------------------------------
    def scoring(self, default_language: str) -> None:
        sheet = self.sheets.get(SCORING)
        if sheet is None:
            return
        columns = _Columns.of(sheet, default_language)
        if "question" not in columns.plain or "method" not in columns.plain:
            if sheet.rows:
                missing = "question" if "question" not in columns.plain else "method"
                self.add("missing_column", self.at(sheet, 1), sheet=sheet.title, column=missing)
            return
        sections = self.doc.get("sections", [])
        for row, record in sheet.records():
            value = columns.value
            name = value(record, "question")
            if name is None:
                self.add("missing_field", self.at(sheet, row), what="a scoring row", field="question")
                continue
            name = str(name)
            path = self.question_paths.get(name)
            if path is None:
                self.add(
                    "unknown_question",
                    self.at(sheet, row, columns.plain.get("question")),
                    what="the scoring sheet",
                    name=name,
                )
                continue
            question = sections[path[1]]["questions"][path[3]]
            spath: DocPath = (*path, "scoring")
            scoring = question.setdefault("scoring", {})
            method = value(record, "method")
            if not scoring:
                self.locations[spath] = self.at(sheet, row)
                self.locations[(*spath, "method")] = self.at(sheet, row, columns.plain.get("method"))
                scoring["method"] = method
            elif method is not None and scoring.get("method") is not None and method != scoring["method"]:
                self.add(
                    "invalid_scoring",
                    self.at(sheet, row, columns.plain.get("method")),
                    name=name,
                    reason=f"its rows give methods {scoring['method']} and {method}; a question has one method",
                )
            option = value(record, "option")
            if option is not None:
                option_name = _name(option)
                points = scoring.setdefault("points", {})
                if option_name in points:
                    self.add(
                        "invalid_scoring",
                        self.at(sheet, row, columns.plain.get("option")),
                        name=name,
                        reason=f"option '{option_name}' has points on more than one row",
                    )
                points[option_name] = value(record, "points")
                self.locations[(*spath, "points", option_name)] = self.at(sheet, row, columns.plain.get("points"))
            elif value(record, "points") is not None:
                self.add(
                    "invalid_scoring",
                    self.at(sheet, row, columns.plain.get("points")),
                    name=name,
                    reason="a row gives points but no option",
                )
            bound, score = value(record, "bound"), value(record, "score")
            if bound is not None or score is not None:
                thresholds = scoring.setdefault("thresholds", [])
                self.locations[(*spath, "thresholds", len(thresholds))] = self.at(sheet, row)
                if len(thresholds) == 0:
                    self.locations[(*spath, "thresholds")] = self.at(sheet, row)
                thresholds.append([bound, score])
            for key in ("low", "high", "exclude", "unanswered"):
                if value(record, key) is not None:
                    scoring[key] = value(record, key)
                    self.locations[(*spath, key)] = self.at(sheet, row, columns.plain.get(key))
            if "points" in scoring:
                self.locations.setdefault((*spath, "points"), self.at(sheet, row))

    # -- indicators -------------------------------------------------------------------------------------
    def indicators(self, default_language: str) -> None:
        sheet = self.sheets.get(INDICATORS)
        if sheet is None:
            return
        columns = _Columns.of(sheet, default_language)
        if "id" not in columns.plain:
            if sheet.rows:
                self.add("missing_column", self.at(sheet, 1), sheet=sheet.title, column="id")
            return
        nodes: list[dict[str, Any]] = []
        # a column "weight:NAME" holds the weight set NAME (a blank cell: the node keeps its own weight)
        set_headers = {
            header: header.strip()[len(WEIGHT_SET_PREFIX) :].strip()
            for header in sheet.headers
            if header and header.strip().lower().startswith(WEIGHT_SET_PREFIX)
        }
        weight_sets: dict[str, dict[str, Any]] = {name: {} for name in set_headers.values()}
        for header, name in set_headers.items():
            self.locations[("weight_sets", name)] = self.at(sheet, 1, header)
        for row, record in sheet.records():
            node_id = str(columns.value(record, "id") or "")
            for header, name in set_headers.items():
                if record.get(header) is not None and node_id:
                    weight_sets[name][node_id] = record[header]
                    self.locations[("weight_sets", name, node_id)] = self.at(sheet, row, header)
            node: dict[str, Any] = {}
            for key in NODE_COLUMNS:
                if columns.value(record, key) is not None:
                    node[key] = columns.value(record, key)
            node["label"] = columns.text(record, "label")
            description = columns.text(record, "description")
            if description:
                node["description"] = description
            self.locate_row(("indicators", len(nodes)), sheet, row, columns)
            nodes.append(node)
        self.locations[("indicators",)] = self.locations[("indicators", 0)] if nodes else self.at(sheet, 1)
        self.doc["indicators"] = nodes
        if weight_sets:
            self.doc["weight_sets"] = weight_sets


def _skipped_references(values: Iterable[Any], skipped: set[str]) -> str:
    """The skipped rows that cells name as ${...}, quoted and joined ('' when none)."""
    names = {name for value in values if isinstance(value, str) for name in _REFERENCE_RE.findall(value)}
    return ", ".join(f"'{name}'" for name in sorted(names & skipped))


def _shown_without(text: str, skipped: set[str]) -> str:
    return _REFERENCE_RE.sub(lambda m: SKIPPED_REFERENCE if m.group(1) in skipped else m.group(0), text)


# curly quotes a spreadsheet types for straight ones: pyxform reads them as straight quotes in every cell
_SMART_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"'})


def _expression(value: Any) -> Any:
    """An expression cell, as pyxform reads it: an Excel boolean (TRUE/FALSE typed as a boolean cell) is XPath
    true() / false(), and curly quotes are straight quotes."""
    if isinstance(value, bool):
        return "true()" if value else "false()"
    if isinstance(value, str):
        return value.translate(_SMART_QUOTES)
    return value


def _name(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value).strip()


def _slug(text: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return slug or "form"


def read_workbook(path: str | Path) -> LoadResult:
    """Load a workbook framework (or any XLSForm); every problem is in the report, nothing raises."""
    path = Path(path)
    col = Collector(str(path))
    data = read_file_bytes(path, col)
    if data is None:
        return LoadResult(None, col.report)
    try:
        sheets = _read_sheets(data, path.name)
    except tabular.Unreadable as exc:
        col.add("unreadable_file", reason=str(exc))
        return LoadResult(None, col.report)
    reader = _Reader(sheets, col, path.stem)
    default_language = reader.settings()
    reader.choices(default_language)
    if not reader.survey(default_language):
        return LoadResult(None, col.report)
    reader.scoring(default_language)
    reader.indicators(default_language)
    framework, source = build_framework(reader.doc, reader.locations, col)
    source.other_names |= reader.other_names
    return LoadResult(framework, col.report, source)


# -- pyxform -----------------------------------------------------------------------------------------------


def pyxform_problems(path: str | Path) -> list[Problem]:
    """pyxform's verdict on the XLSForm part: its error (it stops at the first) and its warnings."""
    from pyxform.xls2xform import convert

    problems: list[Problem] = []
    found: list[str] = []
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            convert(xlsform=str(path), warnings=found)
    except Exception as exc:  # pyxform raises PyXFormError and, on odd input, built-in errors
        problems.append(_pyxform_problem(str(path), "xlsform_error", str(exc) or type(exc).__name__))
    for text in found:
        problems.append(_pyxform_problem(str(path), "xlsform_warning", text))
    return problems


def _pyxform_problem(path: str, code: str, text: str) -> Problem:
    from govlens.framework.errors import message

    row_match = _PYXFORM_ROW_RE.search(text)
    sheet_match = _PYXFORM_SHEET_RE.search(text)
    row = int(row_match.group(1)) if row_match else None
    sheet = sheet_match.group(1) if sheet_match else (SURVEY if row is not None else None)
    reason = " ".join(_PYXFORM_ROW_RE.sub("", text).split())
    severity = Severity.ERROR if code == "xlsform_error" else Severity.WARNING
    return Problem(code=code, message=message(code, reason=reason), path=path, sheet=sheet, row=row, severity=severity)


# -- model -> workbook -------------------------------------------------------------------------------------


def _languages(framework: Framework) -> list[str]:
    """The framework's languages, then any other language some text uses (so nothing is lost)."""
    found = list(framework.languages)

    def visit(text: Text) -> None:
        for code in text:
            if code not in found:
                found.append(code)

    visit(framework.title)
    visit(framework.description)
    for section in framework.sections:
        visit(section.label)
        for question in section.questions:
            visit(question.label)
            visit(question.hint)
            visit(question.constraint_message)
    for choice_list in framework.choice_lists.values():
        for choice in choice_list.choices:
            visit(choice.label)
    for node in framework.nodes:
        visit(node.label)
        visit(node.description)
    return found


def _texts(prefix: str, languages: Sequence[str]) -> list[str]:
    return [f"{prefix}::{language_header(code)}" for code in languages]


def _number(value: float | None) -> int | float | None:
    if value is None:
        return None
    return int(value) if float(value).is_integer() else value


def _xlsform_type(qtype: QuestionType, choice_list: str | None) -> tuple[str, str | None]:
    """(XLSForm type, govlens_type) of a question type."""
    if qtype is QuestionType.YES_NO:
        return f"select_one {choice_list or YES_NO_LIST}", "yes_no"
    if qtype in (QuestionType.SELECT_ONE, QuestionType.SELECT_MULTIPLE):
        return (f"{qtype} {choice_list}" if choice_list else str(qtype)), None
    if qtype is QuestionType.YEAR:
        return "integer", "year"
    if qtype is QuestionType.URL:
        return "text", "url"
    return str(qtype), None


def _scoring_rows(name: str, scoring: Scoring) -> list[list[Any]]:
    points = list(scoring.points.items())
    thresholds = list(scoring.thresholds)
    rows = []
    for index in range(max(len(points), len(thresholds), 1)):
        option, option_points = points[index] if index < len(points) else (None, None)
        bound, score = thresholds[index] if index < len(thresholds) else (None, None)
        first = index == 0
        rows.append(
            [
                name,
                str(scoring.method),
                option,
                _number(option_points),
                _number(bound),
                _number(score),
                _number(scoring.low) if first else None,
                _number(scoring.high) if first else None,
                " ".join(scoring.exclude) if first and scoring.exclude else None,
                _number(scoring.unanswered) if first else None,
            ]
        )
    return rows


def workbook_sheets(framework: Framework) -> dict[str, list[list[Any]]]:
    """The workbook as sheet name -> rows (header first), in the layout of ``docs/framework-workbook.md``."""
    languages = _languages(framework)

    def texts(text: Text) -> list[str | None]:
        return [text.get(code) or None for code in languages]

    survey: list[list[Any]] = [
        [
            "type",
            "name",
            *_texts("label", languages),
            *_texts("hint", languages),
            "required",
            "relevant",
            "constraint",
            *_texts("constraint_message", languages),
            "govlens_type",
            "evidence",
            "seed_refs",
        ]
    ]
    blank_texts: list[None] = [None] * len(languages)
    for section in framework.sections:
        if not section.questions:
            continue  # an empty group is refused by ODK Validate ("Group has no children!")
        survey.append(
            [
                "begin_group",
                section.name,
                *texts(section.label),
                *blank_texts,
                None,
                section.relevant,
                None,
                *blank_texts,
                None,
                None,
                None,
            ]
        )
        for question in section.questions:
            xlsform_type, govlens_type = _xlsform_type(question.type, question.choices)
            survey.append(
                [
                    xlsform_type,
                    unqualified_name(section.name, question.name),
                    *texts(question.label),
                    *texts(question.hint),
                    "yes" if question.required else None,
                    question.relevant,
                    question.constraint,
                    *texts(question.constraint_message),
                    govlens_type,
                    None if question.evidence is Evidence.NONE else str(question.evidence),
                    " ".join(question.seed_refs) or None,
                ]
            )
        survey.append(
            ["end_group", section.name, *blank_texts, *blank_texts, None, None, None, *blank_texts, None, None, None]
        )
    choices: list[list[Any]] = [["list_name", "name", *_texts("label", languages)]]
    for list_name, choice_list in framework.choice_lists.items():
        for choice in choice_list.choices:
            choices.append([list_name, choice.name, *texts(choice.label)])
    score = framework.settings.unanswered_score
    default_header = language_header(framework.default_language)
    settings: list[list[Any]] = [
        [
            "form_title",
            "form_id",
            "version",
            "default_language",
            "govlens_framework",
            "govlens_languages",
            "govlens_unanswered_score",
            "govlens_source",
            *_texts("govlens_title", languages),
            *_texts("govlens_description", languages),
        ],
        [
            text_or_none(framework.title, framework.default_language),
            framework.id,
            framework.version,
            default_header,
            FORMAT_VERSION,
            " ".join(framework.languages),
            "null" if score is None else _number(score),
            framework.source or None,
            *texts(framework.title),
            *texts(framework.description),
        ],
    ]
    for block, values in (("index", framework.index_settings), ("uncertainty", framework.uncertainty_settings)):
        for key, item in values.items():
            settings[0].append(f"govlens_{block}_{key}")
            if isinstance(item, list):  # one text separated by commas; one item or none keeps a trailing comma,
                item = ", ".join(str(part) for part in item) + ("," if len(item) <= 1 else "")  # so it reads a list
            settings[1].append(item)
    scoring: list[list[Any]] = [list(SCORING_COLUMNS)]
    for question in framework.questions():
        if question.scoring is not None:
            scoring.extend(_scoring_rows(question.name, question.scoring))
    set_columns = [WEIGHT_SET_PREFIX + name for name in framework.weight_sets]
    header = [*NODE_COLUMNS, *_texts("label", languages), *_texts("description", languages), *set_columns]
    indicators: list[list[Any]] = [header]
    for node in framework.nodes:
        indicators.append(
            [
                node.id,
                str(node.kind),
                node.parent,
                _number(node.weight),
                node.direction,
                " ".join(node.questions) or None,
                str(node.combine),
                node.source,
                " ".join(node.seed_refs) or None,
                *texts(node.label),
                *texts(node.description),
                *(_number(weights.get(node.id)) for weights in framework.weight_sets.values()),
            ]
        )
    return {SURVEY: survey, CHOICES: choices, SETTINGS: settings, SCORING: scoring, INDICATORS: indicators}


def text_or_none(text: Text, language: str) -> str | None:
    return text.get(language) or next((value for value in text.values() if value), None)


def write_workbook(framework: Framework, path: str | Path) -> None:
    """Write the framework as an XLSForm-compatible ``.xlsx`` workbook."""
    if Path(path).suffix.lower() != ".xlsx":
        raise ValueError(f"a workbook is written as .xlsx; got '{Path(path).suffix or 'no extension'}'")
    workbook = openpyxl.Workbook()
    default = workbook.active
    if default is not None:
        workbook.remove(default)
    for title, rows in workbook_sheets(framework).items():
        sheet = workbook.create_sheet(title)
        for row_number, row in enumerate(rows, start=1):
            for column_number, value in enumerate(row, start=1):
                if value is None:
                    continue
                if isinstance(value, str):
                    value = ILLEGAL_CHARACTERS_RE.sub("", value)  # control characters a cell cannot hold
                elif isinstance(value, float) and float(f"{value:.15g}") != value:
                    value = repr(value)  # beyond a cell's 15 digits: kept exact as text, read back as a number
                cell = sheet.cell(row=row_number, column=column_number, value=value)
                if isinstance(value, str) and value.startswith("="):
                    cell.data_type = "s"  # text such as "=5 years" is not a formula
        sheet.freeze_panes = "A2"
    workbook.save(path)


__all__ = [
    "language_code",
    "pyxform_problems",
    "read_workbook",
    "workbook_sheets",
    "write_workbook",
]
