"""The XLSForm expression language, evaluated on the server.

Questions carry ``relevant`` (skip logic) and ``constraint`` expressions written in the XPath subset that
XLSForm tools accept: ``${dg_org_exists} = 'yes'``, ``selected(${powers}, 'budget')``,
``. >= 1990 and . <= 2030``. The web platform and the workbook import need the same answers as ODK/Kobo would
give, so this module has its own tokenizer, a precedence-climbing parser and an evaluator that follow the
XPath 1.0 conversion and comparison rules for the values a form holds (strings, numbers, booleans, dates).

An answer is ``None`` or ``''`` when unanswered, a ``str`` for single choices and text, a sequence of ``str``
(or one space-separated ``str``, as ODK stores it) for multiple choices, and an ``int``/``float`` for numbers.
Inside an expression every answer reads as XPath reads a form field: an unanswered field is the empty string,
which compares unequal to any number and equal to ``''``.

Nothing here calls Python's ``eval``; evaluation never raises anything but :class:`ExpressionError`.
"""

from __future__ import annotations

import datetime
import functools
import importlib
import math
import numbers
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_FLOOR, Decimal, InvalidOperation, localcontext
from typing import Any

import regex

__all__ = [
    "FUNCTIONS",
    "Expression",
    "ExpressionError",
    "UnknownFunctionError",
    "UnsafePatternError",
    "evaluate",
    "is_true",
    "parse",
    "to_boolean",
    "to_number",
    "to_string",
]

# Parentheses, calls and unary minus nested deeper than this are refused: forms never need it, and the
# limit keeps parsing and evaluation far from Python's recursion limit.
MAX_NESTING = 48


class ExpressionError(ValueError):
    """An expression that does not parse (or cannot be evaluated), with the 0-based offset of the problem."""

    def __init__(self, message: str, position: int) -> None:
        super().__init__(f"position {position}: {message}")
        self.message = message
        self.position = position


class UnknownFunctionError(ExpressionError):
    """A call to a function the evaluator does not implement (for example ``pulldata`` or ``jr:choice-name``)."""

    def __init__(self, name: str, position: int) -> None:
        super().__init__(f"unknown function '{name}'", position)
        self.name = name


class UnsafePatternError(ExpressionError):
    """A regular expression refused because matching it could take exponential or polynomial time."""


# -- values ---------------------------------------------------------------------------------------------------
# The evaluator works on four XPath value types: str, float, bool and datetime.date (what today() returns).
Value = str | float | bool | datetime.date

_EPOCH = datetime.date(1970, 1, 1)
_XPATH_NUMBER = re.compile(r"\s*-?(?:\d+(?:\.\d*)?|\.\d+)\s*")
_ISO_DATE = re.compile(r"\s*(\d{4})-(\d{2})-(\d{2})")


def _float(number: int | float) -> float:
    try:
        return float(number)
    except OverflowError:  # an int beyond the float range
        return math.inf if number > 0 else -math.inf


def _date_from_string(text: str) -> datetime.date | None:
    match = _ISO_DATE.match(text)
    if match is None:
        return None
    try:
        return datetime.date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError:
        return None


def _date_from_number(number: float) -> datetime.date | None:
    if not math.isfinite(number):
        return None
    try:
        return _EPOCH + datetime.timedelta(days=math.floor(number))
    except OverflowError:
        return None


def to_number(value: Value) -> float:
    """XPath ``number()``: strings that are not plain decimal numbers become NaN; dates count days since 1970."""
    if isinstance(value, bool):
        return 1.0 if value else 0.0
    if isinstance(value, float):
        return value
    if isinstance(value, datetime.date):
        return float((value - _EPOCH).days)
    if _XPATH_NUMBER.fullmatch(value):
        return float(value)
    return math.nan


def _format_number(number: float) -> str:
    if math.isnan(number):
        return "NaN"
    if math.isinf(number):
        return "Infinity" if number > 0 else "-Infinity"
    if number == 0:
        return "0"
    # XPath writes numbers without an exponent and without a trailing '.0'.
    return format(Decimal(repr(number)).normalize(), "f")


