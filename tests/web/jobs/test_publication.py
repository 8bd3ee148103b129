"""After the job: a draft visible to analysts only, the validation round with the countries (each focal point
sees only their own country; comments reach the analyst; publishing with open comments needs confirmation), the
public default of /results/, and every written file downloadable."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.test import Client
from django.utils import timezone

from govlens.release import publication_get
from govlens.web.audit.models import AuditEvent
from govlens.web.errors import Invalid, InvalidTransition, NotAllowed, NotFound
from govlens.web.jobs.models import ValidationReview
from govlens.web.jobs.publication import (
    release_publish,
    release_read,
    validation_items,
    validation_open,
    validation_resolve,
    validation_review,
    validation_view,
)
from govlens.web.jobs.services import release_job_run, release_request
from tests.web.conftest import World

from .conftest import CYCLE

RELEASE = "rel-2026-r1"


def _client(world: World, name: str | None) -> Client:
    client = Client()
    if name:
        client.force_login(world.users[name])
    return client


@pytest.fixture
def draft(approved: World) -> World:
    job = release_request(actor=approved.users["analyst"], cycle=CYCLE, languages=["en"], replications=50)
    assert release_job_run(job_id=job.pk) is not None
    return approved


@pytest.fixture
def in_validation(draft: World) -> World:
    validation_open(actor=draft.users["analyst"], release_id=RELEASE, deadline=timezone.localdate() + dt.timedelta(7))
    return draft


def test_a_draft_is_for_analysts_only_until_published(draft: World, job_folders: Path) -> None:
    assert _client(draft, None).get("/results/").status_code == 404  # nothing published yet
    assert _client(draft, None).get("/results/", {"release": RELEASE}).status_code == 404
    assert _client(draft, "focal_arg").get("/results/", {"release": RELEASE}).status_code == 404
    assert _client(draft, "analyst").get("/results/", {"release": RELEASE}).status_code == 200
    release_publish(actor=draft.users["analyst"], release_id=RELEASE)
    page = _client(draft, None).get("/results/")
    assert page.status_code == 200 and RELEASE in page.content.decode()
    event = AuditEvent.objects.get(object_type="release", object_id=RELEASE, new="published")
    assert event.actor == draft.users["analyst"]


@pytest.mark.parametrize("role", ["focal_arg", "reviewer_arg"])
def test_only_analysts_publish(draft: World, role: str) -> None:
    with pytest.raises(NotAllowed):
        release_publish(actor=draft.users[role], release_id=RELEASE)
    assert not publication_get(RELEASE, _releases(draft)).published


def test_every_written_file_is_downloadable_once_published(draft: World) -> None:
    analyst = _client(draft, "analyst")
    page = analyst.get(f"/jobs/releases/{RELEASE}/").content.decode()
    for name in ("report-en.html", "profile-ARG-en.html", "profile-BRA-en.html", "profile-CHL-en.html"):
        assert f"/results/files/{RELEASE}/{name}" in page
    assert analyst.get(f"/results/files/{RELEASE}/report-en.html").status_code == 200
    assert _client(draft, None).get(f"/results/files/{RELEASE}/report-en.html").status_code == 404  # a draft
    release_publish(actor=draft.users["analyst"], release_id=RELEASE)
    reply = _client(draft, None).get(f"/results/files/{RELEASE}/report-en.html")
    assert reply.status_code == 200 and RELEASE in b"".join(reply.streaming_content).decode()
    assert _client(draft, None).get(f"/results/files/{RELEASE}/..%2Fsecret").status_code == 404


def test_a_focal_point_sees_only_their_own_country(in_validation: World) -> None:
    view = validation_view(user=in_validation.users["focal_arg"], release_id=RELEASE, country="ARG")
    assert view["country"] == "ARG"
    with pytest.raises(NotAllowed):
        validation_view(user=in_validation.users["focal_arg"], release_id=RELEASE, country="BRA")
    assert _client(in_validation, "focal_arg").get(f"/jobs/releases/{RELEASE}/validation/ARG/").status_code == 200
    assert _client(in_validation, "focal_arg").get(f"/jobs/releases/{RELEASE}/validation/BRA/").status_code == 403
    assert _client(in_validation, "focal_bra").get(f"/jobs/releases/{RELEASE}/validation/ARG/").status_code == 403
    with pytest.raises(NotAllowed):
        validation_review(
            actor=in_validation.users["focal_arg"],
            release_id=RELEASE,
            country="BRA",
            item="profile",
            decision="accepted",
        )


def test_the_items_are_the_profile_and_the_statements_counting_the_country(in_validation: World) -> None:
    release = release_read(RELEASE)
    items = validation_items(release, "ARG")
    assert items[0].key == "profile" and "rank" in items[0].text
    assert all(item.key.startswith("statement:") for item in items[1:])


def test_comments_reach_the_analyst_and_open_ones_need_confirmation(in_validation: World) -> None:
    focal = in_validation.users["focal_arg"]
    review = validation_review(
        actor=focal, release_id=RELEASE, country="ARG", item="profile", decision="commented", comment="rank is wrong"
    )
    page = _client(in_validation, "analyst").get(f"/jobs/releases/{RELEASE}/").content.decode()
    assert "rank is wrong" in page and 'name="confirm_open_comments"' in page
    with pytest.raises(Invalid) as caught:
        release_publish(actor=in_validation.users["analyst"], release_id=RELEASE)
    assert [p["code"] for p in caught.value.problems] == ["validation_comments_open"]
    assert not publication_get(RELEASE, _releases(in_validation)).published
    # through the page: refused without the box, published with it
    analyst = _client(in_validation, "analyst")
    analyst.post(f"/jobs/releases/{RELEASE}/action", {"action": "publish"})
    assert not publication_get(RELEASE, _releases(in_validation)).published
    analyst.post(f"/jobs/releases/{RELEASE}/action", {"action": "publish", "confirm_open_comments": "yes"})
    assert publication_get(RELEASE, _releases(in_validation)).published
    assert ValidationReview.objects.get(pk=review.pk).open  # still open, and the publication says so
    event = AuditEvent.objects.get(object_type="release", object_id=RELEASE, new="published")
    assert "1 validation comments open (confirmed)" in event.note


def test_resolved_comments_let_the_release_be_published(in_validation: World) -> None:
    review = validation_review(
        actor=in_validation.users["focal_arg"],
        release_id=RELEASE,
        country="ARG",
        item="profile",
        decision="commented",
        comment="check the strategy answer",
    )
    with pytest.raises(Invalid):
        validation_resolve(actor=in_validation.users["analyst"], review_id=review.pk, resolution="replied")
    with pytest.raises(NotAllowed):
        validation_resolve(actor=in_validation.users["focal_arg"], review_id=review.pk, resolution="text_edited")
    validation_resolve(
        actor=in_validation.users["analyst"], review_id=review.pk, resolution="replied", reply="it is right"
    )
    release_publish(actor=in_validation.users["analyst"], release_id=RELEASE)
    assert publication_get(RELEASE, _releases(in_validation)).published
    fields = list(
        AuditEvent.objects.filter(object_type="validation_review", object_id=str(review.pk)).values_list("field", "new")
    )
    assert fields == [("profile", "commented"), ("resolution", "replied")]


def test_accepting_and_refusals_of_the_review(in_validation: World) -> None:
    focal = in_validation.users["focal_arg"]
    accepted = validation_review(actor=focal, release_id=RELEASE, country="ARG", item="profile", decision="accepted")
    assert not accepted.open
    with pytest.raises(Invalid) as caught:
        validation_review(actor=focal, release_id=RELEASE, country="ARG", item="nope", decision="commented")
    assert {p["code"] for p in caught.value.problems} == {"unknown_item", "comment_required"}


def test_the_round_closes_at_its_deadline_and_only_drafts_open_one(in_validation: World) -> None:
    from govlens.web.jobs.models import ValidationRound

    ValidationRound.objects.filter(release_id=RELEASE).update(deadline=timezone.localdate() - dt.timedelta(1))
    with pytest.raises(InvalidTransition, match="closed on"):
        validation_review(
            actor=in_validation.users["focal_arg"],
            release_id=RELEASE,
            country="ARG",
            item="profile",
            decision="accepted",
        )
    with pytest.raises(InvalidTransition):
        validation_open(
            actor=in_validation.users["analyst"], release_id=RELEASE, deadline=timezone.localdate() + dt.timedelta(3)
        )
    with pytest.raises(NotFound):
        validation_view(user=in_validation.users["analyst"], release_id="rel-2026-r9", country="ARG")


def _releases(world: World) -> Path:
    from govlens.web.jobs.services import release_directory

    return release_directory()


def test_the_validation_round_and_publishing_through_the_api(in_validation: World) -> None:
    from tests.web.conftest import Api

    url = f"/api/v1/releases/{RELEASE}/validation/ARG"
    focal = Api("focal_arg")
    items = focal.get(url).json()["items"]
    assert items[0]["key"] == "profile" and items[0]["decision"] is None
    assert Api("focal_bra").get(url).status_code == 403  # another country's focal point
    assert Api().get(url).status_code == 401
    answered = focal.post(url, {"item": "profile", "decision": "commented", "comment": "staff is 40, not 10"})
    assert answered.status_code == 200, answered.content
    assert answered.json()["items"][0]["comment"] == "staff is 40, not 10"
    assert focal.post(url, {"item": "profile"}).status_code == 400
    assert focal.post(f"/api/v1/releases/{RELEASE}/publish").status_code == 403
    analyst = Api("analyst")
    refused = analyst.post(f"/api/v1/releases/{RELEASE}/publish")
    assert refused.status_code == 422 and "validation_comments_open" in refused.content.decode()
    done = analyst.post(f"/api/v1/releases/{RELEASE}/publish", {"confirm_open_comments": True})
    assert done.status_code == 200 and done.json() == {"release": RELEASE, "state": "published"}
    assert analyst.post(f"/api/v1/releases/{RELEASE}/publish").status_code == 409
