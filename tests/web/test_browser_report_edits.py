"""An analyst edits the report of a draft in a real browser (Playwright, Debian's Chromium) against `govlens serve`
and its own queue worker: six countries of the bundled LAC framework approved -> a release (a draft) -> the text
page shows the generated passage -> the analyst replaces it -> the draft's report file has the analyst's words,
marked as edited by them -> reverting gives the generated words back.
"""

from __future__ import annotations

import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.throwaway import free_port

from .conftest import PASSWORD
from .test_browser import CHROMIUM, CLI, _cli, _env, _login, playwright_api

pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason=f"no Chromium at {CHROMIUM}")

CYCLE = "lac-text-2026"
RELEASE = f"{CYCLE}-r1"
COUNTRIES = "ARG,BRA,CHL,COL,MEX,URY"
# In the platform's own process: the six countries' synthetic answers (with the evidence links the framework asks
# for), submitted and approved by the analyst.
APPROVE = f"""
import os, django
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "govlens.web.settings")
django.setup()
from django.contrib.auth.models import User
from govlens.analysis.synthetic import synthetic_answers
from govlens.framework import catalogue
from govlens.framework.model import Evidence
from govlens.web.collection.services import response_save, response_submit
from govlens.web.review.services import review_approve
analyst = User.objects.get(username="ana")
framework = catalogue.load("lac-dgr")
cited = [q.name for q in framework.questions() if q.evidence is Evidence.REQUIRED]
for iso3, given in synthetic_answers(framework, "{COUNTRIES}".split(","), seed=5).answers.items():
    links = {{name: ["https://example.org/law"] for name in cited if given.get(name) not in (None, "", [])}}
    response_save(actor=analyst, cycle_slug="{CYCLE}", iso3=iso3, version=0, answers=dict(given), evidence_urls=links)
    response_submit(actor=analyst, cycle_slug="{CYCLE}", iso3=iso3)
    review_approve(actor=analyst, cycle_slug="{CYCLE}", iso3=iso3)
"""
INTRO = "Who leads, and with which powers, decides everything else: the region's weakest link."


def _platform_env(home: Path) -> dict[str, str]:
    return {**_env(home), "GOVLENS_RELEASE_FORMATS": "html", "GOVLENS_RELEASE_BENCHMARKS": "0"}


@pytest.fixture
def server(tmp_path: Path) -> Iterator[str]:
    home = tmp_path / "home"
    home.mkdir()
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-c", CLI, "serve", "--port", str(port), "--workers", "2"],  # a queue worker by default
        env=_platform_env(home),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"{url}/health", timeout=2).close()
                break
            except OSError:
                assert time.monotonic() < deadline, "the server did not start"
                time.sleep(0.3)
        _cli(home, "user", "add", "ana", "--role", "analyst", "--password-stdin", stdin=PASSWORD + "\n")
        _cli(home, "cycle", "create", CYCLE, "--framework", "lac-dgr", "--countries", COUNTRIES)
        done = subprocess.run(
            [sys.executable, "-c", APPROVE], env=_platform_env(home), capture_output=True, text=True, timeout=300
        )
        assert done.returncode == 0, done.stderr
        yield url
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_an_analyst_edits_a_paragraph_and_sees_it_in_the_report(server: str, tmp_path: Path) -> None:
    url = server
    expect = playwright_api.expect
    with playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox"])
        analyst = browser.new_context().new_page()
        _login(analyst, url, "ana")
        analyst.goto(f"{url}/jobs/cycles/{CYCLE}/publish")
        analyst.fill("#replications", "20")
        analyst.uncheck("input[name=languages][value=es]")
        analyst.click("#release-request button[type=submit]")
        expect(analyst.locator("#job-status")).to_have_text("Succeeded", timeout=180_000)
        analyst.click("text=Open the release page")
        expect(analyst.locator("#release-edits")).to_contain_text("0 passages edited by analysts.")
        analyst.click("#release-edits a")

        passage = analyst.locator("[id='passage-intro:governance']")
        expect(passage).to_have_attribute("data-provenance", "generated")
        generated = passage.locator(".generated-text").inner_text().split(":", 1)[1].strip()
        assert generated.startswith("Who leads digital government")
        passage.locator("textarea").fill(INTRO)
        passage.locator(".edit-form button").click()
        expect(analyst.locator(".messages")).to_contain_text("The edit is saved")
        passage = analyst.locator("[id='passage-intro:governance']")
        expect(passage).to_have_attribute("data-provenance", "edited")
        expect(passage.locator(".edited-text")).to_contain_text(INTRO)
        expect(passage.locator(".generated-text")).to_contain_text(generated)  # both, side by side
        expect(passage).to_contain_text("Edited by ana on")

        report = browser.new_context(storage_state=analyst.context.storage_state()).new_page()
        report.goto(f"{url}/results/files/{RELEASE}/report-en.html")
        edited = report.locator("[data-provenance=edited][data-edited-by=ana]")
        expect(edited.first).to_contain_text(INTRO)
        assert generated not in report.content()
        report.screenshot(path=str(tmp_path / "edited-report.png"), full_page=False)

        passage.locator(".revert-form button").click()
        expect(analyst.locator(".messages")).to_contain_text("back to the generated text")
        expect(analyst.locator("[id='passage-intro:governance']")).to_have_attribute("data-provenance", "generated")
        report.reload()
        assert INTRO not in report.content() and generated in report.content()
        browser.close()
