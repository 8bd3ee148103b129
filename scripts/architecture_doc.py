"""Write docs/architecture.md from the code: the layers in order, what each owns (its package docstring and the
first line of each module's docstring), which lower layers each one really imports, and the path of one setting
from the command line to the engine (each step names a function or class that must exist).

    python scripts/architecture_doc.py > docs/architecture.md

``tests/scripts/test_architecture_doc.py`` checks that the file is what this script prints.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "govlens"
# lowest first: each layer imports only the layers before it (tests/test_architecture.py enforces every pair)
LAYERS: tuple[str, ...] = (
    "tabular", "framework", "index", "data", "analysis", "release", "followup", "reports", "web", "cli"
)

# The `normalise` setting of a release, from `govlens release create` to the engine's arithmetic: (dotted name of
# a function or class, what happens there). Written by hand, checked against the code by the doc test.
SETTING_PATH: tuple[tuple[str, str], ...] = (
    ("govlens.cli.release_cmd.release_create", "`govlens release create CYCLE` starts a release job for the cycle"),
    ("govlens.web.jobs.services.release_request", "the job records the cycle, its approved countries and the seed"),
    ("govlens.web.jobs.services.release_job_run", "the worker (or the command itself) runs the job"),
    ("govlens.release.settings.ReleaseSettings", "the release's settings: `index` (engine) and `uncertainty`"),
    ("govlens.index.settings.Settings", "the engine's typed settings, defined once; `validate()` checks them"),
    ("govlens.release.compute.create_release", "freezes answers and settings, then computes the results"),
    ("govlens.release.compute.compute_results", "scores the answers and calls the engine with the settings"),
    ("govlens.index.pipeline.compute", "the engine: checks, impute, treat, normalise, weight, aggregate"),
    ("govlens.index.normalise.Normaliser", "puts every indicator on a common scale with the chosen method"),
    ("govlens.release.settings.ReleaseSettings.to_dict", "the settings are written into the release and hashed"),
)


def _docstring(path: Path) -> str:
    return ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))) or ""


def _first_line(text: str) -> str:
    return " ".join(text.split("\n\n")[0].split())


def _imported_layers(layer: str) -> list[str]:
    """The other layers that the modules of ``layer`` import (absolute and relative imports, lazy ones too)."""
    found: set[str] = set()
    for path in (PACKAGE / layer).rglob("*.py"):
        package = ".".join(path.relative_to(ROOT).with_suffix("").parts[:-1])
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names: list[str] = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    base = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                    names = [".".join([*base, node.module] if node.module else base)]
                    names += [f"{names[0]}.{alias.name}" for alias in node.names]
                else:
                    names = [node.module or ""]
                    names += [f"{names[0]}.{alias.name}" for alias in node.names]
            for name in names:
                parts = name.split(".")
                if len(parts) >= 2 and parts[0] == "govlens" and parts[1] in LAYERS and parts[1] != layer:
                    found.add(parts[1])
    return sorted(found, key=LAYERS.index)


def _modules(layer: str) -> list[tuple[str, str]]:
    """(module path inside the layer, first line of its docstring), sub-packages as folders."""
    rows = []
    for path in sorted((PACKAGE / layer).iterdir()):
        if path.name.startswith(("_", ".")) or path.name in ("migrations", "templates", "static", "locale"):
            continue
        if path.is_dir() and (path / "__init__.py").is_file():
            rows.append((f"{path.name}/", _first_line(_docstring(path / "__init__.py"))))
        elif path.suffix == ".py":
            rows.append((path.name, _first_line(_docstring(path))))
    return rows


def defines(dotted: str) -> bool:
    """True when a dotted name is a function or class defined in GovLens's source (read, not imported, so web
    modules need no Django set-up): ``govlens.release.settings.ReleaseSettings.to_dict``."""
    parts = dotted.split(".")
    for cut in range(len(parts) - 1, 0, -1):
        path = ROOT.joinpath(*parts[:cut]).with_suffix(".py")
        if not path.is_file():
            continue
        body: list[ast.stmt] = ast.parse(path.read_text(encoding="utf-8")).body
        for name in parts[cut:]:
            found = [
                node
                for node in body
                if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef) and node.name == name
            ]
            if not found:
                return False
            body = found[0].body
        return True
    return False


def render() -> str:
    lines = [
        "# Architecture",
        "",
        "<!-- generated by scripts/architecture_doc.py; do not edit by hand -->",
        "",
        "GovLens is one Python package in layers. Each layer imports only the layers below it, and",
        "`tests/test_architecture.py` checks every pair (the core, tabular to reports, never imports the web",
        "layer or the command line). `govlens/tabular` (the one spreadsheet and CSV reader, with its safety limits)",
        "is the lowest layer, so every layer reads files the same way; `govlens/home.py` (the `GOVLENS_HOME` folder",
        "that holds all state) sits under every layer.",
        "",
        "```",
        "  " + " <- ".join(LAYERS[:-2]) + " <- web / cli",
        "```",
        "",
        "| layer | imports | owns |",
        "|---|---|---|",
    ]
    for layer in LAYERS:
        owns = _first_line(_docstring(PACKAGE / layer / "__init__.py"))
        imports = [
            other
            if LAYERS.index(other) < LAYERS.index(layer) or layer == "cli"
            else f"**{other}** (upward: a known exception)"
            for other in _imported_layers(layer)
        ]
        lines.append(f"| `{layer}` | {', '.join(imports) or '-'} | {owns} |")
    lines += ["", "## What each layer holds", ""]
    for layer in LAYERS:
        lines += [f"### `govlens/{layer}`", ""]
        lines += [f"- `{name}`: {summary}" if summary else f"- `{name}`" for name, summary in _modules(layer)]
        lines.append("")
    lines += [
        "## One setting from the command line to the engine",
        "",
        "The normalisation method of a release (`normalise`, one of the index settings):",
        "",
    ]
    for number, (dotted, what) in enumerate(SETTING_PATH, start=1):
        lines.append(f"{number}. `{dotted}`: {what}.")
    lines.append("")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    sys.stdout.write(render())
