"""Waiting for real processes without fixed sleeps: poll a condition until it holds or a deadline passes.

A fixed ``time.sleep(n)`` either waits longer than needed or, on a loaded machine, not long enough; a test that
waits for what it needs (a worker's heartbeat gone stale, a server seen down by its clients) is as fast as the
processes allow and fails with what it waited for.
"""

from __future__ import annotations

import time
from collections.abc import Callable

INTERVAL = 0.05  # seconds between two looks: short against the waits here, long enough not to load the machine


def wait_until(condition: Callable[[], object], timeout: float, what: str, *, interval: float = INTERVAL) -> float:
    """Poll ``condition`` until it is true; the seconds it took. AssertionError naming ``what`` after ``timeout``."""
    start = time.monotonic()
    deadline = start + timeout
    while True:
        if condition():
            return time.monotonic() - start
        if time.monotonic() >= deadline:
            raise AssertionError(f"not within {timeout:g} s: {what}")
        time.sleep(interval)
