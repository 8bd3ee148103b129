"""The overview of a release is computed once per release content and language; the list of releases is not."""

from __future__ import annotations

from pathlib import Path

from govlens.release import create_release, save_release
from govlens.web.publish import selectors
from tests.release.conftest import ANSWERS
from tests.release.conftest import tiny_framework as release_framework
from tests.web.publish.conftest import Releases


def test_overview_is_computed_once_per_release_and_language(releases: Releases) -> None:
    first = selectors.overview_page(releases.real, "en")
    again = selectors.overview_page(releases.real, "en")
    assert again == first
    assert again is not first  # each call gets its own dict: a view may add keys without touching the cache
    assert again["bar_svg"] is first["bar_svg"]  # the expensive parts come from the cache
    spanish = selectors.overview_page(releases.real, "es")
    assert spanish["lang"] == "es" and spanish["words"] != first["words"]


def test_a_new_release_shows_in_the_list_of_a_cached_page(releases: Releases, releases_folder: Path) -> None:
    before = selectors.overview_page(releases.real, "en")
    newer = create_release(
        release_framework(), ANSWERS, cycle="tiny-2026", release_id="tiny-2026-r3", created="2026-11-29T08:00:00Z"
    )
    save_release(newer, releases_folder)
    try:
        after = selectors.overview_page(releases.real, "en")
        assert "tiny-2026-r3" not in [release_id for release_id, _ in before["releases"]]
        assert "tiny-2026-r3" in [release_id for release_id, _ in after["releases"]]
    finally:
        (releases_folder / "tiny-2026-r3.json").unlink()
