from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import scipy.stats
from hypothesis import given, settings
from hypothesis import strategies as st

from govlens.index.treat import Treater, kurtosis, passes, skewness, winsorise, winsorise_columns

COINR_EXAMPLE = np.array([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 30, 100], dtype=float)


def test_skew_and_kurtosis_are_type_2_estimators() -> None:
    x = np.array([1.0, 2.0, 2.0, 3.0, 9.0, np.nan])
    present = x[~np.isnan(x)]
    assert skewness(x) == pytest.approx(scipy.stats.skew(present, bias=False))
    assert kurtosis(x) == pytest.approx(scipy.stats.kurtosis(present, bias=False))
    # by hand: mean 3.4, sum d^2 = 41.2, sum d^3 = 156.24, sum d^4 = 1024.336, s^2 = 10.3;
    # SKEW = n/((n-1)(n-2)) sum d^3/s^3 = 1.96936; KURT = n(n+1)/((n-1)(n-2)(n-3)) sum d^4/s^4 - 8 = 4.06919
    assert skewness(x) == pytest.approx(1.96936, abs=1e-5)
    assert kurtosis(x) == pytest.approx(4.06919, abs=1e-5)


def test_coinr_example_needs_one_point() -> None:
    # skew 3.06 / kurtosis 9.74 fail; with 100 -> 30 the skew is 1.71 (scipy), which passes
    treated, count, low, high = winsorise(COINR_EXAMPLE, winmax=5)
    assert list(treated[-2:]) == [30.0, 30.0]
    assert (count, low, high) == (1, None, 30.0)


def test_low_side_and_ties() -> None:
    x = -COINR_EXAMPLE
    treated, count, low, high = winsorise(x, winmax=5)
    assert (count, low, high) == (1, -30.0, None)
    assert treated.min() == -30.0


def test_log_fallback_on_the_original_column() -> None:
    x = np.array([1.0] * 10 + [2.0, 3.0, 500.0, 1000.0])
    frame = pd.DataFrame({"x": x})
    treater = Treater(method="winsorise", winmax=1)
    out = treater.fit_transform(frame)
    # one point (1000 -> 500) is not enough: skew stays above 2 (checked independently with scipy)
    once = np.where(x == 1000.0, 500.0, x)
    assert abs(scipy.stats.skew(once, bias=False)) > 2 and scipy.stats.kurtosis(once, bias=False) > 3.5
    expected = np.log(x - 1.0 + 0.01 * (1000.0 - 1.0))
    np.testing.assert_allclose(out["x"].to_numpy(), expected)
    row = treater.table().iloc[0]
    assert row["action"] == "log"
    assert list(treater.points()["treatment"].unique()) == ["log"]


def test_treater_reports_what_it_did() -> None:
    frame = pd.DataFrame({"skewed": COINR_EXAMPLE, "fine": np.arange(12.0)}, index=[f"u{i}" for i in range(12)])
    treater = Treater(method="winsorise")
    out = treater.fit_transform(frame)
    table = treater.table().set_index("indicator")
    assert table.loc["skewed", "action"] == "winsorised" and table.loc["skewed", "points"] == 1
    assert table.loc["fine", "action"] == "none"
    assert out.loc["u11", "skewed"] == 30.0
    assert treater.points().to_dict("records") == [
        {"unit": "u11", "indicator": "skewed", "treatment": "winsorised high"}
    ]
    # none leaves the data as it is
    untouched = Treater(method="none").fit_transform(frame)
    pd.testing.assert_frame_equal(untouched, frame)


def test_winmax_counts_points_not_iterations() -> None:
    x = np.array([0.0] * 20 + [50.0, 100.0, 100.0])
    _, count, _, high = winsorise(x, winmax=1)
    assert count == 2  # the two tied maxima are moved together
    assert high == 50.0


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.floats(-1e3, 1e3, allow_nan=False, allow_subnormal=False), min_size=5, max_size=40),
    st.integers(0, 6),
)
def test_vectorised_winsorisation_matches_the_column_loop(values: list[float], winmax: int) -> None:
    x = np.array([*values, 1e4])  # one far outlier so that something happens often
    column, count, low, high = winsorise(x, winmax)
    many, counts, lows, highs = winsorise_columns(x[:, None], winmax)
    np.testing.assert_allclose(many[:, 0], column)
    assert counts[0] == count
    assert (np.isnan(highs[0]) and high is None) or highs[0] == high
    assert (np.isnan(lows[0]) and low is None) or lows[0] == low


def test_the_cases_of_coinr_own_treatment_tests() -> None:
    # COINr's tests/testthat/test-treat.R: c(1:10, 100) fails the check, Winsorising turns 100 into 10,
    # leaves the rest and then passes
    x = np.array([*range(1, 11), 100.0])
    assert not passes(x)
    treated, _, _, high = winsorise(x, winmax=5)
    assert treated[-1] == 10.0 and treated[:10].tolist() == x[:10].tolist() and high == 10.0
    assert passes(treated)
    # c(1:20, 100, 200) with winmax 1 still fails after Winsorising, so the log fallback is used
    y = np.array([*range(1, 21), 100.0, 200.0])
    once, count, _, _ = winsorise(y, winmax=1)
    assert count == 1 and not passes(once)
    treater = Treater(method="winsorise", winmax=1).fit(pd.DataFrame({"y": y}))
    assert treater.treatments_[0].action == "log"


