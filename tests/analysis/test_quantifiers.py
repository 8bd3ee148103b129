"""Quantifier words: the cut-offs reproduce the seed's usage, cover [0, 1] once, and read in four languages."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from govlens.analysis.quantifiers import (
    BANDS,
    PHRASES,
    WORDS,
    band_for,
    countries_phrase,
    format_share,
    percent,
    quantifier,
    quantifier_key,
)
from govlens.framework.model import LANGUAGES

ORDER = ["none", "few", "minority", "about_half", "modest_majority", "most", "almost_all", "all"]


@pytest.mark.parametrize(
    ("count", "total", "word", "finding"),
    [
        (15, 17, "most", "F01: 88%"),
        (16, 17, "almost all", "F04: 94%"),
        (10, 17, "a modest majority", "F02: 59%"),
        (7, 17, "a minority", "F39: 41%"),
        (8, 17, "about half", "F07 advanced topics: about half"),
        (9, 17, "about half", "F07 advanced topics: about half"),
        (1, 2, "about half", "exactly half"),
        (14, 17, "most", "F07 established topics: above 80%"),
    ],
)
def test_the_seeds_shares_get_the_seeds_words(count: int, total: int, word: str, finding: str) -> None:
    assert quantifier(Fraction(count, total)) == word, finding
    assert quantifier(count / total) == word, finding  # a float gives the same word


@pytest.mark.parametrize(
    ("share", "key"),
    [
        (Fraction(0), "none"),
        (Fraction(1, 1000), "few"),
        (Fraction(1, 17), "few"),
        (Fraction(249, 1000), "few"),
        (Fraction(1, 4), "minority"),
        (Fraction(449, 1000), "minority"),
        (Fraction(9, 20), "about_half"),
        (Fraction(11, 20), "about_half"),
        (Fraction(551, 1000), "modest_majority"),
        (Fraction(699, 1000), "modest_majority"),
        (Fraction(7, 10), "most"),
        (Fraction(899, 1000), "most"),
        (Fraction(9, 10), "almost_all"),
        (Fraction(999, 1000), "almost_all"),
        (Fraction(1), "all"),
    ],
)
def test_cut_offs_at_and_around_each_bound(share: Fraction, key: str) -> None:
    assert quantifier_key(share) == key


def test_every_count_out_of_17() -> None:
    expected = (
        ["none"] + ["few"] * 4 + ["minority"] * 3 + ["about_half"] * 2 + ["modest_majority"] * 2
        + ["most"] * 4 + ["almost_all"] + ["all"]
    )  # fmt: skip
    assert [quantifier_key(Fraction(k, 17)) for k in range(18)] == expected


@given(st.fractions(min_value=0, max_value=1))
def test_bands_cover_every_share_exactly_once(share: Fraction) -> None:
    assert sum(band.contains(share) for band in BANDS) == 1


@given(st.fractions(min_value=0, max_value=1), st.fractions(min_value=0, max_value=1))
def test_a_larger_share_never_gets_a_smaller_word(a: Fraction, b: Fraction) -> None:
    low, high = sorted((a, b))
    assert ORDER.index(quantifier_key(low)) <= ORDER.index(quantifier_key(high))


def test_bands_are_in_order_and_have_words_in_every_language() -> None:
    assert [band.key for band in BANDS] == ORDER
    for band in BANDS:
        assert set(WORDS[band.key]) == set(LANGUAGES)
        assert set(PHRASES[band.key]) == set(LANGUAGES)
        assert all(WORDS[band.key].values()) and all(PHRASES[band.key].values())


@pytest.mark.parametrize(
    ("language", "word", "phrase"),
    [
        ("en", "most", "most countries"),
        ("es", "la mayoría", "la mayoría de los países"),
        ("pt", "a maioria", "a maioria dos países"),
        ("fr", "la plupart", "la plupart des pays"),
    ],
)
def test_words_in_four_languages(language: str, word: str, phrase: str) -> None:
    assert quantifier(Fraction(15, 17), language) == word
    assert countries_phrase(Fraction(15, 17), language) == phrase


@pytest.mark.parametrize(
    ("share", "whole"),
    [(Fraction(15, 17), 88), (Fraction(10, 17), 59), (Fraction(16, 17), 94), (Fraction(7, 17), 41),
     (Fraction(1, 8), 13), (Fraction(1, 200), 1), (Fraction(0), 0), (Fraction(1), 100)],
)  # fmt: skip
def test_percent_rounds_halves_up(share: Fraction, whole: int) -> None:
    assert percent(share) == whole


def test_share_formatting_by_language() -> None:
    assert format_share(Fraction(15, 17)) == "88%"
    assert format_share(Fraction(15, 17), "es") == "88%"
    assert format_share(Fraction(15, 17), "fr") == "88\u202f%"


def test_bad_parameters_say_what_was_allowed_and_what_arrived() -> None:
    with pytest.raises(ValueError, match=r"from 0 to 1; got 1\.2"):
        quantifier(1.2)
    with pytest.raises(ValueError, match=r"one of \{en, es, pt, fr\}; got 'de'"):
        quantifier(0.5, "de")
    with pytest.raises(TypeError, match="got True"):
        band_for(True)
