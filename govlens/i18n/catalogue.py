"""The catalogue files: read a ``.po``, compile it to ``.mo``, extract the messages the code and templates use.

A small reader and writer of the GNU gettext formats (what ``msgfmt`` does), so that the catalogues are built
with the standard library alone, on any machine, and a test can check that each ``.mo`` matches its ``.po``.
Messages are found in the core's Python code (calls of ``gettext``, ``pgettext``, ``ngettext``, ``N_`` and
``_`` with literal arguments) and in the report templates (``_("...")``, ``pgettext("...", "...")``).
"""

from __future__ import annotations

import ast
import re
import struct
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from govlens.i18n import DOMAIN, LANGUAGES, LOCALE_DIR

__all__ = [
    "Message",
    "compile_catalogue",
    "extract",
    "po_path",
    "read_po",
    "update_po",
    "write_mo",
    "write_po",
]

PACKAGE = Path(__file__).resolve().parents[1]
# where the core's messages live (the web layer has Django's catalogues)
SOURCES: tuple[str, ...] = ("framework", "analysis", "release", "reports", "i18n")
FUNCTIONS = {"gettext": 1, "_": 1, "N_": 1, "pgettext": 2, "NC_": 2, "ngettext": 2}


@dataclass
class Message:
    """One entry: ``context`` and ``msgid`` (and ``plural``) with their translation(s)."""

    msgid: str
    context: str = ""
    plural: str = ""
    strings: list[str] = field(default_factory=lambda: [""])
    comments: list[str] = field(default_factory=list)
    fuzzy: bool = False

    @property
    def key(self) -> tuple[str, str]:
        return self.context, self.msgid

    @property
    def translated(self) -> bool:
        return not self.fuzzy and all(self.strings)


def po_path(language: str, locale_dir: Path = LOCALE_DIR) -> Path:
    return locale_dir / language / "LC_MESSAGES" / f"{DOMAIN}.po"


# -- .po ----------------------------------------------------------------------------------------------------------
_ESCAPES = {"n": "\n", "t": "\t", '"': '"', "\\": "\\"}


def _unquote(text: str) -> str:
    body = text.strip()
    if not (body.startswith('"') and body.endswith('"')):
        raise ValueError(f"expected a quoted string; got {text!r}")
    return re.sub(r"\\(.)", lambda m: _ESCAPES.get(m.group(1), m.group(1)), body[1:-1])


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t") + '"'


def read_po(path: Path) -> tuple[str, list[Message]]:
    """(header, messages) of a ``.po`` file; raises ValueError naming the line of a malformed entry."""
    header = ""
    messages: list[Message] = []
    current: Message | None = None
    target: tuple[str, int] | None = None
    comments: list[str] = []
    fuzzy = False

    def finish() -> None:
        nonlocal current, header
        if current is not None:
            if current.msgid == "" and not current.context:
                header = current.strings[0]
            else:
                messages.append(current)
        current = None

    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        stripped = line.strip()
        try:
            if not stripped:
                continue
            if stripped.startswith("#"):
                if current is not None and target is not None:
                    finish()
                    target = None
                if stripped.startswith("#,"):
                    fuzzy = fuzzy or "fuzzy" in stripped
                elif stripped.startswith("#.") or stripped.startswith("#:"):
                    comments.append(stripped)
                continue
            keyword, _, rest = stripped.partition(" ")
            if keyword == "msgctxt" or (keyword == "msgid" and (current is None or target != ("context", 0))):
                finish()
                current = Message(msgid="", comments=comments, fuzzy=fuzzy)
                comments, fuzzy = [], False
            if current is None:
                raise ValueError(f"{keyword} outside an entry")
            if keyword == "msgctxt":
                current.context, target = _unquote(rest), ("context", 0)
            elif keyword == "msgid":
                current.msgid, target = _unquote(rest), ("msgid", 0)
            elif keyword == "msgid_plural":
                current.plural, target = _unquote(rest), ("plural", 0)
            elif keyword == "msgstr":
                current.strings, target = [_unquote(rest)], ("strings", 0)
            elif keyword.startswith("msgstr["):
                index = int(keyword[7:-1])
                while len(current.strings) <= index:
                    current.strings.append("")
                current.strings[index], target = _unquote(rest), ("strings", index)
            elif stripped.startswith('"') and target is not None:
                name, index = target
                if name == "strings":
                    current.strings[index] += _unquote(stripped)
                else:
                    setattr(current, name, getattr(current, name) + _unquote(stripped))
            else:
                raise ValueError(f"unexpected {keyword!r}")
        except ValueError as problem:
            raise ValueError(f"{path}:{number}: {problem}") from None
    finish()
    if current is not None:
        messages.append(current)
    return header, messages


