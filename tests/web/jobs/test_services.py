"""Requesting a release: who may, what is refused, what is queued and audited."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django_tasks_db.models import DBTaskResult

from govlens.web.audit.models import AuditEvent
from govlens.web.errors import Invalid, NotAllowed, NotFound
from govlens.web.jobs.models import ReleaseJob
from govlens.web.jobs.services import release_job_claim, release_request
from tests.web.conftest import World

from .conftest import CYCLE


@pytest.mark.parametrize("role", ["analyst", "admin"])
def test_analysts_and_administrators_may_request_a_release(approved: World, role: str) -> None:
    job = release_request(actor=approved.users[role], cycle=CYCLE, languages=["en"], replications=50, seed=7)
    stored = ReleaseJob.objects.get(pk=job.pk)
    assert (stored.status, stored.replications, stored.seed, stored.languages) == ("queued", 50, 7, ["en"])
    assert stored.requested_by == approved.users[role]
    # every country of the cycle is approved: a complete release
    assert stored.countries == ["ARG", "BRA", "CHL"]
    assert stored.formats == ["html"]


def test_the_system_may_request_a_release(approved: World) -> None:
    job = release_request(actor=None, cycle=CYCLE, replications=50)
    assert job.requested_by is None
    assert job.languages == ["en", "es"]


@pytest.mark.parametrize("role", ["focal_arg", "reviewer_arg", "focal_bra"])
def test_other_roles_may_not_request_a_release(approved: World, role: str) -> None:
    with pytest.raises(NotAllowed):
        release_request(actor=approved.users[role], cycle=CYCLE, replications=50)
    assert ReleaseJob.objects.count() == 0
    assert DBTaskResult.objects.count() == 0


def test_anonymous_visitors_may_not_request_a_release(approved: World) -> None:
    with pytest.raises(NotAllowed):
        release_request(actor=AnonymousUser(), cycle=CYCLE, replications=50)


def test_a_cycle_without_approved_responses_is_refused(empty_cycle: World) -> None:
    with pytest.raises(Invalid) as caught:
        release_request(actor=empty_cycle.users["analyst"], cycle=CYCLE, replications=50)
    assert "no approved response" in caught.value.message
    assert [p["code"] for p in caught.value.problems] == ["nothing_approved"]
    assert ReleaseJob.objects.count() == 0
    assert DBTaskResult.objects.count() == 0
    assert not AuditEvent.objects.filter(object_type="release_job").exists()


def test_an_unknown_cycle_is_not_found(approved: World) -> None:
    with pytest.raises(NotFound):
        release_request(actor=approved.users["analyst"], cycle="no-such-cycle", replications=50)


def test_every_bad_parameter_is_reported_at_once(approved: World) -> None:
    with pytest.raises(Invalid) as caught:
        release_request(actor=approved.users["analyst"], cycle=CYCLE, languages=["en", "de"], replications=0, seed=-1)
    problems = {p["field"]: p["message"] for p in caught.value.problems}
    assert set(problems) == {"languages", "replications", "seed"}
    assert "'de'" in problems["languages"] and "en, es, pt, fr" in problems["languages"]
    assert "got 0" in problems["replications"]


def test_no_language_is_refused(approved: World) -> None:
    with pytest.raises(Invalid) as caught:
        release_request(actor=approved.users["analyst"], cycle=CYCLE, languages=[], replications=50)
    assert [p["field"] for p in caught.value.problems] == ["languages"]


def test_the_request_is_queued_and_audited(approved: World) -> None:
    analyst = approved.users["analyst"]
    job = release_request(actor=analyst, cycle=CYCLE, languages=["en", "fr"], replications=50)
    task = DBTaskResult.objects.get()
    assert str(task.id) == job.task_id
    assert task.status == "READY"
    assert task.task_path == "govlens.web.jobs.tasks.release_task"
    assert task.args_kwargs == {"args": [job.pk], "kwargs": {}}
    event = AuditEvent.objects.get(object_type="release_job")
    assert (event.object_id, event.field, event.old, event.new) == (str(job.pk), "status", None, "queued")
    assert (event.actor, event.cycle_slug) == (analyst, CYCLE)
    assert "languages en,fr" in event.note and "50 replications" in event.note and "ARG,BRA,CHL" in event.note


def test_a_job_is_claimed_once(approved: World) -> None:
    job = release_request(actor=None, cycle=CYCLE, replications=50)
    first = release_job_claim(job_id=job.pk, worker="one")
    second = release_job_claim(job_id=job.pk, worker="two")
    assert first is not None and second is None
    stored = ReleaseJob.objects.get(pk=job.pk)
    assert (stored.status, stored.claimed_by, stored.runs) == ("running", "one", 1)
    assert stored.started_at is not None