def to_string(value: Value) -> str:
    """XPath ``string()``."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return _format_number(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def to_boolean(value: Value) -> bool:
    """XPath ``boolean()``: non-zero, non-NaN numbers and non-empty strings are true."""
    if isinstance(value, bool):
        return value
    if isinstance(value, float):
        return not (value == 0 or math.isnan(value))
    if isinstance(value, datetime.date):
        return True
    return value != ""


def _to_date(value: Value) -> datetime.date | None:
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, str):
        return _date_from_string(value)
    if isinstance(value, bool):
        return None
    return _date_from_number(value)


def _answer_value(answer: object) -> Value:
    """An answer as the form field XPath would read: unanswered is '', a multiple choice a spaced string."""
    if answer is None:
        return ""
    if isinstance(answer, bool | str):
        return answer
    if isinstance(answer, numbers.Real):  # int, float and numpy's scalar types
        number = _float(answer) if isinstance(answer, int) else float(answer)
        # a NaN answer is how data frames mark an empty cell
        return "" if math.isnan(number) else number
    if isinstance(answer, datetime.datetime):
        return answer.date()
    if isinstance(answer, datetime.date):
        return answer
    if isinstance(answer, list | tuple | set | frozenset):
        items = sorted(answer, key=str) if isinstance(answer, set | frozenset) else list(answer)
        return " ".join(to_string(_answer_value(item)) for item in items if item is not None and item != "")
    return str(answer)


# -- syntax tree ----------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Literal:
    value: str | float
    position: int = field(default=0, compare=False)


@dataclass(frozen=True)
class Reference:
    name: str
    position: int = field(default=0, compare=False)


@dataclass(frozen=True)
class Current:
    position: int = field(default=0, compare=False)


@dataclass(frozen=True)
class Negate:
    operand: Node
    position: int = field(default=0, compare=False)


@dataclass(frozen=True)
class Chain:
    """Operators of one precedence level, applied left to right: ``first op1 x1 op2 x2 ...``.

    A flat chain (rather than nested binary nodes) keeps long ``or`` lists of ``selected()`` calls shallow.
    """

    first: Node
    rest: tuple[tuple[str, Node], ...]
    position: int = field(default=0, compare=False)


@dataclass(frozen=True)
class Call:
    name: str
    args: tuple[Node, ...]
    position: int = field(default=0, compare=False)


Node = Literal | Reference | Current | Negate | Chain | Call


def _walk(node: Node) -> Iterator[Node]:
    yield node
    if isinstance(node, Negate):
        yield from _walk(node.operand)
    elif isinstance(node, Chain):
        yield from _walk(node.first)
        for _, operand in node.rest:
            yield from _walk(operand)
    elif isinstance(node, Call):
        for arg in node.args:
            yield from _walk(arg)


@dataclass(frozen=True)
class Expression:
    """A parsed expression; equal when the source text is equal."""

    source: str
    root: Node = field(compare=False, repr=False)

    def references(self) -> frozenset[str]:
        """The question names the expression reads as ``${name}``."""
        return frozenset(node.name for node in _walk(self.root) if isinstance(node, Reference))

    def uses_current(self) -> bool:
        """Whether the expression reads the current answer ``.`` (directly or through string() and friends)."""
        return any(
            isinstance(node, Current) or (isinstance(node, Call) and not node.args and node.name in _CURRENT_DEFAULT)
            for node in _walk(self.root)
        )

    def functions(self) -> frozenset[str]:
        """The names of the functions the expression calls."""
        return frozenset(node.name for node in _walk(self.root) if isinstance(node, Call))


# -- tokenizer ------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Token:
    kind: str  # number, string, ref, dot, name, op, (, ), ",", end
    text: str
    position: int


_NAME_START = re.compile(r"[A-Za-z_]")
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_.:\-]*")
_REF_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_.\-]*")
_NUMBER = re.compile(r"\d+(?:\.\d*)?|\.\d+")
_DIGITS = frozenset("0123456789")
_TWO_CHAR_OPS = ("!=", "<=", ">=")
_ONE_CHAR_OPS = "=<>+-*"
_OPERATOR_NAMES = frozenset({"and", "or", "div", "mod"})
_UNSUPPORTED = {
    "/": "paths are not supported; refer to a question as ${name}",
    "[": "predicates are not supported",
    "|": "node-set unions are not supported",
    "@": "attributes are not supported",
    "$": "a reference is written ${name}",
    **dict.fromkeys("\u2018\u2019\u201c\u201d", "curly quotes: write text between straight quotes ' or \""),
}


def _tokenize(source: str) -> list[_Token]:
    tokens: list[_Token] = []
    i, n = 0, len(source)
    while i < n:
        char = source[i]
        if char.isspace():
            i += 1
            continue
        if char == "$" and source.startswith("${", i):
            end = source.find("}", i + 2)
            if end < 0:
                raise ExpressionError("reference '${' is not closed with '}'", i)
            name = source[i + 2 : end].strip()
            if not name:
                raise ExpressionError("empty reference '${}'", i)
            if not _REF_NAME.fullmatch(name):
                raise ExpressionError(f"invalid question name {name!r} in reference", i)
            tokens.append(_Token("ref", name, i))
            i = end + 1
            continue
        if char in "'\"":
            end = source.find(char, i + 1)
            if end < 0:
                raise ExpressionError(f"string starting with {char} is not closed", i)
            tokens.append(_Token("string", source[i + 1 : end], i))
            i = end + 1
            continue
        if char in _DIGITS or (char == "." and source[i + 1 : i + 2] in _DIGITS):
            number = _NUMBER.match(source, i)
            assert number is not None
            tokens.append(_Token("number", number.group(), i))
            i = number.end()
            continue
        if char == ".":
            if source.startswith("..", i):
                raise ExpressionError("the parent step '..' is not supported; refer to a question as ${name}", i)
            tokens.append(_Token("dot", ".", i))
            i += 1
            continue
        if _NAME_START.match(char):
            match = _NAME.match(source, i)
            assert match is not None
            tokens.append(_Token("name", match.group(), i))
            i = match.end()
            continue
        two = source[i : i + 2]
        if two in _TWO_CHAR_OPS:
            tokens.append(_Token("op", two, i))
            i += 2
            continue
        if char in _ONE_CHAR_OPS:
            tokens.append(_Token("op", char, i))
            i += 1
            continue
        if char in "(),":
            tokens.append(_Token(char, char, i))
            i += 1
            continue
        hint = _UNSUPPORTED.get(char)
        raise ExpressionError(f"unexpected {char!r}" + (f" ({hint})" if hint else ""), i)
    tokens.append(_Token("end", "", n))
    return tokens


# -- functions ------------------------------------------------------------------------------------------------
# name -> (fewest arguments, most arguments or None for no limit)
FUNCTIONS: Mapping[str, tuple[int, int | None]] = {
    "selected": (2, 2),
    "count-selected": (1, 1),
    "not": (1, 1),
    "true": (0, 0),
    "false": (0, 0),
    "boolean": (1, 1),
    "string": (0, 1),
    "string-length": (0, 1),
    "normalize-space": (0, 1),
    "number": (0, 1),
    "int": (1, 1),
    "round": (1, 2),
    "floor": (1, 1),
    "ceiling": (1, 1),
    "abs": (1, 1),
    "concat": (0, None),
    "contains": (2, 2),
    "starts-with": (2, 2),
    "ends-with": (2, 2),
    "substr": (2, 3),
    "regex": (2, 2),
    "if": (3, 3),
    "coalesce": (2, 2),
    "today": (0, 0),
    "date": (1, 1),
    "format-date": (2, 2),
}
# Functions that read the current answer when called without an argument.
_CURRENT_DEFAULT = frozenset({"string", "string-length", "normalize-space", "number"})

# binary operators by precedence level, loosest first (XPath 1.0)
_LEVELS: tuple[frozenset[str], ...] = (
    frozenset({"or"}),
    frozenset({"and"}),
    frozenset({"=", "!="}),
    frozenset({"<", "<=", ">", ">="}),
    frozenset({"+", "-"}),
    frozenset({"*", "div", "mod"}),
)


# regex() guards against catastrophic backtracking (a pattern like '^(a+)+$' takes time exponential in the
# length of the text it fails on). Three bounds:
# - patterns whose shape backtracks without bound are refused, when parsed and when read from an answer:
#   a repetition inside a repeated group ('(a+)+', '(a*b?)*'), alternatives that start alike inside a
#   repeated group ('(ab|a)+'), and unbounded repetitions side by side that match the same characters
#   ('\d*\d*', '\d*-?\d*'), and three such repetitions linked by characters they all match
#   ('\d*1\d*1\d*'); the error says which shape to rewrite;
# - the text checked is at most REGEX_MAX_TEXT characters, which bounds what the shapes the screen lets
#   through cost (two linked repetitions, '\d*1\d*x': about a second at the limit, searched unanchored).
#   Form answers that regex() checks are codes, e-mails, phone numbers.
REGEX_MAX_TEXT = 1_000
# - the search itself runs in the `regex` package's engine (re-compatible mode), which stops after
#   REGEX_TIME_LIMIT seconds; the answer is then reported, not hung on.
REGEX_TIME_LIMIT = 0.25

# (low, high) code point ranges a single-character item matches; None when it may be any character
_CharRanges = list[tuple[int, int]] | None


def _compile_regex(pattern: str, position: int) -> re.Pattern[str]:
    try:
        compiled = re.compile(pattern)
    except (re.error, RecursionError, OverflowError, ValueError) as error:
        raise ExpressionError(f"invalid regular expression {pattern!r}: {error}", position) from None
    problem = _backtracking_shape(pattern)
    if problem is not None:
        raise UnsafePatternError(
            f"regular expression {_clip(pattern)} is refused: it has {problem}, which makes matching take "
            "exponential or polynomial time; rewrite it so that each character can be matched in only one way",
            position,
        )
    return compiled


def _clip(text: str, limit: int = 60) -> str:
    return repr(text if len(text) <= limit else text[: limit - 3] + "...")


@functools.lru_cache(maxsize=1024)
def _backtracking_shape(pattern: str) -> str | None:
    """The shape of ``pattern`` that makes Python's backtracking engine slow, or None."""
    try:
        # the standard library's own parse tree of the pattern (private, hence imported by name; if a
        # later Python moves it, patterns are no longer screened and only REGEX_MAX_TEXT bounds the cost)
        tree = importlib.import_module("re._parser").parse(pattern)
        unbounded = importlib.import_module("re._constants").MAXREPEAT
    except Exception:  # see above: any failure to import means no screening
        return None
    return _screen(list(tree), inside_repeat=False, unbounded=unbounded)


