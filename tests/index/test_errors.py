from __future__ import annotations

import pytest

from govlens.framework.report import Problem, Report
from govlens.index.errors import IndexInputError, check_choice, check_number


def test_input_errors_are_value_errors_listing_every_problem() -> None:
    error = IndexInputError(Report([Problem("a_code", "first", path="d.csv"), Problem("b_code", "second")]))
    assert isinstance(error, ValueError)  # callers that refuse bad input with `except ValueError` catch it
    assert str(error).count("\n") == 1
    assert "first" in str(error) and "second" in str(error)
    with pytest.raises(ValueError, match="only"):
        raise IndexInputError.single(Problem("c_code", "only"))


def test_parameter_checks_say_what_was_allowed() -> None:
    assert check_choice("method", "b", ("a", "b")) == "b"
    with pytest.raises(ValueError, match=r"method must be one of \{a, b\}; got 'c'"):
        check_choice("method", "c", ("a", "b"))
    assert check_number("share", 1, low=0.0, high=1.0) == 1.0
    with pytest.raises(ValueError, match=r"share must be a number in \[0.0, 1.0\]; got 2"):
        check_number("share", 2, low=0.0, high=1.0)
    with pytest.raises(ValueError, match="share must be a number; got True"):
        check_number("share", True)
