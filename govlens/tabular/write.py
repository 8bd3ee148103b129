"""How GovLens writes CSV: RFC 4180, so that every CSV it exports reads back through this package alike, and
no cell that a spreadsheet would evaluate as a formula."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

# RFC 4180 ends each record with CRLF; Excel and every CSV reader accept it, and a file stays one form everywhere.
LINE_END = "\r\n"

# What makes a spreadsheet read a cell as a formula (or, for tab and CR, shift it into one).
FORMULA_PREFIXES: tuple[str, ...] = ("=", "+", "-", "@", "\t", "\r")

# A spreadsheet opening a CSV splits it at its list separator: ',' in English, ';' in the Spanish, Portuguese and
# French locales, quoting or not. So "Agencia;=2+3" opens as two cells there, the second a formula: every place
# where a cell could start (the text's start and after either separator) gets the apostrophe.
_AFTER_SEPARATOR = re.compile(r"(?<=[,;])(?=[=+\-@\t\r])")


def neutralise(value: object) -> object:
    """A text that a spreadsheet would evaluate, at its start or after a ',' or ';' where a spreadsheet splitting
    at that separator starts a cell, gets an apostrophe there; numbers and other values pass. The one neutraliser
    of every CSV and spreadsheet GovLens writes."""
    if not isinstance(value, str):
        return value
    text = _AFTER_SEPARATOR.sub("'", value)
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def write_frame(frame: pd.DataFrame, target: Path | str | Any) -> None:
    """``frame`` as a CSV file (or open text handle): CRLF records, every text cell and header neutralised,
    numbers at full precision as pandas writes them."""
    from pandas.api.types import infer_dtype, is_numeric_dtype  # pandas is loaded already: the frame is one

    safe = frame.rename(columns=lambda name: neutralise(name))
    for column in safe.columns:
        values = safe[column]
        if is_numeric_dtype(values.dtype):
            continue
        if infer_dtype(values, skipna=True) == "string":
            # each distinct text once: a results table repeats a few unit and node names on every row
            safe[column] = values.map({text: neutralise(text) for text in values.unique()})
        else:
            safe[column] = values.map(neutralise)
    safe.to_csv(target, index=False, lineterminator=LINE_END)
