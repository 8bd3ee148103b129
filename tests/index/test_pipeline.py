from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from govlens.index.errors import IndexInputError
from govlens.index.pipeline import compute
from govlens.index.settings import Settings
from govlens.index.tree import Tree, TreeNode

# Worked out by hand (min-max, arithmetic, framework weights):
#   a: 1..4 -> 0, 1/3, 2/3, 1        b (direction -1): -10,-20,-30,-5 on [-30,-5] -> .8, .4, 0, 1
#   c: .5, -, .9, .1 -> .5, -, 1, 0   d: 3, 4, 5, - -> 0, .5, 1, -
#   P1 = (a + b)/2; P2 = (2c + d)/3 over children present; IDX = (P1 + P2)/2
EXPECTED_P1 = [0.4, 11 / 30, 1 / 3, 1.0]
EXPECTED_P2 = [1 / 3, 0.5, 1.0, 0.0]
EXPECTED_IDX = [(p + q) / 2 for p, q in zip(EXPECTED_P1, EXPECTED_P2, strict=True)]


def test_small_index_by_hand(small_data: pd.DataFrame, small_tree: Tree) -> None:
    result = compute(small_data, small_tree)
    assert result.scores["P1"].tolist() == pytest.approx(EXPECTED_P1)
    assert result.scores["P2"].tolist() == pytest.approx(EXPECTED_P2)
    assert result.scores["IDX"].tolist() == pytest.approx(EXPECTED_IDX)
    assert result.ranks["IDX"].tolist() == [4.0, 3.0, 1.0, 2.0]
    table = result.table()
    assert list(table.columns) == ["unit", "node", "score", "rank"]
    assert len(table) == 4 * 7
    assert table.iloc[-1]["node"] == "IDX" and table.iloc[-1]["rank"] == 2


def test_a_named_weight_set_by_hand(small_data: pd.DataFrame, small_tree: Tree) -> None:
    # the set "expert" weighs c 1 (not 2) and P1 3: P2 = (c + d)/2 over children present = .25, .5, 1, 0;
    # IDX = (3 P1 + P2)/4 = (1.2 + .25)/4, (1.1 + .5)/4, (1 + 1)/4, (3 + 0)/4
    tree = small_tree.with_weight_set("expert", {"c": 1.0, "P1": 3.0})
    result = compute(small_data, tree, Settings(weights="expert"))
    assert result.scores["P2"].tolist() == pytest.approx([0.25, 0.5, 1.0, 0.0])
    assert result.scores["IDX"].tolist() == pytest.approx([0.3625, 0.4, 0.5, 0.75])
    assert result.ranks["IDX"].tolist() == [4.0, 3.0, 2.0, 1.0]
    assert result.weights[["c", "d", "P1", "P2"]].tolist() == [1.0, 1.0, 3.0, 1.0]
    # the tree's own weights are still the default
    assert compute(small_data, tree).scores["IDX"].tolist() == pytest.approx(EXPECTED_IDX)
    with pytest.raises(ValueError, match=r"weights must be one of \{framework, equal, pca, expert\}; got 'expert2'"):
        compute(small_data, tree, Settings(weights="expert2"))
    with pytest.raises(ValueError, match="or a weight set's name"):
        Settings(weights="no spaces").validate()


def test_scale_100_and_groups(small_data: pd.DataFrame, small_tree: Tree) -> None:
    result = compute(small_data, small_tree, Settings(scale=100, groups="cutoffs"))
    assert result.scores["IDX"].tolist() == pytest.approx([100 * v for v in EXPECTED_IDX])
    assert result.groups is not None
    # IDX 0.367 -> C, 0.433 -> C, 0.667 -> B, 0.5 -> B
    assert result.groups["IDX"].tolist() == ["C", "C", "B", "B"]
    assert "group" in result.table().columns


def test_geometric_runs_on_a_positive_range(small_data: pd.DataFrame, small_tree: Tree) -> None:
    result = compute(small_data, small_tree, Settings(aggregate="geometric"))
    # ARG P1: a=0 -> 1, b=.8 -> 80.2 on [1, 100]; sqrt(1 * 80.2) mapped back: (sqrt(80.2) - 1)/99
    assert result.scores.loc["ARG", "P1"] == pytest.approx((np.sqrt(80.2) - 1) / 99)
    assert result.scores.loc["ARG", "a"] == 0.0  # leaves stay on 0..1


def test_zscore_with_geometric_refuses_very_low_values(small_tree: Tree) -> None:
    values = pd.DataFrame(
        {"a": [0.0] * 40 + [1000.0], "b": 1.0, "c": 1.0, "d": 1.0}, index=[f"u{i}" for i in range(41)]
    )
    values["b"] = np.arange(41.0)
    values["c"] = np.arange(41.0)
    values["d"] = np.concatenate([[-1000.0], np.zeros(40)])
    with pytest.raises(ValueError, match="geometric mean needs positive values"):
        compute(values, small_tree, Settings(normalise="zscore", aggregate="geometric"))


