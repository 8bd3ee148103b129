"""``govlens demo``: the demo review on the embedded default."""

from __future__ import annotations

import typer


def demo() -> None:
    """Run the demo review (validates and summarises the bundled frameworks)."""
    typer.echo("GovLens demo")
