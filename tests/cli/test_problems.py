"""The one printing path of problems: located problems and the problem rows of platform services alike."""

from __future__ import annotations

from govlens.cli.problems import problem_line, row_problem
from govlens.framework.errors import Location, problem


def test_a_located_problem_names_its_column_after_the_message() -> None:
    found = problem("duplicate_unit", "data.csv", Location(row=4, column="unit"), unit="ARG", where="appears twice")
    assert problem_line(found) == "data.csv:4: duplicate_unit: unit 'ARG' appears twice (column 'unit')"


def test_a_service_row_of_a_file_is_located_in_that_file() -> None:
    row = {"row": 3, "column": "country", "code": "unknown_country", "message": "unknown ISO3 code 'XXX'"}
    assert problem_line(row_problem(row, "export.csv")) == (
        "export.csv:3: unknown_country: unknown ISO3 code 'XXX' (column 'country')"
    )
    sheet = {
        "sheet": "answers",
        "row": 7,
        "question": "staff",
        "code": "invalid_integer",
        "message": "needs a whole number",
    }
    assert (
        problem_line(row_problem(sheet, "r.xlsx"))
        == "r.xlsx:answers:7: invalid_integer: needs a whole number (column 'staff')"
    )


def test_a_service_row_without_a_file_is_located_at_its_field() -> None:
    row = {"field": "username", "code": "invalid_username", "message": "the username 'a b' is not valid"}
    assert problem_line(row_problem(row)) == "username: invalid_username: the username 'a b' is not valid"
    assert problem_line(row_problem({"code": "missing_text", "message": "say what should change"})) == (
        "input: missing_text: say what should change"
    )
