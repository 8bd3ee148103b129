"""Headers the attack found missing: no Content-Security-Policy, HSTS for one hour, authenticated pages cacheable."""

from __future__ import annotations

import pytest
from django.test import Client

from govlens.web.headers import CONTENT_SECURITY_POLICY

from ..conftest import PASSWORD, RESPONSE_ARG, Api, World


def test_every_page_has_a_content_security_policy(world: World) -> None:
    for url in ("/login/", "/api/v1/openapi.json", "/health", "/no-such-page/"):
        reply = Client().get(url)
        policy = reply["Content-Security-Policy"]
        assert policy == CONTENT_SECURITY_POLICY, url
    directives = dict(part.split(" ", 1) for part in CONTENT_SECURITY_POLICY.split("; "))
    assert directives["script-src"] == "'self'"  # no inline script, no eval
    assert (directives["object-src"], directives["frame-ancestors"]) == ("'none'", "'none'")


@pytest.mark.parametrize("url", ["/", "/cycles/lac-2026/responses/ARG/", "/cycles/lac-2026/responses/ARG/audit.csv"])
def test_authenticated_pages_are_never_stored(world: World, url: str) -> None:
    client = Client()
    assert client.login(username="focal_arg", password=PASSWORD)
    reply = client.get(url)
    assert reply.status_code == 200
    assert "no-store" in reply["Cache-Control"] and "private" in reply["Cache-Control"]


def test_api_answers_to_a_token_are_never_stored(world: World) -> None:
    reply = Api("focal_arg").get(RESPONSE_ARG)
    assert reply.status_code == 200
    assert "no-store" in reply["Cache-Control"]


def test_anonymous_answers_carry_no_ones_data_and_may_be_cached(world: World) -> None:
    assert "no-store" not in Client().get("/health").get("Cache-Control", "")
