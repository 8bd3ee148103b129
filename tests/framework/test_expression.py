"""The XLSForm expression evaluator: parsing, XPath 1.0 conversions and comparisons, functions, errors."""

from __future__ import annotations

import datetime
import math
import re
from decimal import Decimal

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from govlens.framework.expression import (
    REGEX_MAX_TEXT,
    REGEX_TIME_LIMIT,
    Expression,
    ExpressionError,
    UnknownFunctionError,
    evaluate,
    is_true,
    parse,
)

TODAY = datetime.date(2026, 3, 15)


# -- relevant / constraint expressions as forms write them -------------------------------------------------------
@pytest.mark.parametrize(
    ("source", "answers", "current", "expected"),
    [
        ("${q} = 'yes'", {"q": "yes"}, None, True),
        ("${q} = 'yes'", {"q": "no"}, None, False),
        ("${q} = 'yes'", {}, None, False),
        ("${q} != 'yes'", {}, None, True),
        ("${q} = ''", {}, None, True),
        ("${q} = ''", {"q": None}, None, True),
        ("${q} = ''", {"q": ""}, None, True),
        ("${q} = ''", {"q": "x"}, None, False),
        ("${q} != ''", {"q": 0}, None, True),
        ("selected(${m}, 'budget')", {"m": ["budget", "staff"]}, None, True),
        ("selected(${m}, 'budget')", {"m": "staff budget"}, None, True),
        ("selected(${m}, 'budget')", {"m": "budgets"}, None, False),
        ("selected(${m}, 'budget')", {"m": []}, None, False),
        ("selected(${m}, 'budget')", {}, None, False),
        ("not(selected(${m}, 'none'))", {"m": ("a", "none")}, None, False),
        (". >= 1990 and . <= 2030", {}, 1995, True),
        (". >= 1990 and . <= 2030", {}, 1989, False),
        (". >= 1990 and . <= 2030", {}, 2031, False),
        (". >= 1990 and . <= 2030", {}, "2000", True),
        (". >= 1990 and . <= 2030", {}, None, False),
        ("${a} = 'yes' or ${b} = 'yes'", {"a": "no", "b": "yes"}, None, True),
        ("${a} = 'yes' and ${b} = 'yes'", {"a": "no", "b": "yes"}, None, False),
        ("${n} > 3", {"n": 4}, None, True),
        ("${n} > 3", {"n": 3.5}, None, True),
        ("${n} > 3", {"n": 2}, None, False),
        # an empty answer read as a number is NaN: every comparison with it is false, except !=
        ("${n} > 3", {"n": None}, None, False),
        ("${n} <= 3", {"n": ""}, None, False),
        ("${n} = 0", {}, None, False),
        ("${n} != 0", {}, None, True),
        ("count-selected(${m}) >= 2", {"m": ["a", "b"]}, None, True),
        ("count-selected(${m}) >= 2", {"m": "a"}, None, False),
        ("string-length(.) <= 5", {}, "hello", True),
        ("string-length(.) <= 5", {}, "hello!", False),
        ("regex(., '^https?://')", {}, "https://gob.example", True),
        ("regex(., '^https?://')", {}, "ftp://gob.example", False),
        ("${q} = 'yes' and (${n} > 10 or ${n} < 0)", {"q": "yes", "n": -1}, None, True),
    ],
)
def test_form_expressions(source: str, answers: dict[str, object], current: object, expected: bool) -> None:
    assert is_true(source, answers, current) is expected


