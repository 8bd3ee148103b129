"""Read and write the YAML form of a framework (``docs/framework-format.md``).

Reading keeps the line of every value, so each problem names ``PATH:LINE``. The same document shape (plain
dicts and lists) is what the workbook reader produces, so :func:`build_framework` turns either into the
model and reports bad values with their location. Bad input never raises: it becomes problems.
"""

from __future__ import annotations

import math
import re
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from govlens.framework.errors import NOWHERE, Collector, Location, SourceMap, read_file_bytes
from govlens.framework.model import (
    LANGUAGES,
    YES_NO_CHOICES,
    YES_NO_LIST,
    Choice,
    ChoiceList,
    Combine,
    Evidence,
    Framework,
    Node,
    NodeKind,
    Question,
    QuestionType,
    Scoring,
    ScoringMethod,
    Section,
    Settings,
    Text,
)
from govlens.framework.report import Report
from govlens.framework.tree_rules import weight_set_name_ok

FORMAT_VERSION = 1

# A position in the document: keys and list indices from the top, e.g. ("sections", 0, "questions", 2).
DocPath = tuple[Hashable, ...]

# XLSForm's rule for names (an XML name without ':'), so real forms load; ${name} references accept it too.
NAME_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_.-]*$")
ID_RE = re.compile(r"^[a-z0-9-]+$")

TOP_FIELDS = (
    "govlens_framework",
    "id",
    "version",
    "title",
    "description",
    "source",
    "languages",
    "default_language",
    "settings",
    "index",
    "uncertainty",
    "weight_sets",
    "choices",
    "sections",
    "indicators",
)
SECTION_FIELDS = ("name", "label", "relevant", "questions")
QUESTION_FIELDS = (
    "name",
    "type",
    "label",
    "hint",
    "choices",
    "required",
    "relevant",
    "constraint",
    "constraint_message",
    "evidence",
    "seed_refs",
    "scoring",
)
SCORING_FIELDS = ("method", "points", "thresholds", "low", "high", "exclude", "unanswered")
NODE_FIELDS = (
    "id",
    "kind",
    "parent",
    "weight",
    "direction",
    "label",
    "description",
    "questions",
    "combine",
    "source",
    "seed_refs",
)


@dataclass
class LoadResult:
    """What a reader returns: the framework (None when the file could not be read at all), every problem
    found while reading, and where each part of the framework was read."""

    framework: Framework | None
    report: Report
    source: SourceMap = field(default_factory=SourceMap)


# -- YAML parsing with line numbers ------------------------------------------------------------------------


class _Loader(yaml.SafeLoader):
    """YAML 1.2 booleans: only true/false are booleans, so `yes`, `no`, `on`, `off` stay names.

    Composing a node recurses once per level of nesting, so a document nested thousands of levels deep
    would exhaust Python's stack: nesting past the walker's limit is refused here, where the line is known.
    """

    _depth = 0

    def compose_node(self, parent: yaml.Node | None, index: int) -> yaml.Node | None:
        self._depth += 1
        try:
            if self._depth > _MAX_DEPTH + 1:  # + 1: the top node has no key above it
                mark = self.peek_event().start_mark
                raise yaml.composer.ComposerError(
                    None, None, f"the document is nested more than {_MAX_DEPTH} levels deep", mark
                )
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


@dataclass
class _Walked:
    data: Any
    locations: dict[DocPath, Location]
    raw: dict[DocPath, str]


_MAX_NODES = 200_000
_MAX_DEPTH = 64


