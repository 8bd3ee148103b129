"""``govlens data ...``: the public datasets (GTMI, EGDI, OECD DGI and OURdata, ITU)."""

from __future__ import annotations

import typer

app = typer.Typer(help="Public datasets: list, pull, show, export.", no_args_is_help=True)
