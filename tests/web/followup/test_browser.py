"""A focal point writes the country's action plan in a real browser and a reviewer approves it: Playwright drives
Debian's Chromium against `govlens serve` (gunicorn), launched as in tests/web/test_browser.py. Screenshots go to
$GOVLENS_TEST_ARTIFACTS/browser-followup (else the test's temporary folder)."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from govlens.framework.yaml_io import write_yaml
from govlens.release import create_release, save_release

from ..conftest import PASSWORD, tiny_framework
from ..test_browser import CHROMIUM, _cli_out, _login, serving
from .fixtures import FIRST, RECOMMENDATION

playwright_api = pytest.importorskip("playwright.sync_api")
pytestmark = pytest.mark.skipif(not shutil.which(CHROMIUM), reason=f"no Chromium at {CHROMIUM}")

CLI = "from govlens.cli import main; main()"
PAGE = "/cycles/lac-2026/follow-up/ARG/"
TEXT = "Create a digital government agency."
RULES = {
    "govlens_rules": 1,
    "framework": "tiny",
    "rules": [
        {
            "id": RECOMMENDATION,
            "finding": "F01",
            "question": "org_exists",
            "options": ["yes"],
            "statement": {
                language: "{Countries} ({fraction}) have an agency." for language in ("en", "es", "pt", "fr")
            },
            "recommend_below": 0.9,
            "recommendation": {language: TEXT for language in ("en", "es", "pt", "fr")},
        }
    ],
}


@pytest.fixture
def server(tmp_path: Path) -> Iterator[str]:
    home = tmp_path / "home"
    home.mkdir()
    framework = tmp_path / "tiny.yaml"
    write_yaml(tiny_framework(), framework)
    rules = tmp_path / "rules.yaml"
    rules.write_text(yaml.safe_dump(RULES, allow_unicode=True), encoding="utf-8")
    release = create_release(tiny_framework(), FIRST, cycle="lac-2026", release_id="lac-2026-r1")
    save_release(release, home / "releases")
    with serving(home) as url:
        for user, role in (
            ("maria", ["focal-point", "--country", "ARG"]),
            ("olivier", ["reviewer", "--countries", "ARG"]),
        ):
            _cli_out(home, "user", "add", user, "--role", *role, "--password-stdin", stdin=PASSWORD + "\n")
        _cli_out(home, "cycle", "create", "lac-2026", "--framework", str(framework), "--countries", "ARG,BRA")
        assert "1 recommendation(s) from release lac-2026-r1" in _cli_out(
            home, "followup", "register", "lac-2026", "--rules", str(rules)
        )
        yield url


@pytest.fixture
def artifacts(tmp_path: Path) -> Path:
    root = os.environ.get("GOVLENS_TEST_ARTIFACTS")
    folder = (Path(root) if root else tmp_path) / "browser-followup"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def test_a_focal_point_writes_a_plan_and_a_reviewer_approves_it(server: str, artifacts: Path) -> None:
    expect = playwright_api.expect
    with playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox"])
        focal = browser.new_context().new_page()
        _login(focal, server, "maria")
        focal.goto(f"{server}{PAGE}")
        expect(focal.locator("#recommendations")).to_contain_text(TEXT)
        focal.select_option("#a0_recommendation", RECOMMENDATION)
        focal.fill("#a0_title", "Create the national digital agency")
        focal.fill("#a0_institution", "Chief of Cabinet")
        focal.fill("#a0_start", "2026-07-01")
        focal.fill("#a0_due", "2026-03-31")  # before the start: refused, nothing lost
        focal.select_option("#a0_status", "in_progress")
        focal.fill("#a0_milestones", "2026-10-01 | Decree signed | 2026-09-20\n2027-06-30 | Agency staffed")
        focal.click("#plan-save")
        expect(focal.locator("#plan-problems")).to_contain_text("before the start")
        expect(focal.locator("#a0_title")).to_have_value("Create the national digital agency")
        focal.fill("#a0_due", "2027-12-31")
        focal.click("#plan-save")
        expect(focal.locator("#plan-version")).to_have_text("1")
        expect(focal.locator("#a0_milestones")).to_have_value(
            "2026-10-01 | Decree signed | 2026-09-20\n2027-06-30 | Agency staffed"
        )
        focal.screenshot(path=str(artifacts / "1-plan-written.png"), full_page=True)
        focal.click("#plan-submit")
        expect(focal.locator("#plan-status")).to_have_text("Submitted")

        reviewer = browser.new_context().new_page()
        _login(reviewer, server, "olivier")
        reviewer.goto(f"{server}{PAGE}")
        expect(reviewer.locator("#a0_title")).to_be_disabled()  # reviewers read, they do not edit
        reviewer.fill("#approve-note", "Dates agreed with the ministry")
        reviewer.click("#plan-approve")
        expect(reviewer.locator("#plan-status")).to_have_text("Approved")
        expect(reviewer.locator("#plan-history")).to_contain_text("olivier")
        reviewer.screenshot(path=str(artifacts / "2-plan-approved.png"), full_page=True)

        focal.goto(f"{server}{PAGE}")
        expect(focal.locator("#plan-status")).to_have_text("Approved")
        browser.close()
    assert sorted(path.name for path in artifacts.iterdir()) == ["1-plan-written.png", "2-plan-approved.png"]
