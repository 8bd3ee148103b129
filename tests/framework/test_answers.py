"""Server-side answer checks: coercion of form/workbook values and validation of whole responses."""

from __future__ import annotations

import datetime
import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from govlens.framework.answers import AnswerError, coerce_answer, validate_answers
from govlens.framework.model import Question
from govlens.framework.report import Report, Severity
from tests.framework.factories import choice_list, framework, question, section

INTEGER = question("staff", "integer")
DECIMAL = question("budget", "decimal")
YEAR = question("since", "year")
URL = question("site", "url")
TEXT = question("note", "text")
ONE = question("coverage", "select_one", choices="coverage")
YES_NO = question("has_org", "yes_no")
MANY = question("powers", "select_multiple", choices="powers")


@pytest.mark.parametrize(
    ("q", "raw", "expected"),
    [
        (INTEGER, "12", 12),
        (INTEGER, " -3 ", -3),
        (INTEGER, "+4", 4),
        (INTEGER, "3.0", 3),
        (INTEGER, 12.0, 12),  # a workbook cell
        (INTEGER, 7, 7),
        (DECIMAL, "3.25", 3.25),
        (DECIMAL, ".5", 0.5),
        (DECIMAL, "1e3", 1000.0),
        (DECIMAL, 2, 2.0),
        (DECIMAL, "0e-400", 0.0),  # zero written oddly is still zero
        (DECIMAL, "5e-300", 5e-300),
        (YEAR, "2019", 2019),
        (YEAR, 2019.0, 2019),
        (YEAR, 1900, 1900),
        (YEAR, "2100", 2100),
        (URL, " https://gob.example/estrategia ", "https://gob.example/estrategia"),
        (URL, "HTTP://gob.example", "HTTP://gob.example"),
        (URL, "http://localhost:8000/x", "http://localhost:8000/x"),
        (TEXT, "  hola ", "hola"),
        (TEXT, "\U0001f600 ok", "\U0001f600 ok"),  # a character beyond the BMP is a proper pair, not a surrogate
        (TEXT, 12, "12"),
        (TEXT, 12.5, "12.5"),
        (TEXT, 12.0, "12"),
        (TEXT, datetime.date(2024, 1, 2), "2024-01-02"),
        (ONE, " some ", "some"),
        (ONE, ["some"], "some"),
        (YES_NO, True, "yes"),
        (YES_NO, False, "no"),
        (YES_NO, "no", "no"),
        (MANY, "budget staff", ("budget", "staff")),
        (MANY, "budget, staff;standards", ("budget", "staff", "standards")),
        (MANY, ["staff", "budget", "staff"], ("staff", "budget")),
        (MANY, ("budget", ""), ("budget",)),
    ],
)
def test_coerce_answer(q: Question, raw: object, expected: object) -> None:
    result = coerce_answer(q, raw)
    assert result == expected
    assert type(result) is type(expected)


@pytest.mark.parametrize("q", [INTEGER, DECIMAL, YEAR, URL, TEXT, ONE, YES_NO, MANY])
@pytest.mark.parametrize("empty", [None, "", "  ", math.nan, [], ["", None]])
def test_empty_is_unanswered(q: Question, empty: object) -> None:
    assert coerce_answer(q, empty) is None


