"""The shared wait of the tests that drive real processes (tests/polling.py)."""

from __future__ import annotations

import itertools

import pytest

from tests.polling import wait_until


def test_wait_until_returns_once_the_condition_holds() -> None:
    looks = itertools.count(1)
    assert wait_until(lambda: next(looks) >= 3, timeout=5, what="three looks", interval=0.001) < 5
    assert next(looks) == 4  # it stopped looking at the third


def test_wait_until_names_what_it_waited_for() -> None:
    with pytest.raises(AssertionError, match=r"not within 0.05 s: the moon"):
        wait_until(lambda: False, timeout=0.05, what="the moon", interval=0.01)
