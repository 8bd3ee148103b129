"""Every problem code used anywhere in govlens/ is registered once in the one catalogue, and the generated page of
codes (docs/error-codes.md) lists them all.

The source is scanned for the places a code is written as a literal: an argument of a function or class whose
parameter is named ``code`` (``problem("x", ...)``, ``Problem("x", ...)``, ``ReleaseError.single("x")``, any local
helper ``error(code, ...)``: the helpers are found in the source, so a new one is covered), a ``code=`` keyword, a
``"code": "x"`` entry of a problem row, an assignment to ``code`` (the API errors' class attributes), a comparison
with a ``code``, and the keys of the web's wordings. A literal that is no code (a country code given to
``iso3_from_code``) is told apart by the callee, listed below with the reason.
"""

from __future__ import annotations

import ast
import re
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

import pytest

from govlens.cli.error_codes import render
from govlens.framework.errors import BY_CODE, LAYERS

PACKAGE = Path(__file__).resolve().parents[1] / "govlens"
DOC = PACKAGE.parent / "docs" / "error-codes.md"
# a problem code is snake case; "the data has no units" or "OECD" in such a place is a message or a name
CODE = re.compile(r"[a-z][a-z0-9]*(?:_[a-z0-9]+)*")
# callees with a parameter named ``code`` that is not a problem code
NOT_PROBLEM_CODES = {
    "iso3_from_code": "a country code",
    "is_legacy_code": "a country code",
    "read_unit": "a country code or name",
    "language_header": "a language code",
}
# dicts keyed by problem code
CODE_KEYED = {"WORDINGS", "COMMENT_WORDINGS"}


def _string(node: ast.AST | None) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def _names_code(node: ast.AST) -> bool:
    """``code``, ``x.code``, ``x["code"]`` or ``x.get("code")``."""
    if isinstance(node, ast.Name):
        return node.id == "code"
    if isinstance(node, ast.Attribute):
        return node.attr == "code"
    if isinstance(node, ast.Subscript):
        return _string(node.slice) == "code"
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "get":
        return bool(node.args) and _string(node.args[0]) == "code"
    return False


def _code_positions(tree: ast.Module) -> tuple[dict[str, set[int]], dict[str, set[int]]]:
    """(functions, methods) of one module: name -> the positions of their parameter named ``code`` (classes count
    as functions: their ``__init__`` or their dataclass fields)."""
    functions: dict[str, set[int]] = defaultdict(set)
    methods: dict[str, set[int]] = defaultdict(set)
    for node in ast.walk(tree):
        if isinstance(node, ast.ClassDef):
            fields = [s.target.id for s in node.body if isinstance(s, ast.AnnAssign) and isinstance(s.target, ast.Name)]
            if "code" in fields:
                functions[node.name].add(fields.index("code"))
            for item in node.body:
                if isinstance(item, ast.FunctionDef):
                    params = [a.arg for a in item.args.posonlyargs + item.args.args][1:]
                    if "code" in params:
                        target = functions[node.name] if item.name == "__init__" else methods[item.name]
                        target.add(params.index("code"))
    in_class = {id(item) for node in ast.walk(tree) if isinstance(node, ast.ClassDef) for item in node.body}
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and id(node) not in in_class:
            params = [a.arg for a in node.args.posonlyargs + node.args.args]
            if "code" in params:
                functions[node.name].add(params.index("code"))
    return functions, methods


def codes_used(sources: dict[str, str], *, ignore: frozenset[str] = frozenset()) -> Iterator[tuple[str, int, str]]:
    """(file, line, code) of every literal problem code in the sources (file name -> text), except those given to
    the callees in ``ignore``."""
    trees = {name: ast.parse(text) for name, text in sources.items()}
    own = {name: _code_positions(tree) for name, tree in trees.items()}
    every_function: dict[str, set[int]] = defaultdict(set)
    every_method: dict[str, set[int]] = defaultdict(set)
    for functions, methods in own.values():
        for key, positions in functions.items():
            every_function[key] |= positions
        for key, positions in methods.items():
            every_method[key] |= positions

    for name, tree in trees.items():
        functions, methods = own[name]

        def positions(
            call: ast.Call, functions: dict[str, set[int]] = functions, methods: dict[str, set[int]] = methods
        ) -> set[int]:
            # a helper defined in the same module wins over one of the same name elsewhere
            if isinstance(call.func, ast.Name):
                callee, local, anywhere = call.func.id, functions, every_function
            elif isinstance(call.func, ast.Attribute):
                callee, local, anywhere = call.func.attr, methods | functions, every_method | every_function
            else:
                return set()
            if callee in NOT_PROBLEM_CODES or callee in ignore:
                return set()
            return local.get(callee) or anywhere.get(callee, set())

        for node in ast.walk(tree):
            found: list[str | None] = []
            if isinstance(node, ast.Call):
                found += [_string(k.value) for k in node.keywords if k.arg == "code"]
                found += [_string(node.args[i]) for i in positions(node) if i < len(node.args)]
            elif isinstance(node, ast.Dict):
                found += [_string(v) for k, v in zip(node.keys, node.values, strict=True) if _string(k) == "code"]
            elif isinstance(node, ast.Assign | ast.AnnAssign):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                if any(_names_code(target) for target in targets):
                    found.append(_string(node.value))
                if any(isinstance(t, ast.Name) and t.id in CODE_KEYED for t in targets) and isinstance(
                    node.value, ast.Dict
                ):
                    found += [_string(key) for key in node.value.keys]
            elif isinstance(node, ast.Compare) and any(map(_names_code, [node.left, *node.comparators])):
                for side in [node.left, *node.comparators]:
                    items = side.elts if isinstance(side, ast.Tuple | ast.List | ast.Set) else [side]
                    found += [_string(item) for item in items]
            for code in found:
                if code is not None and CODE.fullmatch(code):
                    yield name, getattr(node, "lineno", 0), code


