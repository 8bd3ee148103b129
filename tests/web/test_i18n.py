"""The interface catalogues: every message of the code in them, translated in es/pt/fr, the compiled .mo files
up to date."""

from __future__ import annotations

import gettext
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from govlens.i18n import typography
from govlens.i18n.catalogue import read_po

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


# -- the catalogues are up to date with the code -------------------------------------------------------------------
# The command that regenerates them (run from govlens/web), then translate and compile:
EXTRACT = "python -m govlens.web makemessages -l es -l pt -l fr --no-location --no-obsolete"


def _keys(path: Path) -> set[tuple[str, str, str]]:
    """(context, msgid, plural) of every message of a catalogue."""
    _header, messages = read_po(path)
    return {(message.context, message.msgid, message.plural) for message in messages}


def test_the_catalogues_hold_every_message_of_the_code(tmp_path: Path, settings: Any, monkeypatch: Any) -> None:
    """Django's extraction over a copy of the web tree finds no message that the committed catalogues lack, and
    none that the code no longer has. It needs GNU gettext (xgettext, msgmerge): without it the extraction fails
    and so does this test, rather than skip (CI installs gettext)."""
    copy = tmp_path / "web"
    shutil.copytree(LOCALE.parent, copy, ignore=shutil.ignore_patterns("__pycache__"))
    settings.LOCALE_PATHS = [copy / "locale"]
    monkeypatch.chdir(copy)
    call_command("makemessages", locale=["es", "pt", "fr"], no_location=True, no_obsolete=True, verbosity=0)
    for language in ("es", "pt", "fr"):
        committed = _keys(LOCALE / language / "LC_MESSAGES" / "django.po")
        extracted = _keys(copy / "locale" / language / "LC_MESSAGES" / "django.po")
        assert len(extracted) > 100
        missing = sorted(extracted - committed)
        stale = sorted(committed - extracted)
        assert (missing, stale) == ([], []), f"{language}: regenerate from govlens/web with: {EXTRACT}"


def test_no_entry_is_fuzzy_and_plurals_have_every_form() -> None:
    forms = {"es": 3, "pt": 2, "fr": 2}
    for language, count in forms.items():
        _header, messages = read_po(LOCALE / language / "LC_MESSAGES" / "django.po")
        assert [m.msgid for m in messages if m.fuzzy] == [], language
        plural = [m for m in messages if m.plural]
        assert plural and all(len(m.strings) == count and all(m.strings) for m in plural), language


def test_french_entries_have_french_typography() -> None:
    """A no-break space before ':' and a narrow one before ';', '?', '!' and inside guillemets, as the core's
    typography writes them (the platform typesets its pages too, but messages also reach JSON and e-mails)."""
    wrong = [
        msgstr
        for msgstr in _po_entries(LOCALE / "fr" / "LC_MESSAGES" / "django.po").values()
        if typography(msgstr, "fr") != msgstr
    ]
    assert wrong == []