def _screen(items: list[Any], inside_repeat: bool, unbounded: int) -> str | None:
    adjacent: Any = None  # the body of an unbounded repetition with only optional items after it
    chain: list[Any] = []  # bodies of unbounded repetitions linked by characters all of them match
    for op, arg in items:
        name = str(op)
        found: str | None = None
        if name in ("MAX_REPEAT", "MIN_REPEAT"):
            low, high, body = arg
            if inside_repeat and high != low:
                return "a repetition inside a repeated group, such as '(a+)+'"
            if high == unbounded:
                if adjacent is not None and _overlap(_chars(adjacent), _chars(body)):
                    return "repetitions side by side that match the same characters, such as '\\d*-?\\d*'"
                chain = [*chain, body] if chain and _overlap(_chars(chain[-1]), _chars(body)) else [body]
                if len(chain) >= 3:
                    return "three repetitions linked by characters they all match, such as '\\d*1\\d*1\\d*'"
                adjacent = body
            elif low > 0:  # an optional item ('-?') leaves the repetitions on either side next to each other
                adjacent = None
                chain = []
            found = _screen(list(body), inside_repeat or high == unbounded, unbounded)
        elif name in ("LITERAL", "NOT_LITERAL", "IN", "ANY"):
            adjacent = None
            if chain and not _overlap(_chars(chain[-1]), _chars([(op, arg)])):
                chain = []
        elif name == "AT":  # ^, $, \b: no character
            pass
        else:
            adjacent = None
            chain = []
            if name == "SUBPATTERN":
                found = _screen(list(arg[-1]), inside_repeat, unbounded)
            elif name in ("ASSERT", "ASSERT_NOT"):
                found = _screen(list(arg[1]), inside_repeat, unbounded)
            elif name == "BRANCH":
                alternatives = [list(branch) for branch in arg[1]]
                if inside_repeat:
                    starts = [_chars(branch[:1]) if branch else None for branch in alternatives]
                    if any(_overlap(a, b) for i, a in enumerate(starts) for b in starts[i + 1 :]):
                        return "alternatives that start alike inside a repeated group, such as '(ab|a)+'"
                for branch in alternatives:
                    found = found or _screen(branch, inside_repeat, unbounded)
        if found:
            return found
    return None


