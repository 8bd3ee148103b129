"""Where GovLens keeps its state: one folder, ``GOVLENS_HOME``, for database, uploads, caches and outputs."""

from __future__ import annotations

import os
from pathlib import Path

ENV_VAR = "GOVLENS_HOME"


def default_home() -> Path:
    """The per-user data folder used when ``GOVLENS_HOME`` is not set (XDG layout)."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "govlens"


def home_dir(create: bool = True) -> Path:
    """The active state folder; created on first use so callers can write into it."""
    raw = os.environ.get(ENV_VAR)
    path = Path(raw).expanduser() if raw else default_home()
    if create:
        path.mkdir(parents=True, exist_ok=True)
    return path


def subdir(name: str) -> Path:
    """A named folder under the state folder (``cache``, ``uploads``, ``outputs`` ...), created on demand."""
    path = home_dir() / name
    path.mkdir(parents=True, exist_ok=True)
    return path