def _walk(root: yaml.Node, col: Collector) -> _Walked:
    constructor = _Loader("")
    locations: dict[DocPath, Location] = {}
    raw: dict[DocPath, str] = {}

    def line(node: yaml.Node) -> Location:
        return Location(row=node.start_mark.line + 1)

    visited = 0

    def visit(node: yaml.Node, path: DocPath) -> Any:
        # aliases can make a small file expand without bound (or refer to itself): refuse such files
        nonlocal visited
        visited += 1
        if visited > _MAX_NODES or len(path) > _MAX_DEPTH:
            raise yaml.YAMLError(
                f"the document is too large or too deep once aliases are expanded (line {node.start_mark.line + 1})"
            )
        if isinstance(node, yaml.MappingNode):
            result: dict[str, Any] = {}
            for key_node, value_node in node.value:
                key = str(key_node.value) if isinstance(key_node, yaml.ScalarNode) else str(visit(key_node, path))
                if key in result:
                    col.add("duplicate_key", line(key_node), key=key, what=_describe(path))
                locations[(*path, key)] = line(key_node)
                result[key] = visit(value_node, (*path, key))
            return result
        if isinstance(node, yaml.SequenceNode):
            items = []
            for index, item in enumerate(node.value):
                locations[(*path, index)] = line(item)
                items.append(visit(item, (*path, index)))
            return items
        raw[path] = str(node.value)
        try:
            return constructor.construct_object(node, deep=True)
        except (ValueError, OverflowError, TypeError) as exc:  # 2020-13-45, !!int abc, 5000 digits ...
            col.add("yaml_syntax", line(node), reason=f"{_show(raw[path])} {_unconstructed(node, exc)}")
            return raw[path]

    locations[()] = line(root)
    data = visit(root, ())
    return _Walked(data, locations, raw)


def _unconstructed(node: yaml.Node, exc: Exception) -> str:
    kind = str(node.tag).rsplit(":", 1)[-1]
    hint = "; put it in quotes to keep it as text" if kind in ("timestamp", "int") else ""
    if "digits" in str(exc):  # Python refuses int() of more than 4300 digits
        return f"is not a usable {kind}: it has more digits than Python reads{hint}"
    return f"is not a valid {kind} ({exc}){hint}"


def _describe(path: DocPath) -> str:
    return "the top level" if not path else "/".join(str(part) for part in path)


def read_yaml(path: str | Path) -> LoadResult:
    """Load a YAML framework file; every problem is in the report, nothing raises for bad input."""
    col = Collector(str(path))
    data = read_file_bytes(path, col)
    if data is None:
        return LoadResult(None, col.report)
    return _read_bytes(data, col)


def read_yaml_text(text: str, path: str = "<string>") -> LoadResult:
    return _read_bytes(text.encode("utf-8"), Collector(path))


def _read_bytes(data: bytes, col: Collector) -> LoadResult:
    if not data.strip():
        col.add("unreadable_file", reason="the file is empty")
        return LoadResult(None, col.report)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        col.add("unreadable_file", reason=f"not UTF-8 text (byte {exc.start})")
        return LoadResult(None, col.report)
    try:
        root = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        location = Location(row=mark.line + 1) if mark is not None else NOWHERE
        col.add("yaml_syntax", location, reason=str(exc.problem or exc.context or exc))
        return LoadResult(None, col.report)
    except yaml.YAMLError as exc:
        col.add("yaml_syntax", reason=str(exc))
        return LoadResult(None, col.report)
    if root is None:
        col.add("unreadable_file", reason="the file is empty")
        return LoadResult(None, col.report)
    try:
        walked = _walk(root, col)
    except yaml.YAMLError as exc:  # e.g. an unknown !tag
        col.add("yaml_syntax", reason=str(exc))
        return LoadResult(None, col.report)
    framework, source = build_framework(walked.data, walked.locations, col, walked.raw)
    return LoadResult(framework, col.report, source)


# -- document -> model ---------------------------------------------------------------------------------


