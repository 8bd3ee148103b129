"""Business rules of the services: workflow, optimistic concurrency, validation, locking, frameworks."""

from __future__ import annotations

from typing import Any

import pytest

from govlens.web.collection.models import Response
from govlens.web.collection.selectors import response_answers
from govlens.web.collection.services import response_reopen, response_save, response_save_valid, response_submit
from govlens.web.cycles.frameworks import FrameworkChanged, cycle_framework
from govlens.web.cycles.services import cycle_close, cycle_create, cycle_open
from govlens.web.errors import Conflict, Invalid, InvalidTransition, NotAllowed
from govlens.web.review.models import ReviewComment
from govlens.web.review.services import review_approve, review_request_changes

from .conftest import FRAMEWORKS, World, tiny_framework

COMPLETE = {"org_exists": "yes", "org_year": "2015", "channels": ["web", "mobile"]}


def _status(world: World) -> tuple[str, int]:
    response = Response.objects.get(cycle=world.cycle, country__iso3="ARG")
    return response.status, response.version


def test_cycle_creates_one_draft_response_per_country(world: World) -> None:
    rows = sorted(Response.objects.filter(cycle=world.cycle).values_list("country__iso3", "status", "version"))
    assert rows == [("ARG", "draft", 0), ("BRA", "draft", 0)]
    assert world.cycle.framework_fingerprint == tiny_framework().fingerprint()
    assert (world.cycle.framework_id, world.cycle.framework_version, world.cycle.status) == ("tiny", "1", "open")


def test_save_coerces_values_and_increments_the_version(world: World) -> None:
    fp = world.users["focal_arg"]
    response = response_save(actor=fp, cycle_slug="lac-2026", iso3="arg", version=0, answers=COMPLETE)
    assert response.version == 1
    assert response_answers(response) == {"org_exists": "yes", "org_year": 2015, "channels": ["web", "mobile"]}
    # Saving the same values again changes nothing, so the version stays.
    again = response_save(actor=fp, cycle_slug="lac-2026", iso3="ARG", version=1, answers={"org_year": 2015})
    assert again.version == 1


def test_stale_save_raises_conflict_with_both_values_and_writes_nothing(world: World) -> None:
    fp = world.users["focal_arg"]
    analyst = world.users["analyst"]
    response_save(actor=fp, cycle_slug="lac-2026", iso3="ARG", version=0, answers={"org_year": 2001})
    # The analyst saved version 1 -> 2 while the focal point still holds version 1 in another tab.
    response_save(actor=analyst, cycle_slug="lac-2026", iso3="ARG", version=1, answers={"org_year": 2002})
    with pytest.raises(Conflict) as caught:
        response_save(actor=fp, cycle_slug="lac-2026", iso3="ARG", version=1, answers={"org_year": 2003})
    conflict = caught.value
    assert (conflict.current_version, conflict.based_on) == (2, 1)
    assert conflict.theirs == {"org_year": 2002}
    assert conflict.yours == {"org_year": 2003}
    assert response_answers(Response.objects.get(country__iso3="ARG")) == {"org_year": 2002}


def test_a_stale_version_conflicts_only_for_questions_changed_since(world: World) -> None:
    fp, analyst = world.users["focal_arg"], world.users["analyst"]
    response_save(actor=fp, cycle_slug="lac-2026", iso3="ARG", version=0, answers={"notes": "mine"})  # v1
    response_save(actor=analyst, cycle_slug="lac-2026", iso3="ARG", version=1, answers={"staff": 4})  # v2
    # The focal point's page is still at version 1: another question saves, staff (changed in v2) conflicts.
    assert (
        response_save(actor=fp, cycle_slug="lac-2026", iso3="ARG", version=1, answers={"notes": "again"}).version == 3
    )
    with pytest.raises(Conflict) as caught:
        response_save(actor=fp, cycle_slug="lac-2026", iso3="ARG", version=1, answers={"staff": 5, "notes": "x"})
    # notes changed in v3 too (by that save): both are shown, nothing is written
    assert (caught.value.theirs, caught.value.yours) == ({"notes": "again", "staff": 4}, {"notes": "x", "staff": 5})
    assert response_answers(Response.objects.get(country__iso3="ARG")) == {"notes": "again", "staff": 4}
    with pytest.raises(Conflict):  # a version the response never had
        response_save(actor=fp, cycle_slug="lac-2026", iso3="ARG", version=9, answers={"notes": "y"})


