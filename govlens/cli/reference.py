"""The CLI reference (docs/cli.md), generated from the command tree so it cannot go stale.

Typer vendors its own copy of Click, so commands are inspected by their public attributes rather than by
importing Click's classes.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import typer


def _subcommands(command: Any) -> list[tuple[str, Any]]:
    if not hasattr(command, "list_commands"):
        return []
    found = []
    for name in command.list_commands(None):
        sub = command.get_command(None, name)
        if sub is not None and not getattr(sub, "hidden", False):
            found.append((name, sub))
    return found


def walk(command: Any, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], Any]]:
    """Every command and group under ``command``, depth first, in the order ``--help`` lists them."""
    yield path, command
    for name, sub in _subcommands(command):
        yield from walk(sub, (*path, name))


def is_group(command: Any) -> bool:
    return hasattr(command, "list_commands")


def _usage(path: tuple[str, ...], command: Any) -> str:
    pieces = ["govlens", *path]
    pieces += [(p.metavar or p.name or "").upper() for p in command.params if p.param_type_name == "argument"]
    if any(p.param_type_name == "option" for p in command.params):
        pieces.append("[OPTIONS]")
    if is_group(command):
        pieces.append("COMMAND")
    return " ".join(pieces)


def render(app: typer.Typer) -> str:
    root = typer.main.get_command(app)
    lines = [
        "# Command-line reference",
        "",
        "Generated from the code by `govlens.cli.reference`; a test keeps it current.",
        "",
        "Every command prints the problems it finds in its input one per line on stderr, as",
        "`PATH:SHEET:ROW: code: message` (`PATH:LINE:` for text files; `warning: ` before the code of a warning;",
        "`(column 'C')` after the message when the column is known). The codes are listed in `docs/error-codes.md`.",
        "",
    ]
    for path, command in walk(root):
        summary = (command.help or "").strip().split("\n\n")[0].replace("\n", " ")
        lines += [f"## `{' '.join(('govlens', *path))}`", "", summary, "", "```", _usage(path, command), "```", ""]
        options = [p for p in command.params if p.param_type_name == "option" and not getattr(p, "hidden", False)]
        if options:
            lines += ["| option | meaning |", "|---|---|"]
            for option in options:
                names = ", ".join(f"`{name}`" for name in option.opts)
                helptext = (getattr(option, "help", None) or "").replace("|", "\\|").replace("\n", " ")
                lines.append(f"| {names} | {helptext} |")
            lines.append("")
    return "\n".join(lines).rstrip() + "\n"


if __name__ == "__main__":
    from govlens.cli import app

    print(render(app), end="")
