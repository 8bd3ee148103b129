"""Stored XSS: text people type (answers, comments, review comments, file names) and text of the framework
(labels, hints, choices) and of the cycle (title) is escaped on every page that shows it."""

from __future__ import annotations

import dataclasses
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from govlens.framework.model import Choice, ChoiceList, Framework
from govlens.web.accounts.services import user_create
from govlens.web.collection.services import evidence_upload, response_save, response_submit
from govlens.web.cycles.services import cycle_create
from govlens.web.review.services import review_comment_add, review_request_changes

from ..conftest import FRAMEWORKS, PASSWORD, ROLES, tiny_framework

SCRIPT = '<script>alert("xss")</script>'
IMAGE = "<img src=x onerror=alert(1)>"
QUOTE = '"><svg onload=alert(2)>'
PAYLOADS = (SCRIPT, IMAGE, QUOTE)


def _labelled(text: str) -> dict[str, str]:
    return {"en": text, "es": text}


def hostile_framework() -> Framework:
    """The tiny framework with markup in its title, a section label, a question label, a hint and a choice label."""
    base = tiny_framework(extra_hint=" " + IMAGE)
    governance, services = base.sections
    questions = list(governance.questions)
    questions[0] = dataclasses.replace(questions[0], label=_labelled("Agency? " + SCRIPT))
    channels = base.choice_lists["channels"]
    choices = (Choice("web", _labelled("Web " + QUOTE)), *channels.choices[1:])
    return dataclasses.replace(
        base,
        title=_labelled("Review " + SCRIPT),
        sections=(
            dataclasses.replace(governance, label=_labelled("Gov " + QUOTE), questions=tuple(questions)),
            services,
        ),
        choice_lists={"channels": ChoiceList("channels", choices)},
    )


@pytest.fixture
def hostile(db: None) -> None:
    FRAMEWORKS["tiny"] = hostile_framework()
    for name, spec in ROLES.items():
        user_create(actor=None, username=name, password=PASSWORD, email=f"{name}@example.org", **spec)
    cycle_create(actor=None, slug="lac-2026", framework="tiny", countries=["ARG", "BRA"], title="LAC " + SCRIPT)
    from django.contrib.auth.models import User

    focal = User.objects.get(username="focal_arg")
    response_save(
        actor=focal,
        cycle_slug="lac-2026",
        iso3="ARG",
        version=0,
        answers={"notes": "Notes " + SCRIPT, "org_exists": "yes", "org_year": 2001, "channels": ["web"]},
        comments={"notes": "Comment " + IMAGE, "staff": "c " + QUOTE},
        evidence_urls={"budget": ["https://example.org/budget?a=" + QUOTE]},
    )
    evidence_upload(
        actor=focal,
        cycle_slug="lac-2026",
        iso3="ARG",
        question="budget",
        upload=SimpleUploadedFile(f"{IMAGE}.txt".replace("/", ""), b"plain text", content_type="text/html"),
    )
    review_comment_add(
        actor=User.objects.get(username="reviewer_arg"),
        cycle_slug="lac-2026",
        iso3="ARG",
        text="Review " + SCRIPT,
        question="notes",
        clarification=True,
    )
    response_save(actor=focal, cycle_slug="lac-2026", iso3="ARG", version=2, answers={"budget": 1.5})
    response_submit(actor=focal, cycle_slug="lac-2026", iso3="ARG")
    review_request_changes(
        actor=User.objects.get(username="reviewer_arg"), cycle_slug="lac-2026", iso3="ARG", message="Fix " + IMAGE
    )


PAGES = [
    "/",
    "/review/",
    "/cycles/lac-2026/",
    "/cycles/lac-2026/responses/ARG/",
    "/cycles/lac-2026/responses/ARG/audit",
    "/cycles/lac-2026/responses/ARG/audit?question=notes",
]


@pytest.mark.parametrize("username", ["focal_arg", "reviewer_arg", "analyst"])
@pytest.mark.parametrize("page", PAGES)
def test_hostile_text_is_escaped_on_every_page(hostile: None, username: str, page: str) -> None:
    client = Client()
    assert client.login(username=username, password=PASSWORD)
    reply = client.get(page)
    if reply.status_code == 403:  # a page this role may not open; nothing to render
        return
    assert reply.status_code == 200, (page, reply.status_code)
    html = reply.content.decode()
    for payload in PAYLOADS:
        assert payload not in html, (page, payload)
    assert "onerror=alert(1)>" not in html
    assert "<svg" not in html


def test_the_questionnaire_shows_the_hostile_text_escaped(hostile: None) -> None:
    """The escaping test above would pass on an empty page: here the escaped forms are really on the page."""
    client = Client()
    assert client.login(username="focal_arg", password=PASSWORD)
    html = client.get("/cycles/lac-2026/responses/ARG/all").content.decode()  # every section on one page
    assert "Notes &lt;script&gt;alert(&quot;xss&quot;)&lt;/script&gt;" in html
    assert "Agency? &lt;script&gt;" in html
    assert "Comment &lt;img src=x onerror=alert(1)&gt;" in html
    assert "Review &lt;script&gt;" in html
    trail = client.get("/cycles/lac-2026/responses/ARG/audit").content.decode()
    assert "&lt;script&gt;" in trail


def test_hostile_text_goes_out_of_the_api_as_plain_json_data(hostile: None) -> None:
    client = Client()
    token = client.post(
        "/api/v1/auth/token",
        json.dumps({"username": "focal_arg", "password": PASSWORD}),
        content_type="application/json",
    ).json()["token"]
    reply = client.get("/api/v1/cycles/lac-2026/responses/ARG", headers={"Authorization": f"Bearer {token}"})
    assert reply["Content-Type"].startswith("application/json")
    assert reply.json()["answers"]["notes"] == "Notes " + SCRIPT  # stored as typed, data not markup
    assert reply["X-Content-Type-Options"] == "nosniff"
