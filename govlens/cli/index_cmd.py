"""``govlens index ...``: compute composite indices, audit them, measure their uncertainty."""

from __future__ import annotations

import typer

app = typer.Typer(help="Composite index engine: compute, audit, uncertainty.", no_args_is_help=True)
