"""The analysis figures and tables of a computed index: shares of the weights, correlations, rank intervals and
Sobol indices as given, in the language asked for, names kept as text."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import numpy as np
import pandas as pd
import pytest

from govlens.index.audit import audit
from govlens.index.pipeline import IndexResult, compute
from govlens.index.tree import Tree, TreeNode
from govlens.reports.index_analysis import AnalysisData, analysis_figures, analysis_from_result, audit_tables

SVG = "{http://www.w3.org/2000/svg}"
SCRIPT = "<script>alert(1)</script>"

TREE = Tree(
    [
        TreeNode("IDX", None, 1, 1, "Index"),
        TreeNode("P1", "IDX", 1, 1, "Pillar 1"),
        TreeNode("P2", "IDX", 1, 1, "Pillar 2"),
        TreeNode("a", "P1", 1, 1, "A"),
        TreeNode("b", "P1", 1, -1, "B"),
        TreeNode("c", "P2", 2, 1, "C"),
        TreeNode("d", "P2", 1, 1, "D"),
    ]
)
DATA = pd.DataFrame(
    {"a": [1, 2, 3, 4, 2.5], "b": [10, 20, 30, 5, 12], "c": [0.5, np.nan, 0.9, 0.1, 0.3], "d": [3, 4, 5, np.nan, 4]},
    index=pd.Index(["ARG", "BRA", "CHL", "MEX", "PER"], name="unit"),
)


@pytest.fixture
def result() -> IndexResult:
    return compute(DATA, TREE)


def test_framework_rows_give_each_weight_and_share(result: IndexResult) -> None:
    rows = {row["id"]: row for row in analysis_figures(analysis_from_result(result))["framework"]["rows"]}
    assert list(rows) == ["P1", "P2", "a", "b", "c", "d"]  # level by level, in the tree's order
    assert (rows["c"]["of_parent"], rows["c"]["of_index"]) == ("66.7%", "33.3%")
    assert (rows["a"]["parent"], rows["a"]["of_index"]) == ("Pillar 1", "25.0%")
    spanish = analysis_figures(analysis_from_result(result, language="es"))["framework"]
    assert {row["id"]: row["of_index"] for row in spanish["rows"]}["c"] == "33,3%"
    assert "del índice" in str(spanish["svg"])


def test_correlations_are_pearson_of_each_indicator_with_the_pillars_and_the_index(result: IndexResult) -> None:
    figure = analysis_figures(analysis_from_result(result))["correlations"]
    assert [node for node, _ in figure["columns"]] == ["P1", "P2", "IDX"]
    scores = result.scores
    for row in figure["rows"]:
        for node, text in zip(("P1", "P2", "IDX"), row["values"], strict=True):
            both = scores[[row["id"], node]].dropna()
            expected = np.corrcoef(both.iloc[:, 0], both.iloc[:, 1])[0, 1]
            assert text == f"{expected:.2f}"


def test_ranks_and_sensitivity_only_with_their_analyses(result: IndexResult) -> None:
    plain = analysis_figures(analysis_from_result(result))
    assert plain["ranks"] is None and plain["sensitivity"] is None
    intervals = pd.DataFrame(
        {"nominal_rank": [2.0, 1.0], "median_rank": [1.5, 2.0], "rank_p05": [1.0, 1.0], "rank_p95": [3.0, 4.5]},
        index=pd.Index(["ARG", "BRA"], name="unit"),
    )
    sensitivity = pd.DataFrame(
        {
            "input": ["impute", "weights"],
            "first_order": [0.1, 0.5],
            "first_order_conf": [0.02, 0.1],
            "total_order": [0.2, np.nan],
            "total_order_conf": [0.03, np.nan],
        }
    )
    data = AnalysisData(
        tree=TREE,
        weights={},
        scores=result.scores,
        language="es",
        names={"ARG": SCRIPT},
        intervals=intervals,
        sensitivity=sensitivity,
    )
    figures = analysis_figures(data)
    ranks = figures["ranks"]
    assert [row["unit"] for row in ranks["rows"]] == ["ARG", "BRA"]  # by median rank
    assert ranks["rows"][1] == {
        "unit": "BRA", "name": "BRA", "nominal": "1", "median": "2", "low": "1", "high": "4,5"
    }
    root = ET.fromstring(str(ranks["svg"]))
    assert (root.findtext(f"{SVG}g/{SVG}title") or "").startswith(SCRIPT + ": ")
    assert "<script>" not in str(ranks["svg"])
    rows = figures["sensitivity"]["rows"]
    assert [(row["label"], row["first"], row["total"]) for row in rows] == [
        ("imputación", "0,10 ± 0,02", "0,20 ± 0,03"),
        ("ponderaciones", "0,50 ± 0,10", "–"),
    ]


def test_audit_tables_word_the_flags_and_treatments(result: IndexResult) -> None:
    report = audit(result, weak_below=0.99)
    tables = audit_tables(report, analysis_from_result(result, language="fr"))
    assert {row["node"] for row in tables["reliability"]} == {"Pillar 1", "Pillar 2", "Index"}
    assert tables["flags"] and {row["flag"] for row in tables["flags"]} <= {"négative", "faible"}
    assert [row["node"] for row in tables["statistics"]] == ["A", "B", "C", "D"]
    assert {row["action"] for row in tables["treatment"]} == {"non traité"}


def test_audit_tables_give_each_component_s_correlations_with_p_values(result: IndexResult) -> None:
    report = audit(result)
    tables = audit_tables(report, analysis_from_result(result, language="es"))
    rows = {(row["node"], row["parent"]): row for row in tables["correlations"]}
    assert set(rows) == {
        ("A", "Pillar 1"),
        ("B", "Pillar 1"),
        ("C", "Pillar 2"),
        ("D", "Pillar 2"),
        ("Pillar 1", "Index"),
        ("Pillar 2", "Index"),
    }
    # the numbers are the audit's, in Spanish (decimal comma); p-values below 0.001 are written as a bound
    parent = report.correlations.set_index(["node", "other"]).loc[("a", "P1")]
    row = rows[("A", "Pillar 1")]
    assert row["n"] == int(parent["n"]) == 5
    assert row["r"] == f"{parent['r']:.2f}".replace(".", ",")
    assert row["kendall_p"] == f"{parent['kendall_p']:.3f}".replace(".", ",") or row["kendall_p"] == "< 0,001"


def test_the_method_names_every_uncertain_input_the_engine_varies() -> None:
    from govlens.index.settings import UncertaintySettings
    from govlens.reports.render import uncertainty_text

    design = UncertaintySettings(
        replications=10, treat=("none", "winsorise"), coverage_threshold=(0.0, 0.5), weight_range=0.2, sobol_base=8
    )
    assert uncertainty_text(design, "en") == (
        "10 Monte Carlo replications (seed 0); uncertain inputs: treatment of outliers, coverage threshold, "
        "weights ±0.20; Sobol sensitivity analysis with 8 base samples"
    )
    # one option is no choice: the engine does not vary it
    assert "treatment" not in uncertainty_text(UncertaintySettings(treat=("winsorise",), weight_range=0.1), "en")
    assert uncertainty_text(None, "en") == ""
    drawn = UncertaintySettings(
        replications=5, winmax=(3, 5), skew_thresh=(1.0, 2.0), weight_sets=("framework", "equal")
    )
    assert uncertainty_text(drawn, "es").endswith(
        "límite de puntos winsorizados, umbral de asimetría del tratamiento, elección de ponderaciones"
    )
