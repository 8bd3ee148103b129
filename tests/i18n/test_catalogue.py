"""The core's gettext catalogues: complete, compiled, and read back as Python's gettext reads them."""

from __future__ import annotations

import gettext as stdlib_gettext
import io
from pathlib import Path

import pytest

from govlens.i18n import country_name, format_list, gettext, ngettext, pgettext, typeset_html, typography
from govlens.i18n.catalogue import Message, check, extract, read_po, write_mo, write_po


def test_every_message_of_the_code_is_translated_and_compiled() -> None:
    # the messages of the code and the templates, in every catalogue, translated, with the same placeholders,
    # and each .mo up to date with its .po (python -m govlens.i18n extract / compile)
    assert check() == []
    assert len(extract()) > 150


def test_compiled_catalogue_reads_back_with_the_standard_library(tmp_path: Path) -> None:
    messages = [
        Message("Rank", strings=["Posición"]),
        Message("all", context="quantifier", strings=["todos"]),
        Message("{n} country", plural="{n} countries", strings=["{n} país", "{n} países"]),
        Message("Untranslated"),
        Message("Doubtful", strings=["Dudoso"], fuzzy=True),
    ]
    header = "Content-Type: text/plain; charset=UTF-8\nPlural-Forms: nplurals=2; plural=(n != 1);\n"
    catalogue = stdlib_gettext.GNUTranslations(io.BytesIO(write_mo(header, messages)))
    assert catalogue.gettext("Rank") == "Posición"
    assert catalogue.pgettext("quantifier", "all") == "todos"
    assert catalogue.gettext("all") == "all"  # the context is part of the key
    assert [catalogue.ngettext("{n} country", "{n} countries", n) for n in (1, 3)] == ["{n} país", "{n} países"]
    assert catalogue.gettext("Untranslated") == "Untranslated" and catalogue.gettext("Doubtful") == "Doubtful"
    # and a .po written and read again keeps every entry
    path = tmp_path / "es.po"
    write_po(path, header, messages)
    again = read_po(path)[1]
    assert [(m.context, m.msgid, m.plural, m.strings, m.fuzzy) for m in again] == [
        (m.context, m.msgid, m.plural, m.strings, m.fuzzy) for m in messages
    ]


def test_a_malformed_po_names_its_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.po"
    path.write_text('msgid ""\nmsgstr ""\n\nmsgid "Rank"\nmsgstr Posición\n', encoding="utf-8")
    with pytest.raises(ValueError, match=r"bad.po:5"):
        read_po(path)


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "Countries (3 of 5): Chile; Peru!"),
        ("fr", "Countries (3 of 5)\u00a0: Chile\u202f; Peru\u202f!"),
    ],
)
def test_french_spaces_before_punctuation(language: str, expected: str) -> None:
    assert typography("Countries (3 of 5): Chile; Peru!", language) == expected


def test_french_spacing_leaves_addresses_times_and_existing_spaces_alone() -> None:
    assert typography("https://www.oecd.org à 12:30", "fr") == "https://www.oecd.org à 12:30"
    assert typography("Rang : 3", "fr") == "Rang\u00a0: 3"
    assert typography("« dites-le nous une fois »", "fr") == "«\u202fdites-le nous une fois\u202f»"


def test_messages_are_translated_with_placeholders_and_typography() -> None:
    assert gettext("Country profile: {country}", "es", country="Chile") == "Perfil de país: Chile"
    assert gettext("Country profile: {country}", "fr", country="Chili") == "Profil de pays\u00a0: Chili"
    assert pgettext("quantifier", "most", "pt") == "a maioria"
    assert ngettext(
        "Its strongest area is {areas}, above the regional average.",
        "Its strongest areas are {areas}, above the regional average.",
        2,
        "es",
        areas="A y B",
    ).startswith("Sus ámbitos más fuertes son A y B")


def test_lists_join_with_the_language_conjunction() -> None:
    assert format_list(["Chile", "Peru", "Uruguay"], "en") == "Chile, Peru and Uruguay"
    assert format_list(["Chile", "Perú"], "es") == "Chile y Perú"
    assert format_list(["Chile", "Italia"], "es") == "Chile e Italia"  # "y" becomes "e" before an i sound
    assert format_list(["Chile", "Perú"], "pt") == "Chile e Perú"
    assert format_list(["Chili"], "fr") == "Chili" and format_list([], "fr") == ""
    # labels with commas of their own are set apart by semicolons
    assert format_list(["Governance, strategy", "Data", "Services"], "en") == "Governance, strategy; Data; and Services"
    assert format_list(["Gobernanza, estrategia", "Datos"], "es") == "Gobernanza, estrategia y Datos"
    assert country_name("BRA", "es") == "Brasil" and country_name("XXX", "es") == "XXX"


def test_a_french_page_is_typeset_in_its_text_only() -> None:
    page = '<h1 title="a: b">Vue régionale: Indice</h1><style>a:hover{x:y}</style><code>a: b</code><p>Rang : 3; ok!</p>'
    assert typeset_html(page, "fr") == (
        '<h1 title="a: b">Vue régionale\u00a0: Indice</h1><style>a:hover{x:y}</style><code>a: b</code>'
        "<p>Rang\u00a0: 3\u202f; ok\u202f!</p>"
    )
    assert typeset_html(page, "es") == page
    # a character reference keeps its semicolon; the text around it is still typeset
    assert typeset_html("<li>reçu &#x27;3020&#x27;</li><p>Note: &amp; fin!</p>", "fr") == (
        "<li>reçu &#x27;3020&#x27;</li><p>Note\u00a0: &amp; fin\u202f!</p>"
    )
    # punctuation that follows a word closed in a tag gets its space; after a space or an opening bracket, none
    assert typeset_html("<p><b>Profil</b>: texte; <i>fin</i> ?</p><p>(<i>a</i>)</p>", "fr") == (
        "<p><b>Profil</b>\u00a0: texte\u202f; <i>fin</i>\u202f?</p><p>(<i>a</i>)</p>"
    )


def test_the_translation_system_sits_below_every_layer() -> None:
    # every layer may translate (the framework's languages, the analysis' quantifiers, the reports): so
    # govlens.i18n imports none of them
    from tests.test_architecture import LAYERS, imported_modules

    package = Path(__file__).resolve().parents[2] / "govlens" / "i18n"
    for path in sorted(package.rglob("*.py")):
        names = imported_modules(path.read_text(encoding="utf-8"), "govlens.i18n")
        assert not [n for n in names if n.split(".")[:2] in [["govlens", layer] for layer in LAYERS]], path
