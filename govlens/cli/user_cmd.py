"""``govlens user add``: people of the review platform, each with a role (and a country or countries)."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from govlens.cli.platform import call_service, country_codes, prepare_django

app = typer.Typer(help="People of the review platform.", no_args_is_help=True)
ROLES = ("administrator", "analyst", "reviewer", "focal-point")


@app.command("add")
def user_add(
    username: Annotated[str, typer.Argument(help="Login name.")],
    role: Annotated[str, typer.Option(help=f"One of {', '.join(ROLES)}.")],
    country: Annotated[str | None, typer.Option(help="Focal points: their country (ISO3).")] = None,
    countries: Annotated[str | None, typer.Option(help="Reviewers: assigned countries, ISO3,ISO3,...")] = None,
    email: Annotated[str, typer.Option(help="Address for notifications.")] = "",
    password_stdin: Annotated[bool, typer.Option("--password-stdin", help="Read the password from stdin.")] = False,
) -> None:
    """Create a user with a role (the password is checked by Django's password validators)."""
    if role not in ROLES:
        typer.echo(f"error: --role must be one of {{{', '.join(ROLES)}}}; got '{role}'", err=True)
        raise typer.Exit(1)
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    if not password:
        typer.echo("error: the password is empty", err=True)
        raise typer.Exit(1)
    prepare_django()
    from govlens.web.accounts.services import user_create

    user = call_service(
        lambda: user_create(
            actor=None,
            username=username,
            password=password,
            role=role,
            country=country.strip().upper() if country else None,
            countries=country_codes(countries),
            email=email,
        )
    )
    detail = (
        f" for {country.upper()}" if country else (f" for {', '.join(country_codes(countries))}" if countries else "")
    )
    typer.echo(f"user '{user.username}' created: {role}{detail}")
