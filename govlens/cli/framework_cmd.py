"""``govlens framework ...``: list, show, validate and export frameworks."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from govlens.cli.problems import echo_problems
from govlens.framework.model import Framework, NodeKind, text_in
from govlens.framework.report import Report

app = typer.Typer(help="Questionnaires and indicator trees: list, show, validate, export.", no_args_is_help=True)

NameOrPath = Annotated[
    str, typer.Argument(help="A bundled framework name (see `list`) or a .yaml/.yml/.xlsx/.xls file.")
]


class ExportFormat(StrEnum):
    XLSFORM = "xlsform"
    YAML = "yaml"


def _print_problems(report: Report) -> None:
    echo_problems(report)


def _load_or_exit(name_or_path: str) -> Framework:
    """The valid framework, or every problem printed and exit code 1."""
    from govlens.framework import catalogue

    result = catalogue.load_result(name_or_path)
    if result.framework is None or not result.report.valid:
        _print_problems(result.report)
        errors = len(result.report.errors)
        typer.echo(f"{name_or_path}: invalid — {errors} error{'s' if errors != 1 else ''}", err=True)
        raise typer.Exit(1)
    return result.framework


@app.command("validate")
def validate_command(name_or_path: NameOrPath) -> None:
    """Check a framework file; print a summary (exit 0) or every problem (exit 1).

    Problems go one per line to stderr as `PATH:SHEET:ROW: code: message` (`PATH:LINE:` for YAML).
    """
    from govlens.framework import catalogue
    from govlens.framework.validate import summary
    from govlens.release.settings import settings_problems

    result = catalogue.load_result(name_or_path)
    report = result.report
    if result.framework is not None and report.valid:  # the release settings, against the engine's options
        report.problems.extend(settings_problems(result, str(catalogue.resolve(name_or_path))))
    if result.framework is None or not report.valid:
        _print_problems(report)
        warnings = len(report.warnings)
        typer.echo(
            f"{name_or_path}: invalid — {len(report.errors)} error(s), {warnings} warning(s)",
            err=True,
        )
        raise typer.Exit(1)
    _print_problems(report)  # only warnings are left
    typer.echo(summary(result.framework, report))


@app.command("list")
def list_command() -> None:
    """List the bundled frameworks: id, version, questions, indicators."""
    from govlens.framework import catalogue
    from govlens.framework.validate import load_checked

    rows = [("name", "id", "version", "questions", "indicators", "status")]
    for path in catalogue.bundled_paths():
        result = load_checked(path)
        framework = result.framework
        if framework is None:
            rows.append((path.stem, "-", "-", "-", "-", "unreadable"))
            continue
        questions = sum(1 for _ in framework.questions())
        status = "valid" if result.report.valid else f"{len(result.report.errors)} errors"
        rows.append((path.stem, framework.id, framework.version, str(questions), str(len(framework.nodes)), status))
    if len(rows) == 1:
        typer.echo("no bundled frameworks")
        return
    widths = [max(len(row[index]) for row in rows) for index in range(len(rows[0]))]
    for row in rows:
        typer.echo("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip())


@app.command("show")
def show_command(
    name_or_path: NameOrPath,
    lang: Annotated[str, typer.Option("--lang", help="Language of the labels (en, es, pt, fr).")] = "en",
) -> None:
    """Show a framework: its questionnaire by section and its indicator tree."""
    framework = _load_or_exit(name_or_path)
    if lang not in framework.languages:
        typer.echo(f"--lang must be one of {', '.join(framework.languages)}; got '{lang}'", err=True)
        raise typer.Exit(1)
    questions = sum(1 for _ in framework.questions())
    scored = sum(1 for question in framework.questions() if question.scoring is not None)
    typer.echo(f"{framework.id} {framework.version}: {text_in(framework.title, lang)}")
    typer.echo(f"languages: {', '.join(framework.languages)}; unanswered score: {framework.settings.unanswered_score}")
    typer.echo("")
    typer.echo(f"Questionnaire: {len(framework.sections)} sections, {questions} questions ({scored} scored)")
    for section in framework.sections:
        typer.echo(f"  {section.name} ({len(section.questions)}): {text_in(section.label, lang)}")
    typer.echo("")
    typer.echo(f"Indicator tree: {len(framework.nodes)} nodes")
    children: dict[str | None, list[int]] = {}
    for index, node in enumerate(framework.nodes):
        children.setdefault(node.parent, []).append(index)

    def walk(parent: str | None, depth: int, seen: set[str]) -> None:
        for index in children.get(parent, []):
            node = framework.nodes[index]
            if node.id in seen:
                continue
            detail = f"w={node.weight:g}" if node.parent is not None else str(node.kind)
            if node.kind is NodeKind.INDICATOR or not children.get(node.id):
                feeds = ", ".join(node.questions) if node.questions else (node.source or "")
                detail += f"; {feeds}" if feeds else ""
            typer.echo(f"{'  ' * (depth + 1)}{node.id} {text_in(node.label, lang)} [{detail}]")
            walk(node.id, depth + 1, seen | {node.id})

    walk(None, 0, set())


@app.command("export")
def export_command(
    name_or_path: NameOrPath,
    out: Annotated[Path, typer.Option("--out", help="File to write (.xlsx for xlsform, .yaml for yaml).")],
    fmt: Annotated[ExportFormat, typer.Option("--format", help="xlsform (workbook) or yaml.")] = ExportFormat.YAML,
) -> None:
    """Write a framework as an XLSForm-compatible workbook or as YAML."""
    from govlens.framework.xlsform_io import write_workbook
    from govlens.framework.yaml_io import write_yaml

    framework = _load_or_exit(name_or_path)
    suffix = out.suffix.lower()
    allowed = (".xlsx",) if fmt is ExportFormat.XLSFORM else (".yaml", ".yml")
    if suffix not in allowed:
        typer.echo(f"--out for --format {fmt} must end in {' or '.join(allowed)}; got '{out.name}'", err=True)
        raise typer.Exit(1)
    try:
        if fmt is ExportFormat.XLSFORM:
            write_workbook(framework, out)
        else:
            write_yaml(framework, out)
    except OSError as exc:
        typer.echo(f"cannot write {out}: {exc.strerror or exc}", err=True)
        raise typer.Exit(1) from None
    typer.echo(f"wrote {out} ({fmt})")


@app.command("trace")
def trace_command(
    name_or_path: NameOrPath,
    out: Annotated[Path | None, typer.Option("--out", help="Markdown file to write (default: print).")] = None,
) -> None:
    """Print (or write) the traceability page: seed finding -> questions -> indicators."""
    from govlens.framework import traceability

    framework = _load_or_exit(name_or_path)
    page = traceability.render(framework)
    if out is None:
        typer.echo(page, nl=False)
        return
    try:
        out.write_text(page, encoding="utf-8")
    except OSError as exc:
        typer.echo(f"cannot write {out}: {exc.strerror or exc}", err=True)
        raise typer.Exit(1) from None
    typer.echo(f"wrote {out}")
