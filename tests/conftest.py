"""Every test gets its own GOVLENS_HOME, so tests never share state with each other or with the user."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

# Property tests: no per-example deadline and no "too slow" health check (the machine may be busy: these
# are correctness tests, not timings); in CI the examples are derandomised so a run is reproducible.
settings.register_profile(
    "govlens",
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    derandomize=bool(os.environ.get("CI")),
)
settings.load_profile("govlens")


@pytest.fixture(autouse=True)
def isolated_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path_factory.mktemp("govlens-home")
    monkeypatch.setenv("GOVLENS_HOME", str(home))
    return home
