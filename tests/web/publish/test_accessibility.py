"""WCAG check of the public dashboard in a real browser: Playwright drives Debian's Chromium against Django's
live server, injects the vendored axe-core (``vendor/axe.min.js``, no network) and fails on any serious or
critical violation. Every ``<details>`` is opened first so that the collapsed rankings and answers are
checked too. Skipped when Playwright or /usr/bin/chromium is missing.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = os.environ.get("GOVLENS_CHROMIUM", "/usr/bin/chromium")
AXE = Path(__file__).resolve().parent / "vendor" / "axe.min.js"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
playwright_api = pytest.importorskip("playwright.sync_api")
pytestmark = pytest.mark.skipif(not shutil.which(CHROMIUM), reason=f"no Chromium at {CHROMIUM}")

PAGES = [
    ("/results/", "en"),
    ("/results/", "es"),
    ("/results/?release=tiny-2026-r1", "fr"),
    ("/results/countries/ARG/", "en"),
    ("/results/countries/COL/", "pt"),
    ("/results/indicators/I5/", "en"),
    ("/results/indicators/IDX/", "es"),
    ("/results/analysis/", "en"),
    ("/results/analysis/?release=tiny-2026-r1", "es"),
    ("/results/countries/XXX/", "en"),  # the not-found page
]


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    # Playwright's sync API keeps an event loop in this thread while the browser is open; Django would then
    # refuse the test database's set-up and flush, which run in this thread (the pages run in the live server's)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with playwright_api.sync_playwright() as playwright:
            launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            yield launched
            launched.close()


def _axe(page: Any) -> list[dict[str, Any]]:
    page.evaluate("document.querySelectorAll('details').forEach(d => { d.open = true; })")
    page.add_script_tag(path=str(AXE))
    result: dict[str, Any] = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return list(result["violations"])


@pytest.mark.parametrize(("url", "language"), PAGES)
def test_no_serious_or_critical_accessibility_violation(
    browser: Any, live_server: Any, transactional_db: None, url: str, language: str
) -> None:
    # the pages forbid inline scripts (Content-Security-Policy); the injected axe-core is one, so it is let through
    context = browser.new_context(
        locale=language, extra_http_headers={"Accept-Language": language}, bypass_csp=True
    )
    page = context.new_page()
    try:
        reply = page.goto(f"{live_server.url}{url}", wait_until="load")
        assert reply is not None and reply.status in (200, 404)
        assert page.locator("html").get_attribute("lang") == language
        violations = _axe(page)
    finally:
        context.close()
    serious = [
        (item["id"], item["impact"], [node["target"] for node in item["nodes"]][:5])
        for item in violations
        if item["impact"] in ("serious", "critical")
    ]
    assert serious == []


def test_axe_finds_a_planted_violation(browser: Any, live_server: Any, transactional_db: None) -> None:
    """The check itself works: an image without a text alternative is reported as critical."""
    page = browser.new_page(bypass_csp=True)
    try:
        page.goto(f"{live_server.url}/results/", wait_until="load")
        page.evaluate("document.querySelector('main').insertAdjacentHTML('beforeend', '<img src=\"x.png\">')")
        ids = {(item["id"], item["impact"]) for item in _axe(page)}
    finally:
        page.close()
    assert ("image-alt", "critical") in ids
