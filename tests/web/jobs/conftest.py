"""A cycle ``rel-2026`` of the tiny release framework of ``tests/release`` (two pillars, five indicators) with
ARG, BRA and CHL approved (their answers from ``tests/release``); ``partly_approved`` adds COL, left in draft. The
release and output folders of the jobs point at the test's temporary folder; reports in HTML only, no public
data benchmarks."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django_tasks_db.management.commands import db_worker

from govlens.web.collection.services import response_save, response_submit
from govlens.web.cycles.services import cycle_create
from govlens.web.publish import selectors as publish_selectors
from govlens.web.review.services import review_approve
from tests.release.conftest import ANSWERS
from tests.release.conftest import tiny_framework as release_framework
from tests.web.conftest import FRAMEWORKS, World

CYCLE = "rel-2026"
APPROVED = ("ARG", "BRA", "CHL")


@pytest.fixture(autouse=True)
def worker_keeps_the_test_transaction(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """The worker closes stale connections between tasks; inside a test's transaction that would close the
    test's own connection (Django's test runner disconnects the same call from the request signals). Tests
    marked ``transaction=True`` run the worker as it runs in production."""
    marker = request.node.get_closest_marker("django_db")
    if marker is None or not marker.kwargs.get("transaction", False):
        monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)


@pytest.fixture(autouse=True)
def job_folders(settings: Any, tmp_path: Path, web_settings: None) -> Iterator[Path]:
    FRAMEWORKS["tiny-dgr"] = release_framework()
    settings.GOVLENS_RELEASES_DIR = tmp_path / "releases"
    settings.GOVLENS_OUTPUTS_DIR = tmp_path / "outputs"
    settings.GOVLENS_RELEASE_FORMATS = ("html",)
    settings.GOVLENS_RELEASE_BENCHMARKS = False
    publish_selectors.cache_clear()
    yield tmp_path
    publish_selectors.cache_clear()


def fill(world: World, iso3: str, *, approve: bool = True) -> None:
    analyst = world.users["analyst"]
    answers = {k: v for k, v in ANSWERS[iso3].items() if k != "q_note"}
    response_save(actor=analyst, cycle_slug=CYCLE, iso3=iso3, version=0, answers=answers)
    if approve:
        response_submit(actor=analyst, cycle_slug=CYCLE, iso3=iso3)
        review_approve(actor=analyst, cycle_slug=CYCLE, iso3=iso3)


@pytest.fixture
def empty_cycle(world: World) -> World:
    """The users of ``world`` and the cycle ``rel-2026`` of ARG, BRA and CHL, nothing approved."""
    cycle_create(actor=None, slug=CYCLE, framework="tiny-dgr", countries=list(APPROVED), title="Release 2026")
    return world


@pytest.fixture
def approved(empty_cycle: World) -> World:
    """Every country of the cycle approved: a complete release may be made."""
    for iso3 in APPROVED:
        fill(empty_cycle, iso3)
    return empty_cycle


@pytest.fixture
def partly_approved(world: World) -> World:
    """The cycle with a fourth country, COL, filled in but left in draft."""
    cycle_create(actor=None, slug=CYCLE, framework="tiny-dgr", countries=[*APPROVED, "COL"], title="Release 2026")
    fill(world, "COL", approve=False)
    for iso3 in APPROVED:
        fill(world, iso3)
    return world