def _package_sources() -> dict[str, str]:
    return {str(path.relative_to(PACKAGE.parent)): path.read_text(encoding="utf-8") for path in PACKAGE.rglob("*.py")}


def test_every_code_used_in_govlens_is_in_the_catalogue() -> None:
    render()  # imports every layer's errors module
    unknown = sorted(
        {f"{file}:{line}: {code}" for file, line, code in codes_used(_package_sources()) if code not in BY_CODE}
    )
    assert not unknown, "problem codes used but not registered in the catalogue:\n" + "\n".join(unknown)


def test_every_registered_code_is_reported_somewhere() -> None:
    render()
    # a registration (ErrorType's first field is the code) is not a use
    used = {code for _, _, code in codes_used(_package_sources(), ignore=frozenset({"ErrorType"}))}
    stale = sorted(code for code in BY_CODE if code not in used)
    assert not stale, "registered codes that nothing reports (remove them, or report them):\n" + "\n".join(stale)


CORE = ("tabular", "framework", "index", "data", "analysis", "release", "followup", "reports")


def test_the_core_words_its_problems_from_the_catalogue() -> None:
    """Below the interfaces a problem of a known code is made by ``problem()`` (or a reader's Collector) from its
    template, never as ``Problem("code", f"...")`` with a message written on the spot."""
    written: list[str] = []
    for name, text in _package_sources().items():
        if name.split("/")[1] not in CORE:
            continue
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "Problem":
                literal = [_string(node.args[0])] if node.args else []
                literal += [_string(k.value) for k in node.keywords if k.arg == "code"]
                if any(code is not None for code in literal):
                    written.append(f"{name}:{node.lineno}")
    assert not written, "problems worded outside the catalogue (use framework.errors.problem):\n" + "\n".join(written)


@pytest.mark.parametrize(
    "source",
    [
        'report.add(Problem("brand_new", "text"))',
        'report.add(Problem(code="brand_new", message="text"))',
        'raise IndexInputError.single(problem("brand_new", path))',
        'def helper(where, code, message): ...\nhelper("x", "brand_new", "text")',
        'class E(ServiceError):\n    code = "brand_new"',
        'rows.append({"question": name, "code": "brand_new", "message": "text"})',
        'if row.get("code") == "brand_new": pass',
        'if problem.code in ("unreadable_file", "brand_new"): pass',
        'WORDINGS = {"brand_new": _simple(lambda: "text")}',
    ],
)
def test_the_scan_catches_an_ad_hoc_code(source: str) -> None:
    helpers = (
        "def problem(code, path='', location=None, /, **params): ...\n"
        "class Problem:\n    code: str\n    message: str\n"
        "class IndexInputError:\n    @classmethod\n    def single(cls, problem): ...\n"
    )
    assert "brand_new" in {code for _, _, code in codes_used({"helpers.py": helpers, "new.py": source})}


def test_the_scan_leaves_country_codes_and_messages_alone() -> None:
    source = 'iso3_from_code("ARG")\nread_unit("arg")\nadd("data_empty", "the data has no units")\n'
    helpers = "def add(code, message): ...\ndef iso3_from_code(code): ...\ndef read_unit(code): ...\n"
    assert [code for _, _, code in codes_used({"h.py": helpers, "new.py": source})] == ["data_empty"]


def test_error_codes_doc_is_current() -> None:
    assert DOC.read_text(encoding="utf-8") == render(), (
        "regenerate: python -m govlens.cli.error_codes > docs/error-codes.md"
    )


def test_every_layer_registers_and_the_page_lists_each_code_once() -> None:
    page = render()
    layers = {key.split(":")[0] for key in LAYERS}
    assert layers == {"framework", "index", "data", "analysis", "release", "followup", "web"}
    for code in BY_CODE:
        assert page.count(f"| `{code}` |") == 1, code