def _chars(items: Any) -> _CharRanges:
    """The characters a one-item sequence (a literal or a plain set) matches; None for anything else."""
    items = list(items)
    if len(items) != 1:
        return None
    op, arg = items[0]
    if str(op) == "LITERAL":
        return [(arg, arg)]
    if str(op) != "IN":
        return None
    ranges: list[tuple[int, int]] = []
    for member_op, member in arg:
        if str(member_op) == "LITERAL":
            ranges.append((member, member))
        elif str(member_op) == "RANGE":
            ranges.append(member)
        elif str(member_op) == "CATEGORY" and str(member) in _CATEGORY_CHARS:
            ranges.extend(_CATEGORY_CHARS[str(member)])
        else:  # a negated set or category: treat as matching anything
            return None
    return ranges


# The characters of \d, \s and \w, as Python matches them in text: the spaces are listed, and past ASCII
# digits and letters (too many to list) are taken as every character that is not a space.
_SPACES = [(9, 13), (28, 32), (133, 133), (160, 160), (0x1680, 0x1680), (0x2000, 0x200A), (0x2028, 0x2029)]
_SPACES += [(0x202F, 0x202F), (0x205F, 0x205F), (0x3000, 0x3000)]
_PAST_ASCII_SPACES = _SPACES[2:]  # the gaps between these, from 128 up, are the other characters
_NOT_SPACES_PAST_ASCII = [
    (after + 1, before - 1)
    for after, before in zip(
        [127] + [high for _, high in _PAST_ASCII_SPACES],
        [low for low, _ in _PAST_ASCII_SPACES] + [0x110000],
        strict=True,
    )
    if before - after > 1
]
_CATEGORY_CHARS: dict[str, list[tuple[int, int]]] = {
    "CATEGORY_DIGIT": [(48, 57), *_NOT_SPACES_PAST_ASCII],
    "CATEGORY_SPACE": _SPACES,
    "CATEGORY_WORD": [(48, 57), (65, 90), (95, 95), (97, 122), *_NOT_SPACES_PAST_ASCII],
}