class _Builder:
    """Turns a document (plain dicts/lists) into the model, reporting each bad value where it was read."""

    def __init__(self, locations: Mapping[DocPath, Location], col: Collector, raw: Mapping[DocPath, str]):
        self.locations = locations
        self.col = col
        self.raw = raw
        self.source = SourceMap()
        self.default_language = "en"
        for key, location in locations.items():
            self.source.set(key, location)

    def loc(self, path: DocPath) -> Location:
        while path:
            if path in self.locations:
                return self.locations[path]
            path = path[:-1]
        return self.locations.get((), NOWHERE)

    def add(self, code: str, path: DocPath, **params: object) -> None:
        self.col.add(code, self.loc(path), **params)

    # -- generic values ---------------------------------------------------------------------------------
    def mapping(self, value: object, path: DocPath, what: str, allowed: Sequence[str] | None = None) -> dict[str, Any]:
        if value is None:
            return {}
        if not isinstance(value, dict):
            self.add("invalid_value", path, field=_last(path), what=what, allowed="a mapping", value=_show(value))
            return {}
        if allowed is not None:
            for key in value:
                if key not in allowed:
                    self.add("unknown_field", (*path, key), what=what, field=key)
        return value

    def sequence(self, value: object, path: DocPath, what: str) -> list[Any]:
        if value is None:
            return []
        if not isinstance(value, list):
            self.add("invalid_value", path, field=_last(path), what=what, allowed="a list", value=_show(value))
            return []
        return value

    def name(self, value: object) -> str:
        """A name as written: YAML booleans become 'yes'/'no', whole numbers lose their '.0'."""
        if isinstance(value, bool):
            return "yes" if value else "no"
        if isinstance(value, float) and value.is_integer():
            return str(int(value))
        return "" if value is None else str(value).strip()

    def text(self, value: object, path: DocPath, what: str) -> dict[str, str]:
        if value is None:
            return {}
        if isinstance(value, str):  # a plain string is the text in the default language
            return {self.default_language: value} if value else {}
        if not isinstance(value, dict):
            self.add(
                "invalid_value",
                path,
                field=_last(path),
                what=what,
                allowed="a mapping of language to text",
                value=_show(value),
            )
            return {}
        return {str(lang): str(text) for lang, text in value.items() if text is not None and str(text) != ""}

    def optional_str(self, value: object) -> str | None:
        if value is None:
            return None
        text = str(value).strip()
        return text or None

    def boolean(self, value: object, path: DocPath, what: str) -> bool:
        if value is None:
            return False
        if isinstance(value, bool):
            return value
        if isinstance(value, int | float) and value in (0, 1):
            return bool(value)
        text = str(value).strip().lower()
        if text in ("yes", "true", "true()", "1", "y"):
            return True
        if text in ("no", "false", "false()", "0", "n", ""):
            return False
        self.add("invalid_value", path, field=_last(path), what=what, allowed="yes or no", value=_show(value))
        return False

    def number(self, value: object) -> float | None:
        """A finite number, or None when the value is not one (booleans are not numbers)."""
        if isinstance(value, bool) or value is None:
            return None
        try:
            number = float(value) if isinstance(value, int | float) else float(str(value).strip())
        except (ValueError, OverflowError):  # OverflowError: an integer too large for a float
            return None
        return number if math.isfinite(number) else None

    def names(self, value: object, path: DocPath, what: str) -> tuple[str, ...]:
        """A list of names, also accepted as one string separated by spaces or commas."""
        if value is None:
            return ()
        if isinstance(value, str):
            return tuple(part for part in re.split(r"[\s,]+", value) if part)
        if isinstance(value, list):
            return tuple(self.name(item) for item in value if self.name(item))
        self.add("invalid_value", path, field=_last(path), what=what, allowed="a list of names", value=_show(value))
        return ()

    def choice_of(self, enum: type[Any], value: object, default: Any, path: DocPath, what: str) -> Any:
        if value is None or value == "":
            return default
        try:
            return enum(self.name(value))
        except ValueError:
            allowed = ", ".join(member.value for member in enum)
            self.add(
                "invalid_value", path, field=_last(path), what=what, allowed=f"one of {allowed}", value=_show(value)
            )
            return default

    # -- parts ------------------------------------------------------------------------------------------
    def framework(self, doc: object) -> Framework | None:
        if not isinstance(doc, dict):
            self.add(
                "invalid_value",
                (),
                field="document",
                what="the file",
                allowed="a mapping of framework fields",
                value=_show(doc),
            )
            return None
        self.mapping(doc, (), "the framework", TOP_FIELDS)
        fmt = doc.get("govlens_framework", FORMAT_VERSION)
        if self.number(fmt) != FORMAT_VERSION:
            self.add(
                "invalid_value",
                ("govlens_framework",),
                field="govlens_framework",
                what="the framework",
                allowed=str(FORMAT_VERSION),
                value=_show(fmt),
            )
        framework_id = self.name(doc.get("id"))
        if not framework_id:
            self.add("missing_field", ("id",), what="the framework", field="id")
        elif not ID_RE.match(framework_id):
            self.add(
                "invalid_value",
                ("id",),
                field="id",
                what="the framework",
                allowed="[a-z0-9-]+",
                value=_show(framework_id),
            )
        raw_version = doc.get("version")
        if raw_version is None:
            version = ""
        elif isinstance(raw_version, str):
            version = raw_version.strip()
        else:  # an unquoted number or date: keep it as written (1.10 stays 1.10)
            version = self.raw.get(("version",), str(raw_version)).strip()
        if not version:
            self.add("missing_field", ("version",), what="the framework", field="version")
        languages = self.names(doc.get("languages"), ("languages",), "the framework") or LANGUAGES
        default_language = self.name(doc.get("default_language")) or languages[0]
        self.default_language = default_language
        if default_language not in languages:
            self.add(
                "invalid_value",
                ("default_language",),
                field="default_language",
                what="the framework",
                allowed="one of " + ", ".join(languages),
                value=_show(default_language),
            )
        settings_doc = self.mapping(doc.get("settings"), ("settings",), "settings", ("unanswered_score",))
        unanswered: float | None = 0.0
        if "unanswered_score" in settings_doc:
            raw_score = settings_doc["unanswered_score"]
            unanswered = self.number(raw_score)
            if raw_score is not None and (unanswered is None or not 0 <= unanswered <= 1):
                self.add(
                    "invalid_value",
                    ("settings", "unanswered_score"),
                    field="unanswered_score",
                    what="settings",
                    allowed="a number in [0, 1] or null",
                    value=_show(raw_score),
                )
                unanswered = 0.0
        index_settings = self.release_section(doc.get("index"), "index")
        uncertainty_settings = self.release_section(doc.get("uncertainty"), "uncertainty")
        weight_sets = self.weight_sets(doc.get("weight_sets"))
        choice_lists = self.choice_lists(doc.get("choices"))
        sections = tuple(
            self.section(item, ("sections", index))
            for index, item in enumerate(self.sequence(doc.get("sections"), ("sections",), "the framework"))
        )
        nodes = tuple(
            self.node(item, ("indicators", index))
            for index, item in enumerate(self.sequence(doc.get("indicators"), ("indicators",), "the framework"))
        )
        return Framework(
            id=framework_id,
            version=version,
            title=self.text(doc.get("title"), ("title",), "the framework"),
            sections=sections,
            choice_lists=choice_lists,
            nodes=nodes,
            languages=languages,
            default_language=default_language,
            settings=Settings(unanswered_score=unanswered),
            description=self.text(doc.get("description"), ("description",), "the framework"),
            source="" if doc.get("source") is None else str(doc["source"]),
            index_settings=index_settings,
            uncertainty_settings=uncertainty_settings,
            weight_sets=weight_sets,
        )

    def release_section(self, value: object, name: str) -> dict[str, Any]:
        """The ``index:`` or ``uncertainty:`` section: setting name -> a word, a number, yes/no or a list of
        them (a list may also be one text separated by commas). Only the shape is checked here; the release
        layer checks each value against the engine's options."""
        section: dict[str, Any] = {}
        for key, item in self.mapping(value, (name,), f"the {name} settings").items():
            if isinstance(item, str) and "," in item:  # a list written in one cell: "goalposts, minmax"
                item = [part.strip() for part in item.split(",") if part.strip()]
            if isinstance(item, list) and all(_is_setting_value(part) for part in item):
                section[str(key)] = list(item)
            elif _is_setting_value(item):
                section[str(key)] = item
            else:
                self.add(
                    "invalid_value",
                    (name, key),
                    field=str(key),
                    what=f"the {name} settings",
                    allowed="a word, a number, yes/no or a list of them",
                    value=_show(item),
                )
        return section

    def weight_sets(self, value: object) -> dict[str, dict[str, float]]:
        """``weight_sets:``: set name -> indicator id -> weight >= 0 (whether the ids are indicators is checked
        with the tree, by validation)."""
        sets: dict[str, dict[str, float]] = {}
        for name, weights in self.mapping(value, ("weight_sets",), "the weight sets").items():
            path: DocPath = ("weight_sets", name)
            text = str(name)
            if not weight_set_name_ok(text):
                self.add(
                    "invalid_value",
                    path,
                    field="name",
                    what=f"weight set {text!r}",
                    allowed="letters, digits, '-', '_', '.', and not framework, equal or pca",
                    value=_show(text),
                )
                continue
            sets[text] = {}
            for node_id, raw in self.mapping(weights, path, f"weight set {text!r}").items():
                number = self.number(raw)
                if number is None or number < 0:
                    self.add("invalid_weight", (*path, node_id), id=str(node_id), value=_show(raw))
                    continue
                sets[text][str(node_id)] = number
        return sets

    def choice_lists(self, value: object) -> dict[str, ChoiceList]:
        lists: dict[str, ChoiceList] = {}
        for list_name, options in self.mapping(value, ("choices",), "choices").items():
            path: DocPath = ("choices", list_name)
            if not NAME_RE.match(list_name):
                self.add("invalid_name", path, what="choice list", name=list_name)
            choices = []
            for index, option in enumerate(self.sequence(options, path, f"choice list '{list_name}'")):
                option_path = (*path, index)
                if not isinstance(option, dict):
                    option = {"name": option}
                what = f"an option of choice list '{list_name}'"
                self.mapping(option, option_path, what, ("name", "label"))
                name = self.name(option.get("name"))
                if not name:
                    self.add("missing_field", option_path, what=what, field="name")
                choices.append(Choice(name, self.text(option.get("label"), (*option_path, "label"), what)))
            lists[list_name] = ChoiceList(list_name, tuple(choices))
        if YES_NO_LIST not in lists:
            lists[YES_NO_LIST] = YES_NO_CHOICES
        return lists

    def section(self, value: object, path: DocPath) -> Section:
        data = self.mapping(value, path, "a section", SECTION_FIELDS)
        name = self.name(data.get("name"))
        what = f"section '{name}'" if name else "a section"
        if not name:
            self.add("missing_field", path, what=what, field="name")
        questions = tuple(
            self.question(item, (*path, "questions", index))
            for index, item in enumerate(self.sequence(data.get("questions"), (*path, "questions"), what))
        )
        return Section(
            name=name,
            label=self.text(data.get("label"), (*path, "label"), what),
            questions=questions,
            relevant=self.optional_str(data.get("relevant")),
        )

    def question(self, value: object, path: DocPath) -> Question:
        data = self.mapping(value, path, "a question", QUESTION_FIELDS)
        name = self.name(data.get("name"))
        what = f"question '{name}'" if name else "a question"
        if not name:
            self.add("missing_field", path, what=what, field="name")
        raw_type = self.name(data.get("type"))
        try:
            qtype = QuestionType(raw_type)
        except ValueError:
            if raw_type:
                self.add(
                    "invalid_type",
                    (*path, "type"),
                    name=name,
                    type=raw_type,
                    allowed=", ".join(member.value for member in QuestionType),
                )
            else:
                self.add("missing_field", path, what=what, field="type")
            qtype = QuestionType.TEXT
        choices = self.optional_str(self.name(data.get("choices")))
        scoring_value = data.get("scoring")
        return Question(
            name=name,
            type=qtype,
            label=self.text(data.get("label"), (*path, "label"), what),
            hint=self.text(data.get("hint"), (*path, "hint"), what),
            choices=choices,
            required=self.boolean(data.get("required"), (*path, "required"), what),
            relevant=self.optional_str(data.get("relevant")),
            constraint=self.optional_str(data.get("constraint")),
            constraint_message=self.text(data.get("constraint_message"), (*path, "constraint_message"), what),
            evidence=self.choice_of(Evidence, data.get("evidence"), Evidence.NONE, (*path, "evidence"), what),
            seed_refs=self.names(data.get("seed_refs"), (*path, "seed_refs"), what),
            scoring=None if scoring_value is None else self.scoring(scoring_value, (*path, "scoring"), name),
        )

    def scoring(self, value: object, path: DocPath, question: str) -> Scoring | None:
        data = self.mapping(value, path, f"the scoring of '{question}'", SCORING_FIELDS)
        if not data:
            return None
        raw_method = self.name(data.get("method"))
        try:
            method = ScoringMethod(raw_method)
        except ValueError:
            allowed = ", ".join(member.value for member in ScoringMethod)
            self.add(
                "invalid_scoring",
                (*path, "method"),
                name=question,
                reason=f"method must be one of {allowed}; got {_show(raw_method or None)}",
            )
            return None
        points: dict[str, float] = {}
        for option, raw_points in self.mapping(
            data.get("points"), (*path, "points"), f"the scoring of '{question}'"
        ).items():
            number = self.number(raw_points)
            if number is None or not 0 <= number <= 1:
                self.add(
                    "invalid_scoring",
                    (*path, "points", option),
                    name=question,
                    reason=f"points of option '{option}' must be a number in [0, 1]; got {_show(raw_points)}",
                )
                continue
            points[self.name(option)] = number
        thresholds: list[tuple[float, float]] = []
        for index, pair in enumerate(
            self.sequence(data.get("thresholds"), (*path, "thresholds"), f"the scoring of '{question}'")
        ):
            bound, score = (self.number(pair[0]), self.number(pair[1])) if _is_pair(pair) else (None, None)
            if bound is None or score is None or not 0 <= score <= 1:
                self.add(
                    "invalid_scoring",
                    (*path, "thresholds", index),
                    name=question,
                    reason=f"a threshold must be [lower bound, score in [0, 1]]; got {_show(pair)}",
                )
                continue
            thresholds.append((bound, score))
        low = self.number(data.get("low"))
        high = self.number(data.get("high"))
        for key, number in (("low", low), ("high", high), ("unanswered", self.number(data.get("unanswered")))):
            if data.get(key) is not None and number is None:
                self.add(
                    "invalid_scoring",
                    (*path, key),
                    name=question,
                    reason=f"{key} must be a number; got {_show(data.get(key))}",
                )
        unanswered = self.number(data.get("unanswered"))
        if unanswered is not None and not 0 <= unanswered <= 1:
            self.add(
                "invalid_scoring",
                (*path, "unanswered"),
                name=question,
                reason=f"unanswered must be a score in [0, 1]; got {_show(data.get('unanswered'))}",
            )
            unanswered = None
        return Scoring(
            method=method,
            points=points,
            thresholds=tuple(thresholds),
            low=low,
            high=high,
            exclude=self.names(data.get("exclude"), (*path, "exclude"), f"the scoring of '{question}'"),
            unanswered=unanswered,
        )

    def node(self, value: object, path: DocPath) -> Node:
        data = self.mapping(value, path, "an indicator", NODE_FIELDS)
        node_id = self.name(data.get("id"))
        what = f"indicator '{node_id}'" if node_id else "an indicator"
        if not node_id:
            self.add("missing_field", path, what=what, field="id")
        weight = 1.0
        if data.get("weight") is not None:
            number = self.number(data["weight"])
            if number is None:
                self.add("invalid_weight", (*path, "weight"), id=node_id, value=_show(data["weight"]))
            else:
                weight = number
        direction = 1
        if data.get("direction") is not None:
            number = self.number(data["direction"])
            if number is None or not number.is_integer():
                self.add("invalid_direction", (*path, "direction"), id=node_id, value=_show(data["direction"]))
            else:
                direction = int(number)
        parent = self.optional_str(self.name(data.get("parent")))
        return Node(
            id=node_id,
            kind=self.choice_of(NodeKind, data.get("kind"), NodeKind.INDICATOR, (*path, "kind"), what),
            label=self.text(data.get("label"), (*path, "label"), what),
            parent=parent,
            weight=weight,
            direction=direction,
            questions=self.names(data.get("questions"), (*path, "questions"), what),
            combine=self.choice_of(Combine, data.get("combine"), Combine.MEAN, (*path, "combine"), what),
            source=self.optional_str(data.get("source")),
            seed_refs=self.names(data.get("seed_refs"), (*path, "seed_refs"), what),
            description=self.text(data.get("description"), (*path, "description"), what),
        )


