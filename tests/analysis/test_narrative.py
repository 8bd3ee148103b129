"""Rules, generated statements and country profiles: on the tiny framework (figures worked out in conftest.py)
and on the bundled lac-dgr rules with the calibrated synthetic answers."""

from __future__ import annotations

import copy
import json
from collections.abc import Mapping
from fractions import Fraction
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from govlens.analysis.narrative import (
    RuleSet,
    RulesInvalid,
    Statement,
    addressed_to,
    by_finding,
    check_rules,
    country_profile,
    load_rules,
    regional_statements,
)
from govlens.analysis.quantifiers import PHRASES, percent, quantifier_key
from govlens.analysis.regional import RegionalStatistics, regional_statistics
from govlens.analysis.synthetic import SyntheticResponses
from govlens.framework.model import Framework

ORG = {
    "en": "{Countries} ({fraction}, {share}) have a lead organisation.",
    "es": "{Countries} ({fraction}, {share}) tienen una institución rectora.",
    "pt": "{Countries} ({fraction}, {share}) têm uma instituição líder.",
    "fr": "{Countries} ({fraction}, {share}) ont une institution chef de file.",
}
ADVICE = {"en": "Create a lead body.", "es": "Crear un órgano rector.", "pt": "Criar um órgão líder.",
          "fr": "Créer un organe chef de file."}  # fmt: skip
TINY_RULES: dict[str, Any] = {
    "govlens_rules": 1,
    "framework": "tiny",
    "rules": [
        {"id": "org", "finding": "F01", "question": "has_org", "options": ["yes"], "statement": ORG,
         "recommend_below": 0.8, "recommendation": ADVICE},
        {"id": "old-strategy", "finding": "F04", "question": "year", "at_most": 2020,
         "statement": {"en": "{Countries} ({figure}) adopted it in 2020 or before."}},
        {"id": "powers", "finding": "F03", "indicator": "I2", "at_least": 0.5,
         "statement": {"en": "{Quantifier}: {fraction}; {list}."}, "recommend_below": 0.3,
         "recommendation": {"en": "Give it powers."}},
    ],
}  # fmt: skip


def rules_from(data: Mapping[str, Any], framework: Framework) -> RuleSet:
    rules, report = check_rules(data, framework, "tiny.yaml")
    assert rules is not None, [str(p) for p in report.errors]
    return rules


def test_rule_errors_name_the_rule(tiny: Framework) -> None:
    data = copy.deepcopy(TINY_RULES)
    # org_scope has the option 'whole', powers has not
    data["rules"].append({"id": "scope-and-powers", "finding": "F01", "questions": ["org_scope", "powers"],
                          "options": ["whole"], "statement": {"en": "{Countries} {colour}"}})  # fmt: skip
    data["rules"].append({"id": "ghost", "finding": "F99", "question": "nothing", "options": ["yes"],
                          "statement": {"en": "x"}})  # fmt: skip
    data["rules"].append({"id": "nowhere", "finding": "F01", "indicator": "I9", "at_least": 1,
                          "statement": {"en": "x"}})  # fmt: skip
    data["rules"].append({"id": "org", "finding": "F01", "question": "year", "statement": {"en": "x"}})
    rules, report = check_rules(data, tiny, "tiny.yaml")
    assert rules is None
    messages = [problem.message for problem in report.errors]
    assert messages == [
        "rule 'scope-and-powers': question 'powers' has no option whole; allowed: budget, standards, none",
        "rule 'scope-and-powers': statement (en) uses unknown placeholder(s) colour; allowed: "
        "countries, Countries, quantifier, Quantifier, count, total, share, fraction, figure, min_count, "
        "max_count, min_share, max_share, group, list",
        "rule 'ghost': finding 'F99' is not one of F01..F43",
        "rule 'ghost': question 'nothing' is not in framework tiny",
        "rule 'nowhere': indicator 'I9' is not in framework tiny",
        "rule 'org': the id is used twice",
        "rule 'org': a rule on a number question needs at_least or at_most",
    ]
    with pytest.raises(RulesInvalid, match="rule 'ghost'"):
        raise RulesInvalid(report)


def test_missing_languages_are_a_warning(tiny: Framework) -> None:
    _, report = check_rules(TINY_RULES, tiny)
    assert report.valid
    assert next(p.message for p in report.warnings) == "rule 'old-strategy': statement has no text in es, pt, fr"