def _overlap(first: _CharRanges, second: _CharRanges) -> bool:
    if first is None or second is None:
        return True
    return any(a_low <= b_high and b_low <= a_high for a_low, a_high in first for b_low, b_high in second)


class _Parser:
    def __init__(self, source: str) -> None:
        self.tokens = _tokenize(source)
        self.index = 0
        self.nesting = 0

    @property
    def token(self) -> _Token:
        return self.tokens[self.index]

    def _advance(self) -> _Token:
        token = self.tokens[self.index]
        if token.kind != "end":
            self.index += 1
        return token

    def _operator(self) -> str | None:
        token = self.token
        if token.kind == "op" or (token.kind == "name" and token.text in _OPERATOR_NAMES):
            return token.text
        return None

    def _enter(self, position: int) -> None:
        self.nesting += 1
        if self.nesting > MAX_NESTING:
            raise ExpressionError(f"expression nested more than {MAX_NESTING} levels deep", position)

    def parse(self) -> Node:
        if self.token.kind == "end":
            raise ExpressionError("empty expression", 0)
        node = self._binary(0)
        if self.token.kind != "end":
            raise self._unexpected()
        return node

    def _unexpected(self) -> ExpressionError:
        token = self.token
        if token.kind == "end":
            return ExpressionError("unexpected end of expression", token.position)
        if token.kind == "name" and token.text.lower() in _OPERATOR_NAMES and token.text not in _OPERATOR_NAMES:
            return ExpressionError(f"unexpected {token.text!r} (operators are written in lower case)", token.position)
        shown = {"string": repr(token.text), "ref": "${" + token.text + "}"}.get(token.kind, repr(token.text))
        return ExpressionError(f"unexpected {shown}", token.position)

    def _binary(self, level: int) -> Node:
        if level == len(_LEVELS):
            return self._unary()
        start = self.token.position
        first = self._binary(level + 1)
        rest: list[tuple[str, Node]] = []
        while (operator := self._operator()) in _LEVELS[level]:
            assert operator is not None
            self._advance()
            rest.append((operator, self._binary(level + 1)))
        return Chain(first, tuple(rest), start) if rest else first

    def _unary(self) -> Node:
        token = self.token
        if token.kind == "op" and token.text == "-":
            self._advance()
            self._enter(token.position)
            operand = self._unary()
            self.nesting -= 1
            return Negate(operand, token.position)
        return self._primary()

    def _primary(self) -> Node:
        token = self.token
        if token.kind == "number":
            self._advance()
            return Literal(float(token.text), token.position)
        if token.kind == "string":
            self._advance()
            return Literal(token.text, token.position)
        if token.kind == "ref":
            self._advance()
            return Reference(token.text, token.position)
        if token.kind == "dot":
            self._advance()
            return Current(token.position)
        if token.kind == "(":
            self._advance()
            self._enter(token.position)
            node = self._binary(0)
            self.nesting -= 1
            if self.token.kind != ")":
                raise self._unexpected()
            self._advance()
            return node
        if token.kind == "name":
            if self.tokens[self.index + 1].kind == "(":
                return self._call()
            if token.text in FUNCTIONS:
                raise ExpressionError(f"function {token.text!r} is called with parentheses", token.position)
            if token.text not in _OPERATOR_NAMES and token.text.lower() not in _OPERATOR_NAMES:
                raise ExpressionError(
                    f"unexpected name {token.text!r} (write text in quotes, '{token.text}', "
                    f"and a question as ${{{token.text}}})",
                    token.position,
                )
        raise self._unexpected()

    def _call(self) -> Node:
        name_token = self._advance()
        name = name_token.text
        if name not in FUNCTIONS:
            raise UnknownFunctionError(name, name_token.position)
        self._advance()  # (
        self._enter(name_token.position)
        args: list[Node] = []
        if self.token.kind != ")":
            args.append(self._binary(0))
            while self.token.kind == ",":
                self._advance()
                args.append(self._binary(0))
        if self.token.kind != ")":
            raise self._unexpected()
        self._advance()
        self.nesting -= 1
        fewest, most = FUNCTIONS[name]
        if len(args) < fewest or (most is not None and len(args) > most):
            allowed = str(fewest) if fewest == most else f"{fewest} or more" if most is None else f"{fewest} to {most}"
            raise ExpressionError(
                f"{name}() takes {allowed} argument{'' if allowed == '1' else 's'}; got {len(args)}",
                name_token.position,
            )
        if name == "regex" and isinstance(args[1], Literal) and isinstance(args[1].value, str):
            _compile_regex(args[1].value, args[1].position)
        return Call(name, tuple(args), name_token.position)


