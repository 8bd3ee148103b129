from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from govlens.index.normalise import Normaliser

X = pd.DataFrame({"x": [2.0, 4.0, 6.0, 10.0]})


def norm(method: str, direction: int = 1, frame: pd.DataFrame = X, **kwargs: object) -> list[float]:
    result = Normaliser(method=method, directions={"x": direction}, **kwargs).fit_transform(frame)  # type: ignore[arg-type]
    return [float(v) for v in result["x"]]


def test_minmax() -> None:
    assert norm("minmax") == pytest.approx([0.0, 0.25, 0.5, 1.0])
    assert norm("minmax", -1) == pytest.approx([1.0, 0.75, 0.5, 0.0])
    assert norm("minmax", range=(1.0, 100.0)) == pytest.approx([1.0, 25.75, 50.5, 100.0])


def test_zscore_uses_the_sample_standard_deviation() -> None:
    # mean 5.5, sample sd sqrt(35/3) = 3.41565
    expected = [(v - 5.5) / 3.415650255 for v in (2.0, 4.0, 6.0, 10.0)]
    assert norm("zscore") == pytest.approx(expected, abs=1e-8)
    assert norm("zscore", -1) == pytest.approx([-e for e in expected], abs=1e-8)
    assert norm("zscore", mean_sd=(10.0, 2.0)) == pytest.approx([10 + 2 * e for e in expected], abs=1e-8)


def test_rank_is_percentile_rank_with_ties_at_the_lowest() -> None:
    tied = pd.DataFrame({"x": [2.0, 4.0, 4.0, 10.0, np.nan]})
    result = norm("rank", frame=tied)
    assert result[:4] == pytest.approx([0.0, 1 / 3, 1 / 3, 1.0])
    assert np.isnan(result[4])
    assert norm("rank", -1, frame=tied)[:4] == pytest.approx([1.0, 1 / 3, 1 / 3, 0.0])


def test_goalposts_truncate_and_flip() -> None:
    posts = {"x": (0.0, 8.0)}
    assert norm("goalposts", goalposts=posts) == pytest.approx([0.25, 0.5, 0.75, 1.0])
    assert norm("goalposts", -1, goalposts=posts) == pytest.approx([0.75, 0.5, 0.25, 0.0])
    survey = pd.DataFrame({"x": [0.0, 0.4, 1.0]})
    assert norm("goalposts", frame=survey) == pytest.approx([0.0, 0.4, 1.0])  # default posts 0..1


def test_distance_to_best() -> None:
    assert norm("distance-to-best") == pytest.approx([0.2, 0.4, 0.6, 1.0])
    assert norm("distance-to-best", -1) == pytest.approx([1.0, 0.5, 1 / 3, 0.2])
    # COINr's n_fracmax on the negated values would give x / min: 1, 2, 3, 5 (the best unit lowest, scores above 1)


def test_distance_to_best_takes_zeros_where_higher_is_better() -> None:
    # x / max is defined for a zero: it scores 0 (this refused ASEM, whose indicators have zeros)
    zeros = pd.DataFrame({"x": [0.0, 1.0, 4.0, np.nan]})
    result = norm("distance-to-best", frame=zeros)
    assert result[:3] == pytest.approx([0.0, 0.25, 1.0]) and np.isnan(result[3])
    assert norm("distance-to-best", frame=zeros, range=(0.0, 100.0))[:3] == pytest.approx([0.0, 25.0, 100.0])
    with pytest.raises(ValueError, match=r"needs values >= 0.*'x' has negative values"):
        norm("distance-to-best", frame=pd.DataFrame({"x": [-1.0, 1.0]}))
    # lower is better: min / x divides by every value, so a zero is refused
    with pytest.raises(ValueError, match=r"lower is better needs values > 0.*'x' has zero"):
        norm("distance-to-best", -1, frame=zeros)


def test_constant_column_gives_missing_values() -> None:
    assert all(np.isnan(norm("minmax", frame=pd.DataFrame({"x": [3.0, 3.0]}))))


def test_fit_on_one_frame_transform_another() -> None:
    normaliser = Normaliser(method="minmax").fit(X)
    later = normaliser.transform(pd.DataFrame({"x": [6.0, 12.0]}))
    assert list(later["x"]) == pytest.approx([0.5, 1.25])


def test_parameter_errors() -> None:
    with pytest.raises(ValueError, match=r"normalise method must be one of \{minmax, zscore, rank, goalposts"):
        Normaliser(method="zscor").fit(X)
    with pytest.raises(ValueError, match="low < high"):
        Normaliser(range=(1.0, 1.0)).fit(X)


def test_the_goalpost_cases_of_coinr_own_tests() -> None:
    # COINr's tests/testthat/test-normalise.R: 1, 11, -1 with goalposts 0..10 give 0.1, 1, 0;
    # with direction -1 they give 0.9, 0, 1
    frame = pd.DataFrame({"x": [1.0, 11.0, -1.0]})
    posts = {"x": (0.0, 10.0)}
    assert norm("goalposts", frame=frame, goalposts=posts) == pytest.approx([0.1, 1.0, 0.0])
    assert norm("goalposts", -1, frame=frame, goalposts=posts) == pytest.approx([0.9, 0.0, 1.0])


def test_minmax_near_the_float_limit_does_not_overflow() -> None:
    # max - min = 2e308 overflows a float; (x - min) / (max - min) is still 1, 0, 0.5 and 0.75
    huge = pd.DataFrame({"x": [1e308, -1e308, 0.0, 5e307]})
    assert norm("minmax", frame=huge) == pytest.approx([1.0, 0.0, 0.5, 0.75])
    assert norm("minmax", -1, frame=huge) == pytest.approx([0.0, 1.0, 0.5, 0.25])
    # the largest floats of both signs
    edge = pd.DataFrame({"x": [np.finfo(float).max, np.finfo(float).min]})
    assert norm("minmax", frame=edge) == pytest.approx([1.0, 0.0])
