"""The whole review in a real browser: Playwright drives Debian's Chromium against `govlens serve` (gunicorn).

A focal point logs in in Spanish, fills part of the questionnaire across a skip-logic branch, leaves, comes
back to find the draft and submits; a reviewer requests a change; the focal point fixes it; the reviewer
approves. Screenshots go to $GOVLENS_TEST_ARTIFACTS/browser (else the test's temporary folder).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from govlens.framework.yaml_io import write_yaml
from tests.throwaway import free_port

from .conftest import PASSWORD, tiny_framework

CHROMIUM = os.environ.get("GOVLENS_CHROMIUM", "/usr/bin/chromium")
playwright_api = pytest.importorskip("playwright.sync_api")
pytestmark = pytest.mark.skipif(not shutil.which(CHROMIUM), reason=f"no Chromium at {CHROMIUM}")

CLI = "from govlens.cli import main; main()"
PAGE = "/cycles/lac-2026/responses/ARG/"


def _env(home: Path) -> dict[str, str]:
    env = {**os.environ, "GOVLENS_HOME": str(home)}
    for key in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL"):
        env.pop(key, None)
    return env


def _cli_out(home: Path, *args: str, stdin: str = "") -> str:
    done = subprocess.run(
        [sys.executable, "-c", CLI, *args], env=_env(home), input=stdin, text=True, capture_output=True, timeout=120
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def _cli(home: Path, *args: str, stdin: str = "") -> None:
    _cli_out(home, *args, stdin=stdin)


@contextmanager
def serving(home: Path) -> Iterator[str]:
    """`govlens serve` (two gunicorn workers) on a free port with state in ``home``, until the block ends."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-c", CLI, "serve", "--port", str(port), "--workers", "2"],
        env=_env(home),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(f"{url}/health", timeout=2).close()
                break
            except OSError:
                assert time.monotonic() < deadline, "the server did not start"
                time.sleep(0.2)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=20)


@pytest.fixture
def server(tmp_path: Path) -> Iterator[str]:
    home = tmp_path / "home"
    home.mkdir()
    framework = tmp_path / "tiny.yaml"
    write_yaml(tiny_framework(), framework)
    with serving(home) as url:
        _cli(
            home,
            "user",
            "add",
            "maria",
            "--role",
            "focal-point",
            "--country",
            "ARG",
            "--password-stdin",
            stdin=PASSWORD + "\n",
        )
        _cli(
            home,
            "user",
            "add",
            "olivier",
            "--role",
            "reviewer",
            "--countries",
            "ARG",
            "--password-stdin",
            stdin=PASSWORD + "\n",
        )
        _cli(
            home,
            "cycle",
            "create",
            "lac-2026",
            "--framework",
            str(framework),
            "--countries",
            "ARG",
            "--title",
            "LAC 2026",
        )
        yield url


