"""The problem catalogue: one entry per code, and docs/error-codes.md generated from it."""

from __future__ import annotations

from pathlib import Path

import pytest

import govlens.data.errors  # noqa: F401  (registers the data layer's codes, listed in the same page)
from govlens.framework.errors import (
    BY_CODE,
    CATALOGUE,
    LAYERS,
    Collector,
    ErrorType,
    Location,
    message,
    register,
    render_error_codes,
)

DOC = Path(__file__).resolve().parents[2] / "docs" / "error-codes.md"

REQUIRED = {
    "duplicate_name",
    "unknown_choice_list",
    "duplicate_choice",
    "scoring_choice_missing",
    "scoring_unknown_choice",
    "expression_syntax",
    "unknown_reference",
    "tree_cycle",
    "tree_dangling_parent",
    "tree_root",
    "invalid_weight",
    "invalid_direction",
    "leaf_without_scoring",
    "unknown_question",
    "missing_label_language",
    "unknown_seed_ref",
    "unreadable_file",
    "unsupported_feature",
    "no_scoring",
    "invalid_type",
}


def test_error_codes_doc_is_current() -> None:
    assert DOC.read_text(encoding="utf-8") == render_error_codes(), (
        "regenerate: python -c 'import govlens.data.errors; from govlens.framework.errors import"
        " render_error_codes as r; print(r(), end=\"\")' > docs/error-codes.md"
    )


def test_codes_are_unique_and_cover_the_issue() -> None:
    codes = [error.code for error in CATALOGUE]
    assert len(codes) == len(set(codes))
    assert set(codes) >= REQUIRED
    for code in ("missing_label_language", "no_scoring", "unsupported_feature"):
        assert str(BY_CODE[code].severity) == "warning"


def test_message_fills_the_template() -> None:
    assert (
        message("invalid_weight", id="P1", value="'abc'") == "weight of indicator 'P1' must be a number >= 0; got 'abc'"
    )
    assert message("unknown_reference", field="relevant", name="q", ref="x") == (
        "relevant of 'q' refers to ${x}, which is not a question"
    )


def test_collector_locates_problems() -> None:
    col = Collector("f.xlsx")
    col.add("invalid_direction", Location("indicators", 7), id="I1", value=2)
    assert str(col.report.problems[0]) == (
        "f.xlsx:indicators:7: invalid_direction: direction of indicator 'I1' must be 1 or -1; got 2"
    )


def test_layers_share_one_catalogue() -> None:
    assert "data" in LAYERS and BY_CODE["junk_rows"] in LAYERS["data"]
    assert "## Data" in render_error_codes() and "`junk_rows`" in render_error_codes()
    with pytest.raises(ValueError, match="already a framework code"):
        register("elsewhere", (ErrorType("tree_cycle", "again", "{x}"),))
    assert "elsewhere" not in LAYERS
