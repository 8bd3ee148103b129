"""The plan editor's form: rows of actions (``a0_title``, ``a0_due`` ...) to the plan document, and back.

Milestones are typed one per line as ``DUE | TITLE`` or ``DUE | TITLE | DONE ON`` (dates YYYY-MM-DD), evidence
links one per line. A row left blank is no action; a row ticked ``a{i}_delete`` is removed. What the core finds
wrong is reported per field, and the page shows the user's own input again so nothing typed is lost.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.http import QueryDict

FIELDS = ("recommendation", "title", "institution", "start", "due", "status", "reason", "expected_effect")
MAX_ROWS = 200


def milestones_text(milestones: Sequence[Mapping[str, Any]]) -> str:
    lines = []
    for item in milestones:
        parts = [str(item.get("due") or ""), str(item.get("title") or "")]
        if item.get("done_on"):
            parts.append(str(item["done_on"]))
        lines.append(" | ".join(parts))
    return "\n".join(lines)


def _milestones(text: str) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    for line in text.splitlines():
        if not line.strip():
            continue
        parts = [part.strip() for part in line.split("|")]
        if len(parts) == 1:  # no separator: the core reports the missing date of this milestone
            found.append({"title": parts[0], "due": ""})
        elif len(parts) == 2:
            found.append({"due": parts[0], "title": parts[1]})
        else:  # the last part is the day it was reached; a title may itself hold a "|"
            found.append({"due": parts[0], "title": " | ".join(parts[1:-1]), "done_on": parts[-1] or None})
    return found


def rows_of(actions: Sequence[Mapping[str, Any]]) -> list[dict[str, str]]:
    """The editor's rows for a plan document (with a blank row to add an action)."""
    rows = []
    for action in [*actions, {}]:
        row = {name: "" if action.get(name) is None else str(action.get(name)) for name in FIELDS}
        row["evidence_urls"] = "\n".join(action.get("evidence_urls", []))
        row["milestones"] = milestones_text(action.get("milestones", []))
        rows.append(row)
    return rows


def posted_rows(post: QueryDict) -> list[dict[str, str]]:
    """The rows as typed (what the page shows again when the plan is refused)."""
    rows = []
    for index in range(MAX_ROWS + 1):
        prefix = f"a{index}_"
        if not any(key.startswith(prefix) for key in post):
            break
        row = {name: post.get(prefix + name, "") for name in (*FIELDS, "evidence_urls", "milestones")}
        row["delete"] = "1" if post.get(prefix + "delete") else ""
        rows.append(row)
    return rows


def actions_from_rows(rows: Sequence[Mapping[str, str]]) -> tuple[list[dict[str, Any]], list[int]]:
    """The plan document of the editor's rows (blank and deleted rows left out; the core checks it) and, for each
    action, the row it came from (so a problem can name the row the user sees)."""
    actions = []
    origin = []
    for number, row in enumerate(rows):
        if row.get("delete") or not any(row.get(name, "").strip() for name in ("recommendation", "title")):
            continue
        action: dict[str, Any] = {name: row.get(name, "").strip() for name in FIELDS}
        action["start"] = action["start"] or None
        action["due"] = action["due"] or None
        action["evidence_urls"] = [line.strip() for line in row.get("evidence_urls", "").splitlines() if line.strip()]
        action["milestones"] = _milestones(row.get("milestones", ""))
        actions.append(action)
        origin.append(number)
    return actions, origin
