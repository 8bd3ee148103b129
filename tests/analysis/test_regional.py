"""Regional counts and summaries on the tiny framework of conftest.py, every figure worked out by hand there."""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from govlens.analysis.regional import (
    RegionalStatistics,
    effective_weights,
    node_scores,
    regional_statistics,
)
from govlens.framework.model import Framework


def test_yes_no_count_is_among_all_who_answered(tiny_stats: RegionalStatistics) -> None:
    yes = tiny_stats.options_figure("has_org", ["yes"])
    assert (yes.count, yes.total, yes.share) == (3, 5, Fraction(3, 5))
    assert yes.countries == ("AAA", "BBB", "DDD")
    assert yes.denominator == ("AAA", "BBB", "CCC", "DDD", "EEE")
    assert yes.not_counted == ("CCC", "EEE")
    assert yes.text() == "3 of 5 countries (60%)"
    assert yes.text("es") == "3 de 5 países (60%)"
    assert yes.text("fr") == "3 pays sur 5 (60\u202f%)"


def test_skipped_and_blank_answers_are_outside_the_denominator(tiny_stats: RegionalStatistics) -> None:
    # org_scope is asked only where has_org = yes; CCC's answer to it is ignored, DDD left it blank
    whole = tiny_stats.options_figure("org_scope", ["whole"])
    assert whole.countries == ("AAA",)
    assert whole.denominator == ("AAA", "BBB")
    assert whole.missing == ("DDD",)
    assert whole.not_applicable == ("CCC", "EEE")
    assert whole.text() == "1 of 2 countries (50%)"
    assert dict(whole.answers) == {"AAA": "whole", "BBB": "some"}  # the evidence behind the figure


def test_several_options_and_multiple_choice(tiny_stats: RegionalStatistics) -> None:
    budget = tiny_stats.options_figure("powers", ["budget"])
    assert (budget.countries, budget.denominator) == (("AAA", "BBB"), ("AAA", "BBB", "DDD"))
    assert dict(budget.answers) == {"AAA": ("budget", "standards"), "BBB": ("budget",), "DDD": ("none",)}
    either = tiny_stats.options_figure("powers", ["standards", "none"])
    assert either.countries == ("AAA", "DDD")
    assert either.provenance.condition == "in {standards, none}"
    assert either.option is None


def test_groups_count_only_their_members_and_list_those_without_a_response(tiny_stats: RegionalStatistics) -> None:
    north = tiny_stats.options_figure("has_org", ["yes"], group="north")
    assert (north.countries, north.denominator, north.no_response) == (("DDD",), ("DDD", "EEE"), ("FFF",))
    south = tiny_stats.options_figure("has_org", ["no"], group="south")
    assert (south.count, south.total) == (1, 3)


def test_number_bounds(tiny_stats: RegionalStatistics) -> None:
    old = tiny_stats.number_figure("year", at_most=2020)
    assert old.countries == ("BBB", "CCC")
    assert old.denominator == ("AAA", "BBB", "CCC")
    assert old.missing == ("DDD", "EEE")
    assert old.provenance.condition == "<= 2020"
    years = tiny_stats.number_summary("year")
    assert dict(years.values) == {"AAA": 2022.0, "BBB": 2019.0, "CCC": 2015.0}
    assert (years.min, years.median, years.max) == (2015.0, 2019.0, 2022.0)


def test_indicator_and_node_scores(tiny_stats: RegionalStatistics) -> None:
    expected = pd.DataFrame(
        {
            "IDX": [1, 0.53125, 0, 0.0625, 0],
            "P1": [1, 0.625, 0, 0.25, 0],
            "I1": [1, 0.75, 0, 0.5, 0],
            "I2": [1, 0.5, 0, 0, 0],
            "P2": [1, 0.5, 0, 0, 0],
            "I3": [1, 0.5, 0, 0, 0],
        },
        index=["AAA", "BBB", "CCC", "DDD", "EEE"],
    )
    got = tiny_stats.scores.loc[list(expected.index), list(expected.columns)]
    np.testing.assert_allclose(got.to_numpy(), expected.to_numpy())


def test_score_summary_lists_the_countries_behind_it(tiny_stats: RegionalStatistics) -> None:
    p1 = tiny_stats.score_summary("P1")
    assert p1.countries == ("AAA", "BBB", "CCC", "DDD", "EEE")
    assert p1.mean == pytest.approx(0.375)
    assert p1.median == pytest.approx(0.25)
    assert (p1.min, p1.max) == (0.0, 1.0)
    assert p1.min_countries == ("CCC", "EEE")
    assert p1.max_countries == ("AAA",)
    assert p1.std == pytest.approx(math.sqrt(0.15))
    south = tiny_stats.score_summary("P1", group="south")
    assert south.mean == pytest.approx(1.625 / 3)
    assert south.median == pytest.approx(0.625)
    assert south.no_response == ()


