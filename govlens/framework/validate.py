"""Validate a framework: read it (YAML or workbook), then check every rule of ``docs/framework-format.md``.

Every problem is collected into one report with its location; nothing raises for bad input.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from pathlib import Path

from govlens.framework import expression
from govlens.framework.errors import Collector, SourceMap
from govlens.framework.findings import is_finding
from govlens.framework.model import (
    LANGUAGES,
    Framework,
    NodeKind,
    Question,
    QuestionType,
    ScoringMethod,
    Text,
    qualified_name,
    unqualified_name,
)
from govlens.framework.report import Problem, Report, Severity
from govlens.framework.tree_rules import tree_problems
from govlens.framework.xlsform_io import pyxform_problems, read_workbook
from govlens.framework.yaml_io import NAME_RE, LoadResult, read_yaml

YAML_EXTENSIONS = (".yaml", ".yml")
WORKBOOK_EXTENSIONS = (".xlsx", ".xls")
EXTENSIONS = YAML_EXTENSIONS + WORKBOOK_EXTENSIONS

_Key = tuple[Hashable, ...]


def read_path(path: str | Path) -> LoadResult:
    """Read a framework file by its extension (no semantic checks yet)."""
    suffix = Path(path).suffix.lower()
    if suffix in YAML_EXTENSIONS:
        return read_yaml(path)
    if suffix in WORKBOOK_EXTENSIONS:
        return read_workbook(path)
    col = Collector(str(path))
    col.add("unknown_file_type", name=Path(path).name, allowed=", ".join(EXTENSIONS), extension=suffix or "none")
    return LoadResult(None, col.report)


def load_checked(path: str | Path) -> LoadResult:
    """Read a framework file and check it: the result's report holds every problem found."""
    result = read_path(path)
    if result.framework is not None:
        col = Collector(str(path), result.report)
        check_framework(result.framework, result.source, col)
        if Path(path).suffix.lower() in WORKBOOK_EXTENSIONS:
            _add_pyxform_problems(path, result.report)
    result.report.problems.sort(key=_problem_order)
    return result


_SHEET_ORDER = {"settings": 0, "survey": 1, "choices": 2, "scoring": 3, "indicators": 4}


def _problem_order(problem: Problem) -> tuple[int, str, int]:
    sheet = (problem.sheet or "").lower()
    return (_SHEET_ORDER.get(sheet, 5 if sheet else -1), sheet, problem.row or 0)


def _add_pyxform_problems(path: str | Path, report: Report) -> None:
    """pyxform's verdict on the XLSForm part. Its error is left out when GovLens already found an error in
    the XLSForm sheets: pyxform stops at the first problem, which is then almost always the same one."""
    own = any(
        problem.severity is Severity.ERROR and (problem.sheet or "").lower() in ("survey", "choices", "settings")
        for problem in report.problems
    )
    for problem in pyxform_problems(path):
        if problem.severity is Severity.WARNING or not own:
            report.add(problem)


def validate(path: str | Path) -> Report:
    """Every problem of a framework file, located; ``report.valid`` says whether it can be used."""
    return load_checked(path).report


def validate_framework(framework: Framework, source: SourceMap | None = None, path: str = "") -> Report:
    """Check a framework already in memory (for example one built in code)."""
    col = Collector(path)
    check_framework(framework, source or SourceMap(), col)
    return col.report


# More texts without a language than this are summarised in one warning per language.
SUMMARY_AFTER = 5


