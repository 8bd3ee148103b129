"""The gates of a release in the core: countries not approved refuse it unless it is made partial on purpose
(recorded, hashed, read back); fewer than two countries scored refuse it outright."""

from __future__ import annotations

from pathlib import Path

import pytest

from govlens.framework.model import Framework
from govlens.release import MIN_SCORED, ReleaseError, create_release, read_release, save_release, write_release
from tests.release.conftest import ANSWERS

TWO = {unit: ANSWERS[unit] for unit in ("ARG", "BRA")}


def test_a_country_not_approved_refuses_the_release_and_is_named(framework: Framework) -> None:
    with pytest.raises(ReleaseError) as caught:
        create_release(framework, TWO, cycle="gate", not_approved={"CHL": "submitted", "COL": "draft"})
    problems = caught.value.report.errors
    assert [(p.code, p.path) for p in problems] == [("release_not_approved", "CHL"), ("release_not_approved", "COL")]
    assert "status: submitted" in problems[0].message and "2 of 4 countries" in problems[0].message


def test_partial_on_purpose_is_made_recorded_and_read_back(framework: Framework, tmp_path: Path) -> None:
    made = create_release(framework, TWO, cycle="gate", partial=True, not_approved={"COL": "draft"}, created="x")
    assert made.partial and dict(made.not_approved) == {"COL": "draft"}
    again = read_release(write_release(made, tmp_path / "r.json"))
    assert again.partial and dict(again.not_approved) == {"COL": "draft"} and again.hash == made.hash
    complete = create_release(framework, TWO, cycle="gate", created="x")
    assert not complete.partial and complete.hash != made.hash  # the label is part of the content


def test_partial_without_missing_countries_is_a_complete_release(framework: Framework) -> None:
    made = create_release(framework, TWO, cycle="gate", partial=True, created="x")
    assert not made.partial
    assert "partial" not in made.inputs.to_dict()  # complete releases keep the hash they always had


def test_fewer_than_two_scored_countries_are_refused_outright(framework: Framework) -> None:
    with pytest.raises(ReleaseError) as caught:
        create_release(framework, {"ARG": ANSWERS["ARG"]}, cycle="gate", partial=True, min_scored=MIN_SCORED)
    assert caught.value.report.codes() == ["release_too_few_scored"]
    # min-max normalisation of one country leaves every score empty: the release the issue saw published
    assert "this one would have 0 (none) of 1 with answers" in str(caught.value)


def test_two_scored_countries_are_enough(framework: Framework) -> None:
    made = create_release(framework, TWO, cycle="gate", min_scored=MIN_SCORED)
    save_release(made)
    assert made.results.units == ("ARG", "BRA")
