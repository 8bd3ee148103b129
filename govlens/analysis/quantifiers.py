"""The word a report uses for a share of countries ("most", "a minority", ...), in the four languages (from the
gettext catalogues of :mod:`govlens.i18n`).

The bands are one table (:data:`BANDS`). They are chosen so that the seed review's own usage comes out:
88% "most", 94% "almost all", 59% "a modest majority", 41% "a minority", about 50% "about half", and the
F07 share "above 80%" "most". Shares are compared as exact fractions (``count / total``), so 11 of 20
(0.55) falls in the band its bounds say, whatever the rounding of a float.

=================  =====================  ===========================================
key                share s                example (of 17)
=================  =====================  ===========================================
none               s = 0                  0
few                0 < s < 1/4            1 to 4 (6% to 24%)
minority           1/4 <= s < 9/20        5 to 7 (29% to 41%)
about_half         9/20 <= s <= 11/20     8, 9 (47%, 53%)
modest_majority    11/20 < s < 7/10       10, 11 (59%, 65%)
most               7/10 <= s < 9/10       12 to 15 (71% to 88%)
almost_all         9/10 <= s < 1          16 (94%)
all                s = 1                  17
=================  =====================  ===========================================
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction

from govlens.framework.model import LANGUAGES
from govlens.i18n import NC_, Catalogued

__all__ = [
    "BANDS",
    "PHRASES",
    "WORDS",
    "Band",
    "band_for",
    "countries_phrase",
    "format_share",
    "percent",
    "quantifier",
    "quantifier_key",
]


@dataclass(frozen=True)
class Band:
    """A band of shares ``[low, high]``; ``low_closed``/``high_closed`` say whether each bound belongs to it."""

    key: str
    low: Fraction
    high: Fraction
    low_closed: bool
    high_closed: bool

    def contains(self, share: Fraction) -> bool:
        above = share >= self.low if self.low_closed else share > self.low
        below = share <= self.high if self.high_closed else share < self.high
        return above and below


# The cut-offs, in one place. The bands cover [0, 1] without gaps or overlaps (a test checks it).
BANDS: tuple[Band, ...] = (
    Band("none", Fraction(0), Fraction(0), True, True),
    Band("few", Fraction(0), Fraction(1, 4), False, False),
    Band("minority", Fraction(1, 4), Fraction(9, 20), True, False),
    Band("about_half", Fraction(9, 20), Fraction(11, 20), True, True),
    Band("modest_majority", Fraction(11, 20), Fraction(7, 10), False, False),
    Band("most", Fraction(7, 10), Fraction(9, 10), True, False),
    Band("almost_all", Fraction(9, 10), Fraction(1), True, False),
    Band("all", Fraction(1), Fraction(1), True, True),
)

# The bare quantifier word, as in "most (88%)"; translations in the gettext catalogues (context "quantifier").
WORDS: Mapping[str, Mapping[str, str]] = Catalogued(
    "quantifier",
    {
        "none": NC_("quantifier", "none"),
        "few": NC_("quantifier", "few"),
        "minority": NC_("quantifier", "a minority"),
        "about_half": NC_("quantifier", "about half"),
        "modest_majority": NC_("quantifier", "a modest majority"),
        "most": NC_("quantifier", "most"),
        "almost_all": NC_("quantifier", "almost all"),
        "all": NC_("quantifier", "all"),
    },
)

# The quantifier with the noun "countries", as the subject of a sentence ("a modest majority of countries"), so
# that a template's verb is always plural: "none" reads "cero países" rather than "ningún país", which would
# need a singular verb (a rule may give a statement of its own for that case, see ``narrative``).
PHRASES: Mapping[str, Mapping[str, str]] = Catalogued(
    "countries",
    {
        "none": NC_("countries", "no countries"),
        "few": NC_("countries", "few countries"),
        "minority": NC_("countries", "a minority of countries"),
        "about_half": NC_("countries", "about half of the countries"),
        "modest_majority": NC_("countries", "a modest majority of countries"),
        "most": NC_("countries", "most countries"),
        "almost_all": NC_("countries", "almost all countries"),
        "all": NC_("countries", "all countries"),
    },
)


def _fraction(share: float | Fraction) -> Fraction:
    if isinstance(share, bool) or not isinstance(share, int | float | Fraction):
        raise TypeError(f"share must be a number from 0 to 1; got {share!r}")
    value = share if isinstance(share, Fraction) else Fraction(share)
    if not Fraction(0) <= value <= Fraction(1):
        raise ValueError(f"share must be from 0 to 1; got {float(value)}")
    return value


def band_for(share: float | Fraction) -> Band:
    """The band a share in [0, 1] falls in (pass ``Fraction(count, total)`` for exact bounds)."""
    value = _fraction(share)
    for band in BANDS:
        if band.contains(value):
            return band
    raise AssertionError(f"no quantifier band for {value}")  # the bands cover [0, 1]


def quantifier_key(share: float | Fraction) -> str:
    """The language-neutral key of the quantifier: none, few, minority, about_half, modest_majority, most,
    almost_all or all."""
    return band_for(share).key


def _check_language(language: str) -> None:
    if language not in LANGUAGES:
        raise ValueError(f"language must be one of {{{', '.join(LANGUAGES)}}}; got {language!r}")


def quantifier(share: float | Fraction, language: str = "en") -> str:
    """The quantifier word for a share: ``quantifier(Fraction(15, 17))`` is "most"."""
    _check_language(language)
    return WORDS[quantifier_key(share)][language]


def countries_phrase(share: float | Fraction, language: str = "en") -> str:
    """The quantifier with the noun: "most countries", "a modest majority of countries"."""
    _check_language(language)
    return PHRASES[quantifier_key(share)][language]


def percent(share: float | Fraction) -> int:
    """The share as a whole percentage, halves rounded up (15/17 -> 88, 10/17 -> 59, 1/8 -> 13)."""
    return int(_fraction(share) * 100 + Fraction(1, 2))


def format_share(share: float | Fraction, language: str = "en") -> str:
    """The share as "88%" (French puts a narrow no-break space before the sign: "88 %")."""
    _check_language(language)
    number = percent(share)
    return f"{number}\u202f%" if language == "fr" else f"{number}%"