def test_provenance_names_framework_subject_group_and_release(tiny_stats: RegionalStatistics) -> None:
    p = tiny_stats.options_figure("has_org", ["yes"], group="south").provenance
    assert (p.framework_id, p.framework_version, p.subject_kind, p.subject, p.group, p.release_id) == (
        "tiny", "1", "question", "has_org", "south", "rel-1",
    )  # fmt: skip
    assert tiny_stats.score_summary("I2").provenance.subject_kind == "indicator"


def test_effective_weights(tiny: Framework) -> None:
    weights = effective_weights(tiny)
    assert weights["I1"] == pytest.approx(0.125)
    assert weights["I2"] == pytest.approx(0.125)
    assert weights["I3"] == pytest.approx(0.75)
    assert weights["P2"] == pytest.approx(0.75)
    assert weights["IDX"] == 1.0


def test_node_scores_renormalise_over_children_present(tiny: Framework) -> None:
    leaves = pd.DataFrame({"I1": [math.nan, math.nan], "I2": [0.4, math.nan], "I3": [0.8, math.nan]}, index=["X", "Y"])
    scores = node_scores(tiny, leaves)
    assert scores.loc["X", "P1"] == pytest.approx(0.4)  # I1 missing: P1 is I2 alone
    assert scores.loc["X", "IDX"] == pytest.approx((0.4 + 3 * 0.8) / 4)
    assert math.isnan(scores.loc["Y", "IDX"])


def test_every_option_of_every_select_question_for_every_group(tiny_stats: RegionalStatistics) -> None:
    figures = tiny_stats.question_figures()
    # options: has_org 2 + org_scope 3 + powers 3 = 8, for 3 groups (all, south, north)
    assert len(figures) == 24
    table = tiny_stats.to_frame()
    row = table[(table.subject == "powers") & (table.option == "budget") & (table.group == "all")].iloc[0]
    assert (row["count"], row["total"], row["countries"], row["denominator"]) == (2, 3, "AAA BBB", "AAA BBB DDD")


def test_unreadable_answers_count_as_missing_and_are_reported(tiny: Framework) -> None:
    stats = regional_statistics(tiny, {"AAA": {"has_org": "maybe", "year": "soon"}, "BBB": {"has_org": "no"}})
    assert stats.report.codes() == ["unknown_choice", "invalid_year"]
    figure = stats.options_figure("has_org", ["no"])
    assert (figure.countries, figure.missing) == (("BBB",), ("AAA",))


def test_bad_parameters(tiny_stats: RegionalStatistics) -> None:
    with pytest.raises(ValueError, match=r"group must be one of \{all, south, north\}; got 'east'"):
        tiny_stats.options_figure("has_org", ["yes"], group="east")
    with pytest.raises(ValueError, match=r"options of 'has_org' must be among \{yes, no\}; got maybe"):
        tiny_stats.options_figure("has_org", ["maybe"])
    with pytest.raises(ValueError, match="not a question of framework tiny"):
        tiny_stats.options_figure("nothing", ["yes"])
    with pytest.raises(ValueError, match="needs at_least or at_most"):
        tiny_stats.number_figure("year")
    with pytest.raises(ValueError, match="'I9' is not a node with scores"):
        tiny_stats.score_summary("I9")


answers_strategy = st.fixed_dictionaries(
    {},
    optional={
        "has_org": st.sampled_from(["yes", "no"]),
        "org_scope": st.sampled_from(["whole", "some", "own"]),
        "powers": st.lists(st.sampled_from(["budget", "standards", "none"]), unique=True, max_size=3),
        "year": st.integers(1990, 2030),
    },
)


@given(st.dictionaries(st.sampled_from(["AAA", "BBB", "CCC", "DDD", "EEE", "FFF"]), answers_strategy, min_size=1))
@settings(max_examples=60, deadline=None)
def test_every_group_member_is_counted_once_in_each_figure(
    tiny: Framework, responses: dict[str, dict[str, object]]
) -> None:
    stats = regional_statistics(tiny, responses, groups={"some": ["AAA", "BBB", "ZZZ"]})
    for figure in stats.question_figures():
        members = stats.members(figure.provenance.group)
        parts = [*figure.denominator, *figure.missing, *figure.not_applicable]
        assert sorted(parts) == sorted(members)
        assert set(figure.countries) <= set(figure.denominator)
        assert figure.share is None or 0 <= figure.share <= 1
    for question, options in (("has_org", ["yes", "no"]), ("org_scope", ["whole", "some", "own"])):
        counts = [stats.options_figure(question, [option]) for option in options]
        assert sum(figure.count for figure in counts) == counts[0].total  # single choice: options partition