def parse(source: str) -> Expression:
    """Parse an XLSForm expression; raises :class:`ExpressionError` naming the offending position."""
    if not isinstance(source, str):  # before the cache, which cannot hash a list or a dict
        raise ExpressionError(f"an expression must be text; got {type(source).__name__}", 0)
    return _parse_text(source)


@functools.lru_cache(maxsize=4096)
def _parse_text(source: str) -> Expression:
    return Expression(source, _Parser(source).parse())


# -- evaluation -----------------------------------------------------------------------------------------------
def _compare(operator: str, left: Value, right: Value) -> bool:
    if operator in ("=", "!="):
        if isinstance(left, bool) or isinstance(right, bool):
            equal = to_boolean(left) == to_boolean(right)
            return equal if operator == "=" else not equal
        if isinstance(left, datetime.date) or isinstance(right, datetime.date):
            x, y = _date_number(left), _date_number(right)
        elif isinstance(left, float) or isinstance(right, float):
            x, y = to_number(left), to_number(right)
        else:
            equal = to_string(left) == to_string(right)
            return equal if operator == "=" else not equal
        # IEEE comparison: NaN (an empty answer read as a number) is unequal to everything
        return x == y if operator == "=" else x != y
    if isinstance(left, datetime.date) or isinstance(right, datetime.date):
        x, y = _date_number(left), _date_number(right)
    else:
        x, y = to_number(left), to_number(right)
    if operator == "<":
        return x < y
    if operator == "<=":
        return x <= y
    if operator == ">":
        return x > y
    return x >= y


def _date_number(value: Value) -> float:
    """Days since 1970 for comparisons that involve a date (ISO strings are read as dates)."""
    if isinstance(value, str):
        parsed = _date_from_string(value)
        return float((parsed - _EPOCH).days) if parsed is not None else to_number(value)
    return to_number(value)


def _divide(x: float, y: float) -> float:
    if y == 0:
        if x == 0 or math.isnan(x):
            return math.nan
        return math.copysign(math.inf, x) * math.copysign(1.0, y)
    return x / y


def _modulo(x: float, y: float) -> float:
    # XPath mod truncates like Java's %: the result has the sign of the dividend.
    if math.isnan(x) or math.isnan(y) or math.isinf(x) or y == 0:
        return math.nan
    if math.isinf(y):
        return x
    return math.fmod(x, y)


def _arithmetic(operator: str, x: float, y: float) -> float:
    if operator == "+":
        return x + y
    if operator == "-":
        return x - y
    if operator == "*":
        return x * y
    if operator == "div":
        return _divide(x, y)
    return _modulo(x, y)


