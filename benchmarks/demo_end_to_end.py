"""Time `govlens demo` end to end, as a newcomer runs it after installation (issue 6: under 60 s here).

Runs the demo in a fresh GOVLENS_HOME (so the platform database is migrated from nothing), parses the time of
each step from its output, and measures the CLI's start-up (`govlens --version`) in the same run as the
baseline that every command pays.

    .venv/bin/python benchmarks/demo_end_to_end.py [--runs 1] [--replications 1000]
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TARGET_SECONDS = 60.0
STEP = re.compile(r"^== (?P<title>.+)$")
DURATION = re.compile(r"^\s+\((?P<seconds>[0-9.]+) s\)$")


def govlens(*args: str, home: Path) -> tuple[float, str]:
    env = {**os.environ, "GOVLENS_HOME": str(home)}
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "govlens.cli", *args], env=env, capture_output=True, text=True, check=False
    )
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"govlens {' '.join(args)} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    return elapsed, done.stdout


def steps(output: str) -> list[tuple[str, float]]:
    found: list[tuple[str, float]] = []
    title = None
    for line in output.splitlines():
        if match := STEP.match(line):
            title = match["title"]
        elif (match := DURATION.match(line)) and title is not None:
            found.append((title, float(match["seconds"])))
            title = None
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--replications", type=int, default=1000)
    args = parser.parse_args()
    if not os.environ.get("GOVLENS_DATA_MIRROR"):
        raise SystemExit("set GOVLENS_DATA_MIRROR to the public-data mirror (e.g. ../shared/data)")
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f}")
    with tempfile.TemporaryDirectory() as tmp:
        startup, _ = govlens("--version", home=Path(tmp) / "startup")
        print(f"baseline: `govlens --version` {startup:.2f} s")
        totals = []
        for run in range(args.runs):
            home = Path(tmp) / f"run-{run}"
            total, output = govlens("demo", "--replications", str(args.replications), "--no-serve", home=home)
            totals.append(total)
            print(f"\nrun {run + 1}: {total:.1f} s wall ({total / startup:.0f}x the start-up)")
            for title, seconds in steps(output):
                print(f"  {seconds:6.1f} s  {title}")
        best = min(totals)
        ratio = best / TARGET_SECONDS
        print(f"\nbest of {args.runs}: {best:.1f} s; target {TARGET_SECONDS:.0f} s -> {ratio:.2f} of the target")


if __name__ == "__main__":
    main()
