"""Hypothesis strategies shared by the fuzz tests: hostile scalars, nested junk and damaged bytes."""

from __future__ import annotations

import datetime
import math
from decimal import Decimal
from fractions import Fraction

from hypothesis import strategies as st

# Text a person or a broken export can put anywhere: control characters, right-to-left marks, emoji,
# lone surrogates are left out (they cannot be written to a UTF-8 file).
HOSTILE_TEXT: st.SearchStrategy[str] = st.one_of(
    st.text(max_size=30),
    st.text(st.characters(codec="utf-8"), max_size=30),
    st.sampled_from(
        [
            "",
            " ",
            "\t\n",
            "\x00",
            "\u202e" + "evil",
            "Ω≈ç√∫",
            "🇺🇾🏳️‍🌈",
            "${x}",
            "'; DROP TABLE answers; --",
            '=HYPERLINK("http://x")',
            "../../etc/passwd",
            "NaN",
            "inf",
            "-Infinity",
            "1e999",
            "0x1F",
            "1,5",
            "1 000",
            "yes",
            "no",
            "true()",
            "<script>alert(1)</script>",
        ]
    ),
)

HUGE_TEXT: st.SearchStrategy[str] = st.sampled_from(["x" * 100_000, "9" * 5000, "é" * 20_000, "a b " * 5000])

NUMBERS: st.SearchStrategy[object] = st.one_of(
    st.integers(),
    st.sampled_from([10**400, -(10**400), 2**63, -(2**63) - 1]),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([math.nan, math.inf, -math.inf, -0.0, 5e-324, 1.7976931348623157e308]),
    st.decimals(allow_nan=True, allow_infinity=True),
    st.sampled_from([Decimal("1e1000"), Decimal("sNaN"), Fraction(1, 3)]),
)

# Integers with more digits than Python turns into text (str() raises ValueError beyond 4300 digits).
HUGE_INTEGERS: st.SearchStrategy[int] = st.integers(4400, 5000).map(lambda digits: 10**digits)

SCALARS: st.SearchStrategy[object] = st.one_of(
    st.none(),
    st.booleans(),
    NUMBERS,
    HOSTILE_TEXT,
    st.dates(),
    st.datetimes(),
    st.just(datetime.time(12, 30)),
    st.binary(max_size=16),
)


def nested(leaves: st.SearchStrategy[object] = SCALARS, max_leaves: int = 8) -> st.SearchStrategy[object]:
    """Lists and mappings of ``leaves``, a few levels deep."""
    return st.recursive(
        leaves,
        lambda children: (
            st.lists(children, max_size=4)
            | st.dictionaries(st.text(max_size=6), children, max_size=4)
            | st.tuples(children, children)
            | st.frozensets(st.text(max_size=4), max_size=3)
        ),
        max_leaves=max_leaves,
    )


def damaged(data: bytes) -> st.SearchStrategy[bytes]:
    """Ways a file's bytes arrive broken: truncated, bytes flipped, junk appended or inserted, emptied."""
    if not data:
        return st.binary(max_size=64)
    size = len(data)
    truncated = st.integers(0, size - 1).map(lambda n: data[:n])
    flipped = st.lists(st.tuples(st.integers(0, size - 1), st.integers(1, 255)), min_size=1, max_size=8).map(
        lambda flips: _flip(data, flips)
    )
    inserted = st.tuples(st.integers(0, size), st.binary(min_size=1, max_size=64)).map(
        lambda t: data[: t[0]] + t[1] + data[t[0] :]
    )
    return st.one_of(
        truncated,
        flipped,
        inserted,
        st.binary(max_size=64).map(lambda junk: data + junk),
        st.just(b""),
        st.binary(max_size=512),
    )


def _flip(data: bytes, flips: list[tuple[int, int]]) -> bytes:
    buffer = bytearray(data)
    for index, mask in flips:
        buffer[index] ^= mask
    return bytes(buffer)