def test_statement_uses_quantifier_figure_and_lists_countries(tiny_stats: RegionalStatistics, tiny: Framework) -> None:
    statements = regional_statements(tiny_stats, rules_from(TINY_RULES, tiny))
    org = statements[0]
    assert (org.kind, org.quantifier) == ("finding", "modest_majority")
    assert org.in_language("en") == "A modest majority of countries (3 of 5, 60%) have a lead organisation."
    assert org.in_language("es") == "Una ligera mayoría de los países (3 de 5, 60%) tienen una institución rectora."
    assert org.in_language("fr") == "Une courte majorité de pays (3 sur 5, 60\u202f%) ont une institution chef de file."
    assert org.countries == ("AAA", "BBB", "DDD")
    assert org.denominator == ("AAA", "BBB", "CCC", "DDD", "EEE")
    assert org.citation() == "3 of 5 countries (60%): AAA, BBB, DDD"
    p = org.provenance
    assert (p.rule, p.finding, p.subject, p.framework_id, p.release_id) == ("org", "F01", "has_org", "tiny", "rel-1")


def test_recommendation_follows_when_the_share_is_below_the_threshold(
    tiny_stats: RegionalStatistics, tiny: Framework
) -> None:
    kinds = [(s.provenance.rule, s.kind) for s in regional_statements(tiny_stats, rules_from(TINY_RULES, tiny))]
    # org: 60% < 80% -> recommendation; powers: 2 of 5 = 40% is not below 30% -> none
    assert kinds == [
        ("org", "finding"),
        ("org", "recommendation"),
        ("old-strategy", "finding"),
        ("powers", "finding"),
    ]


def test_a_recommendation_is_for_the_countries_concerned(tiny_stats: RegionalStatistics, tiny: Framework) -> None:
    statements = regional_statements(tiny_stats, rules_from(TINY_RULES, tiny))
    finding, advice = statements[0], statements[1]
    # 3 of 5 have a lead organisation: the recommendation is for the two without one, not for those with one
    assert advice.countries == advice.addressees == ("CCC", "EEE") == finding.figure.not_counted  # type: ignore[union-attr]
    assert advice.audience == "countries"
    assert advice.in_language("en") == "Create a lead body. Addressed to CCC and EEE (2 of 5 countries)."
    assert advice.detail["fr"] == "Pays concernés\u00a0: CCC et EEE (2 pays sur 5)."
    assert advice.in_language("fr") == "Créer un organe chef de file. " + advice.detail["fr"]
    assert advice.action["es"] == "Crear un órgano rector."
    assert advice.citation() == "2 of 5 countries (40%): CCC, EEE"
    # the evidence behind it is the finding's: same provenance, same figure with every country's answer
    assert advice.provenance == finding.provenance and advice.figure is finding.figure
    named = regional_statements(tiny_stats, rules_from(TINY_RULES, tiny), names=lambda code, language: code.title())
    assert named[1].in_language("es") == "Crear un órgano rector. Dirigida a: Ccc y Eee (2 de 5 países)."


def test_a_share_at_the_threshold_is_not_below_it(tiny_stats: RegionalStatistics, tiny: Framework) -> None:
    data = copy.deepcopy(TINY_RULES)
    data["rules"][2]["recommend_below"] = 0.4  # 2 of 5 = 40% exactly (the float 0.4 is a little above 2/5)
    kinds = [s.kind for s in regional_statements(tiny_stats, rules_from(data, tiny)) if s.provenance.rule == "powers"]
    assert kinds == ["finding"]
    data["rules"][2]["recommend_below"] = 0.41
    kinds = [s.kind for s in regional_statements(tiny_stats, rules_from(data, tiny)) if s.provenance.rule == "powers"]
    assert kinds == ["finding", "recommendation"]


def test_a_recommendation_above_a_share_is_for_the_countries_counted(
    tiny_stats: RegionalStatistics, tiny: Framework
) -> None:
    data = copy.deepcopy(TINY_RULES)
    data["rules"][1].update(recommend_above=0.5, recommendation={"en": "Update the strategy."})
    advice = [s for s in regional_statements(tiny_stats, rules_from(data, tiny)) if s.provenance.rule == "old-strategy"]
    assert [s.kind for s in advice] == ["finding", "recommendation"]
    assert advice[1].countries == ("BBB", "CCC")  # the two strategies from 2020 or before, of 3
    assert advice[1].in_language("en") == "Update the strategy. Addressed to BBB and CCC (2 of 3 countries)."


