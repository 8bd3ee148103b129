"""Denomination (COINr's ``Denominate``: x / (d / scale)), worked out by hand, and its refusals."""

from __future__ import annotations

import io
import json

import numpy as np
import pandas as pd
import pytest

from govlens.index.denominate import Denominator, denominators
from govlens.index.errors import IndexInputError
from govlens.index.io import Dataset
from govlens.index.pipeline import compute
from govlens.index.settings import Settings, cli_options, parse_option
from govlens.index.tree import Tree, TreeNode

# crimes per 100,000 people: A 50 / (1e6 / 1e5) = 5, B 200 / 40 = 5, C 30 / 2 = 15; schools per km2
CRIMES = pd.DataFrame(
    {
        "crimes": [50.0, 200.0, 30.0],
        "schools": [3.0, 1.0, 2.0],
        "population": [1e6, 4e6, 2e5],
        "area": [10.0, 20.0, 5.0],
    },
    index=pd.Index(["A", "B", "C"], name="unit"),
)


def crime_tree(**denominated: tuple[str, float]) -> Tree:
    tree = Tree([TreeNode("IDX", None), TreeNode("crimes", "IDX", 1.0, -1), TreeNode("schools", "IDX")])
    tree.denominators = dict(denominated)
    return tree


def test_per_100000_people_by_hand() -> None:
    step = Denominator(by={"crimes": ("population", 1e5)}).fit(CRIMES[["crimes"]], CRIMES)
    assert step.report_.valid
    assert step.transform(CRIMES[["crimes"]], CRIMES)["crimes"].tolist() == [5.0, 5.0, 15.0]
    assert step.table().to_dict("records") == [{"indicator": "crimes", "denominator": "population", "scale": 1e5}]


def test_compute_divides_before_normalising() -> None:
    settings = Settings(denominate={"crimes": {"by": "population", "scale": 100_000}, "schools": "area"})
    result = compute(CRIMES, crime_tree(), settings)
    # the checked values are the denominated ones: schools per km2 3/10, 1/20, 2/5
    assert result.prepared.raw["crimes"].tolist() == [5.0, 5.0, 15.0]
    assert result.prepared.raw["schools"].tolist() == [0.3, 0.05, 0.4]
    # min-max, crimes direction -1: A, B best (1), C 0; schools (x - 0.05) / 0.35: A 5/7, B 0, C 1
    assert result.scores["crimes"].tolist() == [1.0, 1.0, 0.0]
    assert result.scores["schools"].tolist() == pytest.approx([5 / 7, 0.0, 1.0])
    assert result.scores["IDX"].tolist() == pytest.approx([6 / 7, 0.5, 0.5])
    # without denomination the raw counts rank differently: B has the most crimes
    assert compute(CRIMES, crime_tree()).scores["crimes"].tolist() == pytest.approx([150 / 170, 0.0, 1.0])


def test_the_setting_wins_over_the_tree_and_names_leaves_only() -> None:
    tree = crime_tree(crimes=("area", 1.0))
    assert denominators(tree, Settings()) == {"crimes": ("area", 1.0)}
    chosen = denominators(tree, Settings(denominate={"crimes": {"by": "population", "scale": 1e5}}))
    assert chosen == {"crimes": ("population", 1e5)}
    with pytest.raises(ValueError, match="denominate must name indicators of the tree; got 'IDX'"):
        denominators(tree, Settings(denominate={"IDX": "area"}))


