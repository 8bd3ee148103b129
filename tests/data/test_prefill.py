from __future__ import annotations

from pathlib import Path

import pytest

from govlens.data import prefill, registry
from govlens.data.model import LoadedDataset, Variable, tidy_frame
from govlens.framework.catalogue import load


def gtmi_like(rows: list[tuple[str, int, str, float, str]]) -> dict[str, LoadedDataset]:
    variables = {code: Variable(code, code, (0, 3)) for code in ("I-33", "I-35", "I-38", "I-39")}
    return {"gtmi-indicators": LoadedDataset(spec=registry.get_spec("gtmi-indicators"), data=tidy_frame(rows),
                                             variables=variables, unit_names={})}


RULES = [
    prefill.PrefillRule("gov_dg_org_exists", "gtmi-indicators", "I-33", {0.0: "no", 1.0: "yes", 2.0: "yes"}),
    prefill.PrefillRule("gov_law_privacy", "gtmi-indicators", "I-38", {0.0: "none", 2.0: "full"}),
]


def test_latest_value_gives_the_suggestion_with_its_source() -> None:
    datasets = gtmi_like([("URY", 2020, "I-33", 0.0, ""), ("URY", 2022, "I-33", 2.0, ""),
                          ("URY", 2022, "I-38", 1.0, ""), ("ARG", 2022, "I-33", 0.0, "")])
    found = prefill.suggest(RULES, datasets, "URY")
    # I-33: latest (2022) value 2 -> yes; I-38 = 1 is ambiguous -> no suggestion
    assert [(s.question, s.answer, s.year, s.value) for s in found] == [("gov_dg_org_exists", "yes", 2022, 2.0)]
    assert "World Bank" in found[0].source
    assert [s.answer for s in prefill.suggest(RULES, datasets, "URY", year=2020)] == ["no"]
    assert prefill.suggest(RULES, datasets, "BRA") == []


def test_decision_records_acceptance_or_override() -> None:
    suggestion = prefill.suggest(RULES, gtmi_like([("URY", 2022, "I-33", 2.0, "")]), "URY")[0]
    accepted = prefill.decide(suggestion, "yes")
    overridden = prefill.decide(suggestion, "no")
    assert accepted.accepted and not overridden.accepted
    assert overridden.suggested == "yes" and overridden.answer == "no"
    assert overridden.source.startswith("gtmi-indicators I-33 2022: World Bank")


def test_bundled_rules_match_the_lac_dgr_questions() -> None:
    framework_id, rules, report = prefill.load_rules()
    assert framework_id == "lac-dgr" and report.valid and len(rules) == 6
    variables = {"gtmi-indicators": {code: object() for code in (f"I-{n}" for n in range(1, 49))}}
    assert prefill.check_rules(rules, load("lac-dgr"), variables).problems == []


def test_rules_are_checked_against_the_framework(tmp_path: Path) -> None:
    path = tmp_path / "rules.yaml"
    path.write_text("framework: lac-dgr\nrules:\n"
                    "  - {question: no_such_question, dataset: gtmi-indicators, variable: I-1, answers: {0: 'no'}}\n"
                    "  - {question: gov_dg_org_exists, dataset: gtmi-indicators, variable: I-99, answers: {0: nope}}\n"
                    "  - {question: gov_ndgs_exists}\n", encoding="utf-8")
    _, rules, report = prefill.load_rules(path)
    assert report.codes() == ["missing_field"]
    checked = prefill.check_rules(rules, load("lac-dgr"), {"gtmi-indicators": {"I-1": object()}})
    assert checked.codes() == ["unknown_question", "unknown_variable", "invalid_value"]
    message = "the answer of the rule for 'gov_dg_org_exists' must be one of {yes, no}; got 'nope'"
    assert message in str(checked.problems[2])


@pytest.mark.usefixtures("real")
def test_prefill_for_a_country_on_the_mirror(real_mirror: Path) -> None:
    suggestions, report = prefill.prefill_for("URY", real_mirror)
    assert report.valid
    answers = {s.question: s.answer for s in suggestions}
    assert answers["gov_dg_org_exists"] == "yes" and answers["gov_ndgs_exists"] == "yes"
    assert all(s.year == 2022 for s in suggestions)
