"""The one catalogue of problem codes: one code per check, each with a title and a message template.

The framework's own codes are :data:`CATALOGUE`; every higher layer (index, data, analysis, release, follow-up, web)
registers its codes with :func:`register` in its own ``errors`` module, so every code of every layer is looked up in
:data:`BY_CODE`, worded by :func:`message` from its template and listed in one page. A test scans the source for
codes used outside the catalogue.

Readers and the validator never raise for bad input; they add problems to a report through a
:class:`Collector`, which knows the file being read and turns a :class:`Location` (sheet and row of a
workbook, or line of a YAML file) into the ``PATH:SHEET:ROW`` / ``PATH:LINE`` of a problem.
``docs/error-codes.md`` is generated from this catalogue by :func:`render_error_codes`.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from string import Formatter

from govlens.framework.report import Problem, Report, Severity


@dataclass(frozen=True)
class ErrorType:
    code: str
    title: str
    template: str  # str.format template over the keyword parameters of the problem
    severity: Severity = Severity.ERROR
    hint: str = ""  # what the user can do about it, when the message does not say
    layer: str = "framework"  # set by register()

    def params(self) -> tuple[str, ...]:
        return tuple(name for _, name, _, _ in Formatter().parse(self.template) if name)


_W = Severity.WARNING

CATALOGUE: tuple[ErrorType, ...] = (
    # -- files ------------------------------------------------------------------------------------------
    ErrorType("unreadable_file", "File cannot be read", "cannot read the file: {reason}"),
    ErrorType(
        "unknown_file_type",
        "Unknown file type",
        "cannot load '{name}': the extension must be one of {allowed}; got '{extension}'",
    ),
    ErrorType(
        "framework_not_found",
        "No such framework",
        "'{name}' is neither a bundled framework ({bundled}) nor a framework file ({allowed})",
    ),
    ErrorType("yaml_syntax", "YAML syntax error", "the YAML does not parse: {reason}"),
    ErrorType("missing_sheet", "Sheet missing", "the workbook has no '{sheet}' sheet{detail}"),
    ErrorType("missing_column", "Column missing", "the '{sheet}' sheet has no '{column}' column"),
    ErrorType(
        "sheet_read_as_survey",
        "Only sheet read as the survey",
        "the workbook has no 'survey' sheet; its only sheet '{sheet}' is read as the survey, as pyxform does",
        _W,
    ),
    ErrorType("xlsform_error", "Rejected by pyxform", "pyxform rejects the XLSForm part: {reason}"),
    ErrorType("xlsform_warning", "pyxform warning", "pyxform warns: {reason}", _W),
    # -- structure and values ---------------------------------------------------------------------------
    ErrorType("missing_field", "Required field missing", "{what} has no {field}"),
    ErrorType("invalid_value", "Invalid value", "{field} of {what} must be {allowed}; got {value}"),
    ErrorType("unknown_field", "Unknown field", "{what} has an unknown field '{field}'; it is ignored", _W),
    ErrorType("duplicate_key", "Duplicate key", "key '{key}' appears twice in {what}; the later value wins", _W),
    ErrorType(
        "invalid_name",
        "Invalid name",
        "{what} name '{name}' must start with a letter or '_' and hold only letters, digits, '_', '-' and '.'",
    ),
    ErrorType("invalid_type", "Invalid question type", "question '{name}' has type '{type}'; allowed: {allowed}"),
    ErrorType(
        "unsupported_feature",
        "XLSForm feature not supported",
        "{feature} is not supported by GovLens yet; {consequence}",
        _W,
    ),
    # -- questionnaire ----------------------------------------------------------------------------------
    ErrorType("duplicate_name", "Duplicate name", "name '{name}' is already used by {other}; {advice}"),
    ErrorType(
        "qualified_name",
        "Name repeated in groups",
        "question name '{name}' is used in more than one group (XLSForm allows it); GovLens names each by its "
        "group: {names}",
        _W,
    ),
    ErrorType(
        "needless_qualifier",
        "Qualified name without need",
        "question '{name}' is named by its section, but no question of another section is named '{own}': "
        "name it '{own}'",
    ),
    ErrorType(
        "default_language_unused",
        "Default language without columns",
        "default_language '{value}' names none of the form's languages ({languages}); {used} is the default",
        _W,
    ),
    ErrorType(
        "unknown_choice_list",
        "Unknown choice list",
        "question '{name}' uses choice list '{list}', which is not defined",
    ),
    ErrorType("duplicate_choice", "Duplicate choice", "choice list '{list}' has option '{choice}' more than once"),
    ErrorType("empty_choice_list", "Empty choice list", "choice list '{list}' has no options"),
    ErrorType(
        "expression_syntax",
        "Expression does not parse",
        "{field} of '{name}' does not parse at character {position}: {reason}",
    ),
    ErrorType(
        "unknown_reference",
        "Unknown question in expression",
        "{field} of '{name}' refers to ${{{ref}}}, which is not a question",
    ),
    ErrorType("empty_framework", "Nothing to review", "the framework has neither questions nor indicators"),
    # -- scoring ----------------------------------------------------------------------------------------
    ErrorType(
        "scoring_choice_missing",
        "Option without points",
        "the points of '{name}' do not list option '{choice}' of list '{list}'",
    ),
    ErrorType(
        "scoring_unknown_choice",
        "Points for an unknown option",
        "the points of '{name}' list '{choice}', which is not an option of list '{list}'",
    ),
    ErrorType("invalid_scoring", "Invalid scoring rule", "scoring of '{name}': {reason}"),
    ErrorType("no_scoring", "Questionnaire only", "{reason}: the framework is a questionnaire only", _W),
    ErrorType(
        "question_without_scoring",
        "Indicator question without scoring",
        "indicator '{id}' lists question '{name}', which has no scoring",
    ),
    # -- indicator tree ---------------------------------------------------------------------------------
    ErrorType("duplicate_id", "Duplicate indicator id", "indicator id '{id}' is used more than once"),
    ErrorType("tree_root", "Not exactly one root", "{reason}"),
    ErrorType("tree_cycle", "Circular indicator tree", "indicator '{id}' is its own ancestor: {cycle}"),
    ErrorType(
        "tree_dangling_parent", "Unknown parent", "indicator '{id}' has parent '{parent}', which is not an indicator"
    ),
    ErrorType("invalid_weight", "Invalid weight", "weight of indicator '{id}' must be a number >= 0; got {value}"),
    ErrorType(
        "unknown_weight_set_node",
        "Weight set of an unknown indicator",
        "weight set '{name}' gives a weight to '{id}', which is not an indicator of the tree",
    ),
    ErrorType("invalid_direction", "Invalid direction", "direction of indicator '{id}' must be 1 or -1; got {value}"),
    ErrorType(
        "tree_no_leaves", "Tree without indicators", "the tree has only its root '{id}'; it needs indicators below it"
    ),
    ErrorType(
        "leaf_without_scoring",
        "Leaf without data",
        "leaf indicator '{id}' has {reason}: give it questions with scoring or a source",
    ),
    ErrorType(
        "unknown_question", "Unknown question", "{what} names question '{name}', which is not in the questionnaire"
    ),
    # -- labels and references --------------------------------------------------------------------------
    ErrorType("missing_label_language", "Label missing in a language", "{what} has no {field} in {languages}", _W),
    ErrorType(
        "unlabelled_choice",
        "Option without a label",
        "option '{choice}' of list '{list}' has no label in any language (a form may show a picture instead); "
        "its name is its label",
        _W,
    ),
    ErrorType("unknown_seed_ref", "Unknown finding", "{what} cites '{ref}', which is not a finding (F01..F43)"),
    # -- every layer ------------------------------------------------------------------------------------
    ErrorType("problems_not_shown", "More problems of the same kind", "... and {count} more {what}", hint=""),
)

# code -> error type, for every layer; LAYERS keeps each layer's codes in registration order for the docs
_ALL: dict[str, ErrorType] = {error.code: error for error in CATALOGUE}
BY_CODE: Mapping[str, ErrorType] = _ALL
LAYERS: dict[str, tuple[ErrorType, ...]] = {"framework": CATALOGUE}


def register(layer: str, errors: tuple[ErrorType, ...], *, part: str = "") -> tuple[ErrorType, ...]:
    """Add a layer's error types (or one ``part`` of them: "answers", "API") to the catalogue and return them
    marked with their layer. A code belongs to one layer only; registering the same part again, as on a module
    reload, replaces its entries."""
    key = f"{layer}: {part}" if part else layer
    mine = {old.code for old in LAYERS.get(key, ())}
    for error in errors:
        if error.code in _ALL and error.code not in mine:
            owner = next(name for name, entries in LAYERS.items() if any(e.code == error.code for e in entries))
            raise ValueError(f"problem code {error.code!r} of layer {key!r} is already a {owner} code")
    if len({error.code for error in errors}) != len(errors):
        raise ValueError(f"layer {key!r} registers a problem code twice")
    for code in mine:
        del _ALL[code]
    marked = tuple(replace(error, layer=layer) for error in errors)
    _ALL.update((error.code, error) for error in marked)
    LAYERS[key] = marked
    return marked


def message(code: str, **params: object) -> str:
    """The message of ``code`` with its template filled in (a missing parameter shows as '?')."""
    template = BY_CODE[code].template
    filled = {name: params.get(name, "?") for name in BY_CODE[code].params()}
    try:
        text = template.format(**filled)
    except (ValueError, TypeError):  # a number's format ("{share:.0%}") given '?' or text: shown as it is
        plain = "".join(
            literal.replace("{", "{{").replace("}", "}}") + (f"{{{name}}}" if name is not None else "")
            for literal, name, _, _ in Formatter().parse(template)
        )
        text = plain.format(**filled)
    hint = BY_CODE[code].hint
    return f"{text}; {hint}" if hint else text


@dataclass(frozen=True)
class Location:
    """Where something was read: a workbook sheet and 1-based row, or a 1-based line of a text file."""

    sheet: str | None = None
    row: int | None = None
    column: str | None = None


NOWHERE = Location()


def problem(code: str, path: str = "", location: Location | None = None, /, **params: object) -> Problem:
    """A problem of a registered ``code`` found in ``path`` at ``location``: its message from the catalogue's
    template and its severity, with the parameters kept so that an interface can word it in its own language."""
    at = location or NOWHERE
    return Problem(
        code=code,
        message=message(code, **params),
        path=path,
        sheet=at.sheet,
        row=at.row,
        column=at.column,
        severity=BY_CODE[code].severity,
        params=tuple(params.items()),
    )


@dataclass
class SourceMap:
    """Locations of the framework's parts, keyed by their position in the model.

    Keys are tuples such as ``("question", section_index, question_index)`` or
    ``("question", si, qi, "relevant")``; :meth:`get` falls back to shorter keys, so a field without its
    own location reports at its question's location.
    """

    locations: dict[tuple[Hashable, ...], Location] = field(default_factory=dict)
    # names of survey rows that were read but not kept (unsupported XLSForm types): expressions may name them
    other_names: set[str] = field(default_factory=set)

    def set(self, key: tuple[Hashable, ...], location: Location) -> None:
        self.locations[key] = location

    def get(self, key: tuple[Hashable, ...]) -> Location:
        while key:
            if key in self.locations:
                return self.locations[key]
            key = key[:-1]
        return NOWHERE


@dataclass
class Collector:
    """Builds problems for one file into one report."""

    path: str
    report: Report = field(default_factory=Report)

    def add(self, code: str, location: Location = NOWHERE, **params: object) -> None:
        self.report.add(problem(code, self.path, location, **params))


def read_file_bytes(path: str | Path, col: Collector) -> bytes | None:
    """The bytes of a framework file, or None after adding an ``unreadable_file`` problem (a missing file, a
    folder, a name the system refuses)."""
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        col.add("unreadable_file", reason=exc.strerror or str(exc))
    except ValueError:  # open() refuses a path holding a NUL character
        col.add("unreadable_file", reason="the path contains a NUL character")
    return None


def render_error_codes(order: Sequence[str] = ("framework",)) -> str:
    """The Markdown page ``docs/error-codes.md``: every registered problem code, layer by layer in ``order`` (a
    layer's own codes, then its parts), with its severity, title, message and hint. The caller imports the layers'
    ``errors`` modules first (``govlens.cli.error_codes`` does, for every layer)."""
    lines = [
        "# Problem codes",
        "",
        "<!-- Generated from the one catalogue (govlens/framework/errors.py, and the errors module of each layer that",
        "registers its codes in it) by `python -m govlens.cli.error_codes`; a test checks it matches. -->",
        "",
        "Every problem a GovLens command, page or API reply reports carries one of these codes. The command line",
        "prints one problem per line on stderr as `PATH:SHEET:ROW: code: message` (workbooks) or",
        "`PATH:LINE: code: message` (text files). Errors make the input invalid (exit code 1); warnings are printed",
        "with a `warning:` prefix and do not. In the messages below, `<name>` stands for a value filled in when the",
        "problem is reported; the hint, when there is one, follows the message after '; '.",
    ]
    rank = {layer: i for i, layer in enumerate(order)}
    keys = sorted(LAYERS, key=lambda key: (rank.get(key.split(":")[0], len(rank)), ":" in key, key))
    for key in keys:
        layer, _, part = key.partition(": ")
        lines += [
            "",
            f"## {layer.capitalize()}{f': {part}' if part else ''}",
            "",
            "| Code | Severity | Title | Message | Hint |",
            "|------|----------|-------|---------|------|",
        ]
        for error in LAYERS[key]:
            shown = "".join(
                literal + (f"<{name}>" if name else "") for literal, name, _, _ in Formatter().parse(error.template)
            )
            cells = [f"`{error.code}`", str(error.severity), error.title, f"`{shown}`" if shown else "", error.hint]
            lines.append("| " + " | ".join(cell.replace("|", "¦") for cell in cells) + " |")
    return "\n".join(lines) + "\n"
