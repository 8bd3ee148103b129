"""The reports are rendered from the tiny release of ``tests/release/conftest.py`` (its fixtures, shared)."""

from __future__ import annotations

from tests.release.conftest import ANSWERS, framework, plain_release, release, tiny_framework

__all__ = ["ANSWERS", "framework", "plain_release", "release", "tiny_framework"]
