"""Finds words left in English on a translated page: the phrases a reader sees on the English page that the same
page, rendered in another language, still shows word for word.

Used by the report test (``tests/reports/test_chapter.py``) and the platform's pages test
(``tests/web/test_i18n.py``). What is not language is left out: code, scripts and styles, passages marked in another
language than the page's (an English citation), release ids, and the data a test supplies (``data``: framework
labels, names, what users typed), which stays as it was entered in every language.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from html.parser import HTMLParser

_VOID = frozenset({"meta", "br", "hr", "img", "input", "link", "source", "wbr", "col", "area", "base"})
# attributes whose words reach the reader: tooltips, labels read by screen readers, placeholders, and the
# questionnaire script's messages (data-...-text, data-one, data-many)
_SPOKEN = re.compile(r"^(title|aria-label|placeholder|alt|data-[\w-]*text|data-one|data-many)$")
_WORD = re.compile(r"[^\W\d_]{2,}")
_SPACES = re.compile(r"[ \t\n\r\f\v]+")


class PageText(HTMLParser):
    """The text segments of a page (and, with ``attributes``, the attribute values) a reader sees."""

    SKIP = frozenset({"style", "code", "script", "textarea"})  # a textarea holds what a user typed

    def __init__(self, *, attributes: bool = False) -> None:
        super().__init__(convert_charrefs=True)
        self.attributes = attributes
        self.segments: list[str] = []
        self.stack: list[bool] = []
        self.language = ""

    def _skipping(self) -> bool:
        return bool(self.stack) and self.stack[-1]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "html":
            self.language = values.get("lang") or ""
        classes = (values.get("class") or "").split()
        # a passage marked in another language than the page's (an English citation) is not the page's text
        other = tag != "html" and values.get("lang") not in (None, self.language)
        skip = tag in self.SKIP or other or "code" in classes or "release-id" in classes or self._skipping()
        if self.attributes and not skip:
            for name, value in attrs:
                if value and _SPOKEN.match(name):
                    self._add(value)
        if tag not in _VOID:
            self.stack.append(skip)

    def handle_endtag(self, tag: str) -> None:
        if self.stack and tag not in _VOID:
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        if not self._skipping():
            self._add(data)

    def _add(self, text: str) -> None:
        text = _SPACES.sub(" ", text).strip(" ")  # no-break spaces are kept: they are the page's typography
        if text:
            self.segments.append(text)


def without_data(data: Iterable[str]) -> Callable[[str], str]:
    """A function that takes every ``data`` string out of a text where it stands as whole words (never from
    inside a word), leaving a space."""
    known = sorted({" ".join(d.split()) for d in data if d.strip()}, key=len, reverse=True)
    if not known:
        return lambda text: text
    pattern = re.compile("|".join(rf"(?<!\w){re.escape(item)}(?!\w)" for item in known))
    return lambda text: pattern.sub(" ", text)


def segments(html: str, *, attributes: bool = False) -> list[str]:
    parser = PageText(attributes=attributes)
    parser.feed(html)
    return parser.segments


def phrases(html: str, *, data: Iterable[str] = (), words: int = 3, attributes: bool = False) -> set[str]:
    """The segments of ``html`` with at least ``words`` words of two letters or more once every ``data`` string
    is taken out of them (a phrase, not a name, a code, a number or something a user typed)."""
    rest = without_data(data)
    return {text for text in segments(html, attributes=attributes) if len(_WORD.findall(rest(text))) >= words}


def english_left(
    english: str, translated: str, *, data: Iterable[str] = (), words: int = 3, attributes: bool = False
) -> list[str]:
    """The phrases of the English page that the translated page shows unchanged, sorted."""
    data = list(data)
    return sorted(
        phrases(english, data=data, words=words, attributes=attributes)
        & phrases(translated, data=data, words=words, attributes=attributes)
    )
