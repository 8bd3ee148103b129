"""The seed's direction for each finding, and the demo's synthetic review checked against it over ten seeds."""

from __future__ import annotations

import copy
from fractions import Fraction
from typing import Any

import pytest
import yaml

from govlens.analysis.directions import (
    DIRECTIONS,
    DIRECTIONS_DIR,
    DirectionsInvalid,
    check_directions,
    finding_agreement,
    load_directions,
    parse_directions,
)
from govlens.analysis.narrative import RuleSet, load_rules, regional_statements
from govlens.analysis.quantifiers import BANDS
from govlens.analysis.regional import regional_statistics
from govlens.analysis.synthetic import DEFAULT_COUNTRIES, synthetic_answers
from govlens.framework.findings import FINDINGS
from govlens.framework.model import Framework

SEEDS = range(10)


@pytest.fixture(scope="module")
def rules(lac: Framework) -> RuleSet:
    return load_rules("lac-dgr", lac)


def raw_table() -> dict[str, Any]:
    data = yaml.safe_load((DIRECTIONS_DIR / "lac-dgr.yaml").read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def test_every_finding_and_every_rule_has_a_direction(rules: RuleSet) -> None:
    table = load_directions("lac-dgr", rules)  # also checks: each rule exactly once, with its own finding
    assert table.findings() == tuple(FINDINGS)
    assert sorted(item.rule for item in table.directions) == sorted(rule.id for rule in rules.rules)
    assert all(item.seed for item in table.directions)
    # the explicit shares of the seed
    shares = {item.finding: item.share for item in table.directions if item.share is not None}
    assert shares == {"F01": Fraction("0.88"), "F02": Fraction("0.59"), "F04": Fraction("0.94"),
                      "F39": Fraction("0.41")}  # fmt: skip
    assert table.for_rule("f07-established-legal-topics").above == Fraction("0.8")  # type: ignore[union-attr]


def test_direction_words_name_real_bands() -> None:
    keys = {band.key for band in BANDS}
    assert all(set(bands) <= keys for bands in DIRECTIONS.values())


def test_table_errors_name_the_entry(rules: RuleSet) -> None:
    data = copy.deepcopy(raw_table())
    data["directions"][0]["direction"] = "lots"
    data["directions"][1]["seed"] = ""
    data["directions"][2]["finding"] = "F09"
    data["directions"][3]["share"] = 1.5
    data["directions"].append(dict(data["directions"][4]))
    del data["directions"][5]
    with pytest.raises(DirectionsInvalid) as caught:
        parse_directions(data, "t.yaml", rules)
    problems = caught.value.problems
    assert problems[0].startswith("entry 1 (f01-lead-organisation): direction must be one of {none, few, ")
    assert problems[1:] == (
        "entry 2 (f01-decision-powers): seed (the words the direction is read from) is required",
        "entry 3 (f02-coordination-body): rule 'f02-coordination-body' speaks to F02, not F09",
        "entry 4 (f03-binding-coordination): share must be a share from 0 to 1; got 1.5",
        f"entry {len(data['directions'])} (f04-national-strategy): rule 'f04-national-strategy' has a direction "
        "already",
        "rules without a direction: f04-strategy-age",
    )


def test_a_statement_against_the_seed_is_reported(lac: Framework, rules: RuleSet) -> None:
    # everybody adhering to the innovation declaration contradicts F39's 41% minority
    answers = synthetic_answers(lac, seed=1, prefilled={code: {"inn_declaration": "yes"} for code in DEFAULT_COUNTRIES})
    checks = check_directions(regional_statements(regional_statistics(lac, answers.answers), rules),
                              load_directions("lac-dgr", rules))  # fmt: skip
    failed = [check for check in checks if not check.agrees]
    assert [check.direction.rule for check in failed] == ["f39-innovation-declaration"]
    assert failed[0].problems == (
        "says 'all'; the seed says minority (few, minority)",
        "counts 17 of 17; the seed's 41% is 7.0",
        "its recommendation is missing; the seed's point calls for it",  # nobody left to adhere
    )
    agreement = finding_agreement(checks)
    assert len(agreement) == 43 and [ref for ref, ok in agreement.items() if not ok] == ["F39"]


@pytest.mark.parametrize("seed", SEEDS)
def test_the_synthetic_review_follows_the_seed_on_all_43_findings(lac: Framework, rules: RuleSet, seed: int) -> None:
    table = load_directions("lac-dgr", rules)
    demo = synthetic_answers(lac, seed=seed)
    statements = regional_statements(regional_statistics(lac, demo.answers), rules)
    checks = check_directions(statements, table)
    assert [str(check) for check in checks if not check.agrees] == []
    agreement = finding_agreement(checks)
    assert (sum(agreement.values()), len(agreement)) == (43, 43)
    # the seed's point calls for these, and the naive reading suppressed them
    advised = {s.provenance.finding for s in statements if s.kind == "recommendation" and s.audience == "countries"}
    assert {"F17", "F24", "F33", "F38", "F43"} <= advised
    # F04: nobody is told to adopt a strategy (16 of 17 have one), those with old or unmonitored ones are
    f04 = {s.provenance.rule for s in statements if s.kind == "recommendation" and s.provenance.finding == "F04"}
    assert f04 == {"f04-strategy-age", "f04-strategy-monitoring"}
    regional = {s.provenance.finding: s.addressees for s in statements if s.audience == "regional"}
    assert set(regional) == {"F04", "F06", "F16", "F25", "F36"}
    assert {body for bodies in regional.values() for body in bodies} >= {"CAF", "Red GEALC", "eLAC"}


@pytest.mark.parametrize("level", [0.05, 0.5, 0.95])
def test_the_seed_directions_hold_whatever_the_maturity(lac: Framework, rules: RuleSet, level: float) -> None:
    demo = synthetic_answers(lac, seed=4, maturity={code: level for code in DEFAULT_COUNTRIES})
    checks = check_directions(regional_statements(regional_statistics(lac, demo.answers), rules),
                              load_directions("lac-dgr", rules))  # fmt: skip
    assert [str(check) for check in checks if not check.agrees] == []