def _round(number: float, digits: float = 0.0) -> float:
    """XPath round (half towards positive infinity), with ODK's optional number of decimal places."""
    if not math.isfinite(number):
        return number
    if math.isnan(digits):
        return math.nan
    places = int(max(-400.0, min(400.0, digits)))
    with localcontext() as context:
        context.prec = 60
        try:
            scaled = Decimal(repr(number)).scaleb(places)
            rounded = (scaled + Decimal("0.5")).to_integral_value(rounding=ROUND_FLOOR).scaleb(-places)
            result = float(rounded)
        except (InvalidOperation, OverflowError):
            return number
    return 0.0 if result == 0 else result


def _format_date(value: Value, pattern: str) -> str:
    day = _to_date(value)
    if day is None:
        return ""
    codes = {
        "Y": f"{day.year:04d}",
        "y": f"{day.year % 100:02d}",
        "m": f"{day.month:02d}",
        "n": str(day.month),
        "d": f"{day.day:02d}",
        "e": str(day.day),
    }
    return re.sub(r"%(.)", lambda match: codes.get(match.group(1), match.group(0)), pattern)


def _substr(text: str, start: float, end: float | None) -> str:
    # ODK substr(string, start[, end]): 0-based, end exclusive, negative values count from the end.
    def index(number: float) -> int:
        if math.isnan(number):
            return 0
        return int(max(-len(text) - 1.0, min(len(text) + 1.0, number)))

    return text[index(start) : None if end is None else index(end)]


class _Evaluator:
    def __init__(self, answers: Mapping[str, object], current: object, today: datetime.date | None) -> None:
        self.answers = answers
        self.current = current
        self.today = today

    def value(self, node: Node) -> Value:
        if isinstance(node, Literal):
            return node.value
        if isinstance(node, Reference):
            return _answer_value(self.answers.get(node.name))
        if isinstance(node, Current):
            return _answer_value(self.current)
        if isinstance(node, Negate):
            return -to_number(self.value(node.operand))
        if isinstance(node, Chain):
            return self._chain(node)
        return self._call(node)

    def _chain(self, node: Chain) -> Value:
        operator = node.rest[0][0]
        if operator == "or":
            return to_boolean(self.value(node.first)) or any(to_boolean(self.value(x)) for _, x in node.rest)
        if operator == "and":
            return to_boolean(self.value(node.first)) and all(to_boolean(self.value(x)) for _, x in node.rest)
        result = self.value(node.first)
        for operator, operand in node.rest:
            right = self.value(operand)
            if operator in ("=", "!=", "<", "<=", ">", ">="):
                result = _compare(operator, result, right)
            else:
                result = _arithmetic(operator, to_number(result), to_number(right))
        return result

    def string(self, node: Node) -> str:
        return to_string(self.value(node))

    def number(self, node: Node) -> float:
        return to_number(self.value(node))

    def _call(self, node: Call) -> Value:
        name, args = node.name, node.args
        if not args and name in _CURRENT_DEFAULT:
            args = (Current(node.position),)
        handler = _HANDLERS[name]
        return handler(self, args, node)


def _selected(ev: _Evaluator, args: tuple[Node, ...], node: Call) -> Value:
    return ev.string(args[1]).strip() in ev.string(args[0]).split()


def _regex(ev: _Evaluator, args: tuple[Node, ...], node: Call) -> Value:
    pattern = _compile_regex(ev.string(args[1]), args[1].position)
    text = ev.string(args[0])
    if len(text) > REGEX_MAX_TEXT:
        raise ExpressionError(
            f"regex() checks text of at most {REGEX_MAX_TEXT} characters; got {len(text)}", args[0].position
        )
    try:
        # the `regex` engine, unlike `re`, can stop a search: the last guard for a shape the screen lets through
        return _matcher(pattern.pattern).search(text, timeout=REGEX_TIME_LIMIT) is not None
    except TimeoutError:
        raise ExpressionError(
            f"regular expression {_clip(pattern.pattern)} took longer than {REGEX_TIME_LIMIT:g} s on this answer; "
            "rewrite it so that each character can be matched in only one way",
            args[1].position,
        ) from None
    except RecursionError:
        raise ExpressionError("regular expression too complex to evaluate", args[1].position) from None


