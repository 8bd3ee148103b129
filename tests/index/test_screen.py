"""Screening of units (COINr's ``Screen``: dat_thresh, nonzero_thresh, Force), worked out by hand."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from govlens.index.audit import audit
from govlens.index.errors import IndexInputError
from govlens.index.io import Dataset
from govlens.index.pipeline import compute
from govlens.index.screen import Screener
from govlens.index.settings import Settings, UncertaintySettings
from govlens.index.tree import Tree, TreeNode
from govlens.index.uncertainty import uncertainty

NA = np.nan
# COINr's get_data_avail: Dat_Avail = 1 - missing / indicators, Non_Zero = 1 - zeros / values present
#   A 1 2 3 4   coverage 1     non-zero 1
#   B 0 0 0 5   coverage 1     non-zero 1/4
#   C 1 - - 2   coverage 1/2   non-zero 1
#   D 0 - 1 1   coverage 3/4   non-zero 2/3
#   E 2 3 0 1   coverage 1     non-zero 3/4
DATA = pd.DataFrame(
    {
        "i1": [1.0, 0.0, 1.0, 0.0, 2.0],
        "i2": [2.0, 0.0, NA, NA, 3.0],
        "i3": [3.0, 0.0, NA, 1.0, 0.0],
        "i4": [4.0, 5.0, 2.0, 1.0, 1.0],
    },
    index=pd.Index(list("ABCDE"), name="unit"),
)
TREE = Tree(
    [
        TreeNode("IDX", None),
        TreeNode("P1", "IDX"),
        TreeNode("P2", "IDX"),
        *(TreeNode(f"i{k}", "P1" if k < 3 else "P2") for k in range(1, 5)),
    ]
)


def screened(**params: object) -> tuple[str, ...]:
    return Screener(**params).fit(DATA).excluded_units_  # type: ignore[arg-type]


def test_shares_by_hand() -> None:
    table = Screener().fit(DATA).table().set_index("unit")
    assert table["coverage"].tolist() == [1.0, 1.0, 0.5, 0.75, 1.0]
    assert table["nonzero_share"].tolist() == pytest.approx([1.0, 0.25, 1.0, 2 / 3, 0.75])
    assert table["status"].tolist() == ["ok"] * 5


def test_coinr_modes_by_na_by_zeros_and_both() -> None:
    # byNA with COINr's default dat_thresh 2/3: C (1/2); byzeros with 0.5: B (1/4); byNAandzeros: either
    assert screened(unit_coverage=2 / 3) == ("C",)
    assert screened(unit_nonzero=0.5) == ("B",)
    assert screened(unit_coverage=2 / 3, unit_nonzero=0.5) == ("B", "C")
    # thresholds are strict, as COINr's: E at 3/4 stays with 0.75, D at 2/3 goes with 0.7
    assert screened(unit_nonzero=0.75) == ("B", "D")
    assert screened(unit_nonzero=0.7) == ("B", "D")


def test_forced_inclusion_and_exclusion() -> None:
    screener = Screener(unit_coverage=2 / 3, unit_nonzero=0.5, include=("C",), exclude=("E",)).fit(DATA)
    assert screener.excluded_units_ == ("B", "E")
    table = screener.table().set_index("unit")
    assert table.loc["C", "status"] == "ok"
    assert table.loc["C", "reason"] == "coverage 50% < 67%; kept: listed in screen_include"
    assert table.loc["E", ["status", "reason"]].tolist() == ["excluded", "listed in screen_exclude"]
    assert table.loc["B", ["status", "reason"]].tolist() == ["excluded", "non-zero 25% < 50%"]
    messages = [p.message for p in screener.report_.warnings]
    assert messages == [
        "unit 'B' has 25% non-zero values (of those present), below 50%: excluded",
        "unit 'C' has 50% of indicators, below 67%: kept (screen_include)",
    ]


def test_flagging_keeps_every_unit() -> None:
    screener = Screener(unit_nonzero=0.5, action="flag").fit(DATA)
    assert screener.excluded_units_ == ()
    assert screener.table()["status"].tolist() == ["ok", "flagged", "ok", "ok", "ok"]


def test_refusals() -> None:
    [error] = Screener(exclude=("ZZZ",), path="data.csv").fit(DATA).report_.errors
    assert (error.code, error.path) == ("screen_unknown_unit", "data.csv")
    assert error.message == "screen_exclude names unit 'ZZZ', which is not in the data"
    everything = Screener(unit_nonzero=0.9, exclude=("A", "C", "E")).fit(DATA)
    [error] = everything.report_.errors
    assert error.code == "no_unit_left"
    assert error.message.startswith(
        "the screening (non-zero share below 90%, 3 units listed in screen_exclude) excludes all 5 units"
    )
    with pytest.raises(ValueError, match="a unit cannot be both in screen_include and screen_exclude; got 'A'"):
        Settings(screen_include=("A",), screen_exclude=("A", "B")).validate()
    with pytest.raises(ValueError, match=r"screen_stage must be one of \{data, imputed\}; got 'late'"):
        Settings(screen_stage="late").validate()
    with pytest.raises(ValueError, match=r"unit_nonzero must be a number in \[0.0, 1.0\]; got 2"):
        Settings(unit_nonzero=2).validate()
    with pytest.raises(IndexInputError) as caught:
        compute(Dataset(DATA, path="d.csv"), TREE, Settings(screen_include=("Q",)))
    assert [p.code for p in caught.value.report.errors] == ["screen_unknown_unit"]


def test_compute_screens_on_the_data_or_after_imputation() -> None:
    rules = {"unit_coverage": 2 / 3, "unit_nonzero": 0.7, "impute": "median"}
    data_stage = compute(DATA, TREE, Settings(**rules))  # type: ignore[arg-type]
    assert list(data_stage.scores.index) == ["A", "E"]
    # after imputation the medians fill C (i2: median of 2, 0, 3 = 2; i3: of 3, 0, 1, 0 = 0.5) and D (i2: 2):
    # C has everything and 4 non-zero values of 4, D 3 of 4 (0.75 >= 0.7): only B is left out
    imputed_stage = compute(DATA, TREE, Settings(**rules, screen_stage="imputed"))  # type: ignore[arg-type]
    assert list(imputed_stage.scores.index) == ["A", "C", "D", "E"]
    assert imputed_stage.prepared.screener.excluded_units_ == ("B",)
    assert imputed_stage.prepared.checks.excluded_units_ == ()
    # the imputation saw B: the median of i2 over A, B, E is 2 (without B it would be 2.5)
    assert imputed_stage.prepared.imputer.fill_["i2"] == 2.0  # type: ignore[index]
    assert [p.code for p in imputed_stage.report.warnings] == ["low_nonzero_share"]
    report = audit(imputed_stage)
    assert report.coverage.set_index("unit").loc["B", "status"] == "excluded"
    assert report.statistics["n"].tolist() == [4, 2, 3, 4]  # the units kept, as given
    assert "units: 5 (1 screened out, 0 flagged)" in report.summary()[0]


def test_uncertainty_keeps_the_nominal_screening() -> None:
    settings = Settings(unit_nonzero=0.7, impute="median", screen_stage="imputed")
    inputs = UncertaintySettings(replications=40, seed=2, impute=("mean", "median"), weight_range=0.2)
    analysis = uncertainty(DATA, TREE, settings, inputs)
    assert sorted(set(analysis.table["unit"])) == ["A", "C", "D", "E"]
    assert analysis.table["rank_p95"].max() <= 4


def test_screening_settings_round_trip() -> None:
    settings = Settings(unit_nonzero=0.5, screen_include=["C"], screen_exclude=("E",), screen_stage="imputed")
    data = json.loads(json.dumps(settings.validate().to_dict()))
    assert (data["screen_include"], data["screen_exclude"], data["unit_nonzero"]) == (["C"], ["E"], 0.5)
    assert Settings.from_dict(data) == settings
    assert not {"unit_nonzero", "screen_include", "screen_exclude", "screen_stage"} & set(Settings().to_dict())
