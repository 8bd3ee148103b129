"""Per-indicator treatment and normalisation through the pipeline and the uncertainty analysis (small tables
worked out by hand), their settings, text form and refusals."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from govlens.index.normalise import Normaliser
from govlens.index.pipeline import compute
from govlens.index.settings import Settings, UncertaintySettings, cli_options, parse_option
from govlens.index.tree import Tree
from govlens.index.uncertainty import UncertaintyEngine, monte_carlo_design

# small_data (tests/index/conftest.py): a 1..4; b 10, 20, 30, 5 (direction -1); c .5, -, .9, .1; d 3, 4, 5, -
Z_A = (np.arange(1.0, 5.0) - 2.5) / np.sqrt(5 / 3)  # sample sd of 1..4
B = np.array([0.8, 0.4, 0.0, 1.0])  # min-max of -b


def test_one_indicator_as_z_scores_mixes_scales_as_coinr(small_data: pd.DataFrame, small_tree: Tree) -> None:
    result = compute(small_data, small_tree, Settings(normalise_per_indicator={"a": "zscore"}))
    assert result.scores["a"].tolist() == pytest.approx(Z_A.tolist())
    assert result.scores["P1"].tolist() == pytest.approx(((Z_A + B) / 2).tolist())
    # with scale 100 the bounded leaves are on 0..100 and a stays a z-score (COINr adds them as they are)
    hundred = compute(small_data, small_tree, Settings(scale=100, normalise_per_indicator={"a": "zscore"}))
    assert hundred.scores["b"].tolist() == pytest.approx((100 * B).tolist())
    assert hundred.scores["P1"].tolist() == pytest.approx(((Z_A + 100 * B) / 2).tolist())
    with pytest.raises(ValueError, match="the geometric mean needs one scale, but normalise_per_indicator mixes"):
        compute(small_data, small_tree, Settings(aggregate="geometric", normalise_per_indicator={"a": "zscore"}))
    with pytest.raises(ValueError, match=r"groups 'cutoffs' need scores on 0\.\.1, but normalise_per_indicator"):
        compute(small_data, small_tree, Settings(groups="cutoffs", normalise_per_indicator={"a": "zscore"}))


def test_goalposts_and_none_per_indicator(small_data: pd.DataFrame, small_tree: Tree) -> None:
    settings = Settings(
        normalise_per_indicator={"c": {"method": "goalposts", "low": 0, "high": 2}, "d": {"method": "rank"}}
    )
    result = compute(small_data, small_tree, settings)
    assert result.scores["c"].tolist()[::2] == pytest.approx([0.25, 0.45])
    assert result.scores["d"].tolist()[:3] == [0.0, 0.5, 1.0]  # percentile ranks of 3, 4, 5
    assert result.scores["a"].tolist() == pytest.approx([0, 1 / 3, 2 / 3, 1])  # the others: min-max
    # "none": c is taken as scores on the output scale (0..100 here), as COINr's f_n = "none"
    kept = compute(
        small_data.assign(c=small_data["c"] * 100),
        small_tree,
        Settings(scale=100, normalise_per_indicator={"c": "none"}),
    )
    assert kept.scores["c"].tolist()[::2] == pytest.approx([50.0, 90.0])
    # P2 = (2 c + d) / 3 with d min-max on 0..100: ARG (100 + 0) / 3
    assert kept.scores.loc["ARG", "P2"] == pytest.approx(100 / 3)
    with pytest.raises(
        ValueError, match=r"normalise 'none' takes indicator 'd' as scores on 0\.\.1, but unit 'ARG' has 3"
    ):
        compute(small_data, small_tree, Settings(normalise_per_indicator={"d": "none"}))
    with pytest.raises(ValueError, match="keeps the values of indicator 'b' as they are, but its direction is -1"):
        compute(small_data, small_tree, Settings(normalise_per_indicator={"b": "none"}))
    with pytest.raises(ValueError, match="normalise_per_indicator must name indicators of the tree; got 'P1'"):
        compute(small_data, small_tree, Settings(normalise_per_indicator={"P1": "rank"}))


def test_treatment_per_indicator_in_the_pipeline(small_tree: Tree) -> None:
    values = np.array([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 30, 100], dtype=float)
    data = pd.DataFrame(
        {"a": values, "b": -values, "c": values, "d": np.arange(12.0)}, index=[f"u{i}" for i in range(12)]
    )
    result = compute(data, small_tree, Settings(treat="winsorise", treat_per_indicator={"a": "none"}))
    actions = result.prepared.treater.table().set_index("indicator")["action"].to_dict()
    assert actions == {"a": "none", "b": "winsorised", "c": "winsorised", "d": "none"}
    # a keeps 100: min-max of the untreated column; c is capped at 30
    assert result.scores.loc["u10", "a"] == pytest.approx(29 / 99)
    assert result.scores.loc["u10", "c"] == 1.0


def test_uncertainty_keeps_per_indicator_choices_and_treatment_off_is_off(small_tree: Tree) -> None:
    values = np.array([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 30, 100], dtype=float)
    shares = np.arange(12.0) / 11
    data = pd.DataFrame(
        {"a": values, "b": -values, "c": shares, "d": np.arange(12.0)}, index=[f"u{i}" for i in range(12)]
    )
    settings = Settings(treat_per_indicator={"a": {"method": "winsorise"}}, normalise_per_indicator={"c": "none"})
    inputs = UncertaintySettings(replications=30, seed=1, treat=("none", "winsorise"), normalise=("minmax", "rank"))
    engine = UncertaintyEngine(data, small_tree, settings, inputs)
    # pairs: (treat none, minmax), (none, rank), (winsorise, minmax), (winsorise, rank)
    off, on = engine.leaf_scores[0], engine.leaf_scores[2]
    assert off[10, 0] == pytest.approx(29 / 99)  # treatment drawn off: a is not Winsorised either
    assert on[10, 0] == 1.0  # on: a capped at 30, the maximum
    for scores in engine.leaf_scores:  # c is taken as scores, whatever the method drawn
        assert scores[:, 2].tolist() == shares.tolist()
    assert engine.distributions(monte_carlo_design(engine.columns, 30, 1))["rank_p95"].max() <= 12


def test_normaliser_groups_columns_by_method() -> None:
    frame = pd.DataFrame({"x": [1.0, 2.0, 4.0], "y": [0.1, 0.5, 0.2], "z": [3.0, 1.0, 2.0]})
    normaliser = Normaliser(method="minmax", per_indicator={"y": "none", "z": "rank"}, range=(0.0, 10.0))
    out = normaliser.fit_transform(frame)
    assert out["x"].tolist() == pytest.approx([0.0, 10 / 3, 10.0])
    assert out["y"].tolist() == [0.1, 0.5, 0.2]
    assert out["z"].tolist() == [10.0, 0.0, 5.0]
    assert normaliser.methods_ == ("minmax", "none", "rank")


def test_per_indicator_settings_text_and_round_trip() -> None:
    options = {f.name: f for f in cli_options()}
    assert options["treat_per_indicator"].metadata["flag"] == "--treat-per-indicator"
    treat = parse_option(options["treat_per_indicator"], "I_5=none; I_7=winmax:2,skew_thresh:1,kurt_thresh:3")
    assert treat == {"I_5": {"method": "none"}, "I_7": {"winmax": 2, "skew_thresh": 1.0, "kurt_thresh": 3.0}}
    normalise = parse_option(options["normalise_per_indicator"], "x=zscore; y=goalposts,low:0,high:10")
    assert normalise == {"x": {"method": "zscore"}, "y": {"method": "goalposts", "low": 0.0, "high": 10.0}}
    settings = Settings(treat_per_indicator=treat, normalise_per_indicator=normalise).validate()
    data = json.loads(json.dumps(settings.to_dict()))
    assert Settings.from_dict(data) == settings
    # the Python shorthand is the same setting
    assert Settings(treat_per_indicator={"I_5": "none"}) == Settings(treat_per_indicator={"I_5": {"method": "none"}})
    assert not {"treat_per_indicator", "normalise_per_indicator"} & set(Settings().to_dict())
    with pytest.raises(ValueError, match=r"--treat-per-indicator keys must be among \{method, winmax, skew_thresh"):
        parse_option(options["treat_per_indicator"], "I_5=cap:3")
    with pytest.raises(ValueError, match=r"--treat-per-indicator: winmax of 'I_5' must be a number; got '2\.5'"):
        parse_option(options["treat_per_indicator"], "I_5=winmax:2.5")
    with pytest.raises(ValueError, match=r"normalise_per_indicator method of 'x' must be one of \{minmax, .*none\}"):
        Settings(normalise_per_indicator={"x": "z"}).validate()
    with pytest.raises(ValueError, match="goalposts of 'y' must be low and high with low < high"):
        Settings(normalise_per_indicator={"y": {"method": "goalposts", "low": 3}}).validate()
    with pytest.raises(ValueError, match="treat_per_indicator winmax of 'a' must be an integer >= 0; got -2"):
        Settings(treat_per_indicator={"a": {"winmax": -2}}).validate()


def test_a_drawn_winmax_reaches_an_indicator_treated_on_its_own(small_tree: Tree) -> None:
    values = np.array([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 30, 100], dtype=float)
    data = pd.DataFrame({"a": values, "b": -np.arange(12.0), "c": np.arange(12.0), "d": np.arange(12.0)})
    settings = Settings(treat="none", treat_per_indicator={"a": {"method": "winsorise"}})
    engine = UncertaintyEngine(data, small_tree, settings, UncertaintySettings(replications=10, winmax=(0, 5)))
    # winmax 0: no point may change, so a is log-transformed; winmax 5: 100 -> 30, a's top unit scores 1 with u10
    zero, five = engine.leaf_scores
    assert zero[10, 0] < 1.0 and five[10, 0] == 1.0
