"""Django for the web tests: SQLite by default, PostgreSQL when GOVLENS_TEST_DATABASE_URL is set.

Settings come from ``govlens.web.settings`` (read from the environment at import); the test session points
them at a throwaway GOVLENS_HOME and, if asked, at a PostgreSQL server (pytest-django creates ``test_<name>``).
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import django
import pytest


def _setup_django() -> None:
    saved = {key: os.environ.get(key) for key in ("GOVLENS_HOME", "DATABASE_URL")}
    os.environ["GOVLENS_HOME"] = tempfile.mkdtemp(prefix="govlens-web-tests-")
    test_url = os.environ.get("GOVLENS_TEST_DATABASE_URL", "").strip()
    if test_url:
        os.environ["DATABASE_URL"] = test_url
    else:
        os.environ.pop("DATABASE_URL", None)
    os.environ["DJANGO_SETTINGS_MODULE"] = "govlens.web.settings"
    django.setup()
    # The settings are read once at import; give the environment back to the other tests.
    for key, value in saved.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value
    from django.conf import settings

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast, tests only


_setup_django()

from django.conf import settings  # noqa: E402
from django.contrib.auth.models import User  # noqa: E402
from django.test import Client  # noqa: E402

from govlens.framework.model import (  # noqa: E402
    Choice,
    ChoiceList,
    Evidence,
    Framework,
    Node,
    NodeKind,
    Question,
    QuestionType,
    Scoring,
    ScoringMethod,
    Section,
)
from govlens.web.accounts.services import user_create  # noqa: E402
from govlens.web.cycles.frameworks import framework_cache_clear  # noqa: E402
from govlens.web.cycles.models import Cycle  # noqa: E402
from govlens.web.cycles.services import cycle_create  # noqa: E402

PASSWORD = "correct-horse-battery-9"


def tiny_framework(version: str = "1", extra_hint: str = "") -> Framework:
    """Two sections, skip logic, a constraint, required questions, a multiple choice."""
    en = lambda text: {"en": text, "es": f"[es] {text}"}  # noqa: E731
    return Framework(
        id="tiny",
        version=version,
        title=en("Tiny review"),
        choice_lists={
            "channels": ChoiceList(
                "channels", (Choice("web", en("Web")), Choice("mobile", en("Mobile")), Choice("counter", en("Counter")))
            ),
        },
        sections=(
            Section(
                name="governance",
                label=en("Governance"),
                questions=(
                    Question(
                        "org_exists",
                        QuestionType.YES_NO,
                        en("Is there a digital government agency?"),
                        hint=en("The lead agency" + extra_hint),
                        required=True,
                        scoring=Scoring(ScoringMethod.POINTS, points={"yes": 1, "no": 0}),
                    ),
                    Question(
                        "org_year",
                        QuestionType.YEAR,
                        en("Year created"),
                        required=True,
                        relevant="${org_exists} = 'yes'",
                        constraint=". >= 1990",
                        constraint_message=en("The year must be 1990 or later"),
                    ),
                    Question("strategy_url", QuestionType.URL, en("Strategy document")),
                    Question("budget", QuestionType.DECIMAL, en("Budget (USD million)"), evidence=Evidence.REQUIRED),
                ),
            ),
            Section(
                name="services",
                label=en("Services"),
                questions=(
                    Question(
                        "channels", QuestionType.SELECT_MULTIPLE, en("Channels"), choices="channels", required=True
                    ),
                    Question("staff", QuestionType.INTEGER, en("Staff"), constraint=". >= 0"),
                    Question("notes", QuestionType.TEXT, en("Notes")),
                ),
            ),
        ),
        nodes=(
            Node("TINY", NodeKind.INDEX, en("Tiny index")),
            Node("I1", NodeKind.INDICATOR, en("Agency"), parent="TINY", questions=("org_exists",)),
        ),
    )


FRAMEWORKS: dict[str, Framework] = {}


def tiny_loader(framework_id: str) -> Framework:
    if framework_id not in FRAMEWORKS:
        raise LookupError(f"test loader knows {sorted(FRAMEWORKS)}")
    return FRAMEWORKS[framework_id]


@pytest.fixture(autouse=True)
def web_settings(settings: Any, tmp_path: Path) -> Iterator[None]:
    FRAMEWORKS.clear()
    FRAMEWORKS["tiny"] = tiny_framework()
    framework_cache_clear()
    settings.GOVLENS_FRAMEWORK_LOADER = tiny_loader
    settings.MEDIA_ROOT = tmp_path / "uploads"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    yield
    framework_cache_clear()


@dataclass
class World:
    """A cycle with two countries and one user per role."""

    cycle: Cycle
    users: dict[str, User]


ROLES: dict[str, dict[str, Any]] = {
    "focal_arg": {"role": "focal-point", "country": "ARG"},
    "focal_bra": {"role": "focal-point", "country": "BRA"},
    "reviewer_arg": {"role": "reviewer", "countries": ["ARG"]},
    "reviewer_bra": {"role": "reviewer", "countries": ["BRA"]},
    "analyst": {"role": "analyst"},
    "admin": {"role": "administrator"},
}


@pytest.fixture
def world(db: None) -> World:
    users = {
        name: user_create(actor=None, username=name, password=PASSWORD, email=f"{name}@example.org", **spec)
        for name, spec in ROLES.items()
    }
    cycle = cycle_create(actor=None, slug="lac-2026", framework="tiny", countries=["ARG", "BRA"], title="LAC 2026")
    return World(cycle=cycle, users=users)


class Api:
    """A JSON client for /api/v1/ that logs in through the token endpoint."""

    def __init__(self, username: str | None = None) -> None:
        self.client = Client()
        self.headers: dict[str, str] = {}
        if username is not None:
            reply = self.post("/api/v1/auth/token", {"username": username, "password": PASSWORD})
            assert reply.status_code == 201, reply.content
            self.headers = {"Authorization": f"Bearer {reply.json()['token']}"}

    def get(self, url: str) -> Any:
        return self.client.get(url, headers=self.headers)

    def post(self, url: str, body: Any = None) -> Any:
        return self.client.post(url, json.dumps(body or {}), content_type="application/json", headers=self.headers)

    def patch(self, url: str, body: Any) -> Any:
        return self.client.patch(url, json.dumps(body), content_type="application/json", headers=self.headers)

    def put(self, url: str, body: Any) -> Any:
        return self.client.put(url, json.dumps(body), content_type="application/json", headers=self.headers)


RESPONSE_ARG = "/api/v1/cycles/lac-2026/responses/ARG"
RESPONSE_BRA = "/api/v1/cycles/lac-2026/responses/BRA"

__all__ = ["PASSWORD", "RESPONSE_ARG", "RESPONSE_BRA", "ROLES", "Api", "World", "settings", "tiny_framework"]
