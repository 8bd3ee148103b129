"""Errors of the index engine: parameter errors and input errors that carry a located report."""

from __future__ import annotations

from collections.abc import Iterable

from govlens.framework.report import Problem, Report


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
