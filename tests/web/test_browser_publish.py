"""Publishing in a real browser (Playwright, Debian's Chromium) against `govlens serve`, which runs its own queue
worker on the embedded SQLite database: answers approved -> the analyst asks for a release (a draft) -> opens it
for validation -> the focal point comments on their country's draft -> publishing is refused until the analyst
confirms the open comment -> the public dashboard shows the release, with its files to download.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from govlens.framework.yaml_io import write_yaml
from tests.throwaway import free_port

from .conftest import PASSWORD, tiny_framework
from .test_browser import CHROMIUM, CLI, _cli, _env, _login, playwright_api

pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason=f"no Chromium at {CHROMIUM}")

RELEASE = "lac-2026-r1"
# In the platform's own process: ARG and BRA answered (differently), submitted and approved by the analyst.
APPROVE = """
import os, django
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "govlens.web.settings")
django.setup()
from django.contrib.auth.models import User
from govlens.web.collection.services import response_save, response_submit
from govlens.web.review.services import review_approve
analyst = User.objects.get(username="ana")
answers = {"ARG": {"org_exists": "yes", "org_year": 2015, "channels": ["web"], "staff": 40},
           "BRA": {"org_exists": "no", "channels": ["web"], "staff": 10}}
for iso3, given in answers.items():
    response_save(actor=analyst, cycle_slug="lac-2026", iso3=iso3, version=0, answers=given)
    response_submit(actor=analyst, cycle_slug="lac-2026", iso3=iso3)
    review_approve(actor=analyst, cycle_slug="lac-2026", iso3=iso3)
"""


def _platform_env(home: Path) -> dict[str, str]:
    return {**_env(home), "GOVLENS_RELEASE_FORMATS": "html", "GOVLENS_RELEASE_BENCHMARKS": "0"}


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    home = tmp_path / "home"
    home.mkdir()
    framework = tmp_path / "tiny.yaml"
    write_yaml(tiny_framework(), framework)
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-c", CLI, "serve", "--port", str(port), "--workers", "2"],  # a worker by default
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
        for name, role, scope in (("ana", "analyst", []), ("maria", "focal-point", ["--country", "ARG"])):
            _cli(home, "user", "add", name, "--role", role, *scope, "--password-stdin", stdin=PASSWORD + "\n")
        _cli(home, "cycle", "create", "lac-2026", "--framework", str(framework), "--countries", "ARG,BRA")
        done = subprocess.run(
            [sys.executable, "-c", APPROVE], env=_platform_env(home), capture_output=True, text=True, timeout=120
        )
        assert done.returncode == 0, done.stderr
        yield url, home
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_approved_answers_to_a_published_release_in_the_browser(server: tuple[str, Path], tmp_path: Path) -> None:
    url, _ = server
    expect = playwright_api.expect
    with playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox"])
        public = browser.new_context().new_page()
        assert public.goto(f"{url}/results/").status == 404  # nothing published yet

        analyst = browser.new_context().new_page()
        _login(analyst, url, "ana")
        analyst.goto(f"{url}/jobs/cycles/lac-2026/publish")
        expect(analyst.locator("#country-statuses")).to_contain_text("Approved")  # the status as a word
        analyst.fill("#replications", "50")
        analyst.uncheck("input[name=languages][value=es]")
        analyst.click("#release-request button[type=submit]")
        expect(analyst.locator("#job-status")).to_have_text("Succeeded", timeout=120_000)  # the server's worker
        analyst.click("text=Open the release page")
        expect(analyst.locator("#release-state")).to_have_attribute("data-state", "draft")
        expect(analyst.locator("#release-files")).to_contain_text("profile-ARG-en.html")
        assert public.goto(f"{url}/results/?release={RELEASE}").status == 404  # a draft is not public
        analyst.click("button:has-text('Open for validation')")
        expect(analyst.locator("#release-state")).to_have_attribute("data-state", "validation")

        focal = browser.new_context().new_page()
        _login(focal, url, "maria")
        assert focal.goto(f"{url}/jobs/releases/{RELEASE}/validation/BRA/").status == 403  # not her country
        focal.goto(f"{url}/jobs/releases/{RELEASE}/validation/ARG/")
        profile = focal.locator("li[data-item=profile]")
        profile.locator("input[name=comment]").fill("Our strategy was adopted in 2015, please check")
        profile.locator("button[value=commented]").click()
        expect(focal.locator("li[data-item=profile] [data-decision]")).to_have_attribute("data-decision", "commented")

        analyst.reload()
        expect(analyst.locator("#validation-reviews")).to_contain_text("Our strategy was adopted in 2015")
        analyst.click("#publish-form button[type=submit]")  # without confirming the open comment: refused
        expect(analyst.locator("body")).to_contain_text("validation comments are still open")
        expect(analyst.locator("#release-state")).to_have_attribute("data-state", "validation")
        analyst.check("input[name=confirm_open_comments]")
        analyst.click("#publish-form button[type=submit]")
        expect(analyst.locator("#release-state")).to_have_attribute("data-state", "published")

        reply = public.goto(f"{url}/results/")
        assert reply is not None and reply.status == 200
        expect(public.locator(f"[data-release='{RELEASE}']").first).to_be_visible()
        download = public.goto(f"{url}/results/files/{RELEASE}/report-en.html")
        assert download is not None and download.status == 200
        public.screenshot(path=str(tmp_path / "published.png"), full_page=True)
        browser.close()
    assert os.path.getsize(tmp_path / "published.png") > 0
