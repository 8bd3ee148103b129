"""How the values of a release become JSON and back: canonical bytes (for the hash), answers, result tables.

Floats go through Python's shortest round-trip representation, so a table read back holds the very same numbers;
NaN is written as null.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from govlens.framework.answers import Answer

__all__ = [
    "answer_from_json",
    "answer_to_json",
    "canonical",
    "float_or_none",
    "frame_from_dict",
    "frame_to_dict",
    "json_value",
]


def canonical(data: Any) -> bytes:
    """Canonical JSON: sorted keys, no spaces, UTF-8, no NaN (the bytes the content hash is taken over)."""
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False).encode("utf-8")


def answer_to_json(value: Answer) -> Any:
    return list(value) if isinstance(value, tuple) else value


def answer_from_json(value: Any) -> Answer:
    if isinstance(value, list):
        return tuple(str(item) for item in value)
    if value is None or isinstance(value, str | int | float):
        return value
    raise ValueError(f"an answer must be text, a number, a list of options or null; got {value!r}")


def float_or_none(value: float) -> float | None:
    return None if value is None or math.isnan(value) else float(value)


def frame_to_dict(frame: pd.DataFrame) -> dict[str, Any]:
    """A units x nodes table as ``{"units", "nodes", "values"}`` (rows of floats or null)."""
    return {
        "units": [str(unit) for unit in frame.index],
        "nodes": [str(node) for node in frame.columns],
        "values": [[float_or_none(v) for v in row] for row in frame.to_numpy(dtype=float).tolist()],
    }


def frame_from_dict(data: Mapping[str, Any]) -> pd.DataFrame:
    values = np.array(
        [[math.nan if v is None else float(v) for v in row] for row in data["values"]], dtype=float
    ).reshape(len(data["units"]), len(data["nodes"]))
    return pd.DataFrame(values, index=pd.Index(data["units"], name="unit"), columns=list(data["nodes"]))


def json_value(value: Any) -> Any:
    """A table cell as plain JSON: floats (NaN as null), ints, or text."""
    if isinstance(value, float | np.floating):
        return None if math.isnan(float(value)) else float(value)
    if isinstance(value, int | np.integer) and not isinstance(value, bool):
        return int(value)
    return None if value is None else str(value)
