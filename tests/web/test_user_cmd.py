"""``govlens user add`` (govlens/cli/user_cmd.py): the password from stdin, refusals as messages."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from typer.testing import CliRunner

from govlens.cli import app
from govlens.web.accounts.models import Membership

from .conftest import PASSWORD

runner = CliRunner()


def test_user_add_reads_the_password_from_stdin(db: None) -> None:
    result = runner.invoke(
        app,
        ["user", "add", "ana", "--role", "reviewer", "--countries", "arg,bra", "--password-stdin"],
        input=PASSWORD + "\n",
    )
    assert result.exit_code == 0, result.output
    assert "user 'ana' created: reviewer for ARG, BRA" in result.output
    membership = Membership.objects.get(user__username="ana")
    assert membership.role == "reviewer"
    assert sorted(membership.countries.values_list("iso3", flat=True)) == ["ARG", "BRA"]
    assert User.objects.get(username="ana").check_password(PASSWORD)


@pytest.mark.parametrize(
    ("args", "password", "message"),
    [
        (
            ["--role", "boss"],
            PASSWORD,
            "--role must be one of {administrator, analyst, reviewer, focal-point}; got 'boss'",
        ),
        (["--role", "focal-point"], PASSWORD, "a focal point needs --country ISO3"),
        (["--role", "focal-point", "--country", "XYZ"], PASSWORD, "got 'XYZ'"),
        (["--role", "analyst"], "123", "the password is too weak"),
    ],
)
def test_user_add_refusals_exit_1_with_a_message(db: None, args: list[str], password: str, message: str) -> None:
    result = runner.invoke(app, ["user", "add", "bob", *args, "--password-stdin"], input=password + "\n")
    assert result.exit_code == 1
    assert message in result.output
    assert "Traceback" not in result.output
    assert not User.objects.filter(username="bob").exists()
