"""The problem catalogue: one entry per code, messages from templates, layers registering their codes (the page
generated from it and the scan of the source for codes outside it: tests/test_error_codes.py)."""

from __future__ import annotations

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
    problem,
    register,
    render_error_codes,
)

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
    assert "## Data" in render_error_codes(("framework", "data")) and "`junk_rows`" in render_error_codes()
    assert BY_CODE["junk_rows"].layer == "data"
    with pytest.raises(ValueError, match="already a framework code"):
        register("elsewhere", (ErrorType("tree_cycle", "again", "{x}"),))
    with pytest.raises(ValueError, match="registers a problem code twice"):
        register("elsewhere", (ErrorType("new_one", "a", "{x}"), ErrorType("new_one", "b", "{x}")))
    assert "elsewhere" not in LAYERS and "new_one" not in BY_CODE


def test_problem_keeps_its_parameters_and_the_hint_follows_the_message() -> None:
    found = problem("invalid_direction", "t.csv", Location(row=3, column="direction"), id="I1", value=2)
    assert (found.row, found.column, dict(found.params)) == (3, "direction", {"id": "I1", "value": 2})
    assert str(found) == "t.csv:3: invalid_direction: direction of indicator 'I1' must be 1 or -1; got 2"
    register("elsewhere", (ErrorType("with_hint", "Hinted", "{share:.0%} left", hint="add more"),))
    try:
        assert message("with_hint", share=0.25) == "25% left; add more"
        assert message("with_hint") == "? left; add more"  # a missing number keeps the message readable
    finally:
        register("elsewhere", ())
        del LAYERS["elsewhere"]
