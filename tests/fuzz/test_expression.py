"""Fuzzing the expression evaluator with grammar-built expressions of a known nesting depth and huge numbers.

tests/framework/test_expression.py already throws random text and shallow grammar expressions at the parser;
these tests add depth up to and past ``MAX_NESTING`` (where the parser must refuse cleanly, not hit Python's
recursion limit), numbers past the float range, and long literals. Parsing and evaluation may only raise
:class:`ExpressionError`.
"""

from __future__ import annotations

import datetime
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from govlens.framework.expression import (
    FUNCTIONS,
    MAX_NESTING,
    ExpressionError,
    evaluate,
    is_true,
    parse,
)
from tests.fuzz.strategies import HUGE_INTEGERS, NUMBERS, SCALARS, nested

TODAY = datetime.date(2026, 1, 15)

HUGE_LITERALS = [
    "9" * 400,
    "1" + "0" * 5000,
    "0." + "0" * 5000 + "1",
    "." + "9" * 3000,
    "179769313486231570" + "0" * 291,  # just above the largest float
]
LEAVES = st.one_of(
    st.sampled_from(["${a}", "${b}", "${m}", ".", "''", "'yes'", "'2021-02-28'", "'a b c'", "0", "1", "2.5"]),
    st.sampled_from(HUGE_LITERALS),
    st.integers(0, 10**30).map(str),
    st.text(st.characters(codec="utf-8", exclude_characters="'"), max_size=20).map(lambda text: f"'{text}'"),
    st.just("'" + "x" * 5_000 + "'"),
)
OPERATORS = st.sampled_from(["or", "and", "=", "!=", "<", "<=", ">", ">=", "+", "-", "*", "div", "mod"])
# functions that take at least one argument, so they can wrap a deeper expression
WRAPPERS = sorted(name for name, (fewest, _) in FUNCTIONS.items() if fewest >= 1)


@st.composite
def expression_of_depth(draw: st.DrawFn, depth: int) -> str:
    """An expression of the grammar whose deepest chain of parentheses, calls and minus signs is ``depth``."""
    if depth == 0:
        return draw(LEAVES)
    inner = draw(expression_of_depth(depth - 1))
    kind = draw(st.sampled_from(["paren", "call", "negate"]))
    if kind == "negate":
        return f"-{inner}"
    if kind == "paren":
        sibling = draw(expression_of_depth(draw(st.integers(0, min(depth - 1, 1)))))
        return f"({inner} {draw(OPERATORS)} {sibling})"
    name = draw(st.sampled_from(WRAPPERS))
    fewest, most = FUNCTIONS[name]
    count = draw(st.integers(fewest, most if most is not None else fewest + 2))
    others = [draw(expression_of_depth(draw(st.integers(0, min(depth - 1, 1))))) for _ in range(count - 1)]
    args = [inner, *others]
    position = draw(st.integers(0, len(args) - 1))
    args[0], args[position] = args[position], args[0]
    return f"{name}({', '.join(args)})"


@st.composite
def deep_expressions(draw: st.DrawFn) -> tuple[str, int]:
    depth = draw(st.integers(0, MAX_NESTING + 12))
    return draw(expression_of_depth(depth)), depth


ANSWER = st.one_of(SCALARS, nested(max_leaves=4), HUGE_INTEGERS)
ANSWERS = st.fixed_dictionaries({}, optional={"a": ANSWER, "b": ANSWER, "m": ANSWER})


@settings(max_examples=120)
@given(deep_expressions(), ANSWERS, ANSWER)
def test_nesting_within_the_limit_evaluates_and_beyond_is_refused(
    case: tuple[str, int], answers: dict[str, object], current: object
) -> None:
    source, depth = case
    try:
        expression = parse(source)
    except ExpressionError as error:
        assert 0 <= error.position <= len(source)
        assert error.message
        if depth <= MAX_NESTING:
            # the grammar is valid, so only a regular-expression literal may be refused
            assert "regular expression" in error.message, (source, error)
        return
    assert depth <= MAX_NESTING, f"{depth} levels parsed; the limit is {MAX_NESTING}"
    try:
        value = evaluate(expression, answers, current, today=TODAY)
    except ExpressionError as error:
        assert error.message
        return
    assert isinstance(value, str | float | bool | datetime.date)
    assert isinstance(is_true(expression, answers, current, today=TODAY), bool)


