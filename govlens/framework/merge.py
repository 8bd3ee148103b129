"""Merge framework documents written in parts (a head with identity, settings and shared choice lists, then
parts with sections and indicators) into one document of ``docs/framework-format.md``.

Usage: ``python -m govlens.framework.merge OUT.yaml HEAD.yaml PART.yaml ...``
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import yaml

from govlens.framework.yaml_io import TOP_FIELDS, _Loader

# keys that are concatenated across parts; every other key is taken from the first document that has it
_LISTS = ("sections", "indicators")


class MergeError(ValueError):
    """The parts disagree (a choice list defined differently, or another scalar key set differently)."""


def merge_documents(docs: list[dict[str, Any]]) -> dict[str, Any]:
    """One document: sections and indicators concatenated in order, choice lists united (an identical
    duplicate is fine, a different one is an error naming both parts), other keys from the first part that
    sets them (a different value in a later part is an error)."""
    merged: dict[str, Any] = {}
    choices: dict[str, Any] = {}
    choice_origin: dict[str, int] = {}
    origin: dict[str, int] = {}
    conflicts: list[str] = []
    for index, doc in enumerate(docs):
        if not isinstance(doc, dict):
            raise MergeError(f"part {index + 1} must be a mapping of framework fields; got {type(doc).__name__}")
        for key, value in doc.items():
            if key in _LISTS:
                merged.setdefault(key, [])
                merged[key].extend(value or [])
            elif key == "choices":
                for list_name, options in (value or {}).items():
                    if list_name in choices and choices[list_name] != options:
                        conflicts.append(
                            f"choice list '{list_name}' differs between part {choice_origin[list_name] + 1} "
                            f"and part {index + 1}"
                        )
                    elif list_name not in choices:
                        choices[list_name] = options
                        choice_origin[list_name] = index
            elif key in merged:
                if merged[key] != value:
                    conflicts.append(f"'{key}' differs between part {origin[key] + 1} and part {index + 1}")
            else:
                merged[key] = value
                origin[key] = index
    if conflicts:
        raise MergeError("; ".join(conflicts))
    if choices:
        merged["choices"] = choices
    # keep the documented key order: identity first, then choices, sections, indicators
    order = [*TOP_FIELDS, *[key for key in merged if key not in TOP_FIELDS]]
    return {key: merged[key] for key in order if key in merged}


def merge_files(paths: Sequence[str | Path]) -> dict[str, Any]:
    """Merge YAML files; part numbers in errors are replaced by file names."""
    docs = [yaml.load(Path(path).read_text(encoding="utf-8"), Loader=_Loader) for path in paths]
    try:
        return merge_documents(docs)
    except MergeError as exc:
        message = str(exc)
        for number in range(len(paths), 0, -1):
            message = message.replace(f"part {number}", Path(paths[number - 1]).name)
        raise MergeError(message) from None


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) < 2:
        print("usage: python -m govlens.framework.merge OUT.yaml PART.yaml [PART.yaml ...]", file=sys.stderr)
        return 1
    out, parts = args[0], args[1:]
    try:
        merged = merge_files(parts)
    except (MergeError, OSError, yaml.YAMLError) as exc:
        print(f"merge failed: {exc}", file=sys.stderr)
        return 1
    Path(out).write_text(yaml.safe_dump(merged, sort_keys=False, allow_unicode=True, width=120), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
