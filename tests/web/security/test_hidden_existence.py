"""403 against 404 told a user which cycles and countries exist beyond their own: a focal point of ARG got 403 for
BRA's response in a real cycle and 404 in a made-up one. Now whatever they may not read is refused alike, whether
it exists or not, on the API and the pages, for reads and writes."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from govlens.web.cycles.services import cycle_create

from ..conftest import PASSWORD, Api, World


@pytest.fixture
def hidden(world: World) -> World:
    # a cycle in which the focal point's country does not take part
    cycle_create(actor=None, slug="car-2026", framework="tiny", countries=["JAM"], title="Caribbean")
    return world


def _error(page: bytes) -> str:
    found = re.search(r'<p class="error"[^>]*>(.*?)</p>', page.decode("utf-8"))
    assert found is not None
    return found[1]


def _reply(reply: object) -> tuple[int, str]:
    body = reply.json()["error"]  # type: ignore[attr-defined]
    message = body["message"].replace("car-2026", "CYCLE").replace("made-up", "CYCLE")
    return reply.status_code, message  # type: ignore[attr-defined]


@pytest.mark.parametrize("method", ["get", "patch", "submit", "history"])
@pytest.mark.parametrize("iso3", ["BRA", "JAM", "XXX"])
def test_the_api_answers_alike_for_existing_and_made_up(hidden: World, method: str, iso3: str) -> None:
    api = Api("focal_arg")

    def call(cycle: str) -> tuple[int, str]:
        url = f"/api/v1/cycles/{cycle}/responses/{iso3}"
        if method == "get":
            return _reply(api.get(url))
        if method == "history":
            return _reply(api.get(f"{url}/history"))
        if method == "submit":
            return _reply(api.post(f"{url}/submit"))
        return _reply(api.patch(url, {"version": 0, "answers": {"staff": 1}}))

    real = call("lac-2026" if iso3 == "BRA" else "car-2026")
    made_up = call("made-up")
    assert real == made_up
    assert real[0] == 403


def test_cycles_hidden_from_a_user_look_like_made_up_ones(hidden: World) -> None:
    api = Api("focal_arg")
    assert _reply(api.get("/api/v1/cycles/car-2026")) == _reply(api.get("/api/v1/cycles/made-up"))
    assert _reply(api.get("/api/v1/cycles/car-2026/responses")) == _reply(api.get("/api/v1/cycles/made-up/responses"))
    page = Client()
    assert page.login(username="focal_arg", password=PASSWORD)
    assert page.get("/cycles/car-2026/").status_code == page.get("/cycles/made-up/").status_code == 404


def test_pages_answer_alike_for_existing_and_made_up(hidden: World) -> None:
    page = Client()
    assert page.login(username="reviewer_arg", password=PASSWORD)
    for path in ("", "audit", "audit.csv", "workbook.xlsx"):
        real = page.get(f"/cycles/lac-2026/responses/BRA/{path}")
        made_up = page.get(f"/cycles/made-up/responses/BRA/{path}")
        assert real.status_code == made_up.status_code == 403, path
        assert _error(real.content) == _error(made_up.content), path


def test_what_a_user_may_read_still_says_404_when_missing(hidden: World) -> None:
    api = Api("focal_arg")
    assert api.get("/api/v1/cycles/lac-2026/responses/ARG").status_code == 200
    assert api.get("/api/v1/cycles/made-up/responses/ARG").status_code == 404
    assert Api("analyst").get("/api/v1/cycles/made-up/responses/BRA").status_code == 404
