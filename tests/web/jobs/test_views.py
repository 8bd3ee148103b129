"""The "Publish a release" page of a cycle and the job status page."""

from __future__ import annotations

import re

from django.test import Client
from django.utils import translation

from govlens.web.jobs.models import ReleaseJob
from govlens.web.jobs.services import release_request
from govlens.web.jobs.worker import worker_run
from tests.web.conftest import World

from .conftest import CYCLE

PUBLISH = f"/jobs/cycles/{CYCLE}/publish"


def _client(world: World, username: str, *, csrf: bool = False) -> Client:
    client = Client(enforce_csrf_checks=csrf)
    client.force_login(world.users[username])
    return client


def _token(html: str) -> str:
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    assert match is not None
    return match.group(1)


def test_the_cycle_page_links_to_publishing_for_analysts_only(approved: World) -> None:
    link = f'href="{PUBLISH}"'
    assert link in _client(approved, "analyst").get(f"/cycles/{CYCLE}/").content.decode()
    page = _client(approved, "focal_arg").get(f"/cycles/{CYCLE}/")
    assert page.status_code == 200 and link not in page.content.decode()


def test_the_publish_page_is_for_analysts_and_administrators(approved: World) -> None:
    for username in ("analyst", "admin"):
        page = _client(approved, username).get(PUBLISH)
        assert page.status_code == 200
        assert 'method="post"' in page.content.decode()
    for username in ("focal_arg", "reviewer_arg"):
        assert _client(approved, username).get(PUBLISH).status_code == 403
        assert _client(approved, username).post(PUBLISH, {"languages": ["en"]}).status_code == 403
    anonymous = Client().get(PUBLISH)
    assert anonymous.status_code == 302 and "/login/" in anonymous["Location"]
    assert ReleaseJob.objects.count() == 0


def test_publishing_needs_the_csrf_token(approved: World) -> None:
    client = _client(approved, "analyst", csrf=True)
    form = {"languages": ["en"], "replications": "50", "seed": "0"}
    assert client.post(PUBLISH, form).status_code == 403
    assert ReleaseJob.objects.count() == 0
    token = _token(client.get(PUBLISH).content.decode())
    reply = client.post(PUBLISH, {**form, "csrfmiddlewaretoken": token})
    job = ReleaseJob.objects.get()
    assert reply.status_code == 302 and reply["Location"] == f"/jobs/{job.pk}/"
    assert (job.languages, job.replications, job.requested_by) == (["en"], 50, approved.users["analyst"])


def test_publishing_without_approved_answers_says_why(empty_cycle: World) -> None:
    page = _client(empty_cycle, "analyst").post(PUBLISH, {"languages": ["en"], "replications": "50"})
    assert page.status_code == 422
    assert "no approved response" in page.content.decode()
    assert ReleaseJob.objects.count() == 0


def test_bad_numbers_are_reported_on_the_page(approved: World) -> None:
    page = _client(approved, "analyst").post(PUBLISH, {"languages": ["en"], "replications": "many"})
    assert page.status_code == 422
    assert "replications must be a whole number" in page.content.decode()


def test_the_job_page_shows_progress_then_links_to_the_dashboard(approved: World) -> None:
    job = release_request(actor=approved.users["analyst"], cycle=CYCLE, languages=["en"], replications=50)
    client = _client(approved, "analyst")
    queued = client.get(f"/jobs/{job.pk}/").content.decode()
    assert "Queued" in queued and "jobs/job.js" in queued and f'data-url="/jobs/{job.pk}.json"' in queued
    state = client.get(f"/jobs/{job.pk}.json").json()
    assert (state["status"], state["finished"], state["release"]) == ("queued", False, None)

    worker_run(once=True)
    done = client.get(f"/jobs/{job.pk}/").content.decode()
    assert "Succeeded" in done and "jobs/job.js" not in done
    assert 'href="/results/?release=rel-2026-r1"' in done
    state = client.get(f"/jobs/{job.pk}.json").json()
    assert (state["status"], state["finished"], state["release"], state["percent"]) == (
        "succeeded",
        True,
        "rel-2026-r1",
        100,
    )
    assert len(state["files"]) == 4
    listing = client.get(PUBLISH).content.decode()
    assert f'href="/jobs/{job.pk}/"' in listing and "rel-2026-r1" in listing


def test_the_job_pages_are_for_analysts_and_administrators(approved: World) -> None:
    job = release_request(actor=None, cycle=CYCLE, languages=["en"], replications=50)
    focal = _client(approved, "focal_arg")
    assert focal.get(f"/jobs/{job.pk}/").status_code == 403
    reply = focal.get(f"/jobs/{job.pk}.json")
    assert reply.status_code == 403 and reply.json()["error"]["code"] == "forbidden"
    assert _client(approved, "admin").get(f"/jobs/{job.pk + 1}/").status_code == 404


def test_the_job_page_is_translated(approved: World) -> None:
    job = release_request(actor=None, cycle=CYCLE, languages=["en"], replications=50)
    client = _client(approved, "analyst")
    with translation.override("es"):
        page = client.get(f"/jobs/{job.pk}/", headers={"Accept-Language": "es"}).content.decode()
    assert f"Trabajo de publicación n.º {job.pk}" in page
    assert "En cola" in page


def test_the_admin_lists_release_jobs_read_only(approved: World) -> None:
    job = release_request(actor=None, cycle=CYCLE, languages=["en"], replications=50)
    analyst = _client(approved, "analyst")
    listing = analyst.get("/admin/jobs/releasejob/")
    assert listing.status_code == 200 and f"/admin/jobs/releasejob/{job.pk}/change/" in listing.content.decode()
    assert analyst.get("/admin/jobs/releasejob/add/").status_code == 403
    refused = _client(approved, "focal_arg").get("/admin/jobs/releasejob/")
    assert refused.status_code == 302 and refused["Location"].startswith("/admin/login/")