# -- XPath 1.0 values -----------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("1 + 2 * 3", 7.0),
        ("(1 + 2) * 3", 9.0),
        ("10 - 4 - 3", 3.0),  # left to right
        ("12 div 3 div 2", 2.0),
        ("7 mod 3", 1.0),
        ("-7 mod 3", -1.0),  # sign of the dividend, as in XPath
        ("7 mod -3", 1.0),
        ("- 2 * 3", -6.0),
        ("--2", 2.0),
        (".5 + 1.", 1.5),
        ("1 = 1.0", True),
        ("'1' = 1", True),  # string vs number: compared as numbers
        ("'01' = 1", True),
        ("'1' = '01'", False),  # string vs string: compared as strings
        ("'abc' < 1", False),
        ("'2' < '10'", True),  # relational operators always compare numbers
        ("true() = 'x'", True),  # boolean vs string: compared as booleans
        ("false() = ''", True),
        ("1 < 2 = true()", True),
        ("1 = 1 and 2 = 3 or 4 = 4", True),  # and binds tighter than or
        ("1 = 2 or 3 = 3 and 4 = 5", False),
        ("1 > 2 < 3", True),  # (1 > 2) = false = 0 < 3
        ("string(3)", "3"),
        ("string(3.25)", "3.25"),
        ("string(-0.5)", "-0.5"),
        ("string(1 div 0)", "Infinity"),
        ("string(-1 div 0)", "-Infinity"),
        ("string(0 div 0)", "NaN"),
        ("string(1 = 1)", "true"),
        ("string(0.0000001)", "0.0000001"),  # never an exponent
        ("number('  12.5 ')", 12.5),
        ("number('-3')", -3.0),
        ("number(true())", 1.0),
        ("boolean(0)", False),
        ("boolean(0 div 0)", False),
        ("boolean(-1)", True),
        ("boolean('0')", True),  # non-empty string
        ("boolean('')", False),
        ("int(2.7)", 2.0),
        ("int(-2.7)", -2.0),
        ("round(2.5)", 3.0),
        ("round(-2.5)", -2.0),  # half rounds towards positive infinity
        ("round(2.4)", 2.0),
        ("round(3.14159, 2)", 3.14),
        ("round(2.675, 2)", 2.68),  # decimal, not binary, rounding
        ("round(1250, -2)", 1300.0),
        ("floor(-1.5)", -2.0),
        ("ceiling(1.2)", 2.0),
        ("abs(-4)", 4.0),
        ("concat('a', 1, 'b', 2.5)", "a1b2.5"),
        ("concat()", ""),
        ("contains('digital gov', 'gov')", True),
        ("starts-with('digital', 'dig')", True),
        ("ends-with('digital', 'dig')", False),
        ("substr('digital', 2, 5)", "git"),
        ("substr('digital', 3)", "ital"),
        ("normalize-space('  a   b ')", "a b"),
        ("if(1 > 2, 'x', 'y')", "y"),
        ("if('', 1, 2)", 2.0),
        ("coalesce('', 'fallback')", "fallback"),
        ("coalesce('first', 'fallback')", "first"),
        ("string-length('señal')", 5.0),
    ],
)
def test_values(source: str, expected: object) -> None:
    result = evaluate(source, {})
    assert result == expected
    assert type(result) is type(expected)


@pytest.mark.parametrize(
    ("source", "check"),
    [
        ("1 div 0", lambda x: x == math.inf),
        ("-1 div 0", lambda x: x == -math.inf),
        ("0 div 0", math.isnan),
        ("5 mod 0", math.isnan),
        ("number('abc')", math.isnan),
        ("number('')", math.isnan),
        ("number('1e5')", math.isnan),  # XPath numbers have no exponent
        ("int('x')", math.isnan),
        ("'a' + 1", math.isnan),
    ],
)
def test_ieee_results(source: str, check: object) -> None:
    assert callable(check)
    assert check(evaluate(source, {}))


def test_answer_types_read_like_form_fields() -> None:
    answers: dict[str, object] = {"i": 12, "f": 2.5, "m": ["a", "b"], "t": "x y", "none": None, "big": 10**400}
    assert evaluate("${i} + ${f}", answers) == 14.5
    assert evaluate("concat(${i}, '/', ${f})", answers) == "12/2.5"
    assert evaluate("string(${m})", answers) == "a b"
    assert evaluate("count-selected(${t})", answers) == 2.0
    assert evaluate("string(${none})", answers) == ""
    assert evaluate("string(${missing})", answers) == ""
    assert evaluate("${big} > 1", answers) is True
    assert evaluate("selected(${m}, ' b ')", answers) is True  # the option name is trimmed


