"""Errors of the data layer.

A source file that is missing, changed or replaced by an error page is an I/O problem: it raises
:class:`SourceError`, whose message names the file and says what was expected. Problems *inside* a
well-formed file (an unknown country name, junk rows, a suspicious derived column) are collected into the
dataset's report with one of the codes below.
"""

from __future__ import annotations

from collections.abc import Iterable

from govlens.framework.errors import BY_CODE, ErrorType, register
from govlens.framework.report import Problem, Severity

# One code per kind of data problem found while loading a dataset, registered in the one catalogue of
# govlens.framework.errors; the loader writes the whole message (``detail``), the title says what it means.
# A pre-fill rule naming a missing question reuses the framework's ``unknown_question``.
_TYPES: tuple[ErrorType, ...] = tuple(
    ErrorType(code, title, "{detail}", Severity.WARNING)
    for code, title in (
        ("unknown_unit", "a country code or name could not be mapped to ISO 3166-1 alpha-3; the row is dropped"),
        ("legacy_code", "a publisher's legacy or non-ISO code was mapped to ISO 3166-1 alpha-3"),
        ("junk_rows", "rows that are not data (legends, counts, notes) were dropped"),
        (
            "not_a_number",
            "text or an infinite value found where a number was expected; the value is treated as missing",
        ),
        ("ignored_column", "a column of the file is not used (derived by a third party, or a hold-out)"),
        ("rescaled", "values published on another scale were rescaled to the dataset's scale"),
        ("lineage", "a variable is a copy of another publisher's index"),
        ("member_flag_differs", "a membership flag in the file differs from the accession dates of govlens groups"),
        ("sources_disagree", "two copies of the same data disagree"),
        ("optional_file_missing", "an optional file of the dataset is absent; the dataset loads without it"),
        ("not_assessed", "a publisher's 0 stands for an economy it did not assess; the values are read as missing"),
        ("year_mismatch", "the year inside the file differs from the year in its name"),
        ("unknown_variable", "a pre-fill rule names a variable that is not in its dataset"),
    )
)
# choosing a public dataset as the index engine's input (govlens index compute --data DATASET)
_INDEX_INPUT: tuple[ErrorType, ...] = (
    ErrorType("dataset_not_found", "No such dataset", "{reason}"),
    ErrorType("dataset_year", "Year not in the dataset", "year must be one of {allowed}; got {year}"),
    ErrorType(
        "units_left_out",
        "Units without data left out",
        "{count} units without any value in {year} are left out",
        Severity.WARNING,
    ),
)
# files a user gives: peer groups (govlens data compare --groups) and pre-fill rules; they also report the framework's
# unreadable_file, yaml_syntax, missing_field, invalid_value and unknown_question
_USER_FILES: tuple[ErrorType, ...] = (
    ErrorType("invalid_structure", "Not the expected structure", "{what} must be {expected}; got {value}"),
    ErrorType("group_columns", "Peer groups CSV without its columns", "expected the columns group,iso3; found {found}"),
    ErrorType(
        "group_hides_built_in",
        "Peer group named after a built-in group",
        "peer group '{name}' would hide the built-in group; it is left out",
        Severity.WARNING,
    ),
)
register("data", _TYPES + _INDEX_INPUT + _USER_FILES)
# the codes a data problem may carry (kept for callers that list them)
PROBLEM_CODES: dict[str, str] = {e.code: e.title for e in _TYPES} | {
    "unknown_question": BY_CODE["unknown_question"].title
}


class DataError(Exception):
    """Base class of the expected errors of the data layer (the CLI prints them without a traceback)."""


class SourceError(DataError):
    """A source file is missing, unreadable or not what the loader expects."""

    def __init__(self, path: str, expected: str, found: str) -> None:
        self.path = path
        self.expected = expected
        self.found = found
        super().__init__(f"{path}: expected {expected}; found {found}")


class UnknownDataset(DataError, ValueError):
    def __init__(self, name: str, allowed: Iterable[str]) -> None:
        super().__init__(f"dataset must be one of {{{', '.join(allowed)}}}; got {name!r}")


class NotAvailable(DataError):
    """The dataset is neither in the cache nor in a mirror."""


class DownloadError(DataError):
    pass


def data_problem(
    code: str,
    message: str,
    path: str = "",
    *,
    row: int | None = None,
    column: str | None = None,
    sheet: str | None = None,
    warning: bool = True,
) -> Problem:
    """A located problem with a catalogued code (warnings by default: the dataset still loads)."""
    if code not in PROBLEM_CODES:
        raise KeyError(f"unknown data problem code {code!r}; allowed: {', '.join(sorted(PROBLEM_CODES))}")
    return Problem(
        code=code,
        message=message,
        path=path,
        sheet=sheet,
        row=row,
        column=column,
        severity=Severity.WARNING if warning else Severity.ERROR,
    )
