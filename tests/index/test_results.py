from __future__ import annotations

import numpy as np
import pytest
import scipy.stats

from govlens.index.results import cutoff_groups, quartile_groups, rank_descending, rank_histogram


def test_ranks_with_ties_and_missing() -> None:
    ranks = rank_descending(np.array([0.5, 0.9, 0.5, np.nan, 0.1]))
    assert list(ranks[[0, 1, 2, 4]]) == [2.0, 1.0, 2.0, 4.0]
    assert np.isnan(ranks[3])


def test_ranks_along_an_axis_of_a_stack() -> None:
    scores = np.array([[[1.0, 3.0], [2.0, 1.0], [3.0, 2.0]]])  # (1 replication, 3 units, 2 nodes)
    ranks = rank_descending(scores, axis=1)
    assert ranks[0, :, 0].tolist() == [3.0, 2.0, 1.0]
    assert ranks[0, :, 1].tolist() == [1.0, 3.0, 2.0]


def test_quartiles() -> None:
    ranks = np.array([2.0, 1.0, 2.0, np.nan, 4.0])
    assert quartile_groups(ranks).tolist() == ["Q2", "Q1", "Q2", "", "Q4"]


def test_world_bank_cutoffs() -> None:
    scores = np.array([0.8, 0.75, 0.5, 0.3, 0.1, np.nan])
    assert cutoff_groups(scores).tolist() == ["A", "A", "B", "C", "D", ""]


def test_ranks_equal_scipy_min_ranks_on_every_sort_path() -> None:
    rng = np.random.default_rng(9)
    # scores >= 0, scores of both signs (packed integer sorts), scores too large to pack (argsort)
    for scale, shift in ((1.0, 0.0), (1.0, -1.0), (1e6, 0.0)):
        scores = (rng.integers(0, 15, size=(40, 30)).astype(float) / 7 + shift) * scale  # many ties
        scores[rng.random(scores.shape) < 0.1] = np.nan
        ranks = rank_descending(scores, axis=1)
        for row in range(40):
            present = ~np.isnan(scores[row])
            expected = scipy.stats.rankdata(-scores[row][present], method="min")
            assert ranks[row][present].tolist() == expected.tolist()
            assert np.isnan(ranks[row][~present]).all()


def test_rank_histogram_counts_ranks_per_unit_and_node() -> None:
    # 2 replications, 1 node, 3 units: ranks (1, 2, 2) then (3, 1, 2)
    scores = np.array([[[0.9, 0.5, 0.5]], [[0.1, 0.8, 0.4]]])
    histogram = rank_histogram(scores)
    assert histogram.tolist() == [[1, 0, 1], [1, 1, 0], [0, 2, 0]]


def test_rank_histogram_adds_blocks_into_one_histogram() -> None:
    rng = np.random.default_rng(2)
    scores = np.round(rng.random((30, 3, 8)), 1)  # ties
    scores[rng.random(scores.shape) < 0.1] = np.nan
    into = np.zeros((3 * 8, 8), dtype=np.int64)
    for start in range(0, 30, 7):
        assert rank_histogram(scores[start : start + 7], into=into) is into
    np.testing.assert_array_equal(into, rank_histogram(scores))
    with pytest.raises(ValueError, match="C-contiguous int64"):
        rank_histogram(scores, into=np.zeros((8, 3 * 8), dtype=np.int64).T)