def test_data_frame_values_read_as_answers() -> None:
    # a NaN cell is an empty answer; numpy scalars are numbers; Decimal reads through its text
    assert is_true("${n} = ''", {"n": math.nan})
    assert evaluate("${n} + 1", {"n": np.int64(4)}) == 5.0
    assert evaluate("${n} * 2", {"n": np.float64(1.25)}) == 2.5
    assert evaluate("${n} + 1", {"n": Decimal("2.5")}) == 3.5


def test_current_value_functions_default_to_dot() -> None:
    assert evaluate("string-length()", {}, "abcd") == 4.0
    assert evaluate("number()", {}, "7") == 7.0
    assert evaluate("string()", {}, 7) == "7"
    assert evaluate(".", {}, None) == ""


def test_today_is_deterministic_when_given() -> None:
    assert evaluate("today()", {}, today=TODAY) == TODAY
    assert evaluate("format-date(today(), '%Y')", {}, today=TODAY) == "2026"
    assert evaluate("format-date(today(), '%d/%m/%y %e.%n')", {}, today=TODAY) == "15/03/26 15.3"
    # a year question: not in the future
    assert is_true(". <= format-date(today(), '%Y')", {}, 2026, today=TODAY)
    assert not is_true(". <= format-date(today(), '%Y')", {}, 2027, today=TODAY)
    # dates compare with ISO date strings and with day numbers since 1970
    assert is_true("today() > '2026-03-14'", {}, today=TODAY)
    assert not is_true("today() > '2026-03-15'", {}, today=TODAY)
    assert is_true("today() = date('2026-03-15')", {}, today=TODAY)
    assert is_true("date(0) = '1970-01-01'", {})
    assert evaluate("number(date('1970-01-11'))", {}) == 10.0
    assert isinstance(evaluate("today()", {}), datetime.date)


def test_and_or_short_circuit() -> None:
    # the right-hand side would be an invalid regular expression if evaluated
    assert is_true("1 = 1 or regex('a', ${pattern})", {"pattern": "["})
    assert not is_true("1 = 2 and regex('a', ${pattern})", {"pattern": "["})
    with pytest.raises(ExpressionError, match="invalid regular expression"):
        is_true("regex('a', ${pattern})", {"pattern": "["})


# -- the parsed expression ------------------------------------------------------------------------------------
def test_references_and_current() -> None:
    expression = parse("${a} = 'x' and selected(${b-c.d}, '${not_a_ref}') or . > ${a}")
    assert expression.references() == frozenset({"a", "b-c.d"})
    assert expression.uses_current()
    assert not parse("${a} = 1").uses_current()
    assert parse("string-length() > 3").uses_current()
    assert not parse("string-length(${a}) > 3").uses_current()
    assert parse("if(${a}, concat(., 'x'), today())").functions() == frozenset({"if", "concat", "today"})


def test_parse_is_cached_and_equal_by_source() -> None:
    assert parse("${a} = 1") is parse("${a} = 1")
    assert parse("${a} = 1") == Expression("${a} = 1", parse("${a}=1").root)
    assert evaluate(parse("${a} + 1"), {"a": 1}) == 2.0


