"""Simultaneous saves on the same version: the row lock lets exactly one win; the others get a Conflict.

Runs on PostgreSQL (GOVLENS_TEST_DATABASE_URL), where the saves really happen at once in separate
connections; SQLite serialises whole transactions, which the version check covers in test_services.
"""

from __future__ import annotations

import os
import threading

import pytest
from django.db import connection

from govlens.web.collection.models import Response
from govlens.web.collection.selectors import response_answers
from govlens.web.collection.services import response_save
from govlens.web.errors import Conflict

from .conftest import World

pytestmark = [
    pytest.mark.skipif(not os.environ.get("GOVLENS_TEST_DATABASE_URL"), reason="needs PostgreSQL"),
    pytest.mark.django_db(transaction=True),
]


def test_only_one_of_several_simultaneous_saves_wins(world: World) -> None:
    writers = 5
    barrier = threading.Barrier(writers)
    outcomes: dict[int, str] = {}
    user = world.users["focal_arg"]

    def save(staff: int) -> None:
        try:
            barrier.wait(timeout=10)
            response_save(actor=user, cycle_slug="lac-2026", iso3="ARG", version=0, answers={"staff": staff})
            outcomes[staff] = "saved"
        except Conflict:
            outcomes[staff] = "conflict"
        finally:
            connection.close()

    threads = [threading.Thread(target=save, args=(staff,)) for staff in range(1, writers + 1)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes.values()) == ["conflict"] * (writers - 1) + ["saved"]
    winner = next(staff for staff, outcome in outcomes.items() if outcome == "saved")
    response = Response.objects.get(country__iso3="ARG")
    assert (response.version, response_answers(response)) == (1, {"staff": winner})
