"""Making a release: results equal to hand-worked scores, rank intervals, bit-for-bit recomputation, clear errors."""

from __future__ import annotations

import dataclasses
import json

import numpy as np
import pandas as pd
import pytest

from govlens.framework.model import Framework
from govlens.framework.yaml_io import framework_to_document
from govlens.index.settings import Settings as IndexSettings
from govlens.release import (
    Release,
    ReleaseError,
    ReleaseSettings,
    content_hash,
    create_release,
    recompute,
    same_numbers,
    verify,
)
from tests.release.conftest import ANSWERS, tiny_framework

# worked by hand in conftest.py: P1 = mean(I1, I2, I3), P2 = mean(I4, I5), IDX = mean(P1, P2)
EXPECTED_INDEX = {
    "ARG": (1 + (1 + 7 / 12) / 2) / 2,
    "BRA": ((1 + 0.5 + 0.5) / 3 + (1 + 4 / 15) / 2) / 2,
    "CHL": ((0 + 0.5 + 0) / 3 + (1 + 1) / 2) / 2,
    "COL": ((1 + 0 + 0) / 3 + 0) / 2,
    "MEX": ((0 + 0 + 0.5) / 3 + (0 + 13 / 60) / 2) / 2,
}
EXPECTED_INDEX_RANK = {"ARG": 1, "BRA": 2, "CHL": 3, "COL": 4, "MEX": 5}
# P1: ARG 1, BRA 2/3, COL 1/3, CHL and MEX 1/6 (tied, both rank 4)
EXPECTED_P1_RANK = {"ARG": 1, "BRA": 2, "COL": 3, "CHL": 4, "MEX": 4}


def test_results_are_the_hand_worked_scores(release: Release) -> None:
    for unit, expected in EXPECTED_INDEX.items():
        assert release.results.score(unit, "IDX") == pytest.approx(expected, abs=1e-12)
        assert release.results.rank(unit, "IDX") == EXPECTED_INDEX_RANK[unit]
        assert release.results.rank(unit, "P1") == EXPECTED_P1_RANK[unit]
    assert release.results.nodes[-1] == "IDX"
    assert release.results.units == ("ARG", "BRA", "CHL", "COL", "MEX")


def test_rank_intervals_are_kept_and_contain_the_median(release: Release) -> None:
    intervals = release.results.intervals
    assert intervals is not None
    assert len(intervals) == 5 * 8
    low, median, high = (intervals[column].to_numpy() for column in ("rank_p05", "median_rank", "rank_p95"))
    assert ((low >= 1) & (low <= median) & (median <= high) & (high <= 5)).all()
    # ARG leads every indicator of P1, so no weight change can move it from the top of P1
    assert release.results.interval("ARG", "P1") == (1.0, 1.0)


def test_inputs_record_framework_answers_and_synthetic_flag(release: Release, framework: Framework) -> None:
    inputs = release.inputs
    assert (inputs.framework_id, inputs.framework_version) == ("tiny-dgr", "2026.1")
    assert inputs.framework_fingerprint == framework.fingerprint()
    assert release.framework().fingerprint() == framework.fingerprint()
    assert inputs.synthetic is True
    assert release.synthetic_label("es") == "DATOS SINTÉTICOS (prueba)"
    assert release.synthetic_label("fr") == "SYNTHETIC DEMO DATA (test)"  # falls back to English
    # answers are typed: a space-separated selection becomes a tuple, numbers stay numbers
    assert inputs.answers["ARG"]["q_share"] == ("a", "b")
    assert inputs.answers["ARG"]["q_year"] == 2021
    assert "q_year" not in inputs.answers["COL"]


def test_recompute_gives_the_same_numbers_bit_for_bit(release: Release) -> None:
    again = recompute(release)
    assert again.hash == release.hash
    assert same_numbers(again.results.scores, release.results.scores)
    assert same_numbers(again.results.ranks, release.results.ranks)
    assert release.results.intervals is not None and again.results.intervals is not None
    assert np.array_equal(again.results.intervals.to_numpy(), release.results.intervals.to_numpy(), equal_nan=True)
    assert verify(release).valid