def _wrapped(keyword: str, text: str) -> list[str]:
    if "\n" not in text[:-1] and len(text) < 70:
        return [f"{keyword} {_quote(text)}"]
    parts = re.findall(r"[^\n]*\n|[^\n]+", text) or [""]
    return [f'{keyword} ""', *(_quote(part) for part in parts)]


def write_po(path: Path, header: str, messages: Sequence[Message]) -> None:
    lines = ['msgid ""', *_wrapped("msgstr", header), ""]
    for message in messages:
        lines.extend(message.comments)
        if message.fuzzy:
            lines.append("#, fuzzy")
        if message.context:
            lines.append(f"msgctxt {_quote(message.context)}")
        lines.extend(_wrapped("msgid", message.msgid))
        if message.plural:
            lines.extend(_wrapped("msgid_plural", message.plural))
            for index, text in enumerate(message.strings):
                lines.extend(_wrapped(f"msgstr[{index}]", text))
        else:
            lines.extend(_wrapped("msgstr", message.strings[0]))
        lines.append("")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines), encoding="utf-8")


# -- .mo ----------------------------------------------------------------------------------------------------------
def write_mo(header: str, messages: Iterable[Message]) -> bytes:
    """The GNU ``.mo`` file of a catalogue (translated, non-fuzzy entries only; keys sorted as msgfmt does)."""
    pairs: dict[bytes, bytes] = {b"": header.encode("utf-8")}
    for message in messages:
        if not message.translated:
            continue
        key = message.msgid if not message.plural else f"{message.msgid}\0{message.plural}"
        if message.context:
            key = f"{message.context}\x04{key}"
        pairs[key.encode("utf-8")] = "\0".join(message.strings).encode("utf-8")
    keys = sorted(pairs)
    count = len(keys)
    originals_at = 7 * 4
    translations_at = originals_at + count * 8
    data_at = translations_at + count * 8
    offsets: list[tuple[int, int]] = []
    blob = b""
    for original in keys:
        offsets.append((len(original), data_at + len(blob)))
        blob += original + b"\0"
    translated: list[tuple[int, int]] = []
    for original in keys:
        translated.append((len(pairs[original]), data_at + len(blob)))
        blob += pairs[original] + b"\0"
    out = struct.pack("<7I", 0x950412DE, 0, count, originals_at, translations_at, 0, data_at)
    out += b"".join(struct.pack("<2I", *item) for item in offsets)
    out += b"".join(struct.pack("<2I", *item) for item in translated)
    return out + blob


def compile_catalogue(po: Path) -> Path:
    """Write the ``.mo`` beside a ``.po``; returns its path."""
    header, messages = read_po(po)
    target = po.with_suffix(".mo")
    target.write_bytes(write_mo(header, messages))
    return target


# -- extraction ---------------------------------------------------------------------------------------------------
def _literal(node: ast.expr) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def _python_messages(path: Path) -> list[Message]:
    found: list[Message] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call):
            continue
        name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", "")
        if name not in FUNCTIONS or len(node.args) < FUNCTIONS[name]:
            continue
        texts = [_literal(arg) for arg in node.args[: FUNCTIONS[name]]]
        if any(text is None for text in texts):
            continue
        where = f"#: {path.relative_to(PACKAGE.parent)}:{node.lineno}"
        if name in ("pgettext", "NC_"):
            found.append(Message(msgid=str(texts[1]), context=str(texts[0]), comments=[where]))
        elif name == "ngettext":
            found.append(Message(msgid=str(texts[0]), plural=str(texts[1]), strings=["", ""], comments=[where]))
        else:
            found.append(Message(msgid=str(texts[0]), comments=[where]))
    return found


_STRING = r'"((?:[^"\\]|\\.)*)"'
_TEMPLATE_CALLS = (
    (re.compile(r"\b_\(\s*" + _STRING), "gettext"),
    (re.compile(r"\bpgettext\(\s*" + _STRING + r"\s*,\s*" + _STRING), "pgettext"),
    (re.compile(r"\bngettext\(\s*" + _STRING + r"\s*,\s*" + _STRING), "ngettext"),
)


def _template_messages(path: Path) -> list[Message]:
    text = path.read_text(encoding="utf-8")
    found: list[Message] = []
    for pattern, kind in _TEMPLATE_CALLS:
        for match in pattern.finditer(text):
            line = text.count("\n", 0, match.start()) + 1
            where = [f"#: {path.relative_to(PACKAGE.parent)}:{line}"]
            groups = [_unquote(f'"{group}"') for group in match.groups()]
            if kind == "pgettext":
                found.append(Message(msgid=groups[1], context=groups[0], comments=where))
            elif kind == "ngettext":
                found.append(Message(msgid=groups[0], plural=groups[1], strings=["", ""], comments=where))
            else:
                found.append(Message(msgid=groups[0], comments=where))
    return found


