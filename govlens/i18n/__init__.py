"""The one translation system of the core: gettext catalogues (``locale/<lang>/LC_MESSAGES/govlens.po``).

Every word the report, the country profiles and the dashboard print comes from here or from the framework's own
multilingual texts; the web interface uses Django's catalogues (``govlens/web/locale``), which are gettext too.
Messages are English (the msgid is the English text), with ``{name}`` placeholders filled in after translation,
and the language's typography applied (French puts a no-break space before ``: ; ? !``).

The compiled ``.mo`` files are committed beside the ``.po`` files; ``python -m govlens.i18n compile`` rebuilds
them and a test checks that they are up to date. This package sits below every layer (the framework takes
its LANGUAGES from here) and needs only the standard library and pycountry.
"""

from __future__ import annotations

import gettext as _gettext
import math
import re
from collections.abc import Iterator, Mapping, Sequence
from functools import cache
from pathlib import Path

# the languages of the frameworks, the report, the profiles and the dashboard
LANGUAGES: tuple[str, ...] = ("en", "es", "pt", "fr")
LOCALE_DIR = Path(__file__).parent / "locale"
DOMAIN = "govlens"

__all__ = [
    "DOMAIN",
    "LANGUAGES",
    "LOCALE_DIR",
    "NC_",
    "N_",
    "Catalogued",
    "check_language",
    "country_name",
    "format_list",
    "format_number",
    "gettext",
    "ngettext",
    "pgettext",
    "typeset_html",
    "typography",
]


def check_language(language: str) -> str:
    if language not in LANGUAGES:
        raise ValueError(f"language must be one of {{{', '.join(LANGUAGES)}}}; got {language!r}")
    return language


def N_(message: str) -> str:
    """Mark a message for the catalogue where it is translated later (tables of labels)."""
    return message


def NC_(context: str, message: str) -> str:
    """Mark a message with its context for the catalogue (``pgettext``), translated later."""
    return message


@cache
def translations(language: str) -> _gettext.NullTranslations:
    """The compiled catalogue of a language (English: the messages themselves)."""
    check_language(language)
    if language == "en":
        return _gettext.NullTranslations()
    return _gettext.translation(DOMAIN, str(LOCALE_DIR), languages=[language], fallback=True)


def _fill(text: str, language: str, values: Mapping[str, object]) -> str:
    return typography(text.format(**values) if values else text, language)


def gettext(message: str, language: str, **values: object) -> str:
    """``message`` in ``language``, with ``values`` filled into its ``{placeholders}``."""
    return _fill(translations(language).gettext(message), language, values)


def pgettext(context: str, message: str, language: str, **values: object) -> str:
    """Like :func:`gettext` for a message whose translation depends on a context ("quantifier", "setting")."""
    return _fill(translations(language).pgettext(context, message), language, values)


def ngettext(singular: str, plural: str, n: int, language: str, **values: object) -> str:
    """The singular or plural form for ``n`` (``{n}`` is filled in with it)."""
    return _fill(translations(language).ngettext(singular, plural, n), language, {"n": n, **values})


# French: a no-break space before ":" (U+00A0) and a narrow one before ";", "?" and "!" (U+202F), replacing a
# plain space or adding one; not in "http://", "12:30" or "::", where no space or letter follows the sign.
_FRENCH = re.compile(r"(?<=[^\s\u00a0\u202f(\[«])[ \u00a0\u202f]?([:;?!])(?=\s|$|[»)\]<])")
_FRENCH_SPACE = {":": "\u00a0", ";": "\u202f", "?": "\u202f", "!": "\u202f"}


def typography(text: str, language: str) -> str:
    """The text with the language's spacing before punctuation (only French has rules here)."""
    if language != "fr" or not text:
        return text
    text = _FRENCH.sub(lambda match: _FRENCH_SPACE[match.group(1)] + match.group(1), text)
    return text.replace("« ", "«\u202f").replace(" »", "\u202f»")


# tags, the elements whose contents are not prose, and character references ("&#x27;" must not become "&#x27 ;")
_MARKUP = re.compile(r"(<(style|script|code|pre|textarea)\b.*?</\2\s*>|<[^>]*>|&#?\w+;)", re.S | re.I)