@pytest.mark.parametrize(
    ("q", "raw", "code", "message"),
    [
        (INTEGER, "3.5", "invalid_integer", "'staff' needs a whole number; got '3.5'"),
        (INTEGER, "many", "invalid_integer", "'staff' needs a whole number; got 'many'"),
        (INTEGER, 2.5, "invalid_integer", "'staff' needs a whole number; got 2.5"),
        (INTEGER, True, "invalid_integer", "'staff' needs a whole number; got True"),
        (
            DECIMAL,
            "3,5",
            "invalid_decimal",
            "'budget' needs a number written with a point for decimals and no thousands separators; got '3,5'",
        ),
        (DECIMAL, "inf", "invalid_decimal", "'budget' needs a number; got 'inf'"),
        (DECIMAL, math.inf, "invalid_decimal", "'budget' needs a number; got inf"),
        (DECIMAL, "1 000", "invalid_decimal", "'budget' needs a number; got '1 000'"),
        (YEAR, "1899", "invalid_year", "'since' needs a year from 1900 to 2100; got '1899'"),
        (YEAR, 2101, "invalid_year", "'since' needs a year from 1900 to 2100; got 2101"),
        (YEAR, "20x9", "invalid_year", "'since' needs a year from 1900 to 2100; got '20x9'"),
        (YEAR, 2019.5, "invalid_year", "'since' needs a year from 1900 to 2100; got 2019.5"),
        (YEAR, "1" * 70, "invalid_year", f"got '{'1' * 57}...'"),  # long values are cut short
        (URL, "gob.example", "invalid_url", "'gob.example' has scheme none"),
        (URL, "ftp://gob.example", "invalid_url", "'ftp://gob.example' has scheme 'ftp'"),
        (URL, "https://", "invalid_url", "'https://' has no host name"),
        (URL, "https://gob example.org", "invalid_url", "contains spaces"),
        (URL, "https://intranet/x", "invalid_url", "has host 'intranet', which has no domain"),
        (URL, "https://gob.example:port/", "invalid_url", "is malformed"),
        (INTEGER, "9" * 5000, "invalid_integer", "'staff' needs a whole number; got a number of 5000 characters"),
        pytest.param(
            YEAR,
            10**5000,
            "invalid_year",
            "'since' needs a year from 1900 to 2100; got a number too large to show",
            id="huge-year",
        ),
        pytest.param(
            TEXT, 10**5000, "invalid_text", "'note' needs text; got a number too large to show", id="huge-text"
        ),
        (TEXT, ["a", "b"], "invalid_text", "'note' needs text; got ['a', 'b']"),
        (ONE, ["some", "none"], "too_many_choices", "'coverage' takes one option; got some, none"),
        (DECIMAL, "1e-400", "invalid_decimal", "got '1e-400', which is too close to zero to store"),
        (INTEGER, "-5e-999", "invalid_integer", "got '-5e-999', which is too close to zero to store"),
        (TEXT, "a\x07b", "control_character", "'note' holds the control character U+0007 at position 2"),
        # a lone surrogate (JSON's \ud800 escape) cannot be written as UTF-8 by any page, export or backup
        (
            TEXT,
            "a\ud800b",
            "control_character",
            "'note' holds the lone surrogate U+D800 (half of a UTF-16 pair, not a character) at position 2",
        ),
        (URL, "https://a.example/\udfff", "control_character", "the lone surrogate U+DFFF"),
        (MANY, ["budget", "\udc80"], "control_character", "the lone surrogate U+DC80"),
        (ONE, "\udbff", "control_character", "the lone surrogate U+DBFF"),
    ],
)
def test_coerce_rejects_with_a_clear_message(q: Question, raw: object, code: str, message: str) -> None:
    with pytest.raises(AnswerError) as caught:
        coerce_answer(q, raw)
    assert caught.value.code == code
    assert message in str(caught.value)
    assert isinstance(caught.value, ValueError)


# -- whole responses ------------------------------------------------------------------------------------------
SURVEY = framework(
    [
        section(
            "org",
            question("has_org", "yes_no", required=True),
            question("coverage", "select_one", choices="coverage", required=True, relevant="${has_org} = 'yes'"),
            question(
                "powers",
                "select_multiple",
                choices="powers",
                constraint="not(selected(., 'none') and count-selected(.) > 1)",
                constraint_message="'none' cannot be combined with other options",
            ),
            question("detail", "integer", relevant="${has_org} = 'yes'", constraint=". > 0"),
        ),
        section(
            "figures",
            question(
                "staff", "integer", required=True, constraint=". >= 0", constraint_message="Staff cannot be negative"
            ),
            question("budget", "decimal", constraint=". <= ${staff} * 1000"),
            question("since", "year", constraint=". >= 2000"),
            question("site", "url"),
        ),
    ],
    lists=[choice_list("coverage", "whole_gov", "some", "none"), choice_list("powers", "budget", "staff", "none")],
)


