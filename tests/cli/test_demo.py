"""The README's main job: `govlens demo` runs the review end to end and keeps its state under --home."""

from __future__ import annotations

import json
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
    demo = home / "outputs" / "demo"
    results = pd.read_csv(demo / "review" / "results.csv")
    # the release is kept under the home folder and named by every exported row
    releases = sorted((home / "releases").glob("*.json"))
    assert [p.stem for p in releases] == ["lac-demo-2026-r1", "lac-demo-2028-r1"]  # the review and its follow-up
    assert set(results["release"]) == {"lac-demo-2026-r1"}
    # every file of the synthetic review says it is synthetic
    assert set(results["synthetic"]) == {True}
    assert "SYNTHETIC" in (demo / "review" / "results.sdmx.csv").read_text(encoding="utf-8")
    assert results["unit"].nunique() == 17
    index = results[results["node"] == "LACDGR"]
    assert sorted(index["rank"]) == list(range(1, 18))
    assert (index["rank_p05"] <= index["rank_p95"]).all()
    # reports and profiles in English and Spanish, HTML and PDF, each naming the release and the synthetic data
    reports = demo / "reports"
    for language in ("en", "es"):
        html = (reports / f"report-{language}.html").read_text(encoding="utf-8")
        assert "lac-demo-2026-r1" in html
        assert "SINTÉTICOS" in html if language == "es" else "SYNTHETIC" in html
        assert (reports / f"report-{language}.pdf").read_bytes().startswith(b"%PDF")
    assert len(list(reports.glob("profile-*-en.pdf"))) == 3
    # the seed's headline shares come out of the calibrated synthetic answers
    assert "15 of 17, 88%" in result.output
    assert "16 of 17, 94%" in result.output
    assert "7 of 17, 41%" in result.output
    assert "follow the seed's direction on 43 of 43 findings" in result.output
    assert "Spearman rank correlation with the published GTMI" in result.output
    # the follow-up: synthetic plans, a second cycle, and its report's progress section per theme
    plans = json.loads((demo / "follow-up" / "plans.json").read_text(encoding="utf-8"))
    assert plans["synthetic"] is True and {p["country"] for p in plans["plans"]} == {"ARG", "BRA", "CHL", "MEX"}
    assert all(p["synthetic"] for p in plans["plans"])
    follow = (demo / "follow-up" / "report-en.html").read_text(encoding="utf-8")
    assert "lac-demo-2028-r1" in follow and follow.count('class="progress"') >= 3
    assert "synthetic demo plans" in follow and "Reported implemented by" in follow
    assert "SYNTHETIC action plans (ARG, BRA, CHL, MEX)" in result.output


def test_demo_is_reproducible_with_a_seed(tmp_path: Path) -> None:
    runs = []
    for name in ("a", "b"):
        out = tmp_path / name
        home = str(tmp_path / f"home-{name}")
        args = ["--home", home, "demo", "--out", str(out), "--replications", "20", "--seed", "11"]
        result = CliRunner().invoke(app, args)
        assert result.exit_code == 0, result.output
        runs.append((out / "review" / "results.csv").read_bytes() + (out / "follow-up" / "plans.json").read_bytes())
    assert runs[0] == runs[1]
