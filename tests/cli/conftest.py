"""A release saved under the test's GOVLENS_HOME, for the commands that read releases."""

from __future__ import annotations

from pathlib import Path

import pytest

from govlens.release import Release, ReleaseSettings, UncertaintySettings, create_release, save_release
from tests.release.conftest import ANSWERS, tiny_framework


@pytest.fixture
def saved(isolated_home: Path) -> Release:
    release = create_release(
        tiny_framework(),
        ANSWERS,
        cycle="tiny-2026",
        settings=ReleaseSettings(uncertainty=UncertaintySettings(replications=50, seed=3)),
    )
    save_release(release)
    return release