def problems(report: Report) -> list[tuple[str, str | None, str]]:
    return [(p.code, p.column, p.message) for p in report]


def test_valid_draft_has_no_problems() -> None:
    report = validate_answers(SURVEY, {"has_org": "yes", "coverage": "some"}, submitting=False)
    assert report.valid
    assert report.problems == []


def test_required_is_checked_only_when_submitting() -> None:
    answers = {"has_org": "yes", "coverage": "some"}
    assert validate_answers(SURVEY, answers, submitting=False).valid
    assert problems(validate_answers(SURVEY, answers, submitting=True)) == [
        ("required_missing", "staff", "'staff' is required"),
    ]
    # has_org = yes makes coverage relevant, and so required
    assert problems(validate_answers(SURVEY, {"has_org": "yes", "staff": 3}, submitting=True)) == [
        ("required_missing", "coverage", "'coverage' is required"),
    ]


def test_skipped_questions_are_not_required_and_their_answers_are_flagged() -> None:
    report = validate_answers(SURVEY, {"has_org": "no", "staff": 0, "detail": -5}, submitting=True)
    assert report.valid  # coverage is not asked; detail's constraint does not run
    assert [(p.code, p.column, p.severity) for p in report] == [
        ("answer_not_relevant", "detail", Severity.WARNING),
    ]
    assert "needs ${has_org} = 'yes'" in report.problems[0].message


def test_type_and_option_errors() -> None:
    answers = {
        "has_org": "maybe",
        "coverage": "everywhere",
        "powers": ["budget", "ghost"],
        "staff": "many",
        "since": "1850",
        "site": "www.gob.example",
    }
    assert problems(validate_answers(SURVEY, answers, submitting=False)) == [
        ("unknown_choice", "has_org", "'has_org' has no option 'maybe'; allowed: yes, no"),
        ("unknown_choice", "coverage", "'coverage' has no option 'everywhere'; allowed: whole_gov, some, none"),
        ("unknown_choice", "powers", "'powers' has no option 'ghost'; allowed: budget, staff, none"),
        ("invalid_integer", "staff", "'staff' needs a whole number; got 'many'"),
        ("invalid_year", "since", "'since' needs a year from 1900 to 2100; got '1850'"),
        (
            "invalid_url",
            "site",
            "'site' needs a web address starting http:// or https://; 'www.gob.example' has scheme none",
        ),
    ]


def test_constraints_run_with_dot_bound_to_the_answer() -> None:
    answers = {"powers": "none budget", "staff": -1, "since": 1990, "budget": 2500.5}
    assert problems(validate_answers(SURVEY, answers, submitting=False)) == [
        ("constraint_failed", "powers", "'powers': 'none' cannot be combined with other options"),
        ("constraint_failed", "staff", "'staff': Staff cannot be negative"),
        # -1 * 1000 = -1000 < 2500.5
        (
            "constraint_failed",
            "budget",
            "'budget': the answer 2500.5 does not meet the constraint . <= ${staff} * 1000",
        ),
        ("constraint_failed", "since", "'since': the answer 1990 does not meet the constraint . >= 2000"),
    ]
    fine = {"powers": ["none"], "staff": "3", "since": "2000", "budget": "3000"}
    assert validate_answers(SURVEY, fine, submitting=False).problems == []


def test_unknown_questions_are_errors() -> None:
    report = validate_answers(SURVEY, {"ghost": 1, "has_org": "yes"}, submitting=False, path="upload.xlsx")
    assert not report.valid
    message = "the response to tiny 1 names question 'ghost', which is not in the questionnaire"
    assert problems(report) == [("unknown_question", "ghost", message)]
    assert str(report.problems[0]) == f"upload.xlsx: unknown_question: {message}"


