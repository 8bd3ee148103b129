"""The interface catalogues: every message translated in es/pt/fr and the compiled .mo files up to date."""

from __future__ import annotations

import gettext
import re
from pathlib import Path

import pytest

LOCALE = Path(__file__).resolve().parents[2] / "govlens" / "web" / "locale"


def _po_entries(path: Path) -> dict[str, str]:
    """msgid -> msgstr of a .po file (multi-line strings joined; the header left out)."""
    text = path.read_text(encoding="utf-8")
    entries: dict[str, str] = {}
    pattern = re.compile(r'^msgid ((?:".*"\n)+)msgstr ((?:".*"\n?)+)', re.MULTILINE)
    for match in pattern.finditer(text):
        msgid, msgstr = (
            "".join(re.findall(r'"(.*)"', block)).replace('\\"', '"').replace("\\n", "\n") for block in match.groups()
        )
        if msgid:
            entries[msgid] = msgstr
    return entries


@pytest.mark.parametrize("language", ["es", "pt", "fr"])
def test_catalogue_is_complete_and_compiled(language: str) -> None:
    folder = LOCALE / language / "LC_MESSAGES"
    entries = _po_entries(folder / "django.po")
    assert len(entries) > 100
    assert [msgid for msgid, msgstr in entries.items() if not msgstr] == []
    with (folder / "django.mo").open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    # Every message of the .po is in the .mo with the same translation (the .mo was recompiled).
    stale = [msgid for msgid, msgstr in entries.items() if compiled.gettext(msgid) != msgstr]
    assert stale == []


def test_placeholders_survive_translation() -> None:
    for language in ("es", "pt", "fr"):
        for msgid, msgstr in _po_entries(LOCALE / language / "LC_MESSAGES" / "django.po").items():
            assert sorted(re.findall(r"%\(\w+\)s", msgid)) == sorted(re.findall(r"%\(\w+\)s", msgstr)), (
                language,
                msgid,
            )
