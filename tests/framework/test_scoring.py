"""Answer scores, skip logic and indicator values, checked against small hand-worked tables."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from govlens.framework.model import Combine, Framework, Node, NodeKind, Question, Scoring, ScoringMethod, Settings
from govlens.framework.scoring import (
    indicator_values,
    is_unanswered,
    question_options,
    relevant_questions,
    score_answer,
    score_table,
    selected_options,
)
from tests.framework.factories import choice_list, framework, leaf, points, question, section

ZERO = Settings(unanswered_score=0.0)
MISSING = Settings(unanswered_score=None)

HAS_ORG = question("has_org", "yes_no", scoring=points(yes=1, no=0))
COVERAGE = question(
    "coverage",
    "select_one",
    choices="coverage",
    relevant="${has_org} = 'yes'",
    scoring=points(whole_gov=1, some=0.5, none=0),
)
POWERS = question(
    "powers",
    "select_multiple",
    choices="powers",
    relevant="${has_org} = 'yes'",
    scoring=Scoring(ScoringMethod.SHARE_SELECTED, exclude=("none",)),
)
POWER_POINTS = question(
    "power_points",
    "select_multiple",
    choices="powers",
    scoring=points(budget=0.5, staff=0.5, standards=0.25, none=0),
)
YEAR = question("year", "year", scoring=Scoring(ScoringMethod.THRESHOLDS, thresholds=((2018, 0.5), (2021, 1.0))))
STAFF = question("staff", "integer", scoring=Scoring(ScoringMethod.LINEAR, low=0, high=10))
URL = question("url", "url", scoring=Scoring(ScoringMethod.ANSWERED))
NOTE = question("note", "text")
POWER_OPTIONS = ("budget", "staff", "standards", "none")

LISTS = (choice_list("coverage", "whole_gov", "some", "none"), choice_list("powers", *POWER_OPTIONS))
LEAVES = (
    leaf("I1", "has_org", "coverage"),
    leaf("I2", "powers"),
    leaf("I3", "year", "staff", combine=Combine.MAX),
    leaf("I4", "year", "staff", combine=Combine.MIN),
)
SOURCE_LEAF = Node("S1", NodeKind.INDICATOR, {"en": "From a dataset"}, parent="IDX", source="GTMI_I-1")


def review(unanswered_score: float | None = 0.0) -> Framework:
    return framework(
        [section("org", HAS_ORG, COVERAGE, POWERS, POWER_POINTS), section("figures", YEAR, STAFF, URL, NOTE)],
        lists=LISTS,
        leaves=LEAVES,
        extra_nodes=[SOURCE_LEAF],
        unanswered_score=unanswered_score,
    )


# -- one answer -----------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("q", "value", "expected"),
    [
        (HAS_ORG, "yes", 1.0),
        (HAS_ORG, "no", 0.0),
        (COVERAGE, "some", 0.5),
        (COVERAGE, " whole_gov ", 1.0),
        (COVERAGE, ["some"], 0.5),
        # share_selected: options counted are budget, staff, standards (none is excluded)
        (POWERS, ["budget", "staff"], 2 / 3),
        (POWERS, "budget staff standards", 1.0),
        (POWERS, ["none"], 0.0),
        (POWERS, ["budget", "none"], 1 / 3),
        (POWERS, ("staff", "staff"), 1 / 3),  # a repeated option counts once
        # points over a multiple choice: sum, capped at 1
        (POWER_POINTS, ["staff"], 0.5),
        (POWER_POINTS, ["budget", "standards"], 0.75),
        (POWER_POINTS, ["budget", "staff", "standards"], 1.0),
        (POWER_POINTS, "none", 0.0),
        # thresholds: the score of the highest bound <= value; 0 below the first
        (YEAR, 2017, 0.0),
        (YEAR, 2018, 0.5),
        (YEAR, 2020, 0.5),
        (YEAR, 2021, 1.0),
        (YEAR, "2030", 1.0),
        # linear 0..10, clipped
        (STAFF, -5, 0.0),
        (STAFF, 0, 0.0),
        (STAFF, 2.5, 0.25),
        (STAFF, "7", 0.7),
        (STAFF, 10, 1.0),
        (STAFF, 20, 1.0),
        (URL, "https://gob.example/strategy", 1.0),
        (NOTE, "context only", None),
    ],
)
def test_score_answer(q: Question, value: object, expected: float | None) -> None:
    result = score_answer(q, value, ZERO, options=POWER_OPTIONS if q.choices == "powers" else None)
    assert result == (pytest.approx(expected) if expected is not None else None)


@pytest.mark.parametrize("empty", [None, "", "   ", [], (), [""], math.nan])
def test_unanswered_uses_the_settings(empty: object) -> None:
    assert score_answer(COVERAGE, empty, ZERO) == 0.0
    assert score_answer(COVERAGE, empty, MISSING) is None
    assert score_answer(URL, empty, ZERO) == 0.0
    assert score_answer(NOTE, empty, ZERO) is None


def test_rule_overrides_unanswered_setting() -> None:
    q = question("q", "yes_no", scoring=Scoring(ScoringMethod.POINTS, points={"yes": 1, "no": 0}, unanswered=0.25))
    assert score_answer(q, None, MISSING) == 0.25
    assert score_answer(q, None, ZERO) == 0.25
    assert score_answer(q, "no", MISSING) == 0.0


def test_scores_are_clipped_to_unit_interval() -> None:
    q = question("q", "select_one", choices="c", scoring=points(a=1.5, b=-0.5))
    assert score_answer(q, "a", ZERO) == 1.0
    assert score_answer(q, "b", ZERO) == 0.0
    assert score_answer(q, None, Settings(unanswered_score=2.0)) == 1.0


def test_decreasing_linear_scale() -> None:
    # fewer days to register a company is better: 30 days or more scores 0, 0 days scores 1
    q = question("days", "integer", scoring=Scoring(ScoringMethod.LINEAR, low=30, high=0))
    assert score_answer(q, 30, ZERO) == 0.0
    assert score_answer(q, 6, ZERO) == pytest.approx(0.8)
    assert score_answer(q, 45, ZERO) == 0.0


def test_share_selected_falls_back_to_listed_points() -> None:
    q = question(
        "q",
        "select_multiple",
        scoring=Scoring(ScoringMethod.SHARE_SELECTED, points={"a": 0, "b": 0, "c": 0, "d": 0}, exclude=("d",)),
    )
    assert score_answer(q, "a b", ZERO) == pytest.approx(2 / 3)


@pytest.mark.parametrize(
    ("q", "value", "match"),
    [
        (COVERAGE, "everywhere", "option 'everywhere' has no points; allowed: whole_gov, some, none"),
        (COVERAGE, ["some", "none"], "takes one option; got 2"),
        (POWER_POINTS, ["budget", "other"], "option 'other' has no points"),
        (STAFF, "many", "needs a number"),
        (STAFF, "nan", "needs a number"),
        (STAFF, True, "needs a number"),
        (question("q", "integer", scoring=Scoring(ScoringMethod.LINEAR, low=1, high=1)), 3, "low != high"),
        (question("q", "select_multiple", scoring=Scoring(ScoringMethod.SHARE_SELECTED)), "a", "needs the options"),
    ],
)
def test_unscorable_answers_raise_value_error(q: Question, value: object, match: str) -> None:
    with pytest.raises(ValueError, match=match):
        score_answer(q, value, ZERO)


def test_share_selected_rejects_unknown_options() -> None:
    with pytest.raises(ValueError, match="'other' not among the options"):
        score_answer(POWERS, ["budget", "other"], ZERO, options=POWER_OPTIONS)
    with pytest.raises(ValueError, match="excludes every option"):
        score_answer(POWERS, ["none"], ZERO, options=("none",))


def test_answer_helpers() -> None:
    assert selected_options("  a b  a ") == ("a", "b")
    assert selected_options(["b", " a", ""]) == ("b", "a")
    assert selected_options(None) == ()
    assert is_unanswered([None, " "])
    assert not is_unanswered(0)
    assert not is_unanswered(False)
    fw = review()
    assert question_options(fw, HAS_ORG) == ("yes", "no")  # the built-in yes/no list
    assert question_options(fw, POWERS) == POWER_OPTIONS
    assert question_options(fw, STAFF) is None


# -- skip logic -----------------------------------------------------------------------------------------------
SKIP = framework(
    [
        section(
            "a",
            question("has_org", "yes_no"),
            question("coverage", "select_one", choices="coverage", relevant="${has_org} = 'yes'"),
            question("detail", "text", relevant="${coverage} = 'some'"),
            question("always", "text"),
        ),
        section("b", question("in_b", "text"), question("b_detail", "text", relevant="${in_b} != ''"), relevant=(
            "${has_org} = 'yes'"
        )),
    ],
    lists=LISTS,
)  # fmt: skip


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        ({}, {"has_org", "always"}),
        # coverage is skipped, so detail reads it as unanswered even though an answer arrived
        (
            {"has_org": "no", "coverage": "some", "detail": "x", "in_b": "y"},
            {"has_org", "always"},
        ),
        ({"has_org": "yes"}, {"has_org", "coverage", "always", "in_b"}),
        ({"has_org": "yes", "coverage": "none"}, {"has_org", "coverage", "always", "in_b"}),
        (
            {"has_org": "yes", "coverage": "some", "in_b": "y"},
            {"has_org", "coverage", "detail", "always", "in_b", "b_detail"},
        ),
    ],
)
def test_relevant_questions_cascade(answers: dict[str, object], expected: set[str]) -> None:
    assert relevant_questions(SKIP, answers) == frozenset(expected)


def test_relevant_that_cannot_be_evaluated_shows_the_question() -> None:
    fw = framework([section("s", question("a"), question("b", relevant="pulldata('x', 'y', 'z', ${a}) = 1"))])
    seen: list[tuple[str, str, str]] = []
    shown = relevant_questions(
        fw, {"a": "1"}, on_error=lambda name, field, error: seen.append((name, field, error.message))
    )
    assert shown == frozenset({"a", "b"})
    assert seen == [("b", "relevant", "unknown function 'pulldata'")]


# -- indicators -----------------------------------------------------------------------------------------------
def test_indicator_values() -> None:
    answers = {"has_org": "yes", "coverage": "some", "powers": ["budget", "staff"], "year": 2019, "staff": 2.5}
    values = indicator_values(review(), answers)
    assert set(values) == {"I1", "I2", "I3", "I4"}  # S1 is fed by a dataset
    assert values["I1"] == pytest.approx(0.75)  # mean(1, 0.5)
    assert values["I2"] == pytest.approx(2 / 3)
    assert values["I3"] == pytest.approx(0.5)  # max(0.5, 0.25)
    assert values["I4"] == pytest.approx(0.25)  # min(0.5, 0.25)


def test_indicator_values_ignore_answers_of_skipped_questions() -> None:
    # has_org = no: coverage and powers are not asked, so their answers do not count
    answers = {"has_org": "no", "coverage": "whole_gov", "powers": ["budget"], "staff": 10}
    assert indicator_values(review(0.0), answers) == {"I1": 0.0, "I2": 0.0, "I3": 1.0, "I4": 0.0}
    # with unanswered left missing, only scored questions combine; none scored -> None
    assert indicator_values(review(None), answers) == {"I1": 0.0, "I2": None, "I3": 1.0, "I4": 1.0}


def test_indicator_naming_an_unknown_question_is_a_clear_error() -> None:
    broken = framework([section("s", HAS_ORG)], leaves=[leaf("I9", "ghost")])
    with pytest.raises(ValueError, match="indicator 'I9' names question 'ghost'"):
        indicator_values(broken, {})


def test_score_table() -> None:
    responses = {
        "URY": {
            "has_org": "yes",
            "coverage": "whole_gov",
            "powers": "budget staff standards",
            "year": 2022,
            "staff": 5,
        },
        "PRY": {"has_org": "no", "year": 2018},
    }
    table = score_table(review(None), responses)
    expected = pd.DataFrame(
        # I1      I2      I3     I4
        [[1.0,    1.0,    1.0,   0.5],
         [0.0,    math.nan, 0.5, 0.5]],
        index=pd.Index(["URY", "PRY"], name="unit", dtype=object),
        columns=pd.Index(["I1", "I2", "I3", "I4"], name="indicator", dtype=object),
    )  # fmt: skip
    pd.testing.assert_frame_equal(table, expected)


def test_score_table_names_the_unit_of_an_unscorable_answer() -> None:
    with pytest.raises(ValueError, match=r"unit 'PER': question 'coverage': option 'everywhere' has no points"):
        score_table(review(), {"URY": {"has_org": "no"}, "PER": {"has_org": "yes", "coverage": "everywhere"}})


def test_score_table_without_responses_has_the_columns() -> None:
    table = score_table(review(), {})
    assert list(table.columns) == ["I1", "I2", "I3", "I4"]
    assert table.empty


# -- properties -----------------------------------------------------------------------------------------------
_SCORE = st.floats(min_value=-2, max_value=3, allow_nan=False)
_RULES = st.one_of(
    st.builds(
        lambda p, u: question("q", "select_multiple", scoring=Scoring(ScoringMethod.POINTS, points=p, unanswered=u)),
        st.fixed_dictionaries({o: _SCORE for o in POWER_OPTIONS}),
        st.none() | _SCORE,
    ),
    st.builds(
        lambda t: question("q", "decimal", scoring=Scoring(ScoringMethod.THRESHOLDS, thresholds=tuple(sorted(t)))),
        st.lists(st.tuples(st.floats(-1e6, 1e6), _SCORE), max_size=4),
    ),
    st.builds(
        lambda lo, hi: question("q", "decimal", scoring=Scoring(ScoringMethod.LINEAR, low=lo, high=hi)),
        st.floats(-1e6, 1e6),
        st.floats(-1e6, 1e6),
    ),
    st.just(POWERS),
    st.just(URL),
)
_VALUES = st.one_of(
    st.none(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(-(10**9), 10**9),
    st.sampled_from([10**400, -(10**5000)]),
    st.lists(st.sampled_from(POWER_OPTIONS), max_size=4),
    st.sampled_from(POWER_OPTIONS),
    st.text(max_size=5),
)


@given(_RULES, _VALUES, st.none() | _SCORE)
def test_scores_stay_in_unit_interval(q: Question, value: object, unanswered: float | None) -> None:
    try:
        score = score_answer(q, value, Settings(unanswered_score=unanswered), options=POWER_OPTIONS)
    except ValueError:
        return
    assert score is None or 0.0 <= score <= 1.0


@given(st.lists(st.sampled_from(POWER_OPTIONS[:3]), unique=True))
def test_share_selected_is_count_over_three(chosen: list[str]) -> None:
    assert score_answer(POWERS, chosen, ZERO, options=POWER_OPTIONS) == pytest.approx(len(chosen) / 3)


_VALID_ANSWERS = st.fixed_dictionaries(
    {},
    optional={
        "has_org": st.sampled_from(["yes", "no"]),
        "coverage": st.sampled_from(["whole_gov", "some", "none"]),
        "powers": st.lists(st.sampled_from(POWER_OPTIONS), unique=True),
        "power_points": st.lists(st.sampled_from(POWER_OPTIONS), unique=True),
        "year": st.integers(1900, 2100),
        "staff": st.integers(-100, 100),
        "url": st.just("https://gob.example"),
        "note": st.text(max_size=5),
    },
)


@given(_VALID_ANSWERS, st.sampled_from([0.0, None, 0.5]))
def test_indicator_values_are_in_unit_interval(answers: dict[str, object], unanswered: float | None) -> None:
    values = indicator_values(review(unanswered), answers)
    assert set(values) == {"I1", "I2", "I3", "I4"}
    for value in values.values():
        assert value is None or 0.0 <= value <= 1.0
    # min <= max over the same questions
    if values["I3"] is not None and values["I4"] is not None:
        assert values["I4"] <= values["I3"]


def test_is_unanswered_of_deep_and_circular_lists() -> None:
    deep: object = ""
    for _ in range(5000):
        deep = [deep]
    assert is_unanswered(deep)
    assert not is_unanswered([deep, ["x"]])
    circular: list[object] = [" "]
    circular.append(circular)
    assert is_unanswered(circular)
    circular.append("yes")
    assert not is_unanswered(circular)