@pytest.mark.parametrize(
    ("addressed", "total", "expected"),
    [
        (("A01",), 3, "Addressed to A01 (1 of 3 countries)."),
        (("A01", "A02", "A03"), 3, "Addressed to all 3 countries."),
        (("A01", "A02", "A03"), 17, "Addressed to A01, A02 and A03 (3 of 17 countries)."),
        # beyond 8 concerned, those that comply are named when they are at most half as many
        (tuple(f"A{i:02d}" for i in range(1, 14)), 17,
         "Addressed to 13 of 17 countries: all but A14, A15, A16 and A17."),
        (tuple(f"A{i:02d}" for i in range(1, 10)), 17,
         "Addressed to A01, A02, A03, A04, A05, A06, A07, A08 and A09 (9 of 17 countries)."),
    ],
)  # fmt: skip
def test_the_wording_depends_on_how_many_countries_are_concerned(
    addressed: tuple[str, ...], total: int, expected: str
) -> None:
    denominator = tuple(f"A{i:02d}" for i in range(1, total + 1))
    assert addressed_to(addressed, denominator, "en", lambda code, language: code) == expected


def test_names_holding_the_conjunction_are_set_apart() -> None:
    assert addressed_to(("TTO", "PER", "JAM"), ("PER", "JAM", "TTO", "BRA"), "en") == (
        "Addressed to Jamaica, Peru, and Trinidad and Tobago (3 of 4 countries)."  # names from pycountry, sorted
    )
    french = addressed_to(("ECU", "BRA"), ("ECU", "BRA", "PER"), "fr")
    assert french == "Pays concernés\u00a0: Brésil et Équateur (2 pays sur 3)."  # É filed among the E


def test_a_regional_recommendation_names_the_bodies(tiny_stats: RegionalStatistics, tiny: Framework) -> None:
    data = copy.deepcopy(TINY_RULES)
    data["rules"][0]["regional"] = {"bodies": ["CAF", "Red GEALC"], "recommendation": {"en": "Share lead models."}}
    statements = regional_statements(tiny_stats, rules_from(data, tiny))
    regional = statements[2]
    assert (regional.kind, regional.audience) == ("recommendation", "regional")
    assert regional.addressees == ("CAF", "Red GEALC")
    assert regional.in_language("en") == "Share lead models. Addressed to regional bodies: CAF and Red GEALC."
    # the rule has no Spanish: its action falls back to English, the rest is Spanish
    assert regional.in_language("es") == "Share lead models. Dirigida a los organismos regionales: CAF y Red GEALC."
    assert regional.bodies == ("CAF", "Red GEALC") and statements[1].bodies == ()
    assert statements[1].addressed == ("CCC", "EEE") and statements[0].addressed is None
    assert regional.countries == ("CCC", "EEE")  # the countries it concerns
    data["rules"][0]["regional"] = {"bodies": [], "recommendation": {"en": "x"}}
    rules, report = check_rules(data, tiny)
    assert rules is None
    assert [p.message for p in report.errors] == [
        "rule 'org': regional needs 'bodies' (a non-empty list) and a 'recommendation'"
    ]


def test_number_and_indicator_rules(tiny_stats: RegionalStatistics, tiny: Framework) -> None:
    statements = {s.provenance.rule: s for s in regional_statements(tiny_stats, rules_from(TINY_RULES, tiny))}
    old = statements["old-strategy"]
    assert (
        old.in_language("en") == "A modest majority of countries (2 of 3 countries (67%)) adopted it in 2020 or before."
    )
    assert old.in_language("es") == old.in_language("en")  # falls back to English where the rule has no Spanish
    powers = statements["powers"]
    assert powers.in_language("en") == "A minority: 2 of 5; AAA, BBB."
    assert powers.provenance.subject_kind == "indicator"