def test_constraint_that_cannot_be_evaluated_is_reported() -> None:
    fw = framework([section("s", question("code", "text", constraint="regex(., ${pattern})"), question("pattern"))])
    report = validate_answers(fw, {"code": "ABC", "pattern": "[A-"}, submitting=False)
    assert report.codes() == ["expression_error"]
    assert "invalid regular expression" in report.problems[0].message


def test_today_makes_constraints_deterministic() -> None:
    fw = framework([section("s", question("since", "year", constraint=". <= format-date(today(), '%Y')"))])
    assert validate_answers(fw, {"since": 2026}, submitting=False, today=datetime.date(2026, 1, 1)).valid
    assert not validate_answers(fw, {"since": 2027}, submitting=False, today=datetime.date(2026, 1, 1)).valid


# -- properties -----------------------------------------------------------------------------------------------
_RAW = st.one_of(
    st.none(),
    st.text(max_size=10),
    st.sampled_from(["yes", "no", "some", "budget none", "12", "2019", "https://x.org", "3,5", "-1"]),
    st.integers(),
    st.sampled_from([10**400, -(10**5000)]),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.lists(st.sampled_from(["budget", "staff", "none", "x", ""]), max_size=3),
    st.dates(),
)
_NAMES = st.sampled_from(["has_org", "coverage", "powers", "detail", "staff", "budget", "since", "site", "other"])


@given(st.dictionaries(_NAMES, _RAW), st.booleans())
def test_validation_never_raises(answers: dict[str, object], submitting: bool) -> None:
    report = validate_answers(SURVEY, answers, submitting=submitting)
    assert ("unknown_question" in report.codes()) is ("other" in answers)
    for problem in report:
        assert problem.column in {*answers, *(q.name for q in SURVEY.questions())}


@given(st.sampled_from([INTEGER, DECIMAL, YEAR, URL, TEXT, ONE, YES_NO, MANY]), _RAW)
def test_coerce_returns_a_typed_value_or_raises_answer_error(q: Question, raw: object) -> None:
    try:
        value = coerce_answer(q, raw)
    except AnswerError:
        return
    assert value is None or isinstance(value, str | int | float | tuple)
    if isinstance(value, float):
        assert math.isfinite(value)
    if value is not None and q.type.is_number:
        assert isinstance(value, int | float)
    # coercion is idempotent: the typed value coerces to itself
    assert coerce_answer(q, value) == value


def test_expressions_govlens_cannot_evaluate() -> None:
    fw = framework(
        [
            section(
                "s",
                question("code", "text", constraint="pulldata('codes', 'ok', 'code', .) = 'yes'"),
                question("pattern"),
                question("detail", "text", relevant="regex('abc', ${pattern})"),
            )
        ]
    )
    # an unimplemented function: the constraint is skipped with a warning (the framework validator warned too)
    report = validate_answers(fw, {"code": "A1"}, submitting=False)
    assert report.valid
    assert problems(report) == [
        (
            "expression_not_evaluated",
            "code",
            "constraint of 'code' is not checked: GovLens does not implement the function 'pulldata'",
        )
    ]
    # a relevant that fails on the answers shows the question and reports the error
    report = validate_answers(fw, {"pattern": "(", "detail": "x"}, submitting=False)
    assert report.codes() == ["expression_error"]
    assert report.problems[0].column == "detail"
    assert report.problems[0].message.startswith("relevant of 'detail': position 13: invalid regular expression")


@pytest.mark.parametrize(("raw", "expected"), [(np.bool_(True), "yes"), (np.bool_(False), "no")])
def test_numpy_booleans_answer_yes_no_like_booleans(raw: object, expected: str) -> None:
    # a data-frame column of booleans hands numpy's booleans, which are not Python bools
    assert coerce_answer(YES_NO, raw) == expected
    with pytest.raises(AnswerError) as caught:
        coerce_answer(TEXT, raw)
    assert caught.value.code == "invalid_text"
