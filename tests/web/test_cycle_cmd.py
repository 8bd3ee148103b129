"""``govlens cycle create|open|close`` (govlens/cli/cycle_cmd.py)."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from govlens.cli import app
from govlens.web.cycles.models import Cycle

from .conftest import World

runner = CliRunner()


def test_cycle_create(db: None) -> None:
    result = runner.invoke(
        app, ["cycle", "create", "lac-2027", "--framework", "tiny", "--countries", "arg, mex", "--title", "LAC 2027"]
    )
    assert result.exit_code == 0, result.output
    assert "cycle 'lac-2027' open: LAC 2027; framework tiny 1" in result.output
    cycle = Cycle.objects.get(slug="lac-2027")
    assert sorted(cycle.countries.values_list("iso3", flat=True)) == ["ARG", "MEX"]
    assert cycle.responses.count() == 2


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["Bad Slug", "--framework", "tiny", "--countries", "ARG"], "SLUG must be lower-case"),
        (["lac-2026", "--framework", "tiny", "--countries", "ARG"], "already exists"),
        (["x", "--framework", "nope", "--countries", "ARG"], "no framework called 'nope'"),
        (["x", "--framework", "tiny", "--countries", ""], "at least one participating country"),
    ],
)
def test_cycle_create_refusals(world: World, args: list[str], message: str) -> None:
    result = runner.invoke(app, ["cycle", "create", *args])
    assert result.exit_code == 1
    assert message in result.output


def test_cycle_close_and_open(world: World) -> None:
    closed = runner.invoke(app, ["cycle", "close", "lac-2026"])
    assert (closed.exit_code, closed.output.strip()) == (0, "cycle 'lac-2026' closed")
    assert Cycle.objects.get(slug="lac-2026").status == "closed"
    again = runner.invoke(app, ["cycle", "close", "lac-2026"])
    assert again.exit_code == 1 and "its status must be one of {open}; it is 'closed'" in again.output
    assert runner.invoke(app, ["cycle", "open", "lac-2026"]).exit_code == 0
    missing = runner.invoke(app, ["cycle", "open", "nope"])
    assert missing.exit_code == 1 and "no cycle called 'nope'" in missing.output
