"""Every follow-up test reads and writes releases in its own folder, with the dashboard's caches cleared."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest


@pytest.fixture(autouse=True)
def releases_dir(settings: Any, tmp_path: Path) -> None:
    from govlens.web.publish import selectors

    settings.GOVLENS_RELEASES_DIR = tmp_path / "releases"
    selectors.cache_clear()
