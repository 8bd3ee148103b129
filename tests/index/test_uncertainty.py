from __future__ import annotations

import dataclasses
import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from govlens.index.pipeline import compute
from govlens.index.results import rank_descending
from govlens.index.settings import Settings, UncertaintySettings
from govlens.index.tree import Tree
from govlens.index.uncertainty import (
    RESULT_COLUMNS,
    TailQuantiles,
    UncertaintyEngine,
    mixture_quantiles,
    monte_carlo_design,
    uncertainty,
)

from .conftest import design_tree

INPUTS = UncertaintySettings(
    impute=("mean", "median"),
    normalise=("minmax", "zscore", "rank"),
    aggregate=("arithmetic", "geometric", "harmonic"),
    weight_range=0.25,
    drop_indicator=True,
)


@pytest.fixture
def design_data() -> tuple[pd.DataFrame, Tree]:
    tree = design_tree(3, 4)
    rng = np.random.default_rng(11)
    values = rng.lognormal(size=(25, 12))
    values[rng.random(values.shape) < 0.08] = np.nan
    frame = pd.DataFrame(values, index=[f"U{i:02d}" for i in range(25)], columns=list(tree.leaves))
    return frame, tree


def test_vectorised_replications_equal_rebuilding_the_pipeline(design_data: tuple[pd.DataFrame, Tree]) -> None:
    frame, tree = design_data
    nominal = Settings(impute="mean", treat="winsorise")
    engine = UncertaintyEngine(frame, tree, nominal, INPUTS)
    design = monte_carlo_design(engine.columns, 25, seed=4)
    scores = engine.aggregate_scores(design)
    for r in range(25):
        row = design[r]
        factors = {f.name: f for f in engine.factors}
        impute = INPUTS.impute[min(int(row[factors["impute"].start] * 2), 1)]
        normalise = INPUTS.normalise[min(int(row[factors["normalise"].start] * 3), 2)]
        aggregate = INPUTS.aggregate[min(int(row[factors["aggregate"].start] * 3), 2)]
        w = factors["weights"]
        weights = dict(zip(tree.node_ids, tree.weight_vector(), strict=True))
        for i, node in enumerate(tree.node_ids[: w.width]):
            weights[node] *= 0.75 + 0.5 * row[w.start + i]
        dropped = min(int(row[factors["drop"].start] * 13), 12) - 1
        rebuilt_tree = tree.with_weights(weights)
        if dropped >= 0:
            rebuilt_tree = rebuilt_tree.with_weights({tree.leaves[dropped]: 0.0})
        reference = compute(
            frame, rebuilt_tree, Settings(impute=impute, treat="winsorise", normalise=normalise, aggregate=aggregate)
        ).scores[list(tree.aggregates)]
        np.testing.assert_allclose(scores[r], reference.to_numpy(), rtol=1e-9, atol=1e-9)


def test_replications_with_missing_values_and_a_coverage_threshold(design_data: tuple[pd.DataFrame, Tree]) -> None:
    frame, tree = design_data  # 8% missing, not imputed
    inputs = UncertaintySettings(
        normalise=("minmax", "rank"), aggregate=("arithmetic", "harmonic"), drop_indicator=True
    )
    nominal = Settings(coverage_threshold=0.7)
    engine = UncertaintyEngine(frame, tree, nominal, inputs)
    design = monte_carlo_design(engine.columns, 16, seed=9)
    scores = engine.aggregate_scores(design)
    pair, aggregate, weights = engine.decode(design)
    assert np.isnan(scores).any()  # some pillars fall below the threshold
    for r in range(16):
        reference = compute(
            frame,
            tree.with_weights(dict(zip(tree.node_ids, weights[r], strict=True))),
            Settings(
                normalise=inputs.normalise[pair[r]], aggregate=inputs.aggregate[aggregate[r]], coverage_threshold=0.7
            ),
        ).scores[list(tree.aggregates)]
        np.testing.assert_allclose(scores[r], reference.to_numpy(), rtol=1e-9, atol=1e-9)


def test_same_seed_same_numbers_bit_for_bit(design_data: tuple[pd.DataFrame, Tree]) -> None:
    frame, tree = design_data
    nominal = Settings(impute="mean")
    first = uncertainty(frame, tree, nominal, dataclasses.replace(INPUTS, replications=300, seed=7)).table
    second = uncertainty(frame, tree, nominal, dataclasses.replace(INPUTS, replications=300, seed=7)).table
    pd.testing.assert_frame_equal(first, second, check_exact=True)
    other = uncertainty(frame, tree, nominal, dataclasses.replace(INPUTS, replications=300, seed=8)).table
    assert not other.equals(first)
    with_sobol = uncertainty(frame, tree, nominal, dataclasses.replace(INPUTS, replications=50, seed=7), sobol_base=20)
    assert with_sobol.sensitivity is not None
    assert with_sobol.sensitivity["input"].tolist() == ["impute", "normalise", "aggregate", "weights", "drop"]


