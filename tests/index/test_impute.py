from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from govlens.index.impute import Imputer


def test_mean_and_median(small_data: pd.DataFrame) -> None:
    mean = Imputer(method="mean").fit_transform(small_data)
    assert mean.loc["BRA", "c"] == pytest.approx((0.5 + 0.9 + 0.1) / 3)
    assert mean.loc["MEX", "d"] == pytest.approx(4.0)
    median = Imputer(method="median")
    filled = median.fit_transform(small_data)
    assert filled.loc["BRA", "c"] == pytest.approx(0.5)
    assert filled.loc["MEX", "d"] == pytest.approx(4.0)
    assert list(median.table().itertuples(index=False, name=None)) == [("BRA", "c", "median"), ("MEX", "d", "median")]
    assert small_data.isna().sum().sum() == 2  # the input is not changed


def test_group_mean_leaves_a_group_without_values_missing(small_data: pd.DataFrame) -> None:
    groups = pd.Series(["SA", "SA", "SA", "NA"], index=small_data.index)
    filled = Imputer(method="group-mean", groups=groups).fit_transform(small_data)
    assert filled.loc["BRA", "c"] == pytest.approx((0.5 + 0.9) / 2)
    assert np.isnan(filled.loc["MEX", "d"])  # MEX is alone in its group


def test_group_median() -> None:
    frame = pd.DataFrame({"x": [1.0, 2.0, 10.0, np.nan, 5.0, np.nan]}, index=list("abcdef"))
    groups = pd.Series(["g", "g", "g", "g", "h", "h"], index=frame.index)
    filled = Imputer(method="group-median", groups=groups).fit_transform(frame)
    assert filled.loc["d", "x"] == 2.0 and filled.loc["f", "x"] == 5.0


def test_carry_forward(small_data: pd.DataFrame) -> None:
    previous = pd.DataFrame({"c": [0.3], "d": [7.0]}, index=["BRA"])
    filled = Imputer(method="carry-forward", previous=previous).fit_transform(small_data)
    assert filled.loc["BRA", "c"] == 0.3
    assert np.isnan(filled.loc["MEX", "d"])  # no previous value for MEX


def test_parameter_errors(small_data: pd.DataFrame) -> None:
    with pytest.raises(ValueError, match=r"impute method must be one of .*; got 'avg'"):
        Imputer(method="avg").fit(small_data)
    with pytest.raises(ValueError, match="needs groups"):
        Imputer(method="group-mean").fit(small_data)
