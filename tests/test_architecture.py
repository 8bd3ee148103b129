"""The layer rule of ARCHITECTURE.md, every pair of layers: tabular <- framework <- index <- data <- analysis <-
release <- followup <- reports <- web/cli. A layer imports only the layers below it (and ``govlens.home``, the state
folder every layer may use); the core never imports the web layer or the command line; the web layer never imports the
command line.
"""

from __future__ import annotations

import ast
import itertools
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "govlens"
# lowest first; a layer may import the layers before it in this list, never those after it
LAYERS: tuple[str, ...] = (
    "tabular",  # the one spreadsheet/CSV reader with its safety limits: every layer reads files through it
    "framework",
    "index",
    "data",
    "analysis",
    "release",
    "followup",
    "reports",
    "web",
    "cli",
)
CORE = LAYERS[:8]
# imports that break the rule today, each with the reason it is tolerated and who removes it. The test fails when
# one of them disappears too, so the list cannot go stale.
# (file, the higher layer it imports) -> why.
KNOWN_EXCEPTIONS: dict[tuple[str, str], str] = {}


def imported_modules(source: str, package: str) -> set[str]:
    """Absolute names of every module a source imports (relative imports resolved against ``package``), including
    imports inside functions and ``TYPE_CHECKING`` blocks: a lazy import is still a dependency."""
    tree = ast.parse(source)
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                module = ".".join([*base, node.module] if node.module else base)
            else:
                module = node.module or ""
            names.add(module)
            names.update(f"{module}.{alias.name}" for alias in node.names)
    return names


def layer_of(module: str) -> str | None:
    """The layer of a ``govlens.<layer>...`` module name (None for other modules and for ``govlens.home``)."""
    parts = module.split(".")
    if len(parts) >= 2 and parts[0] == "govlens" and parts[1] in LAYERS:
        return parts[1]
    return None


def higher_imports(source: str, package: str, layer: str) -> list[str]:
    """The modules of layers above ``layer`` (or beside it, for web and cli) that a source imports."""
    allowed = set(LAYERS[: LAYERS.index(layer) + 1])
    if layer == "cli":
        allowed.add("web")  # `govlens serve`, `worker` and `cycle import` start the web layer
    found = {name for name in imported_modules(source, package) if (other := layer_of(name)) and other not in allowed}
    return sorted(found)


def _package_of(path: Path) -> str:
    return ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts[:-1])


def violations(layer: str) -> list[tuple[str, str]]:
    """(file, imported module) of every upward import in a layer's files."""
    found: list[tuple[str, str]] = []
    for path in sorted((PACKAGE / layer).rglob("*.py")):
        relative = str(path.relative_to(PACKAGE))
        found.extend(
            (relative, name) for name in higher_imports(path.read_text(encoding="utf-8"), _package_of(path), layer)
        )
    return found


@pytest.mark.parametrize("layer", LAYERS)
def test_layer_exists(layer: str) -> None:
    assert sorted((PACKAGE / layer).rglob("*.py")), f"layer govlens/{layer} has no modules"


@pytest.mark.parametrize(("lower", "higher"), list(itertools.combinations(LAYERS, 2)))
def test_lower_layer_never_imports_higher(lower: str, higher: str) -> None:
    problems = [
        f"{file} imports {name}"
        for file, name in violations(lower)
        if layer_of(name) == higher and (file, higher) not in KNOWN_EXCEPTIONS
    ]
    assert problems == []


def test_known_exceptions_are_still_real() -> None:
    # an exception that no longer happens must leave the list (so nobody re-adds the import under its cover)
    current = {(file, layer_of(name)) for layer in LAYERS for file, name in violations(layer)}
    assert set(KNOWN_EXCEPTIONS) <= current, sorted(set(KNOWN_EXCEPTIONS) - current)


@pytest.mark.parametrize("layer", CORE)
def test_core_never_imports_web_or_cli(layer: str) -> None:
    problems = [f"{file} imports {name}" for file, name in violations(layer) if layer_of(name) in ("web", "cli")]
    assert problems == []


def test_top_level_modules_import_no_layer() -> None:
    # govlens/home.py (and the package's __init__) sit under every layer: they import none of them
    for path in PACKAGE.glob("*.py"):
        names = imported_modules(path.read_text(encoding="utf-8"), "govlens")
        assert not [name for name in names if layer_of(name)], path.name


def test_rule_detects_upward_imports() -> None:
    # absolute, from-, relative and function-level imports are all caught; imports of lower layers are not
    source = (
        "import govlens.web.models\nfrom govlens.cli import app\nfrom ..release import model\nimport numpy\n"
        "def f():\n    from govlens.reports import render\n"
        "from govlens.framework import model as m\nfrom govlens.home import subdir\n"
    )
    assert higher_imports(source, "govlens.data", "data") == [
        "govlens.cli",
        "govlens.cli.app",
        "govlens.release",
        "govlens.release.model",
        "govlens.reports",
        "govlens.reports.render",
        "govlens.web.models",
    ]
    assert higher_imports("from . import normalise\nfrom .. import home\n", "govlens.index", "index") == []
    assert higher_imports("from govlens.web import jobs\n", "govlens.cli", "cli") == []
    assert higher_imports("from govlens.cli import app\n", "govlens.web", "web") == ["govlens.cli", "govlens.cli.app"]