@pytest.fixture
def artifacts(tmp_path: Path) -> Path:
    root = os.environ.get("GOVLENS_TEST_ARTIFACTS")
    folder = (Path(root) if root else tmp_path) / "browser"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _login(page: Any, url: str, username: str) -> None:
    page.goto(f"{url}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("form.login button[type=submit]")
    page.wait_for_url(f"{url}/")


def _autosaved(page: Any, version: int) -> None:
    """Wait until the page's autosave has sent everything and reports the response at ``version``."""
    playwright_api.expect(page.locator("#response-version")).to_have_text(str(version), timeout=10_000)
    playwright_api.expect(page.locator("#autosave-state")).to_have_attribute("data-state", "saved", timeout=10_000)


def test_review_flow_in_the_browser(server: str, artifacts: Path) -> None:
    expect = playwright_api.expect
    with playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox"])
        focal = browser.new_context().new_page()
        # Spanish first, on the login page, then log in.
        focal.goto(f"{server}/login/")
        focal.select_option("#language-select", "es")
        focal.click("#language-form button")
        expect(focal.locator("h1")).to_have_text("Iniciar sesión")
        _login(focal, server, "maria")
        focal.goto(f"{server}{PAGE}")
        expect(focal.locator("#question-org_year")).to_be_hidden()
        focal.check("#question-org_exists input[value=yes]")  # the skip-logic branch opens
        expect(focal.locator("#question-org_year")).to_be_visible()
        _autosaved(focal, 1)
        focal.fill("#a_org_year", "2015")
        focal.press("#a_org_year", "Tab")  # an answer is saved as its field is left
        _autosaved(focal, 2)
        focal.screenshot(path=str(artifacts / "1-focal-point-draft.png"), full_page=True)
        # Leave, come back: the draft is there.
        focal.click("header form.inline button.link")
        _login(focal, server, "maria")
        focal.goto(f"{server}{PAGE}")
        expect(focal.locator("#a_org_year")).to_have_value("2015")
        expect(focal.locator("#question-org_exists input[value=yes]")).to_be_checked()
        focal.click("#section-nav a >> nth=1")  # the next section
        focal.check("#question-channels input[value=web]")
        _autosaved(focal, 3)
        focal.click("#submit-button")
        expect(focal.locator("#response-status")).to_have_text("Enviada")
        focal.screenshot(path=str(artifacts / "2-submitted.png"), full_page=True)

        reviewer = browser.new_context().new_page()
        _login(reviewer, server, "olivier")
        reviewer.goto(f"{server}{PAGE}")
        reviewer.fill("#id_message", "Please give the staff count")
        reviewer.click("#request-changes-button")
        expect(reviewer.locator("#response-status")).to_have_text("Changes requested")

        focal.goto(f"{server}{PAGE}sections/services/")
        expect(focal.locator(".comments")).to_contain_text("Please give the staff count")
        focal.fill("#a_staff", "40")
        focal.press("#a_staff", "Tab")
        _autosaved(focal, 6)
        focal.click("#submit-button")
        expect(focal.locator("#response-status")).to_have_text("Enviada")

        reviewer.goto(f"{server}{PAGE}sections/services/")
        expect(reviewer.locator("#a_staff")).to_have_value("40")
        reviewer.click("#approve-button")
        expect(reviewer.locator("#response-status")).to_have_text("Approved")
        reviewer.screenshot(path=str(artifacts / "3-approved.png"), full_page=True)
        trail = reviewer.goto(f"{server}{PAGE}audit")
        assert trail is not None and trail.status == 200
        assert re.search(r"submitted.*changes_requested.*submitted.*approved", reviewer.content(), re.S)
        browser.close()
    assert {"1-focal-point-draft.png", "2-submitted.png", "3-approved.png"} <= {p.name for p in artifacts.iterdir()}


def _browser(p: Any) -> Any:
    return p.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox"])


def test_an_invalid_answer_never_blocks_another_and_both_survive_a_reload(server: str, artifacts: Path) -> None:
    expect = playwright_api.expect
    with playwright_api.sync_playwright() as p:
        browser = _browser(p)
        page = browser.new_context().new_page()
        _login(page, server, "maria")
        page.goto(f"{server}{PAGE}sections/services/")
        page.fill("#a_staff", "-4")  # refused by the constraint ". >= 0"
        page.press("#a_staff", "Tab")
        expect(page.locator('[data-problems-for="staff"]')).to_contain_text("Staff", timeout=10_000)
        expect(page.locator("#attention")).to_be_visible()
        expect(page.locator("#attention-count")).to_have_text("1 answer needs attention:")
        page.fill("#a_notes", "Figures from the 2025 budget law")
        page.press("#a_notes", "Tab")
        _autosaved(page, 1)  # the valid answer was saved although the other is invalid
        page.screenshot(path=str(artifacts / "invalid-and-valid.png"), full_page=True)
        page.reload()
        expect(page.locator("#a_notes")).to_have_value("Figures from the 2025 budget law")
        # the invalid answer is not lost either: kept by the browser, put back and shown with its message again
        expect(page.locator("#a_staff")).to_have_value("-4")
        expect(page.locator('[data-problems-for="staff"]')).to_contain_text("Staff", timeout=10_000)
        # the attention link leads to the question
        page.click("#attention-links a")
        assert page.url.endswith("#question-staff")
        browser.close()


def test_the_status_bar_stays_in_view_and_leaving_with_unsaved_changes_asks(server: str, artifacts: Path) -> None:
    expect = playwright_api.expect
    with playwright_api.sync_playwright() as p:
        browser = _browser(p)
        page = browser.new_context(viewport={"width": 1000, "height": 500}).new_page()
        _login(page, server, "maria")
        page.goto(f"{server}{PAGE}all")
        page.mouse.wheel(0, 5000)
        page.wait_for_function("window.scrollY > 300")
        bar = page.locator("#status-bar").bounding_box()
        assert bar is not None and -1 <= bar["y"] <= 2, bar  # stuck to the top of the window
        expect(page.locator("#save-button")).to_be_in_viewport()
        expect(page.locator("#submit-button")).to_be_in_viewport()
        page.fill("#a_notes", "typed, field not left")
        expect(page.locator("#autosave-state")).to_be_in_viewport()
        dialogs: list[str] = []

        def dismiss(dialog: Any) -> None:
            dialogs.append(dialog.type)
            dialog.dismiss()

        page.on("dialog", dismiss)
        page.click("#section-nav a >> nth=0")
        assert dialogs == ["beforeunload"]  # asked, and staying keeps what was typed
        expect(page.locator("#a_notes")).to_have_value("typed, field not left")
        page.screenshot(path=str(artifacts / "status-bar.png"))
        browser.close()


def test_the_section_navigator_counts_and_moves_between_sections(server: str, artifacts: Path) -> None:
    expect = playwright_api.expect
    with playwright_api.sync_playwright() as p:
        browser = _browser(p)
        page = browser.new_context().new_page()
        _login(page, server, "maria")
        page.goto(f"{server}{PAGE}")
        nav = page.locator("#section-nav")
        expect(nav.locator("li.current a")).to_have_text("Governance")
        expect(nav.locator('[data-count-for="governance"]')).to_have_text("0 of 3 complete")
        expect(page.locator("[data-evidence-required=budget]")).to_be_visible()  # marked before any submission
        page.check("#question-org_exists input[value=yes]")
        page.fill("#a_budget", "12.5")  # answered, but its required evidence is missing
        page.press("#a_budget", "Tab")
        _autosaved(page, 2)
        page.reload()
        expect(nav.locator('[data-count-for="governance"]')).to_have_text(
            "1 of 4 complete"
        )  # budget lacks its evidence: not complete
        expect(nav.locator('[data-problems-in="governance"]')).to_have_text("2 problems")  # year, budget evidence
        page.click("#next-section")
        expect(nav.locator("li.current a")).to_have_text("Services")
        assert page.url.endswith("/sections/services/")
        page.click("#submit-button")
        items = page.locator("#problem-list li")
        expect(items).to_have_count(3)  # org_year and channels required, budget's evidence
        page.click("#problem-list li a >> nth=0")
        assert "/sections/governance/#question-org_year" in page.url
        page.screenshot(path=str(artifacts / "navigator.png"), full_page=True)
        browser.close()


def test_a_conflict_shows_both_values_and_keeps_the_one_chosen(server: str, artifacts: Path) -> None:
    expect = playwright_api.expect
    with playwright_api.sync_playwright() as p:
        browser = _browser(p)
        first = browser.new_context().new_page()
        second = browser.new_context().new_page()
        for page in (first, second):
            _login(page, server, "maria")
            page.goto(f"{server}{PAGE}sections/services/")
        second.fill("#a_notes", "From the other tab")
        second.press("#a_notes", "Tab")
        _autosaved(second, 1)
        first.fill("#a_staff", "12")  # another question: no conflict
        first.press("#a_staff", "Tab")
        _autosaved(first, 2)
        first.fill("#a_notes", "Mine")  # the same question, changed meanwhile
        first.press("#a_notes", "Tab")
        expect(first.locator("#compare-button")).to_be_visible(timeout=10_000)
        first.click("#compare-button")
        row = first.locator('[data-conflict="notes"]')
        expect(row.locator(".theirs")).to_have_text("From the other tab")
        expect(row.locator(".yours")).to_have_text("Mine")
        first.screenshot(path=str(artifacts / "conflict.png"), full_page=True)
        row.locator("input[value=yours]").check()
        first.click("#conflict-keep")
        expect(first.locator("#a_notes")).to_have_value("Mine")
        expect(first.locator("#a_staff")).to_have_value("12")
        second.reload()
        expect(second.locator("#a_notes")).to_have_value("Mine")
        browser.close()
