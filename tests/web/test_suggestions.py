"""Pre-filled suggestions from public data: stored per response, shown on the page, accepted or overridden."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from typer.testing import CliRunner

from govlens.data.prefill import Suggestion
from govlens.web.audit.models import AuditEvent
from govlens.web.collection.models import AnswerSuggestion, Response
from govlens.web.collection.selectors import response_answers
from govlens.web.collection.services import response_save, response_suggestions_store
from govlens.web.errors import NotAllowed

from .conftest import PASSWORD, RESPONSE_ARG, Api, World

PAGE = "/cycles/lac-2026/responses/ARG/"


def _suggestion(question: str, answer: str) -> Suggestion:
    return Suggestion(question, answer, "gtmi-indicators", "I-33", 2022, 2.0, "World Bank (2022), GTMI.", "note")


def _store(world: World) -> None:
    response_suggestions_store(
        actor=world.users["analyst"],
        cycle_slug="lac-2026",
        iso3="ARG",
        suggestions=[
            _suggestion("org_exists", "yes"),
            _suggestion("channels", "web"),
            _suggestion("not_a_question", "yes"),  # skipped: the framework does not ask it
            _suggestion("staff", "many"),  # skipped: not a whole number
        ],
    )


def test_suggestions_are_stored_and_decided_by_the_first_change(world: World) -> None:
    _store(world)
    rows = sorted(AnswerSuggestion.objects.values_list("question", "value", "decision"))
    assert rows == [("channels", ["web"], "pending"), ("org_exists", "yes", "pending")]
    fp = world.users["focal_arg"]
    response_save(
        actor=fp,
        cycle_slug="lac-2026",
        iso3="ARG",
        version=0,
        answers={"org_exists": "yes", "channels": ["web", "mobile"]},
    )
    decisions = dict(AnswerSuggestion.objects.values_list("question", "decision"))
    assert decisions == {"org_exists": "accepted", "channels": "overridden"}
    events = AuditEvent.objects.filter(object_type="suggestion", field="decision").order_by("object_id")
    assert [(e.object_id, e.new) for e in events] == [("channels", "overridden"), ("org_exists", "accepted")]
    # Storing again keeps the decisions.
    _store(world)
    assert dict(AnswerSuggestion.objects.values_list("question", "decision")) == decisions


def test_only_managers_store_suggestions(world: World) -> None:
    with pytest.raises(NotAllowed):
        response_suggestions_store(actor=world.users["focal_arg"], cycle_slug="lac-2026", iso3="ARG", suggestions=[])


def test_page_shows_the_suggestion_and_uses_it(world: World) -> None:
    _store(world)
    client = Client()
    assert client.login(username="focal_arg", password=PASSWORD)
    html = client.get(PAGE).content.decode()
    assert 'data-suggestion-for="org_exists"' in html and "World Bank (2022), GTMI." in html
    reply = client.post(f"{PAGE}suggestion", {"version": "0", "suggestion": "org_exists"})
    assert reply.status_code == 302
    assert response_answers(Response.objects.get(country__iso3="ARG")) == {"org_exists": "yes"}
    assert AnswerSuggestion.objects.get(question="org_exists").decision == "accepted"
    missing = client.post(f"{PAGE}suggestion", {"version": "1", "suggestion": "notes"})
    assert missing.status_code == 404


def test_api_lists_suggestions(world: World) -> None:
    _store(world)
    suggestions: dict[str, Any] = Api("reviewer_arg").get(RESPONSE_ARG).json()["suggestions"]
    assert suggestions["org_exists"] == {
        "value": "yes",
        "source": "gtmi-indicators I-33 2022: World Bank (2022), GTMI.",
        "decision": "pending",
    }


MIRROR = os.environ.get("GOVLENS_DATA_MIRROR", "")


@pytest.mark.skipif(not MIRROR or not Path(MIRROR).is_dir(), reason="needs the public-data mirror")
def test_prefill_command_on_lac_dgr_with_the_mirror(db: None, settings: Any) -> None:
    from govlens.cli import app
    from govlens.web.cycles.frameworks import framework_cache_clear
    from govlens.web.cycles.services import cycle_create

    settings.GOVLENS_FRAMEWORK_LOADER = "govlens.web.cycles.frameworks.catalogue_loader"
    framework_cache_clear()
    cycle_create(actor=None, slug="lac", framework="lac-dgr", countries=["ARG", "URY"])
    result = CliRunner().invoke(app, ["cycle", "prefill", "lac", "--mirror", MIRROR])
    assert result.exit_code == 0, result.output
    assert "ARG: " in result.output and "URY: " in result.output
    arg = AnswerSuggestion.objects.filter(response__country__iso3="ARG")
    assert arg.count() >= 1
    assert all(re.match(r"^[\w.-]+ [\w.-]+ \d{4}: .+", s.source) for s in arg)
    assert dict(arg.values_list("question", "value")).get("gov_dg_org_exists") == "yes"
