"""Pre-fill: suggested answers to questionnaire questions from public data (the once-only principle applied
to the review itself).

A rule links a question to a dataset variable whose meaning truly matches and maps the variable's published
codes to the question's options (``metadata/prefill-lac-dgr.yaml``). :func:`suggest` gives, for one country,
each suggestion with its source, variable, year and published value; :func:`decide` records whether the focal
point accepted the suggestion or answered otherwise. Storing decisions is the job of the caller (web layer).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import yaml

from govlens.data.errors import data_problem
from govlens.data.model import LoadedDataset
from govlens.framework.errors import problem
from govlens.framework.model import Framework
from govlens.framework.report import Report

BUNDLED_RULES = "prefill-lac-dgr.yaml"


@dataclass(frozen=True)
class PrefillRule:
    question: str
    dataset: str
    variable: str
    answers: Mapping[float, str]  # published code -> option name
    note: str = ""


@dataclass(frozen=True)
class Suggestion:
    question: str
    answer: str
    dataset: str
    variable: str
    year: int
    value: float
    source: str  # citation of the dataset
    note: str


@dataclass(frozen=True)
class Decision:
    question: str
    suggested: str
    answer: str
    accepted: bool
    source: str  # "<dataset> <variable> <year>: <citation>"


def load_rules(path: Path | None = None) -> tuple[str, list[PrefillRule], Report]:
    """The framework id and rules of a pre-fill file (the bundled lac-dgr rules by default)."""
    report = Report()
    where = str(path) if path else f"govlens/data/metadata/{BUNDLED_RULES}"
    try:
        text = (path.read_text(encoding="utf-8") if path else
                resources.files("govlens.data").joinpath("metadata", BUNDLED_RULES).read_text(encoding="utf-8"))
        raw = yaml.safe_load(text)
    except (OSError, yaml.YAMLError) as exc:
        report.add(problem("unreadable_file", where, None, reason=str(exc)))
        return "", [], report
    if not isinstance(raw, dict) or not isinstance(raw.get("rules"), list):
        expected = "a mapping with 'framework' and a list of 'rules'"
        found = type(raw).__name__
        report.add(problem("invalid_structure", where, None, what="the file", expected=expected, value=found))
        return "", [], report
    rules = []
    for number, item in enumerate(raw["rules"], start=1):
        missing = [key for key in ("question", "dataset", "variable", "answers") if not isinstance(item, dict)
                   or key not in item]
        if missing or not isinstance(item["answers"], dict):
            absent = ", ".join(missing) or "mapping 'answers'"
            report.add(problem("missing_field", where, None, what=f"pre-fill rule {number}", field=absent))
            continue
        answers = {float(code): str(option) for code, option in item["answers"].items()}
        rules.append(PrefillRule(str(item["question"]), str(item["dataset"]), str(item["variable"]), answers,
                                 str(item.get("note", ""))))
    return str(raw.get("framework", "")), rules, report


def check_rules(rules: list[PrefillRule], framework: Framework, variables: Mapping[str, Mapping[str, object]],
                where: str = "") -> Report:
    """Every rule names an existing question, a known dataset variable, and options of the question's list."""
    report = Report()
    for rule in rules:
        try:
            question = framework.question(rule.question)
        except KeyError:
            what = f"the pre-fill rule for {framework.id}"
            report.add(problem("unknown_question", where, None, what=what, name=rule.question))
            continue
        if rule.variable not in variables.get(rule.dataset, {}):
            report.add(data_problem("unknown_variable", f"rule for '{rule.question}': dataset '{rule.dataset}' has no "
                                    f"variable '{rule.variable}'", where))
        list_name = question.choice_list
        choice_list = framework.choice_lists.get(list_name) if list_name is not None else None
        options = choice_list.names() if choice_list is not None else ("yes", "no")
        for option in rule.answers.values():
            if option not in options:
                allowed = f"one of {{{', '.join(options)}}}"
                report.add(problem("invalid_value", where, None, field="the answer", what=f"the rule for "
                                   f"'{rule.question}'", allowed=allowed, value=f"'{option}'"))
    return report


def suggest(rules: list[PrefillRule], datasets: Mapping[str, LoadedDataset], unit: str,
            year: int | None = None) -> list[Suggestion]:
    """Suggestions for one country, from each rule's latest value (or the value of ``year``)."""
    found = []
    for rule in rules:
        dataset = datasets.get(rule.dataset)
        if dataset is None:
            continue
        data = dataset.data
        rows = data[(data["unit"] == unit) & (data["variable"] == rule.variable) & data["value"].notna()]
        if year is not None:
            rows = rows[rows["year"] == year]
        if rows.empty:
            continue
        latest = rows.sort_values("year").iloc[-1]
        value = float(latest["value"])
        answer = next((option for code, option in rule.answers.items() if math.isclose(code, value)), None)
        if answer is None:
            continue
        found.append(Suggestion(rule.question, answer, rule.dataset, rule.variable, int(latest["year"]), value,
                                dataset.spec.citation, rule.note))
    return found


def prefill_for(unit: str, mirror: Path | str | None = None, rules_path: Path | None = None
                ) -> tuple[list[Suggestion], Report]:
    """Load the rules and the datasets they use, check the rules against their framework, and suggest."""
    from govlens.data import registry
    from govlens.framework.catalogue import load

    framework_id, rules, report = load_rules(rules_path)
    if not report.valid:
        return [], report
    datasets = {name: registry.load(name, mirror) for name in sorted({rule.dataset for rule in rules})}
    framework = load(framework_id)
    report.extend(check_rules(rules, framework, {name: ds.variables for name, ds in datasets.items()},
                              str(rules_path or BUNDLED_RULES)))
    if not report.valid:
        return [], report
    return suggest(rules, datasets, unit), report


def decide(suggestion: Suggestion, answer: str) -> Decision:
    """Record what the focal point did with a suggestion: accepted it, or answered otherwise."""
    source = f"{suggestion.dataset} {suggestion.variable} {suggestion.year}: {suggestion.source}"
    return Decision(suggestion.question, suggestion.answer, answer, answer == suggestion.answer, source)