@functools.lru_cache(maxsize=256)
def _matcher(pattern: str) -> Any:
    """``pattern`` compiled by the `regex` package in its `re`-compatible mode (checked by ``_compile_regex``)."""
    return regex.compile(pattern, flags=regex.V0)


def _if(ev: _Evaluator, args: tuple[Node, ...], node: Call) -> Value:
    return ev.value(args[1]) if to_boolean(ev.value(args[0])) else ev.value(args[2])


def _coalesce(ev: _Evaluator, args: tuple[Node, ...], node: Call) -> Value:
    first = ev.value(args[0])
    return first if to_string(first) != "" else ev.value(args[1])


def _today(ev: _Evaluator, args: tuple[Node, ...], node: Call) -> Value:
    return ev.today if ev.today is not None else datetime.date.today()


def _date(ev: _Evaluator, args: tuple[Node, ...], node: Call) -> Value:
    day = _to_date(ev.value(args[0]))
    return day if day is not None else math.nan


def _int(ev: _Evaluator, args: tuple[Node, ...], node: Call) -> Value:
    number = ev.number(args[0])
    return float(math.trunc(number)) if math.isfinite(number) else number


def _round_call(ev: _Evaluator, args: tuple[Node, ...], node: Call) -> Value:
    return _round(ev.number(args[0]), ev.number(args[1]) if len(args) > 1 else 0.0)


def _finite_or_same(function: Callable[[float], int]) -> Callable[[_Evaluator, tuple[Node, ...], Call], Value]:
    def handler(ev: _Evaluator, args: tuple[Node, ...], node: Call) -> Value:
        number = ev.number(args[0])
        return float(function(number)) if math.isfinite(number) else number

    return handler


_Handler = Callable[[_Evaluator, tuple[Node, ...], Call], Value]
_HANDLERS: Mapping[str, _Handler] = {
    "selected": _selected,
    "count-selected": lambda ev, args, node: float(len(ev.string(args[0]).split())),
    "not": lambda ev, args, node: not to_boolean(ev.value(args[0])),
    "true": lambda ev, args, node: True,
    "false": lambda ev, args, node: False,
    "boolean": lambda ev, args, node: to_boolean(ev.value(args[0])),
    "string": lambda ev, args, node: ev.string(args[0]),
    "string-length": lambda ev, args, node: float(len(ev.string(args[0]))),
    "normalize-space": lambda ev, args, node: " ".join(ev.string(args[0]).split()),
    "number": lambda ev, args, node: ev.number(args[0]),
    "int": _int,
    "round": _round_call,
    "floor": _finite_or_same(math.floor),
    "ceiling": _finite_or_same(math.ceil),
    "abs": lambda ev, args, node: abs(ev.number(args[0])),
    "concat": lambda ev, args, node: "".join(ev.string(arg) for arg in args),
    "contains": lambda ev, args, node: ev.string(args[1]) in ev.string(args[0]),
    "starts-with": lambda ev, args, node: ev.string(args[0]).startswith(ev.string(args[1])),
    "ends-with": lambda ev, args, node: ev.string(args[0]).endswith(ev.string(args[1])),
    "substr": lambda ev, args, node: _substr(
        ev.string(args[0]), ev.number(args[1]), ev.number(args[2]) if len(args) > 2 else None
    ),
    "regex": _regex,
    "if": _if,
    "coalesce": _coalesce,
    "today": _today,
    "date": _date,
    "format-date": lambda ev, args, node: _format_date(ev.value(args[0]), ev.string(args[1])),
}
assert set(_HANDLERS) == set(FUNCTIONS)


def evaluate(
    expr: Expression | str,
    answers: Mapping[str, object],
    current: object = None,
    *,
    today: datetime.date | None = None,
) -> object:
    """The value of ``expr`` (a str, float, bool or date) for ``answers``; ``.`` is ``current``.

    ``today()`` returns ``today`` when given (deterministic runs), else the system date.
    """
    expression = parse(expr) if isinstance(expr, str) else expr
    return _Evaluator(answers, current, today).value(expression.root)


def is_true(
    expr: Expression | str,
    answers: Mapping[str, object],
    current: object = None,
    *,
    today: datetime.date | None = None,
) -> bool:
    """XPath ``boolean()`` of the expression's value: what ``relevant`` and ``constraint`` use."""
    expression = parse(expr) if isinstance(expr, str) else expr
    return to_boolean(_Evaluator(answers, current, today).value(expression.root))
