"""The platform on the real bundled framework (lac-dgr) through the core catalogue, and the demo accounts."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from typer.testing import CliRunner

from govlens.framework import catalogue
from govlens.web.collection.models import Response
from govlens.web.collection.selectors import response_answers
from govlens.web.collection.services import response_save
from govlens.web.cycles.frameworks import framework_cache_clear
from govlens.web.cycles.services import cycle_create


@pytest.fixture
def catalogue_loader(settings: Any) -> None:
    settings.GOVLENS_FRAMEWORK_LOADER = "govlens.web.cycles.frameworks.catalogue_loader"
    framework_cache_clear()


def test_cycle_on_lac_dgr_saves_and_renders(db: None, catalogue_loader: None) -> None:
    framework = catalogue.load("lac-dgr")
    cycle = cycle_create(actor=None, slug="lac", framework="lac-dgr", countries=["URY"])
    assert (cycle.framework_id, cycle.framework_version, cycle.framework_fingerprint) == (
        "lac-dgr",
        framework.version,
        framework.fingerprint(),
    )
    first = next(q for q in framework.questions() if q.type.value == "yes_no" and not q.relevant)
    response_save(actor=None, cycle_slug="lac", iso3="URY", version=0, answers={first.name: "yes"})
    assert response_answers(Response.objects.get(cycle=cycle)) == {first.name: "yes"}


def test_demo_creates_a_cycle_and_accounts_that_can_log_in(db: None, catalogue_loader: None) -> None:
    import typer

    from govlens.cli import demo_cmd

    app = typer.Typer()
    app.command("demo")(demo_cmd.demo_platform)
    app.command("noop")(lambda: None)
    output = CliRunner().invoke(app, ["demo"]).output
    accounts = dict(re.findall(r"^\s+(demo-[\w-]+)\s+(\S+)", output, re.MULTILINE))
    assert sorted(accounts) == ["demo-analyst", "demo-focal-arg", "demo-focal-bra", "demo-reviewer"]
    client = Client()
    assert client.login(username="demo-focal-arg", password=accounts["demo-focal-arg"])
    assert client.get("/cycles/demo-2026/responses/ARG/").status_code == 200
    assert client.get("/cycles/demo-2026/responses/BRA/").status_code == 403
    # Running the demo again keeps the cycle and gives new passwords.
    again = dict(re.findall(r"^\s+(demo-[\w-]+)\s+(\S+)", CliRunner().invoke(app, ["demo"]).output, re.MULTILINE))
    assert again["demo-analyst"] != accounts["demo-analyst"]
