"""``python -m govlens.i18n extract|compile|check``: keep the core's catalogues in step with the code.

- ``extract`` adds the messages the code and templates use to every language's ``.po`` (untranslated);
- ``compile`` writes each ``.mo`` from its ``.po``;
- ``check`` exits 1 naming each message that is missing, untranslated or not compiled.
"""

from __future__ import annotations

import sys

from govlens.i18n.catalogue import catalogue_languages, check, compile_catalogue, extract, po_path, update_po


def main(argv: list[str]) -> int:
    command = argv[0] if argv else ""
    if command == "extract":
        messages = extract()
        for language in catalogue_languages():
            added, unused = update_po(language, messages)
            print(f"{po_path(language)}: {added} new message(s), {unused} no longer used")
        return 0
    if command == "compile":
        for language in catalogue_languages():
            print(f"wrote {compile_catalogue(po_path(language))}")
        return 0
    if command == "check":
        problems = check()
        for problem in problems:
            print(problem)
        print(f"{len(problems)} problem(s)")
        return 1 if problems else 0
    print("usage: python -m govlens.i18n extract|compile|check", file=sys.stderr)
    return 2


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