def test_saving_the_valid_answers_keeps_them_and_reports_the_others(world: World) -> None:
    fp = world.users["focal_arg"]
    outcome = response_save_valid(
        actor=fp,
        cycle_slug="lac-2026",
        iso3="ARG",
        version=0,
        answers={"org_exists": "yes", "org_year": "3020", "staff": "-2", "notes": "kept"},
        comments={"org_year": "typed with the bad year", "notes": "a comment"},
    )
    assert outcome.saved == ["notes", "org_exists"]
    assert sorted((p["question"], p["code"]) for p in outcome.problems) == [
        ("org_year", "invalid_year"),
        ("staff", "constraint_failed"),
    ]
    stored = Response.objects.get(country__iso3="ARG")
    assert (stored.version, response_answers(stored)) == (1, {"org_exists": "yes", "notes": "kept"})
    assert not stored.answers.filter(question="org_year").exists()  # nothing of the invalid question was written


def test_invalid_answers_are_all_reported_and_nothing_is_saved(world: World) -> None:
    fp = world.users["focal_arg"]
    with pytest.raises(Invalid) as caught:
        response_save(
            actor=fp,
            cycle_slug="lac-2026",
            iso3="ARG",
            version=0,
            answers={"org_exists": "yes", "org_year": 1950, "staff": "many", "nope": 1, "channels": ["fax"]},
        )
    found = sorted((p["question"], p["code"]) for p in caught.value.problems)
    assert found == [
        ("channels", "unknown_choice"),
        ("nope", "unknown_question"),
        ("org_year", "constraint_failed"),
        ("staff", "invalid_integer"),
    ]
    assert _status(world) == ("draft", 0)


def test_submission_requires_relevant_required_answers(world: World) -> None:
    fp = world.users["focal_arg"]
    response_save(actor=fp, cycle_slug="lac-2026", iso3="ARG", version=0, answers={"org_exists": "yes"})
    with pytest.raises(Invalid) as caught:
        response_submit(actor=fp, cycle_slug="lac-2026", iso3="ARG")
    assert sorted(p["question"] for p in caught.value.problems if p["code"] == "required_missing") == [
        "channels",
        "org_year",
    ]
    # Answering "no" skips org_year: it is no longer required.
    response_save(
        actor=fp, cycle_slug="lac-2026", iso3="ARG", version=1, answers={"org_exists": "no", "channels": ["web"]}
    )
    assert response_submit(actor=fp, cycle_slug="lac-2026", iso3="ARG").status == "submitted"


def test_full_review_workflow_and_locking(world: World) -> None:
    fp, reviewer, analyst = world.users["focal_arg"], world.users["reviewer_arg"], world.users["analyst"]
    response_save(actor=fp, cycle_slug="lac-2026", iso3="ARG", version=0, answers=COMPLETE)
    response_submit(actor=fp, cycle_slug="lac-2026", iso3="ARG", version=1)
    assert _status(world) == ("submitted", 2)
    with pytest.raises(InvalidTransition):  # submitted responses are not editable
        response_save(actor=fp, cycle_slug="lac-2026", iso3="ARG", version=2, answers={"staff": 3})
    review_request_changes(actor=reviewer, cycle_slug="lac-2026", iso3="ARG", message="Give the year of the decree")
    assert _status(world) == ("changes_requested", 3)
    response_save(actor=fp, cycle_slug="lac-2026", iso3="ARG", version=3, answers={"org_year": 2016})
    response_submit(actor=fp, cycle_slug="lac-2026", iso3="ARG")
    review_approve(actor=reviewer, cycle_slug="lac-2026", iso3="ARG")
    assert _status(world) == ("approved", 6)
    with pytest.raises(InvalidTransition):
        response_save(actor=fp, cycle_slug="lac-2026", iso3="ARG", version=6, answers={"staff": 3})
    with pytest.raises(NotAllowed):  # only analysts reopen
        response_reopen(actor=reviewer, cycle_slug="lac-2026", iso3="ARG", reason="typo")
    with pytest.raises(Invalid):  # a reason is required
        response_reopen(actor=analyst, cycle_slug="lac-2026", iso3="ARG", reason="  ")
    response_reopen(actor=analyst, cycle_slug="lac-2026", iso3="ARG", reason="Budget figure revised")
    assert _status(world) == ("changes_requested", 7)
    kinds = list(ReviewComment.objects.order_by("id").values_list("kind", "text"))
    assert kinds == [
        ("changes_requested", "Give the year of the decree"),
        ("approval", "Approved"),
        ("reopened", "Budget figure revised"),
    ]


