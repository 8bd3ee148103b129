"""The platform's pages in Spanish, Portuguese and French show no English interface text: each page is rendered for
the same user in English and in the other language, and no text of the English page (text, tooltips, labels read
aloud, the questionnaire script's messages), down to a single word, may appear unchanged in the other once the test's
data (framework labels, names, codes, what users typed) and the words a language writes as English does are set
aside. French pages are also checked for their punctuation. The detector itself is checked on planted English."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from govlens.release import PublicationState, create_release, publication_set, save_release
from govlens.web.collection.services import response_save, response_submit
from govlens.web.followup.services import plan_publish, plan_review_approve, plan_submit, plan_update
from govlens.web.jobs.models import JobStatus, ReleaseJob
from govlens.web.jobs.publication import PROFILE, validation_open, validation_review
from govlens.web.publish import selectors as publish_selectors
from govlens.web.review.services import review_comment_add
from tests.english import english_left, phrases, segments, without_data

from .conftest import ROLES, World, tiny_framework
from .followup.fixtures import ACTION, FIRST, RULES, releases_folder, with_register

# words whose translation is written as in English (each checked: the usual word of the language)
SAME = {
    "es": set(),
    "pt": {"Downloads", "E-mail", "Item"},
    "fr": {"Action", "Actions", "actions (CSV)", "Administration", "Cycle", "cycle", "Cycles", "Distribution"}
    | {"Institution", "Normalisation", "Note"}
    | {"Question", "Score", "Sections", "Version"},
}
WORDS = 1  # a segment of one word or more is compared: an untranslated "Status" is found too
DRAFT = "lac-2026-r2"  # a second release of the cycle, in validation with the countries
COMMENT = "The score misses the decree of 2025"
REVIEW_NOTE = "Please attach the budget law"
BRA_ACTION = {**ACTION, "title": "Open the national data portal", "institution": "Ministry of Management"}

# (user, page): every page a focal point, a reviewer, an analyst and the public open in the review's path
PAGES: list[tuple[str | None, str]] = [
    ("focal_arg", "/"),
    ("focal_arg", "/cycles/lac-2026/"),
    ("focal_arg", "/cycles/lac-2026/responses/ARG/sections/governance/"),
    ("focal_arg", "/cycles/lac-2026/responses/ARG/sections/services/"),
    ("focal_arg", "/cycles/lac-2026/responses/ARG/contributors"),
    ("focal_arg", f"/jobs/releases/{DRAFT}/validation/ARG/"),
    ("focal_arg", "/cycles/lac-2026/follow-up/"),
    ("focal_arg", "/cycles/lac-2026/follow-up/ARG/"),
    ("focal_bra", "/cycles/lac-2026/follow-up/BRA/"),
    ("reviewer_bra", "/review/"),
    ("reviewer_bra", "/cycles/lac-2026/responses/BRA/"),
    ("analyst", "/cycles/lac-2026/responses/ARG/audit"),
    ("analyst", "/jobs/cycles/lac-2026/publish"),
    ("analyst", "JOB"),
    ("analyst", f"/jobs/releases/{DRAFT}/"),
    ("analyst", "/jobs/releases/lac-2026-r1/"),
    ("analyst", "/cycles/lac-2026/follow-up/"),
    ("analyst", "/cycles/lac-2026/follow-up/BRA/"),
    ("analyst", "/admin/cycles/cycle/"),
    ("analyst", "/admin/cycles/cycle/add/"),
    (None, "/login/"),
    (None, "/results/"),
    (None, "/results/countries/ARG/"),
    (None, "/results/indicators/I1/"),
    (None, "/results/analysis/"),
    (None, "/results/follow-up/"),
    (None, "/results/follow-up/countries/ARG/"),
    (None, "/no-such-page/"),
]


def _texts(value: Any) -> Iterator[str]:
    """Every text of a framework or rule set (labels, hints, messages in each of their languages)."""
    if isinstance(value, str):
        yield value
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for field in dataclasses.fields(value):
            yield from _texts(getattr(value, field.name))
    elif isinstance(value, dict):
        for item in value.values():
            yield from _texts(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _texts(item)


def _data() -> list[str]:
    """What the test's users and fixtures wrote: it stays as entered in every language."""
    milestones = [m["title"] for m in ACTION["milestones"]]
    typed = [ACTION["title"], ACTION["institution"], ACTION["expected_effect"], *milestones, COMMENT, REVIEW_NOTE]
    typed += [BRA_ACTION["title"], BRA_ACTION["institution"]]
    # the item a focal point commented on is kept in the words they saw (here English: the service was called
    # without a language), as the record of what was validated
    typed.append("Argentina: index score 0.00, rank 2 of 3")
    # names and codes: the countries as the platform stores them, their codes, the product, file formats, the
    # releases and cycle, and the language menu (each language in its own name)
    names = ["Argentina", "Brazil", "Chile", "ARG", "BRA", "GovLens", "LAC 2026", "lac-2026", "lac-2026-r1", DRAFT]
    names += ["CSV", "XLSX", "SDMX-CSV 2.0", "SHA-256", "English", "español", "Português", "français"]
    return [*_texts(tiny_framework()), *_texts(RULES), *typed, *ROLES, *names]