def test_a_release_with_a_weight_set_of_its_framework_recomputes_the_same() -> None:
    # the set "policy" weighs P1 3 and P2 1: IDX = (3 P1 + P2) / 4 (P1, P2 as in conftest.py)
    framework = dataclasses.replace(tiny_framework(), weight_sets={"policy": {"P1": 3.0}})
    settings = ReleaseSettings(index=IndexSettings(normalise="goalposts", weights="policy"))
    release = create_release(framework, ANSWERS, cycle="tiny-2026", settings=settings)
    assert release.results.weights["P1"] == 3.0 and release.results.weights["P2"] == 1.0
    arg = release.results.scores.loc["ARG", "IDX"]
    assert arg == pytest.approx((3 * 1 + (1 + 7 / 12) / 2) / 4)
    # the set travels in the release's framework document, so the release recomputes without the framework
    assert release.inputs.framework_document["weight_sets"] == {"policy": {"P1": 3}}
    again = recompute(release)
    assert again.hash == release.hash and same_numbers(again.results.scores, release.results.scores)


def test_verify_reports_a_tampered_number(release: Release) -> None:
    values = release.results.scores.to_numpy(dtype=float).copy()
    values[0, -1] = np.nextafter(values[0, -1], 2.0)  # ARG at IDX, one bit off
    scores = pd.DataFrame(values, index=release.results.scores.index, columns=release.results.scores.columns)
    results = dataclasses.replace(release.results, scores=scores)
    tampered = dataclasses.replace(
        release, results=results, hash=content_hash(release.inputs, release.settings, results)
    )
    report = verify(tampered)
    assert not report.valid
    assert any(p.code == "release_not_reproduced" and "ARG at IDX" in p.message for p in report.errors)


def test_unreadable_answers_are_reported_together(framework: Framework) -> None:
    bad = {"ARG": {"q_year": "soon", "q_staff": "many", "q_unknown": "x"}, "BRA": {"q_org": "yes"}}
    with pytest.raises(ReleaseError) as caught:
        create_release(framework, bad, cycle="tiny-2026")
    errors = caught.value.report.errors
    assert sorted(p.column or "" for p in errors) == ["q_staff", "q_year"]
    assert all(p.path == "ARG" for p in errors)


def test_bad_parameters_say_what_was_allowed(framework: Framework) -> None:
    with pytest.raises(ValueError, match="cycle must match"):
        create_release(framework, ANSWERS, cycle="bad cycle")
    with pytest.raises(ValueError, match="normalise must be one of"):
        create_release(framework, ANSWERS, cycle="c", settings=ReleaseSettings(index=IndexSettings(normalise="zscor")))


def test_framework_changed_under_the_same_version_is_detected(release: Release) -> None:
    other = tiny_framework(pillar_label="Governance (changed)")
    inputs = dataclasses.replace(
        release.inputs, framework_document=json.loads(json.dumps(framework_to_document(other)))
    )
    with pytest.raises(ReleaseError, match="fingerprint"):
        inputs.framework()


def test_a_sensitivity_analysis_is_kept_with_the_release_and_recomputed(framework: Framework) -> None:
    from govlens.framework.scoring import score_table
    from govlens.index.io import Dataset
    from govlens.index.tree import Tree
    from govlens.index.uncertainty import uncertainty
    from govlens.release import Release, UncertaintySettings

    design = UncertaintySettings(replications=50, seed=4, normalise=("minmax", "rank"), weight_range=0.3, sobol_base=16)
    made = create_release(framework, ANSWERS, cycle="tiny-2026", settings=ReleaseSettings(uncertainty=design),
                          release_id="tiny-2026-r1", created="2026-11-28T08:00:00Z")
    sensitivity = made.results.sensitivity
    assert sensitivity is not None and list(sensitivity["input"]) == ["normalise", "weights"]
    # the engine's own Sobol indices for the same design, stored as they are
    engine = uncertainty(Dataset.from_frame(score_table(framework, ANSWERS)), Tree.from_framework(framework),
                         made.settings.index, design, sobol_base=16).sensitivity
    assert engine is not None
    assert np.array_equal(sensitivity.iloc[:, 1:].to_numpy(dtype=float), engine.iloc[:, 1:].to_numpy(dtype=float),
                          equal_nan=True)
    read = Release.from_dict(json.loads(json.dumps(made.to_dict())))
    assert read.results.sensitivity is not None and read.results.sensitivity.equals(sensitivity)
    assert recompute(made).hash == made.hash and verify(made).valid
    # a release without one writes no such key: the results of releases made before keep their hash
    assert "sensitivity" not in create_release(framework, ANSWERS, cycle="tiny-2026").results.to_dict()