def extract(package: Path = PACKAGE) -> list[Message]:
    """Every message the core uses, once each, in the order first met (sources in path order)."""
    found: dict[tuple[str, str], Message] = {}
    for layer in SOURCES:
        folder = package / layer
        for path in sorted(folder.rglob("*.py")):
            for message in _python_messages(path):
                found.setdefault(message.key, message)
        for path in sorted(folder.rglob("*.html")):
            for message in _template_messages(path):
                found.setdefault(message.key, message)
    return list(found.values())


def update_po(language: str, messages: Sequence[Message], locale_dir: Path = LOCALE_DIR) -> tuple[int, int]:
    """Add the new ``messages`` to a language's ``.po`` (untranslated), drop those no longer used (except the
    data messages, marked ``#. data``); returns (added, dropped)."""
    path = po_path(language, locale_dir)
    header, existing = read_po(path) if path.exists() else (_header(language), [])
    known = {message.key: message for message in existing}
    added = 0
    for message in messages:
        if message.key not in known:
            entry = Message(message.msgid, message.context, message.plural, ["" for _ in message.strings])
            existing.append(entry)
            known[entry.key] = entry
            added += 1
        # no "#: file:line" references: they would change the catalogues whenever code moves
        known[message.key].comments = [c for c in known[message.key].comments if c.startswith("#.")]
    used = {message.key for message in messages}
    kept = [message for message in existing if message.key in used or _data_message(message)]
    write_po(path, header, kept)
    return added, len(existing) - len(kept)


def _data_message(message: Message) -> bool:
    """Messages that come from data (dataset labels, finding topics), marked ``#. data`` in the catalogue."""
    return any(comment.startswith("#. data") for comment in message.comments)


_PLURALS = {
    "es": "nplurals=2; plural=(n != 1);",
    "pt": "nplurals=2; plural=(n != 1);",
    "fr": "nplurals=2; plural=(n > 1);",
}


def _header(language: str) -> str:
    return (
        "Project-Id-Version: GovLens\n"
        f"Language: {language}\n"
        "MIME-Version: 1.0\n"
        "Content-Type: text/plain; charset=UTF-8\n"
        "Content-Transfer-Encoding: 8bit\n"
        f"Plural-Forms: {_PLURALS.get(language, 'nplurals=2; plural=(n != 1);')}\n"
    )


def catalogue_languages() -> tuple[str, ...]:
    return tuple(language for language in LANGUAGES if language != "en")


def check(locale_dir: Path = LOCALE_DIR) -> list[str]:
    """Every problem of the catalogues, one line each: a message the code uses and a language lacks or leaves
    untranslated, a placeholder lost in translation, a ``.mo`` older than its ``.po``."""
    import gettext

    used = extract()
    problems: list[str] = []
    for language in catalogue_languages():
        path = po_path(language, locale_dir)
        if not path.exists():
            problems.append(f"{path}: missing")
            continue
        _, messages = read_po(path)
        known = {message.key: message for message in messages}
        for message in used:
            entry = known.get(message.key)
            label = f"{message.context}|{message.msgid}" if message.context else message.msgid
            if entry is None:
                problems.append(f"{path}: message not in the catalogue: {label!r}")
            elif not entry.translated:
                problems.append(f"{path}: message not translated: {label!r}")
        for message in messages:
            wanted = sorted(re.findall(r"\{\w+\}", message.msgid + message.plural))
            for text in message.strings:
                if text and sorted(set(re.findall(r"\{\w+\}", text))) != sorted(set(wanted)):
                    problems.append(f"{path}: placeholders differ in the translation of {message.msgid!r}")
        mo = path.with_suffix(".mo")
        if not mo.exists():
            problems.append(f"{mo}: missing (python -m govlens.i18n compile)")
            continue
        with mo.open("rb") as handle:
            compiled = gettext.GNUTranslations(handle)
        for message in messages:
            if not message.translated:
                continue
            if message.plural:
                got = [compiled.ngettext(message.msgid, message.plural, n) for n in (1, 2)]
                stale = message.strings[0] not in got
            elif message.context:
                stale = compiled.pgettext(message.context, message.msgid) != message.strings[0]
            else:
                stale = compiled.gettext(message.msgid) != message.strings[0]
            if stale:
                problems.append(f"{mo}: out of date for {message.msgid!r} (python -m govlens.i18n compile)")
                break
    return problems