# An ordinal indicator (answers 0/1/2) where almost every unit answers 2: eighteen 2s, one 1, one 0.
# By hand (type-2 estimators): skew -3.44, kurtosis 11.9: fails (|skew| > 2 and kurtosis > 3.5).
# Step 1 (low side): 0 -> 1, eighteen 2s and two 1s: skew -2.89, kurtosis 7.04: still fails.
# Step 2: 1 -> 2 (both points tied at the minimum), every value is 2: no variance, skew and kurtosis undefined.
# COINr (Treat -> winsorise -> check_SkewKurt): with winmax 2 the loop stops at 2 points, the check returns NA,
# and Treat warns "f_pass has returned NA. Returning untreated vector."; with winmax 1 it stops after step 1,
# still failing, and log_CT transforms the original column.
ORDINAL = pd.DataFrame({"q": [2.0] * 18 + [1.0, 0.0], "other": np.arange(20.0)})


def test_winsorising_never_leaves_an_indicator_constant() -> None:
    treater = Treater(method="winsorise", winmax=2).fit(ORDINAL)
    treated = treater.transform(ORDINAL)
    # the original values are kept, untreated, as COINr returns the untreated column
    assert treated["q"].tolist() == ORDINAL["q"].tolist()
    row = treater.table().set_index("indicator").loc["q"]
    assert row["action"] == "reverted" and row["points"] == 0
    assert row["skew_before"] == pytest.approx(-3.436, abs=1e-3)
    assert row["kurtosis_before"] == pytest.approx(11.885, abs=1e-3)
    assert treater.points().empty
    [problem] = treater.report_.problems
    assert problem.code == "treatment_reverted" and problem.column == "q" and problem.severity == "warning"
    assert "single value" in problem.message


def test_winsorising_ordinal_data_stops_before_it_fails_otherwise() -> None:
    # winmax 1: one point (0 -> 1), still failing: the log fallback on the original column, as in COINr
    treater = Treater(method="winsorise", winmax=1).fit(ORDINAL)
    row = treater.table().set_index("indicator").loc["q"]
    assert row["action"] == "log"
    np.testing.assert_allclose(treater.transform(ORDINAL)["q"], np.log(ORDINAL["q"] + 0.02))
    assert not treater.report_.problems


def test_a_reverted_indicator_stays_in_its_pillar() -> None:
    from govlens.index.pipeline import compute
    from govlens.index.settings import Settings
    from govlens.index.tree import Tree, TreeNode

    tree = Tree([TreeNode("IDX", None), TreeNode("q", "IDX"), TreeNode("other", "IDX")])
    frame = ORDINAL.set_axis([f"U{i:02d}" for i in range(20)])
    result = compute(frame, tree, Settings(treat="winsorise", winmax=2))
    # q keeps its min-max scores (2 -> 1, 1 -> 0.5, 0 -> 0) and counts in the index
    assert result.scores["q"].tolist() == [1.0] * 18 + [0.5, 0.0]
    expected = (ORDINAL["q"] / 2 + ORDINAL["other"] / 19) / 2
    np.testing.assert_allclose(result.scores["IDX"].to_numpy(), expected.to_numpy())
    assert "treatment_reverted" in result.report.codes()


def test_treatment_per_indicator_as_coinr_indiv_specs() -> None:
    # COINr's indiv_specs: "none", or the Winsorisation parameters of one column
    frame = pd.DataFrame({k: COINR_EXAMPLE for k in "abcde"}, index=[f"u{i}" for i in range(12)])
    treater = Treater(
        method="winsorise",
        per_indicator={
            "a": {"method": "none"},
            "b": {"skew_thresh": 3.1},  # skew 3.06 passes a threshold of 3.1
            "c": {"winmax": 0},  # no point may be changed: straight to the log fallback
            "e": {"kurt_thresh": 10.0},  # kurtosis 9.74 passes
        },
    )
    out = treater.fit_transform(frame)
    table = treater.table().set_index("indicator")
    assert table["action"].to_dict() == {"a": "none", "b": "none", "c": "log", "d": "winsorised", "e": "none"}
    for untouched in "abe":
        assert out[untouched].tolist() == COINR_EXAMPLE.tolist()
    assert out.loc["u11", "d"] == 30.0 and table.loc["d", "points"] == 1
    np.testing.assert_allclose(out["c"].to_numpy(), np.log(COINR_EXAMPLE - 1.0 + 0.01 * 99.0))
    # treatment off by default, on for one indicator
    only = Treater(method="none", per_indicator={"d": {"method": "winsorise", "winmax": 2}}).fit(frame)
    assert only.table().set_index("indicator")["action"].tolist() == ["none", "none", "none", "winsorised", "none"]


def test_treatment_per_indicator_refusals() -> None:
    frame = pd.DataFrame({"a": COINR_EXAMPLE})
    with pytest.raises(ValueError, match="treat_per_indicator must name indicators of the tree; got 'zz'"):
        Treater(per_indicator={"zz": {"method": "none"}}).fit(frame)
    with pytest.raises(ValueError, match="winmax of 'a' must be an integer >= 0; got -1"):
        Treater(per_indicator={"a": {"winmax": -1}}).fit(frame)
    with pytest.raises(ValueError, match=r"treat method of 'a' must be one of \{none, winsorise\}; got 'log'"):
        Treater(per_indicator={"a": {"method": "log"}}).fit(frame)