def test_a_tree_table_declares_denominators() -> None:
    text = "id,parent,denominator,denominator_scale\nIDX,,,\ncrimes,IDX,population,100000\nschools,IDX,area,\n"
    tree = Tree.from_frame(pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False))
    assert tree.denominators == {"crimes": ("population", 1e5), "schools": ("area", 1.0)}
    assert compute(CRIMES, tree).prepared.raw["crimes"].tolist() == [5.0, 5.0, 15.0]
    assert tree.with_weights({"crimes": 2.0}).denominators == tree.denominators
    bad = "id,parent,denominator,denominator_scale\nIDX,,area,\nx,IDX,population,0\ny,IDX,,5\n"
    with pytest.raises(IndexInputError) as caught:
        Tree.from_frame(pd.read_csv(io.StringIO(bad), dtype=str, keep_default_na=False), path="tree.csv")
    found = [(p.code, p.row, p.column) for p in caught.value.report.errors]
    # x: scale 0 (row 3); y: a scale without a column (row 4); IDX: an aggregate is not divided (row 2)
    assert found == [
        ("tree_bad_denominator", 3, "denominator_scale"),
        ("tree_bad_denominator", 4, "denominator"),
        ("tree_bad_denominator", 2, "denominator"),
    ]


def test_refusals_are_located() -> None:
    data = CRIMES.copy()
    data.loc["B", "population"] = 0.0
    data.loc["C", "population"] = -3.0
    dataset = Dataset(data, path="data.csv", rows={"A": 2, "B": 3, "C": 4})
    with pytest.raises(IndexInputError) as caught:
        compute(dataset, crime_tree(crimes=("population", 1e5)))
    errors = caught.value.report.errors
    assert [(p.code, p.path, p.row, p.column) for p in errors] == [
        ("invalid_denominator", "data.csv", 3, "population"),
        ("invalid_denominator", "data.csv", 4, "population"),
    ]
    assert "denominator 'population' of unit 'B' is 0: indicator 'crimes'" in errors[0].message
    with pytest.raises(IndexInputError) as missing:
        compute(dataset, crime_tree(crimes=("gdp", 1.0)))
    [error] = missing.value.report.errors
    assert (error.code, error.row, error.column) == ("denominator_not_found", 1, "gdp")
    assert "indicator 'crimes' is divided by column 'gdp', but the data has no such column" in error.message


def test_a_missing_denominator_leaves_the_value_missing_with_a_warning() -> None:
    data = CRIMES.copy()
    data.loc["B", "population"] = np.nan
    data.loc["C", "crimes"] = np.nan
    data.loc["C", "population"] = 0.0  # no value of crimes to divide: nothing to refuse
    result = compute(data, crime_tree(crimes=("population", 1e5)))
    assert np.isnan(result.prepared.raw.loc["B", "crimes"]) and result.prepared.raw.loc["A", "crimes"] == 5.0
    # then only A has a value of crimes: the checks also warn that it is constant
    warning, constant = result.prepared.warnings()
    assert constant.code == "constant_indicator"
    assert warning.code == "denominator_missing" and (warning.row, warning.column) == (3, "population")
    assert "unit 'B' has no denominator 'population'" in warning.message


def test_settings_text_and_round_trip() -> None:
    option = next(f for f in cli_options() if f.name == "denominate")
    assert option.metadata["flag"] == "--denominate"
    parsed = parse_option(option, "crimes=population,scale:1e5; schools=area")
    assert parsed == {"crimes": {"by": "population", "scale": 1e5}, "schools": {"by": "area"}}
    settings = Settings(denominate=parsed).validate()
    data = json.loads(json.dumps(settings.to_dict()))
    assert data["denominate"] == {"crimes": {"by": "population", "scale": 100000.0}, "schools": {"by": "area"}}
    assert Settings.from_dict(data) == settings
    assert "denominate" not in Settings().to_dict()  # a release made before it keeps its hash
    assert parse_option(option, "") is None
    with pytest.raises(ValueError, match="--denominate takes INDICATOR=VALUE entries separated by ';'; got 'crimes'"):
        parse_option(option, "crimes")
    with pytest.raises(ValueError, match="--denominate: scale of 'crimes' must be a number; got 'lots'"):
        parse_option(option, "crimes=population,scale:lots")
    with pytest.raises(ValueError, match=r"denominate of 'crimes' must name its by; got \{'scale': 2.0\}"):
        Settings(denominate={"crimes": {"scale": 2}}).validate()
    with pytest.raises(ValueError, match=r"denominate scale of 'crimes' must be a number in \[1e-300, inf\]"):
        Settings(denominate={"crimes": {"by": "population", "scale": -1}}).validate()
