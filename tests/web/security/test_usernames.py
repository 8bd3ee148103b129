"""``govlens user add`` (and every caller of user_create) refuses names the login form would not read back as
given: HTML, spaces around the name, another Unicode form, and a name differing from an existing one only in case
(both would share one login throttle and look alike in every list)."""

from __future__ import annotations

import pytest
import typer
from django.contrib.auth.models import User
from typer.testing import CliRunner

from govlens.cli import user_cmd

from ..conftest import PASSWORD

app = typer.Typer()
app.add_typer(user_cmd.app, name="user")


def _add(username: str, *extra: str) -> typer.testing.Result:
    return CliRunner().invoke(
        app, ["user", "add", username, "--role", "analyst", "--password-stdin", *extra], input=PASSWORD + "\n"
    )


@pytest.mark.parametrize(
    ("username", "message"),
    [
        ("<b>ana</b>", "it may hold only letters, digits and the characters @ . + - _"),
        ("<script>alert(1)</script>", "it may hold only letters"),
        (" ana", "it has spaces before or after it"),
        ("ana ", "it has spaces before or after it"),
        ("ａｎａ", "it changes when normalised (people would log in as 'ana')"),
        ("a" * 151, "it has 151 characters; at most 150"),
        ("ana\x07", "the username holds the control character U+0007"),
    ],
)
def test_user_add_refuses_names_the_login_form_would_not_read_back(db: None, username: str, message: str) -> None:
    result = _add(username)
    assert result.exit_code == 1, result.output
    assert message in result.output
    assert not User.objects.exists()


def test_user_add_refuses_a_name_differing_only_in_case(db: None) -> None:
    assert _add("Ana").exit_code == 0
    result = _add("ana")
    assert result.exit_code == 1
    assert "'ana' differs from the existing user 'Ana' only in case" in result.output
    assert _add("Ana").exit_code == 1
    assert list(User.objects.values_list("username", flat=True)) == ["Ana"]


def test_user_add_refuses_a_malformed_email(db: None) -> None:
    result = _add("ana", "--email", "<img src=x>")
    assert result.exit_code == 1
    assert "is not valid" in result.output
    assert _add("ana.b@c+d", "--email", "ana@example.org").exit_code == 0