def test_group_statements(tiny_stats: RegionalStatistics, tiny: Framework) -> None:
    org = regional_statements(tiny_stats, rules_from(TINY_RULES, tiny), group="south")[0]
    assert org.in_language("en") == "A modest majority of countries (2 of 3, 67%) have a lead organisation."
    assert org.provenance.group == "south"


def test_strengths_and_weaknesses_far_from_the_mean(tiny_stats: RegionalStatistics) -> None:
    best = country_profile(tiny_stats, "AAA")
    assert {s.provenance.subject for s in best.strengths} == {"P1", "I1", "I2", "P2", "I3"}
    assert best.weaknesses == ()
    # CCC: I1 is 0.45 below the mean with a deviation of 0.4; P1 (0.375 below, deviation 0.387) is not far enough
    worst = country_profile(tiny_stats, "CCC")
    assert [s.provenance.subject for s in worst.weaknesses] == ["I1"]
    assert worst.weaknesses[0].in_language("en") == (
        "Lead organisation is a weakness: 0.00 against a mean of 0.45 over 5 countries (best: AAA)."
    )
    assert worst.weaknesses[0].provenance.country == "CCC"


def test_recommendations_with_the_largest_expected_gain(tiny_stats: RegionalStatistics, tiny: Framework) -> None:
    # BBB, gains = weight x (frontier - value): I3 0.75 x 0.5 = 0.375; I2 0.125 x 0.5 = 0.0625; I1 0.125 x 0.25
    profile = country_profile(tiny_stats, "BBB", rules_from(TINY_RULES, tiny))
    recs = profile.recommendations
    assert [s.provenance.subject for s in recs] == ["I3", "I2", "I1"]
    assert recs[0].in_language("en") == "Close the gap with the leading countries on: Strategy year."
    assert recs[0].detail["en"] == (
        "Expected gain 0.375 on the index: weight 0.750 x gap 0.50 to the frontier (1.00, AAA)."
    )
    # I2 is covered by the indicator rule 'powers'; I1 by the question rule 'org'
    assert (recs[1].provenance.rule, recs[1].in_language("en")) == ("powers", "Give it powers.")
    assert (recs[2].provenance.rule, recs[2].in_language("es")) == ("org", "Crear un órgano rector.")
    assert len(country_profile(tiny_stats, "BBB", top=1).recommendations) == 1
    assert country_profile(tiny_stats, "AAA").recommendations == ()  # at the frontier everywhere


# -- the bundled rules on the calibrated synthetic answers ----------------------------------------------------------
REQUIRED_FINDINGS = {"F01", "F02", "F03", "F04", "F07", "F13", "F16", "F21", "F24", "F31", "F36", "F39"}


@pytest.fixture(scope="module")
def lac_rules(lac: Framework) -> RuleSet:
    return load_rules("lac-dgr", lac)


@pytest.fixture(scope="module")
def demo_statements(lac: Framework, demo: SyntheticResponses, lac_rules: RuleSet) -> dict[str, Statement]:
    stats = regional_statistics(lac, demo.answers, release_id="demo")
    return {s.provenance.rule or "": s for s in regional_statements(stats, lac_rules) if s.kind == "finding"}


def test_bundled_rules_cover_the_required_findings_in_four_languages(lac: Framework, lac_rules: RuleSet) -> None:
    assert set(lac_rules.findings()) >= REQUIRED_FINDINGS
    import yaml

    from govlens.analysis.narrative import resolve_rules

    _, report = check_rules(yaml.safe_load(resolve_rules("lac-dgr").read_text(encoding="utf-8")), lac)
    assert [str(p) for p in report.problems] == []


@pytest.mark.parametrize(
    ("rule", "language", "expected"),
    [
        ("f01-lead-organisation", "en", "Most countries (15 of 17, 88%)"),
        ("f01-lead-organisation", "es", "La mayoría de los países (15 de 17, 88%)"),
        ("f02-coordination-body", "en", "A modest majority of countries (10 of 17, 59%)"),
        ("f02-coordination-body", "pt", "Uma ligeira maioria dos países (10 de 17, 59%)"),
        ("f04-national-strategy", "en", "Almost all countries (16 of 17, 94%)"),
        ("f04-national-strategy", "fr", "Presque tous les pays (16 sur 17, 94\u202f%)"),
        ("f04-strategy-age", "en", "About half of the countries with a strategy (8 of 16, 50%)"),
        ("f39-innovation-declaration", "en", "A minority of countries (7 of 17, 41%)"),
        ("f39-innovation-declaration", "es", "Una minoría de países (7 de 17, 41%)"),
        ("f07-established-legal-topics", "en", "at least 15 of 17 countries (88%), that is most countries."),
        ("f07-advanced-legal-topics", "en", "at most 9 of 17 countries (53%); about half of the countries cover"),
        ("f07-advanced-legal-topics", "es", "como máximo en 9 de 17 países (53%); alrededor de la mitad de los"),
    ],
)
def test_demo_report_states_the_seeds_figures(
    demo_statements: dict[str, Statement], rule: str, language: str, expected: str
) -> None:
    assert expected in demo_statements[rule].in_language(language)


