"""Reading releases for the dashboard: only ids or ``latest`` (never a path), newest first, a 404 message that
says what was allowed."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from govlens.web.publish.selectors import ReleaseUnavailable, export_file, release_get, releases_available


def test_latest_is_the_newest_release() -> None:
    assert release_get(None).id == "tiny-2026-r2"
    assert release_get("latest").id == "tiny-2026-r2"
    assert release_get("tiny-2026-r1").id == "tiny-2026-r1"
    assert releases_available() == [("tiny-2026-r2", "2026-11-28"), ("tiny-2026-r1", "2026-11-27")]


@pytest.mark.parametrize("reference", ["../tiny-2026-r1", "/etc/passwd.json", "tiny-2026-r1.json", "tiny", ""])
def test_paths_and_malformed_ids_are_refused(reference: str, releases_folder: Path) -> None:
    (releases_folder.parent / "outside.json").write_text("{}", encoding="utf-8")
    if reference == "":
        assert release_get(reference).id == "tiny-2026-r2"  # empty means latest
        return
    with pytest.raises(ReleaseUnavailable, match="latest"):
        release_get(reference)


def test_a_changed_release_file_is_refused_not_served(releases_folder: Path, tmp_path: Path, settings: object) -> None:
    copy = tmp_path / "tiny-2026-r1.json"
    text = (releases_folder / "tiny-2026-r1.json").read_text(encoding="utf-8")
    copy.write_text(text.replace('"cycle": "tiny-2026"', '"cycle": "tiny-2027"', 1), encoding="utf-8")
    settings.GOVLENS_RELEASES_DIR = tmp_path  # type: ignore[attr-defined]
    with pytest.raises(ReleaseUnavailable, match="hash"):
        release_get("tiny-2026-r1")
    assert os.path.exists(copy)


def test_unknown_export_format_names_the_allowed_ones() -> None:
    allowed = r"\{csv, xlsx, sdmx-csv, sdmx-csv-1.0, sdmx-structure, datapackage\}"
    with pytest.raises(ReleaseUnavailable, match=allowed + "; got 'pdf'"):
        export_file(release_get(None), "pdf")
