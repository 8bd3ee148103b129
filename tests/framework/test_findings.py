"""The findings catalogue: F01..F43, each with a short topic."""

from __future__ import annotations

from govlens.framework.findings import FINDINGS, is_finding, topic


def test_ids_are_f01_to_f43_in_order() -> None:
    assert list(FINDINGS) == [f"F{number:02d}" for number in range(1, 44)]


def test_topics_are_short() -> None:
    for ref, text in FINDINGS.items():
        assert 3 <= len(text.split()) <= 8, (ref, text)


def test_lookup() -> None:
    assert is_finding("F07") and not is_finding("F44") and not is_finding("f07")
    assert topic("F99") == ""