@pytest.mark.parametrize(
    ("source", "position", "message"),
    [
        ("${a} = ", 7, "unexpected end of expression"),
        ("(${a} = 1", 9, "unexpected end of expression"),
        ("${a} = 1)", 8, "unexpected ')'"),
        ("${a} ${b}", 5, "unexpected ${b}"),
        ("", 0, "empty expression"),
        ("   ", 0, "empty expression"),
        ("${a", 0, "reference '${' is not closed"),
        ("${}", 0, "empty reference"),
        ("${a b}", 0, "invalid question name"),
        ("'open", 0, "string starting with ' is not closed"),
        ("${a} = yes", 7, "unexpected name 'yes'"),
        ("${a} = 1 AND ${b} = 2", 9, "lower case"),
        ("not ${a}", 0, "function 'not' is called with parentheses"),
        ("/data/a = 1", 0, "paths are not supported"),
        ("../a = 1", 0, "parent step"),
        ("${a}[1]", 4, "predicates"),
        ("${a} | ${b}", 5, "unions"),
        ("selected(${a})", 0, "selected() takes 2 arguments; got 1"),
        ("if(1, 2)", 0, "if() takes 3 arguments; got 2"),
        ("true(1)", 0, "true() takes 0 arguments; got 1"),
        ("round(1, 2, 3)", 0, "round() takes 1 to 2 arguments; got 3"),
        ("regex(., '[a-')", 9, "invalid regular expression"),
        ("1 + # 2", 4, "unexpected '#'"),
        ("${a} == 1", 6, "unexpected '='"),
        ("${a} = \u2018yes\u2019", 7, "curly quotes"),  # pasted from a word processor
    ],
)
def test_parse_errors(source: str, position: int, message: str) -> None:
    with pytest.raises(ExpressionError) as caught:
        parse(source)
    assert caught.value.position == position
    assert message in caught.value.message
    assert str(caught.value) == f"position {position}: {caught.value.message}"


def test_error_string_shape() -> None:
    with pytest.raises(ExpressionError) as caught:
        parse("${a} = 1)")
    assert str(caught.value) == "position 8: unexpected ')'"
    assert isinstance(caught.value, ValueError)


@pytest.mark.parametrize("name", ["pulldata", "jr:choice-name", "position", "uuid"])
def test_unknown_function_is_named(name: str) -> None:
    with pytest.raises(UnknownFunctionError) as caught:
        parse(f"2 + {name}(${{a}})")
    assert caught.value.name == name
    assert caught.value.position == 4
    assert f"unknown function '{name}'" in str(caught.value)


def test_deep_nesting_is_refused_not_a_crash() -> None:
    with pytest.raises(ExpressionError, match="nested more than"):
        parse("(" * 500 + "1" + ")" * 500)
    with pytest.raises(ExpressionError, match="nested more than"):
        parse("-" * 500 + "1")
    assert evaluate("(" * 48 + "1" + ")" * 48, {}) == 1.0  # the limit itself is allowed
    with pytest.raises(ExpressionError, match="nested more than 48"):
        parse("not(" * 49 + "1" + ")" * 49)
    # long flat chains are fine: they do not nest
    chain = " or ".join(f"selected(${{m}}, 'o{i}')" for i in range(2000))
    assert is_true(chain, {"m": "o1999"})
    assert evaluate(" + ".join(["1"] * 3000), {}) == 3000.0


# -- properties -----------------------------------------------------------------------------------------------
_ALPHABET = st.sampled_from([*"${}()., '\"=!<>+-*/|[]@#abcdxyz019 \t_:", "and", "or", "div", "mod", "selected("])
_TOKENS = st.sampled_from(
    [
        "${a}", "${b}", "${m}", ".", "'yes'", '"x y"', "''", "0", "1", "2.5", ".5", "1990",
        "(", ")", ",", " or ", " and ", " = ", " != ", " < ", " <= ", " > ", " >= ", " + ", " - ", " * ",
        " div ", " mod ", "-", "selected(", "count-selected(", "not(", "true()", "false()", "string-length(",
        "number(", "string(", "int(", "round(", "concat(", "contains(", "starts-with(", "ends-with(", "regex(",
        "if(", "coalesce(", "boolean(", "today()", "date(", "format-date(", "substr(", "floor(", "abs(",
    ]
)  # fmt: skip
_ANSWER = st.one_of(
    st.none(),
    st.text(max_size=8),
    st.sampled_from(["yes", "no", "a b", " 3 ", "2020-02-30", "2021-01-01", "-0", "1.", "NaN"]),
    st.integers(),
    st.sampled_from([10**400, -(10**5000)]),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.lists(st.sampled_from(["a", "b", "none", ""]), max_size=4),
    st.dates(),
)
_ANSWERS = st.fixed_dictionaries({}, optional={"a": _ANSWER, "b": _ANSWER, "m": _ANSWER})