def test_review_actions_need_a_submitted_response(world: World) -> None:
    reviewer = world.users["reviewer_arg"]
    with pytest.raises(InvalidTransition):
        review_approve(actor=reviewer, cycle_slug="lac-2026", iso3="ARG")
    with pytest.raises(InvalidTransition):
        review_request_changes(actor=reviewer, cycle_slug="lac-2026", iso3="ARG", message="x")


def test_closed_cycle_refuses_saves_until_reopened(world: World) -> None:
    fp, analyst = world.users["focal_arg"], world.users["analyst"]
    with pytest.raises(NotAllowed):
        cycle_close(actor=fp, cycle=world.cycle)
    cycle_close(actor=analyst, cycle=world.cycle)
    with pytest.raises(InvalidTransition, match="closed"):
        response_save(actor=fp, cycle_slug="lac-2026", iso3="ARG", version=0, answers={"staff": 1})
    with pytest.raises(InvalidTransition):
        cycle_close(actor=analyst, cycle=world.cycle)
    cycle_open(actor=analyst, cycle=world.cycle)
    assert response_save(actor=fp, cycle_slug="lac-2026", iso3="ARG", version=0, answers={"staff": 1}).version == 1


def test_changed_framework_under_the_same_version_is_refused(world: World) -> None:
    FRAMEWORKS["tiny"] = tiny_framework(version="1", extra_hint=" (edited)")
    from govlens.web.cycles.frameworks import framework_cache_clear

    framework_cache_clear()
    with pytest.raises(FrameworkChanged):
        cycle_framework(world.cycle)
    with pytest.raises(FrameworkChanged):
        cycle_create(actor=None, slug="other", framework="tiny", countries=["ARG"])
    # The same change under a new version is a new framework: a new cycle may use it.
    FRAMEWORKS["tiny"] = tiny_framework(version="2", extra_hint=" (edited)")
    framework_cache_clear()
    assert cycle_create(actor=None, slug="other", framework="tiny", countries=["ARG"]).framework_version == "2"


def test_cycle_create_rejects_unknown_countries_and_frameworks(world: World) -> None:
    with pytest.raises(Invalid, match="ISO 3166-1 alpha-3"):
        cycle_create(actor=None, slug="x", framework="tiny", countries=["ARG", "XXA"])
    from govlens.web.errors import NotFound

    with pytest.raises(NotFound):
        cycle_create(actor=None, slug="y", framework="nope", countries=["ARG"])


def test_required_evidence_is_checked_at_submission(world: World) -> None:
    fp = world.users["focal_arg"]
    response_save(
        actor=fp,
        cycle_slug="lac-2026",
        iso3="ARG",
        version=0,
        answers={"org_exists": "no", "channels": ["web"], "budget": "12.5"},
    )
    with pytest.raises(Invalid) as caught:
        response_submit(actor=fp, cycle_slug="lac-2026", iso3="ARG")
    assert [(p["question"], p["code"]) for p in caught.value.problems] == [("budget", "evidence_missing")]
    response_save(
        actor=fp,
        cycle_slug="lac-2026",
        iso3="ARG",
        version=1,
        evidence_urls={"budget": ["https://presupuesto.example.ar/2026"]},
    )
    assert response_submit(actor=fp, cycle_slug="lac-2026", iso3="ARG").status == "submitted"


def test_anonymous_actor_is_refused_but_the_system_actor_is_not(world: World) -> None:
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(NotAllowed):
        response_save(actor=AnonymousUser(), cycle_slug="lac-2026", iso3="ARG", version=0, answers={"staff": 1})
    # actor=None is the command line (imports, the demo): it acts for the system.
    assert response_save(actor=None, cycle_slug="lac-2026", iso3="ARG", version=0, answers={"staff": 1}).version == 1


def test_clarification_requests_are_resolved_by_reviewers(world: World) -> None:
    from govlens.web.errors import NotFound
    from govlens.web.review.services import review_comment_add, review_comment_resolve

    reviewer, focal = world.users["reviewer_arg"], world.users["focal_arg"]
    with pytest.raises(NotAllowed):  # focal points answer clarification requests, they do not ask them
        review_comment_add(actor=focal, cycle_slug="lac-2026", iso3="ARG", text="?", clarification=True)
    asked = review_comment_add(
        actor=reviewer,
        cycle_slug="lac-2026",
        iso3="ARG",
        text="Which decree?",
        question="org_exists",
        clarification=True,
    )
    review_comment_add(actor=focal, cycle_slug="lac-2026", iso3="ARG", text="Decree 50/2019", question="org_exists")
    with pytest.raises(NotAllowed):
        review_comment_resolve(actor=focal, cycle_slug="lac-2026", iso3="ARG", comment_id=asked.pk)
    with pytest.raises(NotFound):  # a comment is resolved through its own response only
        review_comment_resolve(actor=world.users["analyst"], cycle_slug="lac-2026", iso3="BRA", comment_id=asked.pk)
    assert review_comment_resolve(actor=reviewer, cycle_slug="lac-2026", iso3="ARG", comment_id=asked.pk).resolved
    kinds = list(ReviewComment.objects.order_by("id").values_list("kind", "resolved"))
    assert kinds == [("clarification", True), ("comment", False)]


