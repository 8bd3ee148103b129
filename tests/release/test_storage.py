"""Release files: round trip, a changed file refused, ids, ``latest``, immutability."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from govlens.framework.model import Framework
from govlens.release import (
    Release,
    ReleaseError,
    ReleaseNotFound,
    create_release,
    list_releases,
    load_release,
    next_release_id,
    read_release,
    recompute,
    releases_dir,
    same_numbers,
    save_release,
    write_release,
)
from tests.release.conftest import ANSWERS


def test_recompute_after_a_round_trip_through_the_file(release: Release, tmp_path: Path) -> None:
    path = write_release(release, tmp_path / "r.json")
    read = read_release(path)
    assert read.hash == release.hash
    assert read.created == release.created
    assert same_numbers(read.results.scores, release.results.scores)
    again = recompute(read)
    assert same_numbers(again.results.scores, read.results.scores)
    assert again.hash == read.hash


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
