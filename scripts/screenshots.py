#!/usr/bin/env python3
"""Regenerate the README's screenshots: the public dashboard and a page of the regional report.

    python scripts/screenshots.py [--home DIR] [--out docs/img]

With ``--home`` pointing at a GOVLENS_HOME that holds a release, that release is shown; otherwise the script
runs ``govlens demo`` into a temporary home first (the public data come from GOVLENS_DATA_MIRROR). It then
starts ``govlens serve`` on a free port, opens ``/results/`` in Debian's Chromium through Playwright and saves
``dashboard.png``, and renders the regional report of the same release (``govlens.reports.render``) and saves
``report.png``. Needs Playwright (``pip install playwright``) and /usr/bin/chromium (or GOVLENS_CHROMIUM).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

# the platform harness is a test helper (tests/throwaway.py), not part of the package: import it from the checkout
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tests.throwaway import free_port

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = os.environ.get("GOVLENS_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
WIDTH, HEIGHT = 1280, 1100


def _govlens() -> list[str]:
    script = Path(sys.executable).parent / "govlens"
    if script.exists():
        return [str(script)]
    found = shutil.which("govlens")
    if found is None:
        raise SystemExit("error: the govlens command is not installed in this environment")
    return [found]


def _environment(home: Path) -> dict[str, str]:
    env = {**os.environ, "GOVLENS_HOME": str(home)}
    for key in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL"):
        env.pop(key, None)
    return env


def _ensure_release(home: Path) -> None:
    if any((home / "releases").glob("*-r*.json")):
        return
    command = [*_govlens(), "--home", str(home), "demo", "--replications", "200"]
    help_text = subprocess.run([*_govlens(), "demo", "--help"], capture_output=True, text=True).stdout
    if "--no-serve" in help_text:  # newer demos serve the dashboard at the end unless told not to
        command.append("--no-serve")
    print("running", " ".join(command), flush=True)
    done = subprocess.run(command, env=_environment(home), capture_output=True, text=True, timeout=900)
    if done.returncode != 0:
        raise SystemExit(f"error: govlens demo failed:\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}")


def _serve(home: Path, port: int) -> subprocess.Popen[bytes]:
    process = subprocess.Popen(
        [*_govlens(), "--home", str(home), "serve", "--port", str(port), "--workers", "1"],
        env=_environment(home),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=2).close()
            return process
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                raise SystemExit("error: govlens serve did not start") from None
            time.sleep(0.3)


def _report_html(home: Path, folder: Path) -> Path:
    os.environ["GOVLENS_HOME"] = str(home)
    from govlens.release import load_release
    from govlens.reports.render import render_report

    release = load_release("latest", home / "releases")
    path = folder / "report-en.html"
    path.write_text(render_report(release, "en"), encoding="utf-8")
    return path


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--home", type=Path, help="a GOVLENS_HOME holding a release (default: run the demo)")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "img", help="where the PNG files go")
    args = parser.parse_args()
    if not Path(CHROMIUM).exists():
        print(f"error: no Chromium at {CHROMIUM} (set GOVLENS_CHROMIUM)", file=sys.stderr)
        return 1
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="govlens-screenshots-") as scratch:
        home = (args.home or Path(scratch) / "home").resolve()
        home.mkdir(parents=True, exist_ok=True)
        _ensure_release(home)
        report = _report_html(home, Path(scratch))
        port = free_port()
        server = _serve(home, port)
        args.out.mkdir(parents=True, exist_ok=True)
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                page = browser.new_page(viewport={"width": WIDTH, "height": HEIGHT}, locale="en-GB")
                page.goto(f"http://127.0.0.1:{port}/results/", wait_until="load")
                page.screenshot(path=str(args.out / "dashboard.png"))
                page.goto(report.as_uri(), wait_until="load")
                page.screenshot(path=str(args.out / "report.png"))
                browser.close()
        finally:
            server.terminate()
            server.wait(timeout=20)
    for name in ("dashboard.png", "report.png"):
        path = args.out / name
        print(f"{path}: {path.stat().st_size} bytes")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
