"""``govlens followup register`` and ``govlens followup remind`` (govlens/cli/followup_cmd.py)."""

from __future__ import annotations

from pathlib import Path

import typer
import yaml
from django.core import mail
from typer.testing import CliRunner

from govlens.cli import followup_cmd
from govlens.web.followup.models import CycleRegister

from ..conftest import World
from .fixtures import first_release, with_plan
from .test_browser import RULES

app = typer.Typer()
app.add_typer(followup_cmd.app, name="followup")
runner = CliRunner()


def test_register_from_the_newest_release_with_a_rules_file(world: World, tmp_path: Path) -> None:
    first_release()
    rules = tmp_path / "rules.yaml"
    rules.write_text(yaml.safe_dump(RULES), encoding="utf-8")
    result = runner.invoke(app, ["followup", "register", "lac-2026", "--rules", str(rules)])
    assert result.exit_code == 0, result.output
    assert "lac-2026: 1 recommendation(s) from release lac-2026-r1" in result.output
    assert CycleRegister.objects.get().data["recommendations"][0]["countries"] == ["ARG", "BRA"]


def test_register_refusals_are_messages(world: World, tmp_path: Path) -> None:
    result = runner.invoke(app, ["followup", "register", "lac-2026"])
    assert result.exit_code == 1 and "has no published release" in result.output
    first_release()
    broken = tmp_path / "broken.yaml"
    broken.write_text(yaml.safe_dump({**RULES, "framework": "other"}), encoding="utf-8")
    result = runner.invoke(app, ["followup", "register", "lac-2026", "--rules", str(broken)])
    assert result.exit_code == 1 and "the rules are for framework 'other'" in result.output
    assert "Traceback" not in result.output and not CycleRegister.objects.exists()


def test_remind_sends_and_reports(world: World) -> None:
    with_plan(world)  # "Agency staffed" was due 2026-08-31
    result = runner.invoke(app, ["followup", "remind", "--today", "2026-12-01", "--days", "7"])
    assert result.exit_code == 0, result.output
    assert "1 milestone(s) need attention (1 overdue); 1 reminder(s) sent; digest sent" in result.output
    assert len(mail.outbox) == 2
    bad = runner.invoke(app, ["followup", "remind", "--today", "tomorrow"])
    assert bad.exit_code == 1 and "--today must be a date YYYY-MM-DD; got 'tomorrow'" in bad.output
    bad = runner.invoke(app, ["followup", "remind", "--language", "de"])
    assert bad.exit_code == 1 and "--language must be one of en, es, pt, fr; got 'de'" in bad.output


def test_remind_writes_in_the_language_asked(world: World) -> None:
    with_plan(world)
    result = runner.invoke(app, ["followup", "remind", "--today", "2026-12-01", "--days", "7", "--language", "pt"])
    assert result.exit_code == 0, result.output
    assert "Marcos do plano de ação do seu país" in mail.outbox[0].body