def test_people_are_emailed_when_the_review_needs_them(
    world: World, django_capture_on_commit_callbacks: Any, mailoutbox: list[Any]
) -> None:
    fp, reviewer, analyst = world.users["focal_arg"], world.users["reviewer_arg"], world.users["analyst"]
    response_save(actor=fp, cycle_slug="lac-2026", iso3="ARG", version=0, answers=COMPLETE)
    with django_capture_on_commit_callbacks(execute=True):
        response_submit(actor=fp, cycle_slug="lac-2026", iso3="ARG")
        review_request_changes(actor=reviewer, cycle_slug="lac-2026", iso3="ARG", message="Check the year")
        response_submit(actor=fp, cycle_slug="lac-2026", iso3="ARG")
        review_approve(actor=reviewer, cycle_slug="lac-2026", iso3="ARG")
        response_reopen(actor=analyst, cycle_slug="lac-2026", iso3="ARG", reason="New budget law")
    assert [(m.to, m.body) for m in mailoutbox] == [
        (["reviewer_arg@example.org"], "The response of Argentina was submitted for review."),
        (["focal_arg@example.org"], "Changes requested: Check the year"),
        (["reviewer_arg@example.org"], "The response of Argentina was submitted for review."),
        (["focal_arg@example.org"], "Your response was approved."),
        (["focal_arg@example.org"], "Your response was reopened: New budget law"),
    ]
    assert "Argentina" in mailoutbox[0].subject


def test_review_emails_are_written_in_the_language_of_the_request(
    world: World, django_capture_on_commit_callbacks: Any, mailoutbox: list[Any]
) -> None:
    from django.utils import translation

    fp, reviewer = world.users["focal_arg"], world.users["reviewer_bra"]
    response_save(actor=fp, cycle_slug="lac-2026", iso3="ARG", version=0, answers=COMPLETE)
    response_save(actor=world.users["focal_bra"], cycle_slug="lac-2026", iso3="BRA", version=0, answers=COMPLETE)
    with translation.override("pt"), django_capture_on_commit_callbacks(execute=True):
        response_submit(actor=world.users["focal_bra"], cycle_slug="lac-2026", iso3="BRA")
        review_approve(actor=reviewer, cycle_slug="lac-2026", iso3="BRA")
    with translation.override("fr"), django_capture_on_commit_callbacks(execute=True):
        response_submit(actor=fp, cycle_slug="lac-2026", iso3="ARG")
        review_request_changes(actor=world.users["reviewer_arg"], cycle_slug="lac-2026", iso3="ARG", message="Année ?")
    assert [m.body for m in mailoutbox] == [
        "Brasil: a resposta foi enviada para revisão.",  # the country first: no article to agree with its name
        "Sua resposta foi aprovada.",
        "Argentine\u00a0: la réponse a été soumise pour examen.",
        "Modifications demandées\u00a0: Année ?",
    ]
    assert mailoutbox[0].subject.endswith("— Brasil") and mailoutbox[2].subject.endswith("— Argentine")


def test_answers_change_only_between_the_cycle_dates(world: World) -> None:
    import datetime as dt

    from django.utils import timezone

    today = timezone.localdate()
    fp = world.users["focal_arg"]
    world.cycle.closes_on = today - dt.timedelta(days=1)
    world.cycle.save()
    with pytest.raises(InvalidTransition, match="closed on"):
        response_save(actor=fp, cycle_slug="lac-2026", iso3="ARG", version=0, answers={"staff": 1})
    world.cycle.closes_on, world.cycle.opens_on = None, today + dt.timedelta(days=1)
    world.cycle.save()
    with pytest.raises(InvalidTransition, match="opens on"):
        response_save(actor=fp, cycle_slug="lac-2026", iso3="ARG", version=0, answers={"staff": 1})
    world.cycle.opens_on, world.cycle.closes_on = today, today  # both bounds are inclusive
    world.cycle.save()
    assert response_save(actor=fp, cycle_slug="lac-2026", iso3="ARG", version=0, answers={"staff": 1}).version == 1