class _Checker:
    def __init__(self, framework: Framework, source: SourceMap, col: Collector):
        self.fw = framework
        self.source = source
        self.col = col
        # language -> (key, what, field) of every text without it, summarised once per language
        self.missing_texts: dict[str, list[tuple[_Key, str, str]]] = {}

    def add(self, code: str, key: _Key, **params: object) -> None:
        self.col.add(code, self.source.get(key), **params)

    def where(self, key: _Key) -> str:
        location = self.source.get(key)
        if location.sheet is not None:
            return f" ({location.sheet} row {location.row})"
        if location.row is not None:
            return f" (line {location.row})"
        return ""

    # -- questionnaire ----------------------------------------------------------------------------------
    def names(self) -> None:
        """Names are unique: a section's and a question's, except that questions of two sections may share their
        own name when each is named by its section ('governance/org_exists', as GovLens reads such an XLSForm),
        so that the workbook export, whose XLSForm names have no '/', reads back the same."""
        seen: dict[str, str] = {}
        sections_of: dict[str, list[str]] = {}  # a question's own name -> the sections holding it
        for section in self.fw.sections:
            for question in section.questions:
                holders = sections_of.setdefault(unqualified_name(section.name, question.name), [])
                if section.name not in holders:
                    holders.append(section.name)
        for si, section in enumerate(self.fw.sections):
            self.name(section.name, "section", ("sections", si), seen)
            for qi, question in enumerate(section.questions):
                key: _Key = ("sections", si, "questions", qi)
                own = unqualified_name(section.name, question.name)
                others = [name for name in sections_of[own] if name != section.name]
                if own != question.name:  # named by its section
                    if not NAME_RE.match(own):
                        self.add("invalid_name", (*key, "name"), what="question", name=question.name)
                    elif not others:
                        self.add("needless_qualifier", (*key, "name"), name=question.name, own=own)
                elif others and question.name not in seen:
                    advice = f"in two sections, name each by its section: '{qualified_name(section.name, own)}'"
                    other = f"a question of section '{others[0]}'"
                    self.add("duplicate_name", (*key, "name"), name=own, other=other, advice=advice)
                    continue
                self.name(question.name, "question", key, seen, checked=own != question.name)

    def name(self, name: str, kind: str, key: _Key, seen: dict[str, str], *, checked: bool = False) -> None:
        if not name:
            return  # reported as missing by the reader
        if not checked and not NAME_RE.match(name):
            self.add("invalid_name", (*key, "name"), what=kind, name=name)
        if name in seen:
            advice = "names are unique within a section (its nested groups are part of it), and no question is "
            advice += "named as a section: rename one"
            self.add("duplicate_name", (*key, "name"), name=name, other=seen[name], advice=advice)
        else:
            seen[name] = f"a {kind}{self.where(key)}"

    def choice_lists(self) -> None:
        for list_name, choice_list in self.fw.choice_lists.items():
            if not choice_list.choices:
                self.add("empty_choice_list", ("choices", list_name), list=list_name)
            seen: set[str] = set()
            for ci, choice in enumerate(choice_list.choices):
                if choice.name in seen:
                    self.add("duplicate_choice", ("choices", list_name, ci), list=list_name, choice=choice.name)
                seen.add(choice.name)

    def questions(self) -> None:
        for si, section in enumerate(self.fw.sections):
            for qi, question in enumerate(section.questions):
                key: _Key = ("sections", si, "questions", qi)
                list_name = question.choice_list
                if question.type.is_select:
                    if list_name is None:
                        self.add("missing_field", key, what=f"select question '{question.name}'", field="choice list")
                    elif list_name not in self.fw.choice_lists:
                        self.add("unknown_choice_list", (*key, "choices"), name=question.name, list=list_name)
                if question.scoring is not None:
                    self.scoring(si, qi)

    def scoring(self, si: int, qi: int) -> None:
        question = self.fw.sections[si].questions[qi]
        scoring = question.scoring
        assert scoring is not None
        key: _Key = ("sections", si, "questions", qi, "scoring")
        name = question.name
        qtype = question.type
        method = scoring.method
        choice_list = self.fw.choice_lists.get(question.choice_list or "")
        if method in (ScoringMethod.POINTS, ScoringMethod.SHARE_SELECTED) and not qtype.is_select:
            self.add(
                "invalid_scoring",
                (*key, "method"),
                name=name,
                reason=f"method {method} needs a select question; '{name}' is {qtype}",
            )
            return
        if method is ScoringMethod.SHARE_SELECTED and qtype is not QuestionType.SELECT_MULTIPLE:
            self.add(
                "invalid_scoring",
                (*key, "method"),
                name=name,
                reason=f"method share_selected needs a select_multiple question; '{name}' is {qtype}",
            )
        if method in (ScoringMethod.THRESHOLDS, ScoringMethod.LINEAR) and not qtype.is_number:
            self.add(
                "invalid_scoring",
                (*key, "method"),
                name=name,
                reason=f"method {method} needs a number question (integer, decimal, year); '{name}' is {qtype}",
            )
            return
        if method is ScoringMethod.POINTS and choice_list is not None:
            options = choice_list.names()
            for option in dict.fromkeys(options):
                if option not in scoring.points:
                    self.add(
                        "scoring_choice_missing", (*key, "points"), name=name, choice=option, list=choice_list.name
                    )
            for option in scoring.points:
                if option not in options:
                    self.add(
                        "scoring_unknown_choice",
                        (*key, "points", option),
                        name=name,
                        choice=option,
                        list=choice_list.name,
                    )
        if method is ScoringMethod.SHARE_SELECTED and choice_list is not None:
            for option in scoring.exclude:
                if option not in choice_list.names():
                    self.add(
                        "scoring_unknown_choice", (*key, "exclude"), name=name, choice=option, list=choice_list.name
                    )
            if not set(choice_list.names()) - set(scoring.exclude):
                self.add("invalid_scoring", (*key, "exclude"), name=name, reason="every option is excluded")
        if method is ScoringMethod.THRESHOLDS:
            bounds = [bound for bound, _ in scoring.thresholds]
            if not bounds:
                self.add("invalid_scoring", key, name=name, reason="method thresholds needs at least one threshold")
            elif bounds != sorted(bounds) or len(set(bounds)) != len(bounds):
                self.add(
                    "invalid_scoring",
                    (*key, "thresholds"),
                    name=name,
                    reason=f"threshold bounds must strictly ascend; got {', '.join(f'{b:g}' for b in bounds)}",
                )
        if method is ScoringMethod.LINEAR:
            if scoring.low is None or scoring.high is None:
                self.add("invalid_scoring", key, name=name, reason="method linear needs both low and high")
            elif scoring.low == scoring.high:
                self.add("invalid_scoring", (*key, "high"), name=name, reason="low and high must differ")

    def expressions(self) -> None:
        known = {question.name for question in self.fw.questions()} | self.source.other_names
        for si, section in enumerate(self.fw.sections):
            self.expression(section.relevant, "relevant", section.name, ("sections", si, "relevant"), known)
            for qi, question in enumerate(section.questions):
                key: _Key = ("sections", si, "questions", qi)
                self.expression(question.relevant, "relevant", question.name, (*key, "relevant"), known)
                self.expression(question.constraint, "constraint", question.name, (*key, "constraint"), known)

    def expression(self, source: str | None, field: str, name: str, key: _Key, known: set[str]) -> None:
        if not source:
            return
        try:
            parsed = expression.parse(source)
        except expression.UnknownFunctionError as exc:
            self.add(
                "unsupported_feature",
                key,
                feature=f"function '{exc.name}' in the {field} of '{name}'",
                consequence="GovLens cannot evaluate this expression",
            )
            return
        except expression.ExpressionError as exc:
            self.add("expression_syntax", key, field=field, name=name, position=exc.position + 1, reason=exc.message)
            return
        for ref in sorted(parsed.references() - known):
            self.add("unknown_reference", key, field=field, name=name, ref=ref)

    # -- indicator tree ---------------------------------------------------------------------------------
    def tree(self) -> None:
        nodes = self.fw.nodes
        has_scoring = any(question.scoring is not None for question in self.fw.questions())
        if not nodes:
            count = sum(1 for _ in self.fw.questions())
            if not count:  # refused alike whether the rows were skipped or never there (its export would be)
                self.add("empty_framework", ())
                return
            if not count:
                reason = f"no question GovLens supports ({len(self.source.other_names)} survey rows skipped)"
            elif has_scoring:
                reason = "there is no indicator tree"
            else:
                reason = "no question has scoring and there is no indicator tree"
            self.add("no_scoring", (), reason=reason)
            return
        for problem in tree_problems(nodes):
            key: _Key = ("indicators",) if problem.position is None else ("indicators", problem.position)
            self.add(problem.code, (*key, problem.field) if problem.field else key, **problem.params)
        ids = {node.id for node in nodes}
        for name, weights in self.fw.weight_sets.items():
            for node_id in weights:
                if node_id not in ids:
                    self.add("unknown_weight_set_node", ("weight_sets", name, node_id), name=name, id=node_id)
        roots = [ni for ni, node in enumerate(nodes) if node.parent is None]
        if roots and nodes[roots[0]].kind is not NodeKind.INDEX:
            node = nodes[roots[0]]
            self.add(
                "tree_root",
                ("indicators", roots[0], "kind"),
                reason=f"the root '{node.id}' is of kind {node.kind}; the root must be of kind index",
            )
        parents = {node.parent for node in nodes}
        questions: dict[str, Question] = {}
        for question in self.fw.questions():
            questions.setdefault(question.name, question)  # a duplicate name is reported; the first one counts
        for ni, node in enumerate(nodes):
            key = ("indicators", ni)
            for name in node.questions:
                if name not in questions:
                    self.add("unknown_question", (*key, "questions"), what=f"indicator '{node.id}'", name=name)
            if node.id in parents:
                continue
            if not node.questions and not node.source:
                self.add("leaf_without_scoring", key, id=node.id, reason="neither questions nor a source")
                continue
            listed = [questions[name] for name in node.questions if name in questions]
            scored = [question for question in listed if question.scoring is not None]
            if listed and not scored and not node.source:
                names = ", ".join(question.name for question in listed)
                self.add(
                    "leaf_without_scoring",
                    (*key, "questions"),
                    id=node.id,
                    reason=f"only questions without scoring ({names})",
                )
            elif scored:
                for question in listed:
                    if question.scoring is None:
                        self.add("question_without_scoring", (*key, "questions"), id=node.id, name=question.name)

    # -- labels and references --------------------------------------------------------------------------
    def labels(self) -> None:
        languages = self.fw.languages
        missing_declared = [lang for lang in LANGUAGES if lang not in languages]
        if missing_declared:
            self.add(
                "missing_label_language",
                ("languages",),
                what="the framework",
                field="declared language",
                languages=", ".join(missing_declared),
            )
        self.text(self.fw.title, "the framework", "title", ("title",), required=True)
        for si, section in enumerate(self.fw.sections):
            self.text(section.label, f"section '{section.name}'", "label", ("sections", si, "label"), required=True)
            for qi, question in enumerate(section.questions):
                key: _Key = ("sections", si, "questions", qi)
                what = f"question '{question.name}'"
                self.text(question.label, what, "label", (*key, "label"), required=True)
                self.text(question.hint, what, "hint", (*key, "hint"))
                self.text(question.constraint_message, what, "constraint_message", (*key, "constraint_message"))
        for list_name, choice_list in self.fw.choice_lists.items():
            for ci, choice in enumerate(choice_list.choices):
                what = f"option '{choice.name}' of list '{list_name}'"
                self.text(choice.label, what, "label", ("choices", list_name, ci, "label"), required=True)
        for ni, node in enumerate(self.fw.nodes):
            self.text(node.label, f"indicator '{node.id}'", "label", ("indicators", ni, "label"), required=True)
            self.text(node.description, f"indicator '{node.id}'", "description", ("indicators", ni, "description"))
        self.missing_texts_summary()

    def text(self, text: Text, what: str, field: str, key: _Key, required: bool = False) -> None:
        if not text and not required:
            return
        for lang in self.fw.languages:
            if not text.get(lang):
                self.missing_texts.setdefault(lang, []).append((key, what, field))

    def missing_texts_summary(self) -> None:
        """Texts without a language: each one when they are few, else one warning per language at its first
        (a form of 800 labels in one language would give 800 warnings for each other language)."""
        for lang, places in self.missing_texts.items():
            if len(places) <= SUMMARY_AFTER:
                for key, what, field in places:
                    self.add("missing_label_language", key, what=what, field=field, languages=lang)
                continue
            key, what, field = places[0]
            self.add(
                "missing_label_language",
                key,
                what=f"{what} (and {len(places) - 1} more texts)",
                field=field,
                languages=lang,
            )

    def seed_refs(self) -> None:
        for si, section in enumerate(self.fw.sections):
            for qi, question in enumerate(section.questions):
                self.refs(
                    question.seed_refs, f"question '{question.name}'", ("sections", si, "questions", qi, "seed_refs")
                )
        for ni, node in enumerate(self.fw.nodes):
            self.refs(node.seed_refs, f"indicator '{node.id}'", ("indicators", ni, "seed_refs"))

    def refs(self, refs: Iterable[str], what: str, key: _Key) -> None:
        for ref in refs:
            if not is_finding(ref):
                self.add("unknown_seed_ref", key, what=what, ref=ref)


def check_framework(framework: Framework, source: SourceMap, col: Collector) -> None:
    """Add every rule violation of ``framework`` to ``col`` (located through ``source``)."""
    checker = _Checker(framework, source, col)
    checker.names()
    checker.choice_lists()
    checker.questions()
    checker.expressions()
    checker.tree()
    checker.labels()
    checker.seed_refs()


def summary(framework: Framework, report: Report) -> str:
    """The one-line summary ``lac-dgr 2026.1: valid — 6 sections, 152 questions, 58 indicators, 2 warnings``."""
    questions = sum(len(section.questions) for section in framework.sections)
    state = "valid" if report.valid else f"invalid ({_plural(len(report.errors), 'error')})"
    return (
        f"{framework.id} {framework.version}: {state} — {_plural(len(framework.sections), 'section')}, "
        f"{_plural(questions, 'question')}, {_plural(len(framework.nodes), 'indicator')}, "
        f"{_plural(len(report.warnings), 'warning')}"
    )


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"
