"""The core layers never import the web layer or the command line (ARCHITECTURE.md)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "govlens"
CORE = ("framework", "index", "data", "analysis", "reports")
FORBIDDEN = ("govlens.web", "govlens.cli")


def imported_modules(source: str, package: str) -> set[str]:
    """Absolute names of every module a source imports (relative imports resolved against ``package``)."""
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


def offending(source: str, package: str) -> list[str]:
    return sorted(
        name
        for name in imported_modules(source, package)
        if any(name == f or name.startswith(f + ".") for f in FORBIDDEN)
    )


def offending_file(path: Path) -> list[str]:
    package = ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts[:-1])
    return offending(path.read_text(encoding="utf-8"), package)


@pytest.mark.parametrize("layer", CORE)
def test_core_layer_never_imports_web_or_cli(layer: str) -> None:
    files = sorted((PACKAGE / layer).rglob("*.py"))
    assert files, f"core layer govlens/{layer} has no modules"
    problems = {str(f.relative_to(PACKAGE)): offending_file(f) for f in files if offending_file(f)}
    assert problems == {}


def test_rule_detects_forbidden_imports() -> None:
    # The checker itself must catch absolute, from- and relative imports of the web layer and the CLI.
    source = "import govlens.web.models\nfrom govlens.cli import app\nfrom ..web import views\nimport numpy\n"
    assert offending(source, "govlens.index") == [
        "govlens.cli",
        "govlens.cli.app",
        "govlens.web",
        "govlens.web.models",
        "govlens.web.views",
    ]
    assert offending("from . import normalise\nfrom .. import home\n", "govlens.index") == []
