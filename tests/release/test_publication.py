"""Publication states beside the immutable release files, and the public default: the latest published
complete release."""

from __future__ import annotations

import dataclasses

import pytest

from govlens.framework.model import Framework
from govlens.release import (
    PublicationState,
    Release,
    ReleaseError,
    ReleaseNotFound,
    create_release,
    default_public_release,
    publication_get,
    publication_set,
    save_release,
)
from tests.release.conftest import ANSWERS


def _made(framework: Framework, release_id: str, created: str, *, partial: bool = False) -> Release:
    release = create_release(
        framework,
        ANSWERS,
        cycle="pub",
        release_id=release_id,
        created=created,
        partial=partial,
        not_approved={"URY": "draft"} if partial else None,
    )
    save_release(release)
    return release


def test_a_release_without_a_record_is_published(framework: Framework) -> None:
    _made(framework, "pub-r1", "2026-01-01T00:00:00Z")
    found = publication_get("pub-r1")
    assert found.published and not found.recorded
    assert default_public_release() == "pub-r1"


def test_drafts_and_partial_releases_are_never_the_default(framework: Framework) -> None:
    _made(framework, "pub-r1", "2026-01-01T00:00:00Z")
    _made(framework, "pub-r2", "2026-02-01T00:00:00Z")
    publication_set("pub-r2", PublicationState.DRAFT, by="ana")
    _made(framework, "pub-r3", "2026-03-01T00:00:00Z", partial=True)
    assert default_public_release() == "pub-r1"  # r2 is a draft, r3 partial (published, but never the default)
    publication_set("pub-r2", PublicationState.PUBLISHED, by="ana")
    assert default_public_release() == "pub-r2"
    assert [step["state"] for step in publication_get("pub-r2").history] == ["draft", "published"]


def test_published_is_final_and_unknown_releases_are_refused(framework: Framework) -> None:
    _made(framework, "pub-r1", "2026-01-01T00:00:00Z")
    publication_set("pub-r1", PublicationState.PUBLISHED)
    with pytest.raises(ReleaseError, match="correction is a new release"):
        publication_set("pub-r1", PublicationState.DRAFT)
    with pytest.raises(ReleaseNotFound):
        publication_set("pub-r9", PublicationState.PUBLISHED)


def test_no_published_release_means_no_default(framework: Framework) -> None:
    assert default_public_release() is None
    release = _made(framework, "pub-r1", "2026-01-01T00:00:00Z")
    publication_set(release.id, PublicationState.VALIDATION)
    assert default_public_release() is None
    assert dataclasses.replace(release).partial is False
