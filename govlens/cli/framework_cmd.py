"""``govlens framework ...``: list, show, validate and export frameworks."""

from __future__ import annotations

import typer

app = typer.Typer(help="Questionnaires and indicator trees: list, show, validate, export.", no_args_is_help=True)