def test_statements_in_the_order_of_the_seeds_findings(demo_statements: dict[str, Statement]) -> None:
    grouped = by_finding(demo_statements.values())
    assert list(grouped)[:5] == ["F01", "F02", "F03", "F04", "F05"]
    assert [s.provenance.rule for s in grouped["F07"]] == ["f07-established-legal-topics", "f07-advanced-legal-topics"]
    assert len(grouped) == 43


def test_demo_statements_list_the_countries_counted(
    demo_statements: dict[str, Statement], demo: SyntheticResponses
) -> None:
    org = demo_statements["f01-lead-organisation"]
    expected = tuple(code for code, answers in demo.answers.items() if answers["gov_dg_org_exists"] == "yes")
    assert org.countries == expected and len(expected) == 15
    assert org.citation().startswith("15 of 17 countries (88%): " + ", ".join(expected))
    assert org.provenance.release_id == "demo"
    assert org.provenance.framework_id == "lac-dgr"


def test_demo_country_profile_has_three_recommendations(
    lac: Framework, demo: SyntheticResponses, lac_rules: RuleSet
) -> None:
    stats = regional_statistics(lac, demo.answers)
    profile = country_profile(stats, "MEX", lac_rules)
    assert len(profile.recommendations) == 3
    assert all(set(s.text) == {"en", "es", "pt", "fr"} and all(s.text.values()) for s in profile.recommendations)


def test_recommendations_take_no_placeholders(tiny: Framework) -> None:
    data = copy.deepcopy(TINY_RULES)
    data["rules"][0]["recommendation"] = {**ADVICE, "en": "Create a lead body in {countries}."}
    rules, report = check_rules(data, tiny)
    assert rules is None
    assert [p.message for p in report.errors] == [
        "rule 'org': recommendation (en) uses placeholders; a recommendation is the action alone (plain text): who "
        "it is for is added when it is given"
    ]


def test_statements_serialise_with_their_evidence(tiny_stats: RegionalStatistics, tiny: Framework) -> None:
    org = regional_statements(tiny_stats, rules_from(TINY_RULES, tiny))[0]
    data = json.loads(json.dumps(org.to_dict()))
    assert data["countries"] == ["AAA", "BBB", "DDD"]
    assert data["share"] == pytest.approx(0.6)
    assert data["provenance"]["rule"] == "org" and data["provenance"]["release_id"] == "rel-1"
    assert data["figure"]["denominator"] == ["AAA", "BBB", "CCC", "DDD", "EEE"]


@given(st.lists(st.sampled_from(["yes", "no", None]), min_size=1, max_size=40))
@settings(max_examples=80, deadline=None)
def test_the_quantifier_always_matches_the_share(tiny: Framework, answers: list[str | None]) -> None:
    responses = {f"C{index:02d}": ({"has_org": value} if value else {}) for index, value in enumerate(answers)}
    stats = regional_statistics(tiny, responses)
    statements = regional_statements(stats, rules_from(TINY_RULES, tiny))
    yes, total = answers.count("yes"), answers.count("yes") + answers.count("no")
    org = [s for s in statements if s.provenance.rule == "org" and s.kind == "finding"]
    if total == 0:
        assert org == []  # nobody answered: no statement
        return
    key = quantifier_key(Fraction(yes, total))
    assert org[0].quantifier == key
    assert org[0].in_language("en").startswith(PHRASES[key]["en"][:1].upper() + PHRASES[key]["en"][1:])
    assert f"({yes} of {total}, {percent(Fraction(yes, total))}%)" in org[0].in_language("en")