def _is_setting_value(value: object) -> bool:
    return isinstance(value, str | bool | int) or (isinstance(value, float) and math.isfinite(value))


def _is_pair(value: object) -> bool:
    return isinstance(value, list | tuple) and len(value) == 2


def _last(path: DocPath) -> str:
    for part in reversed(path):
        if isinstance(part, str):
            return part
    return "value"


def _show(value: object) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = repr(value) if isinstance(value, str) else str(value)
    return text if len(text) <= 60 else text[:57] + "..."


def build_framework(
    doc: object,
    locations: Mapping[DocPath, Location],
    col: Collector,
    raw: Mapping[DocPath, str] | None = None,
) -> tuple[Framework | None, SourceMap]:
    """The model of a document, its problems added to ``col``; the source map is keyed by document path."""
    builder = _Builder(locations, col, raw or {})
    return builder.framework(doc), builder.source


# -- model -> document -> YAML ---------------------------------------------------------------------------


def _text(text: Text) -> dict[str, str]:
    return dict(text)


def _number(value: float) -> int | float:
    return int(value) if float(value).is_integer() else value


def scoring_to_document(scoring: Scoring) -> dict[str, Any]:
    result: dict[str, Any] = {"method": str(scoring.method)}
    if scoring.points:
        result["points"] = {name: _number(points) for name, points in scoring.points.items()}
    if scoring.thresholds:
        result["thresholds"] = [[_number(bound), _number(score)] for bound, score in scoring.thresholds]
    if scoring.low is not None:
        result["low"] = _number(scoring.low)
    if scoring.high is not None:
        result["high"] = _number(scoring.high)
    if scoring.exclude:
        result["exclude"] = list(scoring.exclude)
    if scoring.unanswered is not None:
        result["unanswered"] = _number(scoring.unanswered)
    return result


