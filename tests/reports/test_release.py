"""Releases: results equal to hand-worked scores, a stable content hash, bit-for-bit recomputation, storage."""

from __future__ import annotations

import dataclasses
import json
import random
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from govlens.framework.model import Framework
from govlens.framework.yaml_io import framework_to_document
from govlens.index.pipeline import Settings as IndexSettings
from govlens.reports.release import (
    Release,
    ReleaseError,
    ReleaseNotFound,
    ReleaseSettings,
    content_hash,
    create_release,
    list_releases,
    load_release,
    next_release_id,
    read_release,
    recompute,
    releases_dir,
    same_numbers,
    save_release,
    verify,
    write_release,
)
from tests.reports.conftest import ANSWERS, tiny_framework

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


def test_hash_is_sha256_of_content_without_the_creation_time(release: Release, framework: Framework) -> None:
    assert len(release.hash) == 64 and int(release.hash, 16) >= 0
    assert release.hash == content_hash(release.inputs, release.settings, release.results)
    again = create_release(
        framework,
        ANSWERS,
        cycle="tiny-2026",
        release_id="tiny-2026-r9",
        settings=release.settings,
        synthetic=True,
        synthetic_label=dict(release.inputs.synthetic_label),
        created="2030-01-01T00:00:00Z",
    )
    assert again.hash == release.hash


def test_hash_changes_when_an_answer_changes(release: Release, framework: Framework) -> None:
    changed = {unit: dict(answers) for unit, answers in ANSWERS.items()}
    changed["MEX"]["q_org"] = "yes"
    other = create_release(
        framework,
        changed,
        cycle="tiny-2026",
        release_id="tiny-2026-r3",
        settings=release.settings,
        synthetic=True,
        synthetic_label=dict(release.inputs.synthetic_label),
        created=release.created,
    )
    assert other.hash != release.hash


def test_recompute_gives_the_same_numbers_bit_for_bit(release: Release) -> None:
    again = recompute(release)
    assert again.hash == release.hash
    assert same_numbers(again.results.scores, release.results.scores)
    assert same_numbers(again.results.ranks, release.results.ranks)
    assert release.results.intervals is not None and again.results.intervals is not None
    assert np.array_equal(again.results.intervals.to_numpy(), release.results.intervals.to_numpy(), equal_nan=True)
    assert verify(release).valid


def test_recompute_after_a_round_trip_through_the_file(release: Release, tmp_path: Path) -> None:
    path = write_release(release, tmp_path / "r.json")
    read = read_release(path)
    assert read.hash == release.hash
    assert read.created == release.created
    assert same_numbers(read.results.scores, release.results.scores)
    again = recompute(read)
    assert same_numbers(again.results.scores, read.results.scores)
    assert again.hash == read.hash


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


def test_a_changed_file_is_refused(release: Release, tmp_path: Path) -> None:
    path = write_release(release, tmp_path / "r.json")
    data = json.loads(path.read_text(encoding="utf-8"))
    data["results"]["scores"]["values"][0][0] = 0.5
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(ReleaseError) as caught:
        read_release(path)
    assert caught.value.report.codes() == ["release_hash_mismatch"]


def test_save_list_latest_and_next_id(release: Release, plain_release: Release) -> None:
    assert next_release_id("tiny-2026") == "tiny-2026-r1"
    save_release(release)
    save_release(plain_release)
    assert (releases_dir() / "tiny-2026-r1.json").is_file()
    assert next_release_id("tiny-2026") == "tiny-2026-r3"
    assert [release_id for release_id, _ in list_releases()] == ["tiny-2026-r1", "tiny-2026-r2"]
    assert load_release("latest").id == "tiny-2026-r2"  # created an hour later
    assert load_release("tiny-2026-r1").hash == release.hash
    with pytest.raises(ReleaseNotFound, match="tiny-2026-r1, tiny-2026-r2"):
        load_release("tiny-2026-r7")


def test_latest_without_releases_says_so() -> None:
    with pytest.raises(ReleaseNotFound, match="no release yet"):
        load_release("latest")


def test_saving_other_content_under_an_existing_id_is_refused(release: Release, plain_release: Release) -> None:
    save_release(release)
    save_release(release)  # the same content again is fine
    clash = dataclasses.replace(plain_release, id=release.id)
    with pytest.raises(ReleaseError, match="correction is a new release"):
        save_release(clash)


def test_default_id_is_the_next_of_the_cycle(framework: Framework, release: Release) -> None:
    save_release(release)
    made = create_release(framework, ANSWERS, cycle="tiny-2026")
    assert made.id == "tiny-2026-r2"


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


@settings(max_examples=15)
@given(st.permutations(list(ANSWERS)), st.randoms(use_true_random=False))
def test_hash_does_not_depend_on_the_order_answers_arrive_in(units: list[str], shuffle: random.Random) -> None:
    framework = tiny_framework()
    reordered = {}
    for unit in units:
        questions = list(ANSWERS[unit])
        shuffle.shuffle(questions)
        reordered[unit] = {name: ANSWERS[unit][name] for name in questions}
    made = create_release(framework, reordered, cycle="order", release_id="order-r1", created="x")
    again = create_release(framework, ANSWERS, cycle="order", release_id="order-r1", created="y")
    assert made.results.units == ("ARG", "BRA", "CHL", "COL", "MEX")  # sorted by code
    assert made.hash == again.hash
