"""The reliability tests share the web tests' Django setup (tests/web/conftest.py); this adds the ``slow`` marker."""

from __future__ import annotations

import pytest


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "slow: runs real servers and faults for tens of seconds (still run in CI)")