def typeset_html(html: str, language: str) -> str:
    """An HTML page with :func:`typography` applied to its text (not to tags, attributes, styles, scripts, code
    or character references), for pages whose words come from several catalogues (the platform's Django pages)."""
    if language != "fr":
        return html
    out: list[str] = []
    at = 0
    before = ""  # the last character of text so far, across tags: "<b>Profil</b>: x" needs its space too
    for match in _MARKUP.finditer(html):  # text between tags is typeset; tags and their contents are kept
        text = html[at : match.start()]
        out.append(_typeset_text(text, before, language))
        out.append(match.group(0))
        before = text[-1:] or before
        at = match.end()
    out.append(_typeset_text(html[at:], before, language))
    return "".join(out)


_LEADING = re.compile(r"^[ \u00a0\u202f]?([:;?!])(?=\s|$)")


def _typeset_text(text: str, before: str, language: str) -> str:
    """:func:`typography` of a piece of text, also of punctuation that opens it right after a word in a tag."""
    if before and not before.isspace() and before not in "([«":
        text = _LEADING.sub(lambda match: _FRENCH_SPACE[match.group(1)] + match.group(1), text)
    return typography(text, language)


def format_number(value: float | None, decimals: int, language: str) -> str:
    """A number with ``decimals`` places and the language's decimal mark (a comma except in English)."""
    if value is None or math.isnan(value):
        return "–"
    text = f"{value:.{decimals}f}"
    if text.startswith("-") and float(text) == 0:
        text = text[1:]  # no "-0.00"
    return text if language == "en" else text.replace(".", ",")


@cache
def _iso3166(language: str) -> _gettext.NullTranslations:
    try:
        import pycountry

        return _gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[language])
    except (ImportError, OSError):
        return _gettext.NullTranslations()


def country_name(iso3: str, language: str = "en") -> str:
    """The country's common name in the language (pycountry's ISO 3166 catalogues), else the code itself."""
    try:
        import pycountry

        country = pycountry.countries.get(alpha_3=iso3)
    except (ImportError, LookupError, KeyError):
        country = None
    if country is None:
        return iso3
    english = getattr(country, "common_name", None) or country.name
    if language == "en":
        return str(english)
    translated = _iso3166(language).gettext(english)
    if translated == english and english != country.name:
        translated = _iso3166(language).gettext(country.name)
    return str(translated)


class Catalogued(Mapping[str, Mapping[str, str]]):
    """A table ``key -> language -> text`` whose texts come from the catalogue: ``table["most"]["es"]``.

    For code that looks words up by a language-neutral key (the quantifier bands); the English texts are the
    msgids, translated with ``context`` so that a short word ("all") has its own entry."""

    def __init__(self, context: str, messages: Mapping[str, str]):
        self.context = context
        self.messages = dict(messages)

    def __getitem__(self, key: str) -> Mapping[str, str]:
        message = self.messages[key]
        return {language: pgettext(self.context, message, language) for language in LANGUAGES}

    def __iter__(self) -> Iterator[str]:
        return iter(self.messages)

    def __len__(self) -> int:
        return len(self.messages)


_AND: Mapping[str, str] = {"en": "and", "es": "y", "pt": "e", "fr": "et"}


def format_list(items: Sequence[str], language: str) -> str:
    """The items joined as "A, B and C" in the language ("A, B y C", "A, B e C", "A, B et C"); Spanish writes
    "e" before an "i" sound ("Chile e Italia"); a comma sets apart a last name that holds the conjunction itself
    ("Jamaica, and Trinidad and Tobago"); items with commas of their own are set apart by semicolons."""
    parts = [item for item in items if item]
    if len(parts) < 2:
        return parts[0] if parts else ""
    conjunction = _AND[language]
    if language == "es" and parts[-1][:1].lower() == "i" and parts[-1][:2].lower() not in ("ia", "ie", "io", "iu"):
        conjunction = "e"
    if any("," in part for part in parts):  # items with commas of their own are set apart by semicolons
        last = ";" if language == "en" and len(parts) > 2 else ""
        return f"{'; '.join(parts[:-1])}{last} {conjunction} {parts[-1]}"
    # a comma before the last conjunction when a name holds it: "Jamaica, and Trinidad and Tobago"
    joined = any(f" {word} " in part for part in parts for word in set(_AND.values()))
    comma = "," if len(parts) > 2 and joined else ""
    return f"{', '.join(parts[:-1])}{comma} {conjunction} {parts[-1]}"