def test_copeland_pipeline(small_data: pd.DataFrame, small_tree: Tree) -> None:
    result = compute(small_data, small_tree, Settings(aggregate="copeland"))
    assert result.scores["IDX"].between(0, 1).all()
    # P1: a and b normalised; ARG (0,.8) vs MEX (1,1): MEX wins both -> O(ARG,MEX)=0
    assert result.scores.loc["MEX", "P1"] == pytest.approx(1.0)


def test_imputation_and_treatment_are_applied(small_data: pd.DataFrame, small_tree: Tree) -> None:
    result = compute(small_data, small_tree, Settings(impute="mean", treat="winsorise"))
    # c of BRA imputed with the mean 0.5 -> (0.5 - 0.1)/0.8 = 0.5
    assert result.scores.loc["BRA", "c"] == pytest.approx(0.5)
    assert result.prepared.imputer.table()["unit"].tolist() == ["BRA", "MEX"]


def test_unit_coverage_excludes_units(small_data: pd.DataFrame, small_tree: Tree) -> None:
    result = compute(small_data, small_tree, Settings(unit_coverage=0.8))
    assert list(result.scores.index) == ["ARG", "CHL"]
    assert [p.code for p in result.report.warnings] == ["low_unit_coverage", "low_unit_coverage"]


def test_tree_data_mismatch(small_data: pd.DataFrame, small_tree: Tree) -> None:
    with pytest.raises(IndexInputError) as caught:
        compute(small_data.drop(columns=["d"]), small_tree)
    assert caught.value.report.codes() == ["tree_data_mismatch"]


def test_unknown_setting(small_data: pd.DataFrame, small_tree: Tree) -> None:
    with pytest.raises(ValueError, match="got 'normalize'"):
        compute(small_data, small_tree, Settings.from_dict({"normalize": "minmax"}))
    with pytest.raises(ValueError, match=r"aggregate must be one of .*; got 'mean'"):
        compute(small_data, small_tree, Settings(aggregate="mean"))


# -- properties ---------------------------------------------------------------------------------------

TREE = Tree(
    [TreeNode("R", None), TreeNode("P", "R"), TreeNode("Q", "R")]
    + [TreeNode(f"x{i}", "P" if i < 3 else "Q", 1.0 + i % 2, -1 if i == 1 else 1) for i in range(5)]
)
matrices = (
    arrays(np.int64, (8, 5), elements=st.integers(-1000, 1000))
    .map(lambda m: m / 10.0)
    .filter(lambda m: bool(np.all(np.ptp(m, axis=0) > 0)))
)


def frame(matrix: np.ndarray) -> pd.DataFrame:
    return pd.DataFrame(matrix, index=[f"u{i}" for i in range(8)], columns=[f"x{i}" for i in range(5)])


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
@given(
    matrices,
    st.sampled_from(["minmax", "rank", "goalposts"]),
    st.sampled_from(["arithmetic", "geometric", "harmonic", "copeland"]),
    st.sampled_from([1.0, 100.0]),
)
def test_scores_stay_within_the_scale(matrix: np.ndarray, normalise: str, aggregate: str, scale: float) -> None:
    scores = compute(
        frame(matrix), TREE, Settings(normalise=normalise, aggregate=aggregate, scale=scale)
    ).scores.to_numpy()
    assert np.all(scores >= -1e-9 * scale) and np.all(scores <= scale * (1 + 1e-9))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
@given(matrices, st.integers(0, 4), st.floats(0.01, 1e3), st.floats(-1e3, 1e3).map(lambda v: round(v, 2)))
def test_ranks_invariant_to_rescaling_an_indicator_under_minmax(
    matrix: np.ndarray, column: int, factor: float, shift: float
) -> None:
    before = compute(frame(matrix), TREE, Settings(normalise="minmax")).ranks
    rescaled = matrix.copy()
    rescaled[:, column] = rescaled[:, column] * factor + shift
    after = compute(frame(rescaled), TREE, Settings(normalise="minmax")).ranks
    pd.testing.assert_frame_equal(before, after)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
@given(matrices, st.sampled_from(["arithmetic", "geometric", "harmonic"]))
def test_a_zero_weight_indicator_changes_nothing(matrix: np.ndarray, aggregate: str) -> None:
    data = frame(matrix)
    with_zero = Tree(
        [TreeNode("R", None), TreeNode("P", "R"), TreeNode("Q", "R")]
        + [
            TreeNode(f"x{i}", "P" if i < 3 else "Q", 0.0 if i == 2 else 1.0 + i % 2, -1 if i == 1 else 1)
            for i in range(5)
        ]
    )
    without = with_zero.without("x2")
    a = compute(data, with_zero, Settings(aggregate=aggregate)).scores.drop(columns=["x2"])
    b = compute(data.drop(columns=["x2"]), without, Settings(aggregate=aggregate)).scores
    pd.testing.assert_frame_equal(a[list(b.columns)], b)


