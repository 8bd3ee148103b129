"""Contributors: the coordinator (focal point) delegates sections to people of other institutions, who answer
only those sections of that country; their answers carry their institution; the coordinator submits."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from govlens.web.accounts.services import contributor_set
from govlens.web.collection.models import Response
from govlens.web.errors import Invalid, NotAllowed

from .conftest import PASSWORD, RESPONSE_ARG, Api, World

PAGE = "/cycles/lac-2026/responses/ARG/"


def _client(username: str) -> Client:
    client = Client()
    assert client.login(username=username, password=PASSWORD)
    return client


def _delegate(client: Client, **fields: object) -> object:
    body = {"username": "budget", "institution": "Budget office", "sections": ["services"], "password": PASSWORD}
    return client.post(f"{PAGE}contributors", {**body, **fields})


def test_the_coordinator_delegates_and_the_contributor_answers_only_their_sections(world: World) -> None:
    coordinator = _client("focal_arg")
    assert _delegate(coordinator).status_code == 302  # type: ignore[attr-defined]
    assert "Budget office" in coordinator.get(f"{PAGE}contributors").content.decode()
    contributor = _client("budget")
    first = contributor.get(PAGE).content.decode()
    assert 'data-section="services"' in first and 'data-section="governance"' not in first  # their sections only
    assert contributor.get(f"{PAGE}sections/governance/").status_code == 403
    saved = contributor.post(f"{PAGE}save", {"version": "0", "q": "staff", "a_staff": "40"})
    assert saved.status_code == 302
    answer = Response.objects.get(country__iso3="ARG").answers.get(question="staff")
    assert (answer.value, answer.institution, answer.updated_by.username) == (40, "Budget office", "budget")
    assert "Answered by budget (Budget office)" in coordinator.get(f"{PAGE}sections/services/").content.decode()
    outside = contributor.post(f"{PAGE}save", {"version": "1", "q": "org_exists", "a_org_exists": "yes"})
    assert outside.status_code == 403
    assert contributor.post(f"{PAGE}submit", {"version": "1"}).status_code == 403  # the coordinator submits
    assert "submit-button" not in contributor.get(PAGE).content.decode()
    # the coordinator completes and submits
    done = coordinator.post(
        f"{PAGE}save", {"version": "1", "q": ["org_exists", "channels"], "a_org_exists": "no", "a_channels": "web"}
    )
    assert done.status_code == 302
    assert coordinator.post(f"{PAGE}submit", {"version": "2"}).status_code == 302
    assert Response.objects.get(country__iso3="ARG").status == "submitted"


def test_a_contributor_reads_through_the_api_only_the_questions_of_their_sections(world: World) -> None:
    Api("focal_arg").patch(RESPONSE_ARG, {"version": 0, "answers": {"org_exists": "yes", "staff": 3}})
    contributor_set(
        actor=world.users["focal_arg"],
        cycle_slug="lac-2026",
        iso3="ARG",
        username="budget",
        institution="Budget office",
        sections=["services"],
        password=PASSWORD,
    )
    body = Api("budget").get(RESPONSE_ARG).json()
    assert body["answers"] == {"staff": 3}
    assert "org_exists" not in json.dumps(body)
    assert Api("budget").get(f"{RESPONSE_ARG}/history").status_code == 403  # the trail holds every section


def test_delegation_is_checked(world: World) -> None:
    with pytest.raises(NotAllowed):  # another country's coordinator
        contributor_set(
            actor=world.users["focal_bra"],
            cycle_slug="lac-2026",
            iso3="ARG",
            username="x",
            institution="DPA",
            sections=["services"],
            password=PASSWORD,
        )
    with pytest.raises(Invalid) as caught:
        contributor_set(
            actor=world.users["focal_arg"],
            cycle_slug="lac-2026",
            iso3="ARG",
            username="reviewer_arg",  # an existing account of another role is not taken over
            institution="",
            sections=["nowhere"],
        )
    assert [p["code"] for p in caught.value.problems] == ["unknown_section", "missing_institution"]
    reply = _delegate(_client("focal_arg"), username="reviewer_arg")
    assert reply.status_code == 422  # type: ignore[attr-defined]
    assert "&#x27;reviewer_arg&#x27; is taken" in reply.content.decode()  # type: ignore[attr-defined]
