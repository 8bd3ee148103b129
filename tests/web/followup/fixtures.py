"""The follow-up of the web tests' cycle lac-2026 (tiny framework, ARG and BRA): a release of each of two cycles,
a rule that recommends a digital government agency, and helpers that put a cycle in a given follow-up state.

In lac-2026 neither country has an agency (org_exists = no; CHL, in the releases but not in the web cycle, has
one and gives the min-max scale its range), so the recommendation is addressed to both; in lac-2028 ARG has created
one, so ARG's indicator I1 rises from 0 to 1 and BRA's stays at 0.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings

from govlens.analysis.narrative import Rule, RuleSet
from govlens.release import Release, create_release, save_release
from govlens.web.followup.services import (
    plan_create,
    plan_publish,
    plan_review_approve,
    plan_submit,
    plan_update,
    register_import,
)

from ..conftest import World, tiny_framework

RECOMMENDATION = "agency"
RULES = RuleSet(
    framework_id="tiny",
    rules=(
        Rule(
            id=RECOMMENDATION,
            finding="F01",
            statement={"en": "{Countries} ({fraction}) have an agency."},
            questions=("org_exists",),
            options=("yes",),
            recommendation={
                "en": "Create a digital government agency.",
                "es": "Crear una agencia de gobierno digital.",
            },
            recommend_below=0.9,
        ),
    ),
)
CHL = {"org_exists": "yes", "org_year": 2012, "channels": ["web"]}
FIRST = {"ARG": {"org_exists": "no", "channels": ["web"]}, "BRA": {"org_exists": "no", "channels": ["web"]}, "CHL": CHL}
SECOND = {"ARG": {"org_exists": "yes", "org_year": 2027, "channels": ["web"]}, "BRA": FIRST["BRA"], "CHL": CHL}

ACTION: dict[str, Any] = {
    "recommendation": RECOMMENDATION,
    "title": "Create the national digital agency",
    "institution": "Chief of Cabinet",
    "start": "2026-07-01",
    "due": "2027-12-31",
    "status": "in_progress",
    "expected_effect": "I1 from 0 to 1",
    "evidence_urls": ["https://example.org/decree-1"],
    "milestones": [
        {"title": "Decree signed", "due": "2026-10-01", "done_on": "2026-09-20"},
        {"title": "Agency staffed", "due": "2026-08-31"},  # past: overdue
    ],
}


def releases_folder() -> Path:
    return Path(settings.GOVLENS_RELEASES_DIR)


def first_release() -> Release:
    release = create_release(
        tiny_framework(), FIRST, cycle="lac-2026", release_id="lac-2026-r1", created="2026-06-01T08:00:00Z"
    )
    save_release(release, releases_folder())
    return release


def second_release() -> Release:
    release = create_release(
        tiny_framework(), SECOND, cycle="lac-2028", release_id="lac-2028-r1", created="2028-06-01T08:00:00Z"
    )
    save_release(release, releases_folder())
    return release


def with_release(world: World) -> None:
    first_release()


def with_register(world: World) -> None:
    first_release()
    register_import(actor=None, cycle_slug="lac-2026", rules=RULES)


def with_plan(world: World, iso3: str = "ARG") -> None:
    with_register(world)
    plan_update(actor=None, cycle_slug="lac-2026", iso3=iso3, version=0, actions=[ACTION])


PDF = b"%PDF-1.4 decree of the agency"


def with_plan_file(world: World) -> None:
    """A plan whose first action has one evidence file (a PDF)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from govlens.web.followup.services import plan_evidence_upload

    with_plan(world)
    upload = SimpleUploadedFile("decree.pdf", PDF, content_type="application/pdf")
    plan_evidence_upload(actor=None, cycle_slug="lac-2026", iso3="ARG", action=0, upload=upload)


def with_submitted_plan(world: World) -> None:
    with_plan(world)
    plan_submit(actor=None, cycle_slug="lac-2026", iso3="ARG")


def with_approved_plan(world: World) -> None:
    with_submitted_plan(world)
    plan_review_approve(actor=None, cycle_slug="lac-2026", iso3="ARG")


def with_published_plan(world: World) -> None:
    with_approved_plan(world)
    plan_publish(actor=None, cycle_slug="lac-2026", iso3="ARG", published=True)


__all__ = ["ACTION", "RECOMMENDATION", "RULES", "plan_create"]
