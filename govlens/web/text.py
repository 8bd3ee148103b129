"""Free text from users (comments, links, file names, user names, review notes): the core's one check of the
characters no stored text may hold (:func:`govlens.framework.answers.forbidden_character`), as the problem rows
services refuse with, the escaping that lets a message quote any input, and the strict reading of JSON bodies."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import Any

from govlens.framework.answers import forbidden_character
from govlens.web.collection.messages import forbidden_message
from govlens.web.errors import Invalid, renderable


def text_problem(text: object, *, what: str, question: str = "", field: str = "") -> dict[str, Any] | None:
    """The problem row for a text holding a character no stored text may hold (``what`` names it in the message:
    "the comment on 'notes'"), or None when it is storable (or not text: the caller checks types)."""
    if not isinstance(text, str):
        return None
    found = forbidden_character(text)
    if found is None:
        return None
    params = {"what": what, **found.params()}
    row: dict[str, Any] = {
        "question": question,
        "code": "control_character",
        "message": forbidden_message(params),
        "params": params,
    }
    if field:
        row["field"] = field
    return row


def require_storable(texts: Iterable[tuple[str, object]], *, field: str = "") -> None:
    """Refuse (Invalid, 422) when any of the (what, text) pairs holds a character no stored text may hold."""
    problems = [p for what, text in texts if (p := text_problem(text, what=what, field=field)) is not None]
    if problems:
        raise Invalid(f"{problems[0]['message']}; nothing was saved", problems=problems)


def quoted(text: object) -> str:
    """``text`` in quotes for a message, whatever it holds (a lone surrogate is shown as its escape)."""
    return f"'{renderable(str(text))}'"


def _json_float(text: str) -> float | str:
    # 1e-400 is read as 0.0 by Python: keep such a number as its text, so the answer checks refuse it by name
    value = float(text)
    return text if value == 0 and re.search(r"[1-9]", re.split(r"[eE]", text)[0]) else value


def _json_constant(name: str) -> float:
    raise ValueError(f"{name} is not JSON (a number must be finite; leave the answer out or send null)")


def json_read(text: str | bytes) -> Any:
    """JSON as a person meant it: NaN and Infinity refused (Python accepts them and NaN would clear an answer),
    a number too small for a float kept as its text, nesting too deep refused; ValueError says what is wrong."""
    try:
        return json.loads(text, parse_float=_json_float, parse_constant=_json_constant)
    except RecursionError:
        raise ValueError("JSON nested too deeply") from None
