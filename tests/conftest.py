"""Every test gets its own GOVLENS_HOME, so tests never share state with each other or with the user."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def isolated_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path_factory.mktemp("govlens-home")
    monkeypatch.setenv("GOVLENS_HOME", str(home))
    return home
