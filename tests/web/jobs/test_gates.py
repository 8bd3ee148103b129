"""The gates of the web's publish path: countries not approved (named with their status), a partial release only
on purpose (the page's confirmed checkbox), fewer than two countries refused outright; the worker notice."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.test import Client

from govlens.release import load_release
from govlens.web.errors import Invalid
from govlens.web.jobs.models import ReleaseJob
from govlens.web.jobs.services import release_job_run, release_request
from govlens.web.jobs.worker import worker_seen
from tests.web.conftest import World

from .conftest import CYCLE, fill


def _analyst(world: World) -> Client:
    client = Client()
    client.force_login(world.users["analyst"])
    return client


def test_a_country_not_approved_refuses_the_release_naming_it(partly_approved: World) -> None:
    with pytest.raises(Invalid) as caught:
        release_request(actor=partly_approved.users["analyst"], cycle=CYCLE, languages=["en"], replications=50)
    assert "COL (draft)" in caught.value.message
    assert [(p["code"], p["country"]) for p in caught.value.problems] == [("release_not_approved", "COL")]
    assert ReleaseJob.objects.count() == 0


def test_partial_on_purpose_is_made_and_labelled(partly_approved: World, job_folders: Path) -> None:
    job = release_request(
        actor=partly_approved.users["analyst"], cycle=CYCLE, languages=["en"], replications=50, partial=True
    )
    assert (job.partial, job.not_approved, job.countries) == (True, {"COL": "draft"}, ["ARG", "BRA", "CHL"])
    done = release_job_run(job_id=job.pk)
    assert done is not None
    release = load_release(done.release_id, job_folders / "releases")
    assert release.partial and dict(release.not_approved) == {"COL": "draft"}
    # labelled partial in every output: the report and the profiles, the dashboard, the exports
    label = "PARTIAL RELEASE: made before every country was approved; not included: COL (draft)."
    for name in done.files:
        assert label in (job_folders / "outputs" / done.release_id / name).read_text(encoding="utf-8"), name
    page = _analyst(partly_approved).get("/results/", {"release": done.release_id}).content.decode()
    assert 'data-partial="1"' in page and "not included: COL (draft)" in page
    from govlens.reports.exports import readme_rows

    assert ("partial", "yes") in readme_rows(release)


def test_a_complete_cycle_makes_a_complete_release(approved: World) -> None:
    job = release_request(actor=approved.users["analyst"], cycle=CYCLE, languages=["en"], replications=50)
    assert (job.partial, job.not_approved) == (False, {})


def test_fewer_than_two_approved_countries_are_refused_outright(empty_cycle: World) -> None:
    fill(empty_cycle, "ARG")
    for partial in (False, True):
        with pytest.raises(Invalid) as caught:
            release_request(actor=None, cycle=CYCLE, languages=["en"], replications=50, partial=partial)
        assert [p["code"] for p in caught.value.problems] == ["release_too_few_scored"]
    assert ReleaseJob.objects.count() == 0


def test_the_publish_page_names_the_countries_and_needs_the_checkbox(partly_approved: World) -> None:
    client = _analyst(partly_approved)
    page = client.get(f"/jobs/cycles/{CYCLE}/publish").content.decode()
    assert 'id="not-approved"' in page and "COL (Draft)" in page and 'name="partial"' in page
    refused = client.post(f"/jobs/cycles/{CYCLE}/publish", {"languages": ["en"], "replications": "50"})
    assert refused.status_code == 422 and ReleaseJob.objects.count() == 0
    made = client.post(f"/jobs/cycles/{CYCLE}/publish", {"languages": ["en"], "replications": "50", "partial": "yes"})
    assert made.status_code == 302
    assert ReleaseJob.objects.get().partial


def test_the_publish_page_says_when_no_worker_runs(approved: World) -> None:
    client = _analyst(approved)
    page = client.get(f"/jobs/cycles/{CYCLE}/publish").content.decode()
    assert 'id="no-worker"' in page and "govlens worker" in page and "govlens serve --with-worker" in page
    worker_seen("host:1:abc")
    page = client.get(f"/jobs/cycles/{CYCLE}/publish").content.decode()
    assert 'id="no-worker"' not in page


def test_the_web_release_uses_the_one_default_settings_and_records_them(approved: World, job_folders: Path) -> None:
    from govlens.release import release_settings_for

    job = release_request(actor=None, cycle=CYCLE, languages=["en"], replications=50, seed=4)
    done = release_job_run(job_id=job.pk)
    assert done is not None
    release = load_release(done.release_id, job_folders / "releases")
    assert release.settings == release_settings_for(50, 4)  # what the demo uses too
    assert release.settings.index.normalise == "goalposts"
    assert all(release.results.score(unit, "IDX") is not None for unit in release.results.units)
