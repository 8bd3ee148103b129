"""The first load of a questionnaire section page against the whole questionnaire on one page (issue 15).

Each page is loaded in a fresh process (a new GOVLENS_HOME with SQLite, migrated, one cycle of the bundled
lac-dgr framework: 208 questions in 18 sections, a focal point for ARG with about half of the questions
answered). After the server's one-off framework load (timed apart, by a request to the cycle page), the first
request of the page pays what a user's first visit pays (the page's template compiled, every query); then the
same page is loaded --repeat times more (warm). The baseline, the whole questionnaire (``.../all``, every
section on one page), is measured in the same run and the ratio printed. Target: the first load of a section
under 1 s on this machine.

    .venv/bin/python benchmarks/section_page.py [--repeat 5]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PASSWORD = "bench-horse-battery-9"
ROOT = Path(__file__).resolve().parents[1]


def child(url_kind: str, repeat: int) -> dict[str, object]:
    """In a fresh process: set up the platform, log in, time the first load of the page and ``repeat`` more."""
    home = tempfile.mkdtemp(prefix="govlens-bench-section-")
    os.environ["GOVLENS_HOME"] = home
    os.environ.pop("DATABASE_URL", None)
    os.environ["DJANGO_SETTINGS_MODULE"] = "govlens.web.settings"
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client

    from govlens.framework.model import QuestionType
    from govlens.web.accounts.services import user_create
    from govlens.web.collection.services import response_save_valid
    from govlens.web.cycles.frameworks import cycle_framework, framework_cache_clear
    from govlens.web.cycles.services import cycle_create

    settings.ALLOWED_HOSTS = ["testserver"]
    call_command("migrate", interactive=False, verbosity=0)
    cycle = cycle_create(actor=None, slug="bench", framework="lac-dgr", countries=["ARG"], title="Bench")
    user_create(actor=None, username="fp", password=PASSWORD, role="focal-point", country="ARG")
    framework = cycle_framework(cycle)
    answers: dict[str, object] = {}
    for number, question in enumerate(framework.questions()):
        if number % 2:
            continue
        if question.type is QuestionType.YES_NO:
            answers[question.name] = "yes"
        elif question.type in (QuestionType.INTEGER, QuestionType.DECIMAL):
            answers[question.name] = 3
    response_save_valid(actor=None, cycle_slug="bench", iso3="ARG", version=0, answers=answers)
    framework_cache_clear()  # as after a restart
    client = Client()
    assert client.login(username="fp", password=PASSWORD)
    # The server's one-off start: the first request that needs the framework loads and checks it (timed apart;
    # it is paid once per server process, not per user or page).
    started = time.perf_counter()
    assert client.get("/cycles/bench/").status_code == 200
    startup = time.perf_counter() - started
    first_section = framework.sections[0].name
    path = "/cycles/bench/responses/ARG/" + ("all" if url_kind == "all" else f"sections/{first_section}/")
    times = []
    size = 0
    for _ in range(repeat + 1):
        started = time.perf_counter()
        reply = client.get(path)
        times.append(time.perf_counter() - started)
        assert reply.status_code == 200, reply.status_code
        size = len(reply.content)
    return {"first": times[0], "warm": statistics.median(times[1:]), "bytes": size, "path": path, "startup": startup}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="warm loads after the first (default 5)")
    parser.add_argument("--child", choices=["section", "all"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child, args.repeat)))
        return
    env = {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    results = {}
    for kind in ("section", "all"):
        done = subprocess.run(
            [sys.executable, __file__, "--child", kind, "--repeat", str(args.repeat)],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        results[kind] = json.loads(done.stdout.strip().splitlines()[-1])
    load = os.getloadavg()
    print(f"CPUs: {os.cpu_count()}, load average: {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}")
    print(f"{'page':<48} {'first load s':>12} {'warm s':>8} {'kB':>7}")
    for kind, label in (("section", "section page (first section)"), ("all", "whole questionnaire (baseline)")):
        row = results[kind]
        print(f"{label:<48} {row['first']:>12.3f} {row['warm']:>8.3f} {row['bytes'] / 1000:>7.0f}")
    print(
        f"(before either: the server's first framework load, once per process: {results['section']['startup']:.3f} s)"
    )
    ratio = results["all"]["first"] / results["section"]["first"]
    warm = results["all"]["warm"] / results["section"]["warm"]
    print(f"whole / section: first load {ratio:.1f}x, warm {warm:.1f}x")
    verdict = "meets" if results["section"]["first"] < 1.0 else "misses"
    print(f"first load of a section: {results['section']['first']:.3f} s ({verdict} the 1 s target)")


if __name__ == "__main__":
    main()
