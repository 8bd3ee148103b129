"""The content hash: SHA-256 of the content without the creation time; any change of an answer changes it."""

from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from govlens.framework.model import Framework
from govlens.release import (
    Release,
    content_hash,
    create_release,
)
from tests.release.conftest import ANSWERS, tiny_framework


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