def question_to_document(question: Question) -> dict[str, Any]:
    result: dict[str, Any] = {"name": question.name, "type": str(question.type), "label": _text(question.label)}
    if question.hint:
        result["hint"] = _text(question.hint)
    if question.choices:
        result["choices"] = question.choices
    if question.required:
        result["required"] = True
    if question.relevant:
        result["relevant"] = question.relevant
    if question.constraint:
        result["constraint"] = question.constraint
    if question.constraint_message:
        result["constraint_message"] = _text(question.constraint_message)
    if question.evidence is not Evidence.NONE:
        result["evidence"] = str(question.evidence)
    if question.seed_refs:
        result["seed_refs"] = list(question.seed_refs)
    if question.scoring is not None:
        result["scoring"] = scoring_to_document(question.scoring)
    return result


def node_to_document(node: Node) -> dict[str, Any]:
    result: dict[str, Any] = {"id": node.id, "kind": str(node.kind)}
    if node.parent is not None:
        result["parent"] = node.parent
        result["weight"] = _number(node.weight)
    elif node.weight != 1:
        result["weight"] = _number(node.weight)
    if node.direction != 1:
        result["direction"] = node.direction
    result["label"] = _text(node.label)
    if node.description:
        result["description"] = _text(node.description)
    if node.questions:
        result["questions"] = list(node.questions)
        result["combine"] = str(node.combine)
    elif node.combine is not Combine.MEAN:
        result["combine"] = str(node.combine)
    if node.source:
        result["source"] = node.source
    if node.seed_refs:
        result["seed_refs"] = list(node.seed_refs)
    return result


