"""``govlens followup``: take a cycle's recommendations from its release, and send the milestone reminders.

Thin: prepare Django, call one service, print the outcome; refusals print their message and exit with code 1.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer

from govlens.cli.platform import call_service, prepare_django
from govlens.i18n import LANGUAGES

app = typer.Typer(help="Follow-up: recommendations, action plans and milestone reminders.", no_args_is_help=True)


@app.command("register")
def register(
    cycle: Annotated[str, typer.Argument(help="The cycle whose recommendations are taken.")],
    release: Annotated[str | None, typer.Option(help="A release id of the cycle (default: its newest).")] = None,
    rules: Annotated[
        Path | None, typer.Option(help="A rules file (default: the bundled rules of the framework).", dir_okay=False)
    ] = None,
) -> None:
    """Take the recommendations of CYCLE from one of its releases: the register the action plans answer."""
    prepare_django(migrate=True)
    from govlens.reports.render import AUTO
    from govlens.web.followup.services import register_import

    chosen = str(rules) if rules is not None else AUTO
    row = call_service(lambda: register_import(actor=None, cycle_slug=cycle, release_id=release, rules=chosen))
    count = len(row.data.get("recommendations", []))
    typer.echo(f"{cycle}: {count} recommendation(s) from release {row.release_id}")


def _day(text: str | None) -> dt.date:
    if text is None:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        typer.echo(f"error: --today must be a date YYYY-MM-DD; got {text!r}", err=True)
        raise typer.Exit(1) from None


@app.command("remind")
def remind(
    days: Annotated[int, typer.Option(help="Remind of milestones due within this many days.")] = 14,
    today: Annotated[str | None, typer.Option(help="The day to count from, YYYY-MM-DD (default: today).")] = None,
    digest: Annotated[bool, typer.Option("--digest/--no-digest", help="Also e-mail the analysts' digest.")] = True,
    language: Annotated[
        str, typer.Option(help="Language of the e-mails: en, es, pt or fr (default: the platform's).")
    ] = "",
) -> None:
    """E-mail focal points about milestones coming due or overdue (each reminder once) and analysts a digest;
    the e-mail backend is Django's (console by default, SMTP with EMAIL_BACKEND and EMAIL_HOST)."""
    if days < 0:
        typer.echo(f"error: --days must be 0 or more; got {days}", err=True)
        raise typer.Exit(1)
    if language and language not in LANGUAGES:
        typer.echo(f"error: --language must be one of {', '.join(LANGUAGES)}; got {language!r}", err=True)
        raise typer.Exit(1)
    day = _day(today)
    prepare_django(migrate=True)
    from govlens.web.followup.reminders import OVERDUE, milestone_reminders_send

    run = milestone_reminders_send(today=day, days=days, digest=digest, language=language or None)
    overdue = sum(1 for due in run.due if due.kind == OVERDUE)
    typer.echo(
        f"{len(run.due)} milestone(s) need attention ({overdue} overdue); {run.reminders_sent} reminder(s) sent"
        + ("; digest sent to the analysts" if run.digest_sent else "")
    )
