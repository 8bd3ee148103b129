"""Two small releases of the tiny framework of ``tests/reports`` (five countries, two pillars), saved in a
releases folder that the dashboard reads: ``tiny-2026-r1`` (real answers, no uncertainty analysis) and the
newer ``tiny-2026-r2`` (synthetic, with rank intervals), which is therefore ``latest``."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from govlens.release import Release, ReleaseSettings, UncertaintySettings, create_release, save_release
from govlens.web.publish import selectors
from tests.release.conftest import ANSWERS
from tests.release.conftest import tiny_framework as release_framework

SYNTHETIC_EN = "SYNTHETIC DEMO DATA (test)"
SYNTHETIC_ES = "DATOS SINTÉTICOS (prueba)"


@dataclass(frozen=True)
class Releases:
    folder: Path
    real: Release
    synthetic: Release


@pytest.fixture(scope="session")
def releases(tmp_path_factory: pytest.TempPathFactory) -> Releases:
    folder = tmp_path_factory.mktemp("releases")
    framework = release_framework()
    real = create_release(
        framework, ANSWERS, cycle="tiny-2026", release_id="tiny-2026-r1", created="2026-11-27T08:00:00Z"
    )
    synthetic = create_release(
        framework,
        ANSWERS,
        cycle="tiny-2026",
        release_id="tiny-2026-r2",
        settings=ReleaseSettings(uncertainty=UncertaintySettings(replications=100, seed=3, weight_range=0.3)),
        synthetic=True,
        synthetic_label={"en": SYNTHETIC_EN, "es": SYNTHETIC_ES},
        created="2026-11-28T08:00:00Z",
    )
    for release in (real, synthetic):
        save_release(release, folder)
    return Releases(folder=folder, real=real, synthetic=synthetic)


@pytest.fixture(autouse=True)
def releases_folder(settings: Any, releases: Releases) -> Iterator[Path]:
    settings.GOVLENS_RELEASES_DIR = releases.folder
    selectors.cache_clear()
    yield releases.folder
    selectors.cache_clear()