_LEAVES = st.sampled_from(
    ["${a}", "${b}", "${m}", ".", "'yes'", "'a b'", "''", "'2021-01-01'", "0", "1", "2.5", "1990"]
)
_OPERATORS = st.sampled_from(["or", "and", "=", "!=", "<", "<=", ">", ">=", "+", "-", "*", "div", "mod"])
_ARITY = {
    "selected": 2, "count-selected": 1, "not": 1, "boolean": 1, "string": 1, "string-length": 1, "number": 1,
    "int": 1, "round": 2, "floor": 1, "concat": 3, "contains": 2, "starts-with": 2, "ends-with": 2, "substr": 3,
    "regex": 2, "if": 3, "coalesce": 2, "date": 1, "format-date": 2, "normalize-space": 1, "abs": 1, "ceiling": 1,
}  # fmt: skip


def _grow(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    binary = st.tuples(children, _OPERATORS, children).map(lambda t: f"({t[0]} {t[1]} {t[2]})")
    negate = children.map(lambda x: f"-{x}")
    call = st.sampled_from(sorted(_ARITY)).flatmap(
        lambda name: st.lists(children, min_size=_ARITY[name], max_size=_ARITY[name]).map(
            lambda args: f"{name}({', '.join(args)})"
        )
    )
    return binary | negate | call | st.sampled_from(["today()", "true()", "false()", "string-length()"])


# expressions of the grammar, to reach evaluation rather than stop at the parser
_VALID = st.recursive(_LEAVES, _grow, max_leaves=12)


@settings(max_examples=400)
@given(st.text(max_size=40) | st.lists(_ALPHABET, max_size=25).map("".join) | _VALID)
def test_parse_only_raises_expression_error(source: str) -> None:
    try:
        expression = parse(source)
    except ExpressionError as error:
        assert 0 <= error.position <= len(source)
    else:
        assert expression.source == source


@settings(max_examples=600)
@given(st.lists(_TOKENS, min_size=1, max_size=20).map("".join) | _VALID, _ANSWERS, _ANSWER)
def test_evaluation_only_raises_expression_error(source: str, answers: dict[str, object], current: object) -> None:
    try:
        expression = parse(source)
    except ExpressionError:
        return
    try:
        result = evaluate(expression, answers, current, today=TODAY)
    except ExpressionError:
        return
    assert isinstance(result, str | float | bool | datetime.date)
    assert isinstance(is_true(expression, answers, current, today=TODAY), bool)


@given(st.integers(min_value=-(10**6), max_value=10**6), st.integers(min_value=-(10**6), max_value=10**6))
def test_integer_arithmetic_matches_python(x: int, y: int) -> None:
    answers = {"x": x, "y": y}
    assert evaluate("${x} + ${y}", answers) == x + y
    assert evaluate("${x} - ${y}", answers) == x - y
    assert evaluate("${x} * ${y}", answers) == x * y
    assert is_true("${x} < ${y}", answers) is (x < y)
    assert is_true("${x} = ${y}", answers) is (x == y)
    if y != 0:
        assert evaluate("${x} mod ${y}", answers) == math.fmod(x, y)


@given(st.floats(allow_nan=False, allow_infinity=False, min_value=-1e15, max_value=1e15))
def test_number_string_round_trip(x: float) -> None:
    # string() of a number reads back as the same number
    assert evaluate("number(string(${x}))", {"x": x}) == x


@settings(max_examples=300)
@given(_VALID)
def test_generated_expressions_parse(source: str) -> None:
    # every expression of the grammar strategy is valid, so the evaluation property really evaluates
    assert parse(source).source == source


# -- regex() and catastrophic backtracking ---------------------------------------------------------------------
@pytest.mark.parametrize(
    ("pattern", "shape"),
    [
        ("^(a+)+$", "a repetition inside a repeated group"),
        ("(a*b?)*c", "a repetition inside a repeated group"),
        ("^(?:(a+)x?)+$", "a repetition inside a repeated group"),
        ("(ab|a)+c", "alternatives that start alike"),
        (r"\d*\d*x", "repetitions side by side"),
        (r"^\d+-?\d+$", "repetitions side by side"),
        (r"\s*.*$", "repetitions side by side"),
        (r"\d*1\d*1\d*x", "three repetitions linked"),
        (r"^.*a.*a.*b$", "three repetitions linked"),
    ],
)
def test_regex_that_backtracks_without_bound_is_refused(pattern: str, shape: str) -> None:
    source = f"regex(${{a}}, '{pattern}')"
    with pytest.raises(ExpressionError, match=shape) as caught:
        parse(source)
    assert caught.value.position == 12  # the pattern literal
    assert "regular expression" in caught.value.message
    # a pattern that arrives in an answer is screened the same way when evaluated
    with pytest.raises(ExpressionError, match=shape):
        evaluate("regex(${a}, ${p})", {"a": "a" * 40 + "!", "p": pattern}, today=TODAY)


@pytest.mark.parametrize(
    ("pattern", "text", "expected"),
    [
        ("^(a|b)+$", "abba", True),  # one-character alternatives are a set, not a branch
        ("^(cat|dog)+$", "catdog", True),  # alternatives that start apart
        ("^[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\\.[A-Za-z]{2,4}$", "ana@gob.org", True),
        ("^[0-9]{8}$", "1234567", False),
        ("^[a-z]+[0-9]+$", "abc123", True),  # side by side, but no character matches both
        (r"^[a-z]+\d+\s+\w+$", "abc123 x_1", True),
        (r"^\d+-\d+$", "12-345", True),  # two repetitions, apart
        ("^(ab)+$", "ababa", False),
    ],
)
def test_regex_of_safe_shapes_is_evaluated(pattern: str, text: str, expected: bool) -> None:
    assert evaluate(f"regex(., '{pattern}')", {}, text, today=TODAY) is expected


def test_regex_checks_text_up_to_a_length() -> None:
    assert evaluate("regex(., 'a$')", {}, "x" * (REGEX_MAX_TEXT - 1) + "a", today=TODAY) is True
    with pytest.raises(ExpressionError, match=f"at most {REGEX_MAX_TEXT} characters; got {REGEX_MAX_TEXT + 1}"):
        evaluate("regex(., 'a$')", {}, "x" * REGEX_MAX_TEXT + "a", today=TODAY)


def test_a_slow_regex_the_screen_lets_through_is_stopped_in_time() -> None:
    # two linked repetitions pass the screen; on 1,000 characters of '1' Python's own engine needs about a second
    with pytest.raises(ExpressionError, match=f"took longer than {REGEX_TIME_LIMIT:g} s on this answer"):
        evaluate(r"regex(., '\d*1\d*x')", {}, "1" * REGEX_MAX_TEXT, today=TODAY)
    assert evaluate(r"regex(., '\d*1\d*x')", {}, "12x", today=TODAY) is True  # the same pattern on a short answer


def test_character_classes_of_the_regex_screen_cover_what_python_matches() -> None:
    # the screen decides that '[a-z]+\d+' cannot backtrack from tables of \d, \s and \w: a character that
    # Python matches but the table misses would let a slow pattern through
    from govlens.framework.expression import _CATEGORY_CHARS

    for category, regex in (("CATEGORY_DIGIT", r"\d"), ("CATEGORY_SPACE", r"\s"), ("CATEGORY_WORD", r"\w")):
        ranges = _CATEGORY_CHARS[category]
        missed = [
            code
            for code in range(0x3100)
            if re.fullmatch(regex, chr(code)) and not any(low <= code <= high for low, high in ranges)
        ]
        assert missed == [], category
