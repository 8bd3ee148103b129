from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from govlens.data import gtmi_recompute
from govlens.data.model import LoadedDataset
from govlens.framework.catalogue import load
from govlens.framework.model import Framework, Node, NodeKind


def small_framework() -> Framework:
    return Framework(
        id="mini",
        version="1",
        title={"en": "mini"},
        nodes=(
            Node("R", NodeKind.INDEX, {"en": "R"}),
            Node("A", NodeKind.PILLAR, {"en": "A"}, parent="R"),
            Node("B", NodeKind.PILLAR, {"en": "B"}, parent="R"),
            Node("a1", NodeKind.INDICATOR, {"en": "a1"}, parent="A", source="I-1"),  # scale 0-2
            Node("a2", NodeKind.INDICATOR, {"en": "a2"}, parent="A", source="I-35"),  # scale 0-3
            Node("b1", NodeKind.INDICATOR, {"en": "b1"}, parent="B", source="I-28"),  # scale 0-1
        ),
    )


VALUES = pd.DataFrame({"a1": [2.0, 1.0], "a2": [0.0, 3.0], "b1": [1.0, np.nan]}, index=["X", "Y"])


def test_scores_on_the_answer_scale_averaged_up_the_tree() -> None:
    framework = small_framework()
    scores = gtmi_recompute.compute_with_engine(VALUES, framework)
    # X: a1 2/2 = 1, a2 0/3 = 0 -> A 0.5; b1 1 -> B 1; R 0.75
    # Y: a1 1/2 = .5, a2 3/3 = 1 -> A .75; B missing -> R = A = .75 (weights renormalised over present)
    assert scores.loc["X", "A"] == pytest.approx(0.5)
    assert scores.loc["X", "R"] == pytest.approx(0.75)
    assert scores.loc["Y", "A"] == pytest.approx(0.75)
    assert bool(scores["B"].isna()["Y"])
    assert scores.loc["Y", "R"] == pytest.approx(0.75)


def test_not_published_cells_count_as_zero_only_when_asked(fixture_datasets: dict[str, LoadedDataset]) -> None:
    indicators = fixture_datasets["gtmi-indicators"]
    assert bool(gtmi_recompute.indicator_matrix(indicators)["I-16"].isna()["XKX"])
    zero = gtmi_recompute.indicator_matrix(indicators, not_published_as_zero=True)
    assert zero.loc["XKX", "I-16"] == 0.0
    assert bool(zero["I-26"].isna()["XKX"])  # an empty cell stays missing
    assert zero.loc["URY", "I-16"] == 0.81


def test_world_bank_cutoffs() -> None:
    assert [gtmi_recompute._group(v) for v in (0.75, 0.7499, 0.5, 0.25, 0.0)] == ["A", "B", "B", "C", "D"]
    assert gtmi_recompute._group(float("nan")) == ""


def test_equal_weight_baseline() -> None:
    values = pd.DataFrame({"p": [0.0, 2.0, 1.0], "q": [10.0, 20.0, 20.0]}, index=["u", "v", "w"])
    # p -> 0, 1, .5 ; q -> 0, 1, 1
    assert list(gtmi_recompute.equal_weight_baseline(values)) == [0.0, 1.0, 0.75]


def test_groups_by_rank_keep_the_published_sizes() -> None:
    scores = pd.Series([0.9, 0.1, 0.5, 0.7])
    published = pd.Series(["A", "B", "B", "C"])
    # sizes A 1, B 2, C 1; order by score: 0.9 (A), 0.7 (B), 0.5 (B), 0.1 (C)
    assert gtmi_recompute._groups_by_rank(scores, published) == ["A", "C", "B", "B"]


def test_bundled_framework_matches_the_world_bank_structure() -> None:
    framework = load("gtmi-2022")
    assert framework.root.id == "GTMI"
    areas = {node.id: len(framework.children(node.id)) for node in framework.children("GTMI")}
    assert areas == {"CGSI": 17, "PSDI": 9, "DCEI": 6, "GTEI": 16}
    assert [leaf.source for leaf in framework.leaves()] == [f"I-{n}" for n in range(1, 49)]
    assert all(set(node.label) == {"en", "es", "pt", "fr"} for node in framework.nodes)
    assert "World Bank" in framework.source and "0037889" in framework.source
    assert not framework.sections  # index-only


def test_real_recomputation_beats_the_equal_weight_baseline(real: dict[str, LoadedDataset]) -> None:
    framework = load("gtmi-2022")
    result = gtmi_recompute.recompute(framework, real["gtmi-indicators"], real["gtmi-scores"])
    assert result.n == 198
    assert result.dropped_indicators == ("I-26",)
    assert result.spearman > 0.98
    assert result.spearman > result.baseline_spearman
    assert result.group_agreement > 0.7
    assert result.group_agreement_by_rank > result.group_agreement
    lines = gtmi_recompute.summary_lines(result)
    assert any(line.startswith("Spearman rank correlation with the published GTMI: 0.98") for line in lines)