@pytest.mark.parametrize("wrapper", ["({})", "-{}", "not({})", "string({})", "if({}, 1, 2)", "substr({}, 1)"])
def test_every_kind_of_nesting_stops_at_the_limit(wrapper: str) -> None:
    def nest(times: int) -> str:
        source = "1"
        for _ in range(times):
            source = wrapper.format(source)
        return source

    assert evaluate(nest(MAX_NESTING), {}, today=TODAY) is not None
    for times in (MAX_NESTING + 1, 5000):
        with pytest.raises(ExpressionError, match=f"nested more than {MAX_NESTING}"):
            parse(nest(times))


@pytest.mark.parametrize(
    ("source", "check"),
    [
        ("9" * 400 + " * 10", math.isinf),
        ("-" + "9" * 400 + " + " + "9" * 400, math.isnan),  # -inf + inf
        ("1" + "0" * 5000 + " div " + "1" + "0" * 5000, math.isnan),  # inf div inf
        ("0." + "0" * 5000 + "1 = 0", lambda value: value is True),  # underflows to 0
        ("round(" + "9" * 400 + ", 400)", math.isinf),
        ("round(1.5, " + "9" * 400 + ")", lambda value: value == 1.5),
        ("int(" + "9" * 300 + ")", lambda value: value == float("9" * 300)),
        # 9...9 (300 digits) is the float 1e300, written by string() as 1 and 300 zeros
        ("string-length(string(" + "9" * 300 + "))", lambda value: value == 301.0),
        ("substr('abc', " + "9" * 400 + ")", lambda value: value == ""),
        ("substr('abc', -" + "9" * 400 + ", 2)", lambda value: value == "ab"),
        ("format-date(" + "9" * 300 + ", '%Y')", lambda value: value == ""),
        ("string(date(-" + "9" * 20 + "))", lambda value: value == "NaN"),
        ("count-selected('" + "a " * 20_000 + "')", lambda value: value == 20_000.0),
    ],
)
def test_huge_numbers_follow_ieee_rules(source: str, check: object) -> None:
    value = evaluate(source, {}, today=TODAY)
    assert callable(check)
    assert check(value), value


@settings(max_examples=200)
@given(st.sampled_from(["${a} + 1", "${a} > 0", "string(${a})", "round(${a}, ${b})", "date(${a})", "${a} = ${b}"]),
       NUMBERS | HUGE_INTEGERS, NUMBERS | HUGE_INTEGERS)  # fmt: skip
def test_extreme_numeric_answers_evaluate(source: str, a: object, b: object) -> None:
    try:
        value = evaluate(source, {"a": a, "b": b}, today=TODAY)
    except ExpressionError:
        return
    assert isinstance(value, str | float | bool | datetime.date)


@settings(max_examples=100)
@given(st.lists(st.sampled_from([" or ", " and ", " + ", " = ", " * "]), min_size=1, max_size=4000))
def test_long_flat_chains_do_not_nest(operators: list[str]) -> None:
    # a flat chain of thousands of operators is not nesting: it parses and evaluates
    source = "1" + "1".join(operators) + "1"
    value = evaluate(source, {}, today=TODAY)
    assert isinstance(value, float | bool)


@pytest.mark.parametrize("source", [b"1", 5, None, 1.5])
def test_an_expression_that_is_not_text_is_refused(source: object) -> None:
    with pytest.raises(ExpressionError, match="must be text"):
        parse(source)


@pytest.mark.parametrize("source", [["1"], {"a": 1}], ids=["list", "dict"])
def test_unhashable_expression_is_an_expression_error(source: object) -> None:
    with pytest.raises(ExpressionError, match="must be text"):
        parse(source)
