"""Errors of the index engine: its problem codes (registered in the one catalogue of
:mod:`govlens.framework.errors`), parameter errors, and input errors that carry a located report."""

from __future__ import annotations

from collections.abc import Iterable

from govlens.framework.errors import ErrorType, register
from govlens.framework.report import Problem, Report, Severity

_W = Severity.WARNING

# The engine also reports the framework's tree codes (tree_root, invalid_weight, ...: one set of tree rules) and
# framework_not_found when a tree is named by a framework that does not exist.
INDEX_ERRORS: tuple[ErrorType, ...] = register(
    "index",
    (
        # -- the data file --------------------------------------------------------------------------------------
        ErrorType("data_not_found", "No data file", "no such file", hint="check the path of the data file"),
        ErrorType("data_unreadable", "Data file cannot be read", "cannot read the data: {reason}"),
        ErrorType("data_unknown_sheet", "No such sheet", "sheet must be one of {allowed}; got {sheet!r}"),
        ErrorType("data_empty", "No data", "{reason}"),
        ErrorType(
            "unknown_unit_column",
            "No unit column",
            "no unit column {name!r}; the header has {found}",
            hint="name the column of unit ids with --unit-column",
        ),
        ErrorType("unknown_group_column", "No group column", "no group column {name!r} in the header"),
        ErrorType("duplicate_column", "Column twice", "column {name!r} appears more than once in the header"),
        ErrorType(
            "tree_data_mismatch",
            "Indicator without data",
            "the tree has indicator {indicator!r}{detail} but the {source} has no such {what}",
        ),
        ErrorType(
            "column_not_in_tree", "Columns not in the tree", "columns not in the tree are ignored: {columns}", _W
        ),
        ErrorType("missing_unit", "Row without unit", "the row has no unit id"),
        ErrorType("duplicate_unit", "Unit twice", "unit {unit!r} {where}"),
        ErrorType("non_numeric_value", "Not a number", "{reason}"),
        ErrorType(
            "infinite_value",
            "Infinite value",
            "{what} {value} of unit {unit!r} on indicator {indicator!r} is not a finite number{more}",
        ),
        ErrorType("unit_without_data", "Unit without data", "unit {unit!r} has no value for any indicator"),
        ErrorType(
            "results_missing_column",
            "Not a results file",
            "a results file needs a column {name!r} (unit, node, score, rank); the header has {found}",
        ),
        # -- the tree file --------------------------------------------------------------------------------------
        ErrorType("tree_not_found", "No tree file", "no such file"),
        ErrorType(
            "tree_source_not_found",
            "No such tree or framework",
            "{reason}; or give a tree CSV (id,parent,weight,direction,label)",
        ),
        ErrorType("tree_unreadable", "Tree file cannot be read", "cannot read the tree: {reason}"),
        ErrorType("tree_missing_column", "Tree column missing", "the tree needs a column {name!r}; found {found}"),
        ErrorType("tree_missing_id", "Tree row without id", "a tree row has no id"),
        ErrorType(
            "tree_bad_goalposts",
            "Invalid goalposts",
            "goalposts of {id!r} need numbers low < high; got {low!r}, {high!r}",
        ),
        ErrorType(
            "tree_bad_weight_set",
            "Invalid weight set name",
            "a weight set column needs a name of letters, digits, '-', '_', '.' that is not framework, equal or pca, "
            "given once; got {name!r}",
        ),
        ErrorType(
            "tree_bad_denominator",
            "Invalid denominator",
            "the denominator of {id!r} needs a data column and a scale > 0, and only indicators have one; "
            "got {column!r}, scale {scale!r}",
        ),
        # -- denomination ---------------------------------------------------------------------------------------
        ErrorType(
            "denominator_not_found",
            "No denominator column",
            "indicator {indicator!r} is divided by column {column!r}, but the data has no such column",
            hint="add the denominator (GDP, population, area ...) as a column of the data file",
        ),
        ErrorType(
            "invalid_denominator",
            "Denominator not positive",
            "denominator {column!r} of unit {unit!r} is {value}: indicator {indicator!r} can only be divided by a "
            "positive number",
        ),
        ErrorType(
            "denominator_missing",
            "Denominator missing",
            "unit {unit!r} has no denominator {column!r}: its value of indicator {indicator!r} becomes missing",
            _W,
        ),
        # -- checks and screening -------------------------------------------------------------------------------
        ErrorType(
            "low_unit_coverage",
            "Unit with few indicators",
            "unit {unit!r} has {share:.0%} of indicators, below {threshold:.0%}: {action}",
            _W,
        ),
        ErrorType(
            "indicator_without_data",
            "Indicator without values",
            "indicator {indicator!r} has no value: it is left out of the aggregation",
            _W,
        ),
        ErrorType(
            "low_indicator_coverage",
            "Indicator with few units",
            "indicator {indicator!r} has values for {share:.0%} of units, below {threshold:.0%}",
            _W,
        ),
        ErrorType(
            "constant_indicator",
            "Constant indicator",
            "indicator {indicator!r} has the same value ({value:g}) for every unit",
            _W,
        ),
        ErrorType(
            "low_nonzero_share",
            "Unit with mostly zeros",
            "unit {unit!r} has {share:.0%} non-zero values (of those present), below {threshold:.0%}: {action}",
            _W,
        ),
        ErrorType(
            "screen_unknown_unit",
            "Screened unit not in the data",
            "{setting} names unit {unit!r}, which is not in the data",
        ),
        ErrorType(
            "no_unit_left",
            "Every unit excluded",
            "the screening ({rules}) excludes all {units} units (the best covered unit has {best:.0%} of the "
            "{indicators} indicators)",
            hint="lower the thresholds or flag the units instead of excluding them",
        ),
        ErrorType(
            "treatment_reverted",
            "Outlier treatment undone",
            "Winsorising indicator {indicator!r} (skewness {skew:.3g}, kurtosis {kurt:.3g}) would leave it with a "
            "single value, so it would drop out of every aggregate; its original values are kept, untreated",
            _W,
        ),
    ),
)


class IndexInputError(ValueError):
    """Bad input data or tree: carries every problem found, each located (file, row, column).

    A ValueError, so that callers that refuse bad input with ``except ValueError`` also catch it
    (``str(error)`` lists every problem, one a line).
    """

    def __init__(self, report: Report) -> None:
        self.report = report
        super().__init__("\n".join(str(problem) for problem in report.errors) or "invalid input")

    @classmethod
    def single(cls, problem: Problem) -> IndexInputError:
        return cls(Report([problem]))


def check_choice(name: str, value: object, allowed: Iterable[str]) -> str:
    """``value`` if it is one of ``allowed``; otherwise a ValueError naming what was allowed and what arrived."""
    options = tuple(allowed)
    if not isinstance(value, str) or value not in options:
        raise ValueError(f"{name} must be one of {{{', '.join(options)}}}; got {value!r}")
    return value


def check_number(name: str, value: object, *, low: float | None = None, high: float | None = None) -> float:
    """``value`` as a float within [low, high]; otherwise a ValueError saying what was allowed."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"{name} must be a number; got {value!r}")
    number = float(value)
    if number != number or (low is not None and number < low) or (high is not None and number > high):
        bounds = f"[{'-inf' if low is None else low}, {'inf' if high is None else high}]"
        raise ValueError(f"{name} must be a number in {bounds}; got {value!r}")
    return number