def framework_to_document(framework: Framework) -> dict[str, Any]:
    """The framework as plain data in the shape of ``docs/framework-format.md``."""
    doc: dict[str, Any] = {
        "govlens_framework": FORMAT_VERSION,
        "id": framework.id,
        "version": framework.version,
        "title": _text(framework.title),
    }
    if framework.description:
        doc["description"] = _text(framework.description)
    if framework.source:
        doc["source"] = framework.source
    doc["languages"] = list(framework.languages)
    doc["default_language"] = framework.default_language
    score = framework.settings.unanswered_score
    doc["settings"] = {"unanswered_score": None if score is None else _number(score)}
    if framework.index_settings:
        doc["index"] = dict(framework.index_settings)
    if framework.uncertainty_settings:
        doc["uncertainty"] = dict(framework.uncertainty_settings)
    if framework.weight_sets:
        doc["weight_sets"] = {
            name: {node: _number(weight) for node, weight in weights.items()}
            for name, weights in framework.weight_sets.items()
        }
    doc["choices"] = {
        name: [{"name": choice.name, "label": _text(choice.label)} for choice in choice_list.choices]
        for name, choice_list in framework.choice_lists.items()
    }
    doc["sections"] = []
    for section in framework.sections:
        section_doc: dict[str, Any] = {"name": section.name, "label": _text(section.label)}
        if section.relevant:
            section_doc["relevant"] = section.relevant
        section_doc["questions"] = [question_to_document(question) for question in section.questions]
        doc["sections"].append(section_doc)
    doc["indicators"] = [node_to_document(node) for node in framework.nodes]
    return doc


def dump_yaml(framework: Framework) -> str:
    """The YAML text of a framework (names like yes/no are quoted so YAML 1.1 readers keep them strings)."""
    return yaml.safe_dump(
        framework_to_document(framework), sort_keys=False, allow_unicode=True, width=120, default_flow_style=False
    )


def write_yaml(framework: Framework, path: str | Path) -> None:
    Path(path).write_text(dump_yaml(framework), encoding="utf-8")
