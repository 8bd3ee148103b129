from __future__ import annotations

import pytest

from govlens.followup import Recommendation, Register, register_from
from govlens.followup.register import progress_indicators
from govlens.release import Release

from .conftest import RULES, statements_of


def test_register_holds_the_recommendations_with_their_addressees(register: Register, first: Release) -> None:
    assert register.ids == ("f01-lead-organisation", "f27-data-portal")  # the strategy rule did not recommend
    assert register.get("f01-lead-organisation").countries == ("CHL", "MEX")  # the countries without one
    assert register.get("f27-data-portal").countries == ("COL", "MEX")
    assert register.get("f01-lead-organisation").indicators == ("I1",)
    assert register.get("f27-data-portal").finding == "F27"
    assert register.release_id == first.id and register.release_hash == first.hash
    assert register.get("f01-lead-organisation").in_language("es").startswith("[es] Entrust")


def test_register_per_country(register: Register) -> None:
    assert [r.id for r in register.for_country("MEX")] == ["f01-lead-organisation", "f27-data-portal"]
    assert [r.id for r in register.for_country("chl")] == ["f01-lead-organisation"]
    assert register.for_country("ARG") == ()


def test_register_round_trips_and_refuses_other_formats(register: Register) -> None:
    assert Register.from_dict(register.to_dict()) == register
    with pytest.raises(ValueError, match="govlens_register must be 1"):
        Register.from_dict({**register.to_dict(), "govlens_register": 2})
    with pytest.raises(KeyError, match="no recommendation 'nope'"):
        register.get("nope")


def test_register_ids_are_unique() -> None:
    item = Recommendation("a", "F01", {"en": "x"}, ("ARG",), ())
    with pytest.raises(ValueError, match="repeated: a"):
        Register("c", "c-r1", "h", "f", (item, item))


def test_register_is_the_same_for_a_recomputed_release(first: Release, register: Register) -> None:
    # ids and addressees come from the data and the rules only: a second computation gives the same register
    assert register_from(first, statements_of(first), RULES) == register


def test_progress_indicators_of_a_question_rule_are_the_indicators_it_scores(first: Release) -> None:
    framework = first.framework()
    rule = RULES.rule("f01-lead-organisation")
    assert progress_indicators(framework, rule) == ("I1",)
    from dataclasses import replace

    assert progress_indicators(framework, replace(rule, questions=("q_share", "q_portal"))) == ("I4", "I5")
    assert progress_indicators(framework, replace(rule, questions=(), indicator="P2")) == ("P2",)


def test_a_recommendation_to_regional_bodies_joins_the_countries_one(first: Release) -> None:
    from dataclasses import replace

    from govlens.analysis.narrative import RuleSet

    rule = replace(
        RULES.rule("f27-data-portal"),
        regional_bodies=("CAF", "Red GEALC"),
        regional_recommendation={lang: "Pool the portals." for lang in ("en", "es", "pt", "fr")},
    )
    rules = RuleSet(framework_id="tiny-dgr", rules=(rule,))
    register = register_from(first, statements_of(first, rules), rules)
    item = register.get("f27-data-portal")
    assert item.bodies == ("CAF", "Red GEALC") and item.countries == ("COL", "MEX")
    assert item.text["en"] == "Open a national data portal."  # the action alone: the register names the countries