@pytest.fixture
def review(world: World, settings: Any, tmp_path: Path) -> Iterator[World]:
    """The cycle part-way through everything: ARG answering, BRA submitted with a reviewer's note, a published
    release with its recommendations, ARG's plan approved and public, BRA's plan in draft, a second release in
    validation with a comment from ARG, and a release job done."""
    settings.GOVLENS_RELEASES_DIR = tmp_path / "releases"
    publish_selectors.cache_clear()
    users = world.users
    response_save(actor=users["focal_arg"], cycle_slug="lac-2026", iso3="ARG", version=0, answers={"org_exists": "yes"})
    response_save(actor=users["analyst"], cycle_slug="lac-2026", iso3="BRA", version=0, answers=FIRST["BRA"])
    response_submit(actor=users["analyst"], cycle_slug="lac-2026", iso3="BRA")
    review_comment_add(actor=users["reviewer_bra"], cycle_slug="lac-2026", iso3="BRA", text=REVIEW_NOTE)
    with_register(world)
    plan_update(actor=None, cycle_slug="lac-2026", iso3="ARG", version=0, actions=[ACTION])
    plan_submit(actor=None, cycle_slug="lac-2026", iso3="ARG")
    plan_review_approve(actor=users["reviewer_arg"], cycle_slug="lac-2026", iso3="ARG")
    plan_publish(actor=users["analyst"], cycle_slug="lac-2026", iso3="ARG", published=True)
    plan_update(actor=None, cycle_slug="lac-2026", iso3="BRA", version=0, actions=[BRA_ACTION])
    draft = create_release(tiny_framework(), FIRST, cycle="lac-2026", release_id=DRAFT, created="2026-09-01T08:00:00Z")
    save_release(draft, releases_folder())
    publication_set(DRAFT, PublicationState.DRAFT, directory=releases_folder())
    validation_open(actor=users["analyst"], release_id=DRAFT, deadline=timezone.localdate() + dt.timedelta(days=7))
    validation_review(
        actor=users["focal_arg"], release_id=DRAFT, country="ARG", item=PROFILE, decision="commented", comment=COMMENT
    )
    ReleaseJob.objects.create(
        cycle=world.cycle,
        requested_by=users["analyst"],
        languages=["en", "es"],
        replications=50,
        status=JobStatus.SUCCEEDED.value,
        release_id="lac-2026-r1",
        output_dir=str(tmp_path / "outputs"),
        files=["report-en.html", "report-es.html"],
    )
    yield world
    publish_selectors.cache_clear()


def _page(world: World, user: str | None, url: str, language: str) -> tuple[int, str]:
    client = Client()
    if user:
        client.force_login(world.users[user])
    if url == "JOB":
        url = f"/jobs/{ReleaseJob.objects.get().pk}/"
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    reply = client.get(url)
    return reply.status_code, reply.content.decode()


@pytest.mark.parametrize("language", ["es", "pt", "fr"])
def test_no_english_phrase_on_a_translated_page(review: World, language: str) -> None:
    data = _data()
    rest = without_data(data)
    left: dict[str, list[str]] = {}
    for user, url in PAGES:
        status, english = _page(review, user, url, "en")
        translated_status, translated = _page(review, user, url, language)
        assert status == translated_status == (404 if url == "/no-such-page/" else 200), (user, url, status)
        assert f'<html lang="{language}"' in translated and '<html lang="en"' in english, (user, url)
        assert len(phrases(english, data=data, words=2, attributes=True)) >= 2, (user, url)  # a page with words
        found = english_left(english, translated, data=[*data, *SAME[language]], words=WORDS, attributes=True)
        if found:
            left[f"{user} {url}"] = found
        if language == "fr":  # the page's punctuation too: "Statut : ..." with a no-break space, never "Statut:"
            texts = [rest(text) for text in segments(translated)]
            unspaced = [text for text in texts if re.search(r"(^|\w| )[:;?!](\s|$)", text.strip(" "))]
            assert unspaced == [], (user, url)
    assert left == {}, "English left:\n" + "\n".join(f"{page}: {found}" for page, found in left.items())


def test_the_detector_finds_english_in_text_and_in_attributes(review: World) -> None:
    data = _data()
    _, english = _page(review, "focal_arg", "/cycles/lac-2026/follow-up/ARG/", "en")
    _, spanish = _page(review, "focal_arg", "/cycles/lac-2026/follow-up/ARG/", "es")
    assert english_left(english, spanish, data=data, words=WORDS, attributes=True) == []
    # a message missing from the catalogue: its English text on the Spanish page, a phrase and a single word
    assert "Recomendaciones dirigidas a este país" in spanish and "<h2>Acciones</h2>" in spanish
    untranslated = spanish.replace("Recomendaciones dirigidas a este país", "Recommendations addressed to this country")
    untranslated = untranslated.replace("<h2>Acciones</h2>", "<h2>Actions</h2>")
    assert english_left(english, untranslated, data=data, words=WORDS, attributes=True) == [
        "Actions",
        "Recommendations addressed to this country",
    ]
    # an attribute (a label read aloud, a tooltip) is looked at too
    _, english = _page(review, None, "/results/follow-up/", "en")
    _, spanish = _page(review, None, "/results/follow-up/", "es")
    assert 'aria-label="Resultados"' in spanish and 'aria-label="Results"' in english
    assert english_left(
        english,
        spanish.replace('aria-label="Resultados"', 'aria-label="Results"'),
        words=WORDS,
        data=data,
        attributes=True,
    ) == ["Results"]
    # what users typed is not interface text: the action's title is on both pages and only the data hide it
    assert ACTION["title"] in english and ACTION["title"] in spanish
    assert [phrase for phrase in english_left(english, spanish, words=WORDS) if ACTION["title"] in phrase]