def test_distributions_equal_brute_force(design_data: tuple[pd.DataFrame, Tree]) -> None:
    frame, tree = design_data
    engine = UncertaintyEngine(frame, tree, Settings(impute="mean"), INPUTS)
    design = monte_carlo_design(engine.columns, 120, seed=2)
    table = engine.distributions(design)
    assert list(table.columns) == list(RESULT_COLUMNS)
    assert len(table) == 25 * len(tree.node_ids)
    # aggregates: rank every replication, then numpy percentiles
    scores = engine.aggregate_scores(design)  # (R, n, A)
    ranks = rank_descending(scores, axis=1)
    root = table[table["node"] == "IDX"].set_index("unit")
    np.testing.assert_allclose(root["median_rank"], np.quantile(ranks[:, :, -1], 0.5, axis=0))
    np.testing.assert_allclose(root["rank_p05"], np.quantile(ranks[:, :, -1], 0.05, axis=0))
    np.testing.assert_allclose(root["score_p95"], np.quantile(scores[:, :, -1], 0.95, axis=0), rtol=1e-12)
    # indicators: the value of the (imputation, normalisation) pair each replication drew
    pair, _, _ = engine.decode(design)
    leaf = np.stack([engine.leaf_scores[p][:, 0] for p in pair])  # (R, n) for the first indicator
    first = table[table["node"] == tree.leaves[0]].set_index("unit")
    np.testing.assert_allclose(first["score_p05"], np.quantile(leaf, 0.05, axis=0))
    leaf_ranks = rank_descending(leaf, axis=1)
    np.testing.assert_allclose(first["rank_p95"], np.quantile(leaf_ranks, 0.95, axis=0))
    assert (root["rank_p05"] <= root["median_rank"]).all() and (root["median_rank"] <= root["rank_p95"]).all()


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.one_of(st.just(float("nan")), st.integers(-5, 5).map(float)), min_size=1, max_size=6),
    st.lists(st.integers(0, 6), min_size=6, max_size=6),
    st.sampled_from([0.0, 0.05, 0.3, 0.5, 0.95, 1.0]),
)
def test_mixture_quantiles_equal_numpy_on_the_expanded_sample(values: list[float], counts: list[int], q: float) -> None:
    k = len(values)
    array, weights = np.array(values), np.array(counts[:k])
    sample = np.repeat(array, weights)
    sample = sample[~np.isnan(sample)]
    result = mixture_quantiles(array[:, None], weights, (q,))[0, 0]
    if sample.size == 0:
        assert np.isnan(result)
    else:
        assert result == pytest.approx(float(np.quantile(sample, q)))


def test_parameter_errors(design_data: tuple[pd.DataFrame, Tree]) -> None:
    frame, tree = design_data
    expected = r"uncertain aggregate must be one of \{arithmetic, geometric, harmonic, power\}"
    with pytest.raises(ValueError, match=expected):
        UncertaintyEngine(frame, tree, Settings(), UncertaintySettings(aggregate=("copeland",)))
    with pytest.raises(ValueError, match="replications must be an integer >= 1"):
        monte_carlo_design(3, 0, seed=1)
    with pytest.raises(ValueError, match="weight_range"):
        UncertaintyEngine(frame, tree, Settings(), UncertaintySettings(weight_range=1.5))


def test_percentiles_leave_out_replications_where_a_node_is_missing(design_data: tuple[pd.DataFrame, Tree]) -> None:
    frame, tree = design_data
    inputs = UncertaintySettings(normalise=("minmax", "rank"), drop_indicator=True)
    engine = UncertaintyEngine(frame, tree, Settings(coverage_threshold=0.7), inputs)
    design = monte_carlo_design(engine.columns, 80, seed=12)
    table = engine.distributions(design).set_index(["unit", "node"])
    scores = engine.aggregate_scores(design)
    ranks = rank_descending(scores, axis=1)
    assert np.isnan(ranks).any()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN cells: a unit missing in every replication
        expected_median = np.nanquantile(ranks, 0.5, axis=0)  # (n, A)
        expected_low = np.nanquantile(scores, 0.05, axis=0)
    for a, node in enumerate(tree.aggregates):
        got = table.xs(node, level="node").loc[list(engine.units)]
        np.testing.assert_allclose(got["median_rank"], expected_median[:, a], equal_nan=True)
        np.testing.assert_allclose(got["score_p05"], expected_low[:, a], rtol=1e-6, equal_nan=True)


