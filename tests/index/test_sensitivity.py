from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from govlens.index.sensitivity import mean_rank_shift, saltelli_design, sobol, sobol_estimates
from govlens.index.settings import Settings, UncertaintySettings
from govlens.index.uncertainty import UncertaintyEngine

from .conftest import design_tree


def test_estimators_on_a_linear_model() -> None:
    # Y = x1 + 2 x2 with independent uniforms: V1 = 1/12, V2 = 4/12, so S1 = 0.2, S2 = 0.8 (= total indices)
    rng = np.random.default_rng(0)
    n = 20000
    a, b = rng.random((n, 2)), rng.random((n, 2))

    def f(x: np.ndarray) -> np.ndarray:
        return np.asarray(x[:, 0] + 2 * x[:, 1])

    ab = np.stack([f(np.column_stack([b[:, 0], a[:, 1]])), f(np.column_stack([a[:, 0], b[:, 1]]))])
    first, total = sobol_estimates(f(a), f(b), ab)
    assert first == pytest.approx([0.2, 0.8], abs=0.03)
    assert total == pytest.approx([0.2, 0.8], abs=0.03)


def test_no_variance_gives_missing_indices() -> None:
    first, total = sobol_estimates(np.ones(5), np.ones(5), np.ones((2, 5)))
    assert np.isnan(first).all() and np.isnan(total).all()


def test_mean_rank_shift() -> None:
    ranks = np.array([[1.0, 2.0, 3.0], [3.0, 2.0, np.nan]])
    assert mean_rank_shift(ranks, np.array([1.0, 2.0, 3.0])).tolist() == [0.0, 1.0]


def test_sobol_on_the_index() -> None:
    tree = design_tree(2, 3)
    rng = np.random.default_rng(3)
    frame = pd.DataFrame(rng.random((30, 6)), index=[f"u{i}" for i in range(30)], columns=list(tree.leaves))
    inputs = UncertaintySettings(normalise=("minmax", "rank"), weight_range=0.3)
    engine = UncertaintyEngine(frame, tree, Settings(), inputs)
    design = saltelli_design(engine, 64, seed=1)
    assert design.shape == (64 * 4, engine.columns)
    # AB_weights differs from A only in the weight columns
    weights = engine.factors[1]
    changed = np.flatnonzero((design[128 + 64 : 128 + 128] != design[:64]).any(axis=0))
    assert changed.tolist() == list(range(weights.start, weights.start + weights.width))
    table = sobol(engine, base=200, seed=1, bootstrap=50)
    assert table["input"].tolist() == ["normalise", "weights"]
    assert (table["total_order"] >= -0.05).all()
    again = sobol(engine, base=200, seed=1, bootstrap=50)
    pd.testing.assert_frame_equal(table, again, check_exact=True)


def test_estimators_equal_salib_on_the_same_runs() -> None:
    from SALib.analyze import sobol as salib_sobol

    rng = np.random.default_rng(4)
    n, d = 256, 3
    f_a, f_b = rng.normal(size=n), rng.normal(size=n)
    f_ab = f_a + rng.normal(scale=0.5, size=(d, n)) * np.array([[0.1], [1.0], [2.0]])
    # SALib's layout without second-order terms: for each base row, A, AB_1..AB_d, B
    stacked = np.column_stack([f_a, *f_ab, f_b]).reshape(-1)
    problem = {"num_vars": d, "names": ["a", "b", "c"], "bounds": [[0.0, 1.0]] * d}
    reference = salib_sobol.analyze(problem, stacked, calc_second_order=False, num_resamples=10, seed=1)
    first, total = sobol_estimates(f_a, f_b, f_ab)
    np.testing.assert_allclose(first, reference["S1"], rtol=1e-12)
    np.testing.assert_allclose(total, reference["ST"], rtol=1e-12)
