"""The README's main job: `govlens demo` runs the review end to end and keeps its state under --home."""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from govlens.cli import app

pytestmark = pytest.mark.skipif(
    not os.environ.get("GOVLENS_DATA_MIRROR"), reason="needs the public-data mirror (GOVLENS_DATA_MIRROR)"
)


def test_demo_runs_the_review_under_the_given_home(tmp_path: Path) -> None:
    home = tmp_path / "state"
    result = CliRunner().invoke(app, ["--home", str(home), "demo", "--replications", "40", "--seed", "7"])
    assert result.exit_code == 0, result.output
    review = home / "outputs" / "demo" / "review"
    results = pd.read_csv(review / "results.csv")
    ranks = pd.read_csv(review / "ranks.csv")
    # every file of the synthetic review says it is synthetic
    assert set(results["data"]) == {"SYNTHETIC DEMO DATA: generated answers, not real country responses"}
    assert (review / "findings-en.md").read_text(encoding="utf-8").startswith("# Regional findings (SYNTHETIC")
    assert results["unit"].nunique() == 17
    assert {"LACDGR", "P1", "P6"} <= set(results["node"])
    index_ranks = ranks[ranks["node"] == "LACDGR"]
    assert (index_ranks["rank_p05"] <= index_ranks["median_rank"]).all()
    assert (index_ranks["median_rank"] <= index_ranks["rank_p95"]).all()
    assert index_ranks["rank_p05"].min() >= 1 and index_ranks["rank_p95"].max() <= 17
    assert sorted(index_ranks["nominal_rank"]) == list(range(1, 18))
    # the seed's headline shares come out of the calibrated synthetic answers
    assert "15 of 17, 88%" in result.output
    assert "16 of 17, 94%" in result.output
    assert "7 of 17, 41%" in result.output
    assert "Spearman rank correlation with the published GTMI" in result.output


def test_demo_is_reproducible_with_a_seed(tmp_path: Path) -> None:
    runs = []
    for name in ("a", "b"):
        out = tmp_path / name
        result = CliRunner().invoke(app, ["demo", "--out", str(out), "--replications", "20", "--seed", "11"])
        assert result.exit_code == 0, result.output
        runs.append(((out / "review" / "results.csv").read_bytes(), (out / "review" / "ranks.csv").read_bytes()))
    assert runs[0] == runs[1]