@settings(max_examples=60, deadline=None)
@given(
    st.integers(1, 400),
    st.integers(1, 7),
    st.sampled_from([(0.05, 0.95), (0.1, 0.9), (0.0, 1.0), (0.25, 0.5)]),
    st.floats(0.0, 0.6),
    st.integers(0, 2**16),
)
def test_tail_quantiles_equal_nanquantile_on_the_whole_sample(
    replications: int, cells: int, qs: tuple[float, float], missing: float, seed: int
) -> None:
    rng = np.random.default_rng(seed)
    sample = rng.integers(0, 20, size=(cells, replications)).astype(float)  # many ties
    sample[rng.random(sample.shape) < missing] = np.nan
    tails = TailQuantiles(cells, replications, *qs)
    for start in range(0, replications, 37):  # blocks of any size, (replications, cells)
        tails.add(sample[:, start : start + 37].T)
    # memory: a few times the values the two quantiles need, whatever the replications
    assert tails.keep_low <= max(replications, 1) and tails.smallest.buffer.shape[1] <= 3 * max(tails.keep_low, 1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        expected = np.nanquantile(sample, qs, axis=1)
    np.testing.assert_allclose(tails.result(), expected, rtol=1e-12, atol=1e-12, equal_nan=True)


def test_treatment_on_or_off_is_an_uncertain_input(design_data: tuple[pd.DataFrame, Tree]) -> None:
    frame, tree = design_data
    inputs = UncertaintySettings(impute=("mean", "median"), treat=("none", "winsorise"), normalise=("minmax", "rank"))
    engine = UncertaintyEngine(frame, tree, Settings(impute="mean"), inputs)
    assert [f.name for f in engine.factors] == ["impute", "treat", "normalise"]
    design = monte_carlo_design(engine.columns, 24, seed=5)
    scores = engine.aggregate_scores(design)
    drawn = set()
    for r in range(24):
        impute, treat, normalise = (
            options[min(int(design[r, f.start] * len(options)), len(options) - 1)]
            for f, options in zip(engine.factors, (inputs.impute, inputs.treat, inputs.normalise), strict=True)
        )
        drawn.add(treat)
        reference = compute(frame, tree, Settings(impute=impute, treat=treat, normalise=normalise))
        np.testing.assert_allclose(scores[r], reference.scores[list(tree.aggregates)].to_numpy(), rtol=1e-9, atol=1e-9)
    assert drawn == {"none", "winsorise"}
    # winsorising changes this lognormal data, so the two options give different scores
    on = compute(frame, tree, Settings(impute="mean", treat="winsorise")).scores
    off = compute(frame, tree, Settings(impute="mean")).scores
    assert not np.allclose(on.to_numpy(), off.to_numpy(), equal_nan=True)


def test_the_coverage_threshold_is_an_uncertain_input(design_data: tuple[pd.DataFrame, Tree]) -> None:
    frame, tree = design_data  # 8% missing, not imputed: a threshold of 0.9 leaves some pillars missing
    inputs = UncertaintySettings(aggregate=("arithmetic", "geometric"), coverage_threshold=(0.0, 0.9))
    engine = UncertaintyEngine(frame, tree, Settings(), inputs)
    assert [f.name for f in engine.factors] == ["aggregate", "coverage"]
    design = monte_carlo_design(engine.columns, 20, seed=3)
    scores = engine.aggregate_scores(design)
    seen = set()
    for r in range(20):
        aggregate = inputs.aggregate[min(int(design[r, 0] * 2), 1)]
        threshold = inputs.coverage_threshold[min(int(design[r, 1] * 2), 1)]
        seen.add(threshold)
        reference = compute(frame, tree, Settings(aggregate=aggregate, coverage_threshold=threshold))
        np.testing.assert_allclose(scores[r], reference.scores[list(tree.aggregates)].to_numpy(), rtol=1e-9, atol=1e-9)
    assert seen == {0.0, 0.9}
    with pytest.raises(ValueError, match=r"uncertain coverage_threshold must be a number in \[0.0, 1.0\]"):
        UncertaintySettings(coverage_threshold=(1.5,)).validate()


def test_per_level_methods_and_the_power_mean_in_uncertainty(design_data: tuple[pd.DataFrame, Tree]) -> None:
    frame, tree = design_data
    nominal = Settings(level_aggregate=("power", "geometric"), power=2.0, level_coverage=(0.7, 0.0))
    inputs = UncertaintySettings(normalise=("minmax", "rank"), weight_range=0.2)
    engine = UncertaintyEngine(frame, tree, nominal, inputs)
    design = monte_carlo_design(engine.columns, 12, seed=2)
    scores = engine.aggregate_scores(design)
    pair, _, weights = engine.decode(design)
    for r in range(12):
        chosen = dataclasses.replace(nominal, normalise=inputs.normalise[pair[r]])
        rebuilt = tree.with_weights(dict(zip(tree.node_ids, weights[r], strict=True)))
        reference = compute(frame, rebuilt, chosen).scores[list(tree.aggregates)]
        np.testing.assert_allclose(scores[r], reference.to_numpy(), rtol=1e-9, atol=1e-9)


@settings(max_examples=40, deadline=None)
@given(st.integers(1, 600), st.integers(1, 60), st.integers(0, 2**16))
def test_tail_quantiles_do_not_depend_on_the_blocks_or_their_order(replications: int, block: int, seed: int) -> None:
    """Bit for bit: groups on different scales arrive one after the other (as the engine's do), then shuffled."""
    rng = np.random.default_rng(seed)
    scale = rng.choice([1.0, 10.0, 100.0], size=(replications, 1))
    sample = np.round(rng.normal(size=(replications, 5)) * scale, 1)  # ties, and long runs that all pass
    sample[rng.random(sample.shape) < 0.1] = np.nan
    expected = TailQuantiles(5, replications, 0.05, 0.95)
    expected.add(sample)
    by_scale = sample[np.argsort(-scale[:, 0], kind="stable")]
    for rows in (by_scale, sample[rng.permutation(replications)]):
        tails = TailQuantiles(5, replications, 0.05, 0.95)
        for start in range(0, replications, block):
            tails.add(rows[start : start + block])
        np.testing.assert_array_equal(tails.result(), expected.result())


def test_tail_quantiles_of_many_cells_in_many_blocks() -> None:
    """More cells than a cut handles at once, rows that fill up at different times, and a missing value here
    and there: the same numbers as numpy on the whole sample."""
    rng = np.random.default_rng(5)
    scale = np.repeat([1.0, 50.0, 5.0], 1000)[:, None]  # groups on different scales, one after the other
    sample = rng.lognormal(size=(3000, 600)) * scale * rng.uniform(0.5, 2.0, size=600)
    sample[rng.random(sample.shape) < 0.02] = np.nan
    tails = TailQuantiles(600, 3000, 0.05, 0.95)
    for start in range(0, 3000, 250):
        tails.add(sample[start : start + 250])
    expected = np.nanquantile(sample, (0.05, 0.95), axis=0)
    np.testing.assert_allclose(tails.result(), expected, rtol=1e-12)


def test_winmax_and_weight_sets_are_uncertain_inputs(design_data: tuple[pd.DataFrame, Tree]) -> None:
    frame, tree = design_data
    skewed = frame.copy()
    skewed.iloc[:6, :] = skewed.iloc[:6, :] ** 3  # long right tails: winmax decides how far Winsorising goes
    expert = tree.with_weight_set("expert", {"P0": 3.0, "I1_0": 4.0})
    inputs = UncertaintySettings(
        winmax=(1, 5), weight_sets=("framework", "expert", "equal"), weight_range=0.2, drop_indicator=True
    )
    nominal = Settings(impute="median", treat="winsorise")
    engine = UncertaintyEngine(skewed, expert, nominal, inputs)
    assert [f.name for f in engine.factors] == ["winmax", "weight_set", "weights", "drop"]
    design = monte_carlo_design(engine.columns, 30, seed=8)
    scores = engine.aggregate_scores(design)
    factors = {f.name: f for f in engine.factors}
    seen = set()
    for r in range(30):
        row = design[r]
        winmax = (1, 5)[min(int(row[factors["winmax"].start] * 2), 1)]
        name = inputs.weight_sets[min(int(row[factors["weight_set"].start] * 3), 2)]
        seen.add((winmax, name))
        base = expert.weights_of(name) if name != "equal" else np.ones(len(tree.node_ids))
        weights = dict(zip(tree.node_ids, base, strict=True))
        w = factors["weights"]
        for i, node in enumerate(tree.node_ids[: w.width]):
            weights[node] *= 0.8 + 0.4 * row[w.start + i]
        dropped = min(int(row[factors["drop"].start] * 13), 12) - 1
        if dropped >= 0:
            weights[tree.leaves[dropped]] = 0.0
        reference = compute(skewed, tree.with_weights(weights), dataclasses.replace(nominal, winmax=winmax))
        np.testing.assert_allclose(scores[r], reference.scores[list(tree.aggregates)].to_numpy(), rtol=1e-9, atol=1e-9)
    assert {w for w, _ in seen} == {1, 5} and {n for _, n in seen} == {"framework", "expert", "equal"}
    # the two limits treat this data differently, so the input matters
    one = compute(skewed, tree, dataclasses.replace(nominal, winmax=1)).scores
    five = compute(skewed, tree, dataclasses.replace(nominal, winmax=5)).scores
    assert not np.allclose(one.to_numpy(), five.to_numpy(), equal_nan=True)
    with pytest.raises(ValueError, match=r"weights must be one of \{.*expert\}; got 'expertise'"):
        UncertaintyEngine(skewed, expert, nominal, UncertaintySettings(weight_sets=("framework", "expertise")))
    with pytest.raises(ValueError, match="uncertain winmax must be an integer >= 0"):
        UncertaintySettings(winmax=(2.5,)).validate()  # type: ignore[arg-type]


def test_sobol_indices_of_imputation_coverage_winmax_and_weight_sets(design_data: tuple[pd.DataFrame, Tree]) -> None:
    from govlens.index.sensitivity import sobol

    frame, tree = design_data
    skewed = frame.copy()
    skewed.iloc[:6, :] = skewed.iloc[:6, :] ** 3
    expert = tree.with_weight_set("expert", {"P0": 4.0})
    inputs = UncertaintySettings(
        impute=("none", "median"),
        winmax=(1, 5),
        coverage_threshold=(0.0, 0.9),
        weight_sets=("framework", "expert"),
    )
    engine = UncertaintyEngine(skewed, expert, Settings(treat="winsorise"), inputs)
    table = sobol(engine, base=64, seed=2, bootstrap=20).set_index("input")
    assert table.index.tolist() == ["impute", "winmax", "coverage", "weight_set"]
    # each moves the ranks (the threshold only where values stay missing, i.e. without imputation)
    assert (table["total_order"] > 0.01).all(), table
    # once every value is imputed, the coverage threshold has nothing left to act on: no effect at all
    imputed = dataclasses.replace(inputs, impute=("mean", "median"))
    engine = UncertaintyEngine(skewed, expert, Settings(treat="winsorise"), imputed)
    table = sobol(engine, base=64, seed=2, bootstrap=20).set_index("input")
    assert table.loc["coverage", "total_order"] == 0.0 and table.loc["winmax", "total_order"] > 0.01


def test_the_treatment_thresholds_are_uncertain_inputs(design_data: tuple[pd.DataFrame, Tree]) -> None:
    frame, tree = design_data
    skewed = frame.copy()
    skewed.iloc[:3, :] = skewed.iloc[:3, :] ** 2
    inputs = UncertaintySettings(treat=("none", "winsorise"), skew_thresh=(1.0, 3.0), kurt_thresh=(0.5, 6.0))
    engine = UncertaintyEngine(skewed, tree, Settings(impute="mean"), inputs)
    assert [f.name for f in engine.factors] == ["treat", "skew_thresh", "kurt_thresh"]
    assert engine.factors[1].options == ("1", "3")
    design = monte_carlo_design(engine.columns, 24, seed=6)
    scores = engine.aggregate_scores(design)
    picked = set()
    for r in range(24):
        treat, skew, kurt = (
            options[min(int(design[r, f.start] * 2), 1)]
            for f, options in zip(engine.factors, (inputs.treat, inputs.skew_thresh, inputs.kurt_thresh), strict=True)
        )
        picked.add((treat, skew, kurt))
        chosen = Settings(impute="mean", treat=treat, skew_thresh=skew, kurt_thresh=kurt)
        reference = compute(skewed, tree, chosen).scores[list(tree.aggregates)].to_numpy()
        np.testing.assert_allclose(scores[r], reference, rtol=1e-9, atol=1e-9)
    assert len(picked) > 4
    # the thresholds decide which indicators are treated here: the inputs matter
    low = compute(skewed, tree, Settings(impute="mean", treat="winsorise", skew_thresh=1.0, kurt_thresh=0.5))
    high = compute(skewed, tree, Settings(impute="mean", treat="winsorise", skew_thresh=3.0, kurt_thresh=6.0))
    assert not np.allclose(low.scores.to_numpy(), high.scores.to_numpy(), equal_nan=True)