def test_goalposts_from_the_tree(small_data: pd.DataFrame, small_tree: Tree) -> None:
    small_tree.goalposts = {"a": (0.0, 8.0)}
    result = compute(small_data, small_tree, Settings(normalise="goalposts"))
    assert result.scores["a"].tolist() == pytest.approx([0.125, 0.25, 0.375, 0.5])


def test_infinite_values_are_refused_naming_unit_and_indicator(small_data: pd.DataFrame, small_tree: Tree) -> None:
    data = small_data.copy()
    data.loc["CHL", "d"] = -np.inf
    with pytest.raises(IndexInputError) as caught:
        compute(data, small_tree)
    assert caught.value.report.codes() == ["infinite_value"]
    problem = caught.value.report.errors[0]
    assert (problem.column, problem.row) == ("d", 4)  # CHL is the third unit: row 4 under a header
    assert "-inf of unit 'CHL'" in problem.message


def test_infinite_previous_values_are_refused(small_data: pd.DataFrame, small_tree: Tree) -> None:
    previous = small_data.fillna(1.0)
    previous.loc["BRA", "c"] = np.inf
    with pytest.raises(IndexInputError) as caught:
        compute(small_data, small_tree, Settings(impute="carry-forward"), previous)
    [problem] = caught.value.report.errors
    assert (problem.code, problem.path, problem.column) == ("infinite_value", "previous data", "c")
    assert "previous value inf of unit 'BRA'" in problem.message


def test_a_coverage_threshold_that_excludes_every_unit(small_data: pd.DataFrame, small_tree: Tree) -> None:
    data = small_data.copy()
    data.loc[["ARG", "CHL"], "c"] = np.nan
    with pytest.raises(IndexInputError) as caught:
        compute(data, small_tree, Settings(unit_coverage=0.8))
    assert [p.code for p in caught.value.report.errors] == ["no_unit_left"]
    assert [p.code for p in caught.value.report.warnings].count("low_unit_coverage") == 4
    assert "excludes all 4 units" in str(caught.value)


def test_power_mean_orders_one_zero_minus_one_are_the_plain_means(small_data: pd.DataFrame, small_tree: Tree) -> None:
    for order, plain in ((1.0, "arithmetic"), (0.0, "geometric"), (-1.0, "harmonic")):
        power = compute(small_data, small_tree, Settings(aggregate="power", power=order)).scores
        reference = compute(small_data, small_tree, Settings(aggregate=plain)).scores
        np.testing.assert_allclose(power.to_numpy(), reference.to_numpy(), rtol=1e-13, atol=1e-15)
    # order 3 lies above the arithmetic mean wherever a pillar's children differ
    cubic = compute(small_data, small_tree, Settings(aggregate="power", power=3.0)).scores
    mean = compute(small_data, small_tree, Settings(aggregate="arithmetic")).scores
    assert (cubic["IDX"] >= mean["IDX"] - 1e-12).all() and (cubic["IDX"] > mean["IDX"]).any()


def test_a_method_and_threshold_per_level(small_data: pd.DataFrame, small_tree: Tree) -> None:
    # pillars geometric, index arithmetic: the index is the plain mean of the geometric pillars
    settings = Settings(level_aggregate=("geometric", "arithmetic"))
    result = compute(small_data, small_tree, settings)
    pillars = compute(small_data, small_tree, Settings(aggregate="geometric")).scores
    np.testing.assert_allclose(result.scores[["P1", "P2"]], pillars[["P1", "P2"]], rtol=1e-15)
    np.testing.assert_allclose(result.scores["IDX"], pillars[["P1", "P2"]].mean(axis=1), rtol=1e-14)
    # a threshold of 1 on the pillars only: BRA (no c) and MEX (no d) lose P2, and the index is P1 alone
    covered = compute(small_data, small_tree, Settings(level_coverage=(1.0, 0.0))).scores
    assert covered.loc[["BRA", "MEX"], "P2"].isna().all()
    assert covered.loc[["BRA", "MEX"], "IDX"].tolist() == covered.loc[["BRA", "MEX"], "P1"].tolist()
    assert Settings.from_dict(settings.to_dict()) == settings
    assert "level_aggregate" not in Settings().to_dict()  # unused later settings are not stored (release hashes)
    with pytest.raises(ValueError, match=r"level_aggregate must give one value per level.*\(2 in this tree\); got 3"):
        compute(small_data, small_tree, Settings(level_aggregate=("geometric",) * 3))
    with pytest.raises(ValueError, match=r"level_aggregate must be one of \{.*\}; got 'mean'"):
        compute(small_data, small_tree, Settings(level_aggregate=("mean", "arithmetic")))
    with pytest.raises(ValueError, match="cannot mix copeland/borda"):
        Settings(level_aggregate=("borda", "arithmetic")).validate()
    with pytest.raises(ValueError, match=r"level_coverage must be a number in \[0.0, 1.0\]"):
        Settings(level_coverage=(2.0, 0.0)).validate()
