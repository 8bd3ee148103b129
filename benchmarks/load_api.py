"""Load benchmark of the review platform's API (printed figures, not a timed test).

For each database asked for (SQLite, PostgreSQL) it builds a fresh platform (a temporary GOVLENS_HOME; on
PostgreSQL a new database on the server of ``--postgres-url``, dropped afterwards) with one cycle on the bundled
``lac-dgr`` framework and one focal point per country, starts ``govlens serve`` (gunicorn) on a free port of
127.0.0.1, and runs for ``--warmup`` seconds (default 5, not measured) then ``--duration`` seconds:

- ``--focal-points`` focal points (default 50), each autosaving its country's response through
  ``PATCH /api/v1/cycles/<cycle>/responses/<ISO3>`` every ``--think`` seconds (an answer and its comment, based
  on the version it last saw; a 409 conflict makes it re-read the response and carry on). With fewer
  ``--countries`` than focal points, several focal points share a response and conflicts appear;
- ``--readers`` anonymous readers of public pages: ``/health``, the login page, and the public dashboard
  ``/results/`` when the platform has one.

It prints, per endpoint, requests, throughput, p50/p95/p99/max latency, 409 conflicts and errors (any other
status outside 2xx/3xx, and connection failures), with the machine (CPUs, load average) and the database named.
Only loopback addresses are used; the run is bounded in time (``--duration`` at most 600 s) and in clients.

Run: ``.venv/bin/python benchmarks/load_api.py --duration 60 --database both`` (PostgreSQL from
``--postgres-url`` or ``$GOVLENS_TEST_DATABASE_URL``; ``eval "$(scripts/postgres.sh start)"`` gives one).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import sqlite3
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx

# the platform harness is a test helper (tests/throwaway.py), not part of the package: import it from the checkout
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tests import throwaway
from tests.throwaway import SETUP_CYCLE, NotAnswering, Server, SetupFailed

CYCLE = "load"
PASSWORD = "load-benchmark-password-7"
QUESTION = "dat_od_portal"  # an optional URL question of lac-dgr, without skip logic or constraint
MAX_DURATION = 600.0
MAX_CLIENTS = 500

# After the cycle and its focal points: a release of synthetic answers, so readers load the public dashboard too.
SETUP = (
    SETUP_CYCLE
    + """
from govlens.analysis.synthetic import synthetic_answers
from govlens.framework.catalogue import load
from govlens.release import create_release, save_release
framework = load("lac-dgr")
answers = synthetic_answers(framework, seed=1).answers
save_release(create_release(framework, answers, cycle="load-demo", synthetic=True))
"""
)


# -- platform --------------------------------------------------------------------------------------------


def _countries(count: int) -> list[str]:
    import pycountry

    return sorted(country.alpha_3 for country in pycountry.countries)[:count]


def _loopback_only(url: str) -> None:
    host = urlsplit(url).hostname or ""
    if host not in ("127.0.0.1", "localhost", "::1"):
        raise SystemExit(f"error: --postgres-url must point at a loopback address (127.0.0.1); got host '{host}'")


@dataclass
class Platform(throwaway.Platform):
    description: str = ""


def make_platform(label: str, countries: list[str], postgres_url: str | None, home: Path) -> Platform:
    made = Platform.create(home, postgres_url, prefix="govlens_load")
    if postgres_url:
        version = throwaway.admin_execute(postgres_url, "SHOW server_version")
        made.description = f"PostgreSQL {version} on {urlsplit(postgres_url).hostname}:{urlsplit(postgres_url).port}"
    else:
        made.description = f"SQLite {sqlite3.sqlite_version} (a file under {home})"
    spec = {"cycle": CYCLE, "countries": countries, "password": PASSWORD, "title": "Load test"}
    try:
        made.set_up(SETUP, spec, timeout=300)
    except SetupFailed as failed:
        raise SystemExit(f"error: setting up the {label} platform failed:\n{failed.stderr[-2000:]}") from None
    return made


# -- load ----------------------------------------------------------------------------------------------


@dataclass
class Stats:
    latencies: list[float] = field(default_factory=list)
    statuses: dict[str, int] = field(default_factory=dict)

    def add(self, status: str, seconds: float | None) -> None:
        self.statuses[status] = self.statuses.get(status, 0) + 1
        if seconds is not None:
            self.latencies.append(seconds)


class Recorder:
    """Latencies and statuses per endpoint, of the requests started after ``since`` (the warm-up's end)."""

    def __init__(self, since: float = 0.0) -> None:
        self.endpoints: dict[str, Stats] = {}
        self.since = since

    async def call(self, endpoint: str, request: Any) -> httpx.Response | None:
        counted = time.monotonic() >= self.since
        started = time.perf_counter()
        try:
            reply: httpx.Response = await request
        except httpx.HTTPError as error:
            if counted:
                self.endpoints.setdefault(endpoint, Stats()).add(type(error).__name__, None)
            return None
        if counted:
            self.endpoints.setdefault(endpoint, Stats()).add(str(reply.status_code), time.perf_counter() - started)
        return reply


async def _focal_point(
    client: httpx.AsyncClient, recorder: Recorder, iso3: str, token: str, deadline: float, think: float, seed: int
) -> None:
    url = f"/api/v1/cycles/{CYCLE}/responses/{iso3}"
    headers = {"Authorization": f"Bearer {token}"}
    first = await recorder.call("GET response (read)", client.get(url, headers=headers))
    version = first.json()["version"] if first is not None and first.status_code == 200 else 0
    # Spread the first saves over one think time, as people do not all type at the same instant.
    await asyncio.sleep(think * ((seed * 7919) % 100) / 100)
    n = 0
    while time.monotonic() < deadline:
        n += 1
        body = {
            "version": version,
            "answers": {QUESTION: f"https://example.org/{iso3}/{seed}/{n}"},
            "comments": {QUESTION: f"autosave {seed}/{n}"},
        }
        reply = await recorder.call("PATCH response (autosave)", client.patch(url, json=body, headers=headers))
        if reply is not None and reply.status_code == 200:
            version = reply.json()["version"]
        elif reply is not None and reply.status_code == 409:
            current = reply.json().get("error", {}).get("details", {}).get("current_version")
            version = current if isinstance(current, int) else version
        await asyncio.sleep(think)


async def _reader(
    client: httpx.AsyncClient, recorder: Recorder, paths: list[str], deadline: float, think: float
) -> None:
    turn = 0
    while time.monotonic() < deadline:
        path = paths[turn % len(paths)]
        turn += 1
        await recorder.call(f"GET {path}", client.get(path))
        await asyncio.sleep(think)


async def _tokens(base: str, countries: list[str]) -> dict[str, str]:
    async with httpx.AsyncClient(base_url=base, timeout=120) as client:
        semaphore = asyncio.Semaphore(8)

        async def issue(iso3: str) -> tuple[str, str]:
            async with semaphore:
                reply = await client.post(
                    "/api/v1/auth/token", json={"username": f"fp-{iso3.lower()}", "password": PASSWORD}
                )
                reply.raise_for_status()
                return iso3, str(reply.json()["token"])

        return dict(await asyncio.gather(*(issue(c) for c in countries)))


async def _run_load(base: str, countries: list[str], args: argparse.Namespace) -> tuple[Recorder, float]:
    tokens = await _tokens(base, countries)
    public = ["/health", "/login/"]
    async with httpx.AsyncClient(base_url=base, timeout=30) as probe:
        if (await probe.get("/results/")).status_code == 200:
            public.append("/results/")
        # Warm-up: every worker loads the framework once before the clock starts.
        token = tokens[countries[0]]
        for _ in range(2 * args.workers):
            await probe.get(
                f"/api/v1/cycles/{CYCLE}/responses/{countries[0]}", headers={"Authorization": f"Bearer {token}"}
            )
    limits = httpx.Limits(max_connections=args.focal_points + args.readers + 10, max_keepalive_connections=200)
    async with httpx.AsyncClient(base_url=base, timeout=30, limits=limits) as client:
        started = time.monotonic() + args.warmup
        recorder = Recorder(since=started)
        deadline = started + args.duration
        tasks = [
            _focal_point(
                client,
                recorder,
                countries[i % len(countries)],
                tokens[countries[i % len(countries)]],
                deadline,
                args.think,
                i,
            )
            for i in range(args.focal_points)
        ]
        tasks += [_reader(client, recorder, public, deadline, args.reader_think) for _ in range(args.readers)]
        await asyncio.gather(*tasks)
        elapsed = time.monotonic() - started
    return recorder, elapsed


# -- report --------------------------------------------------------------------------------------------


def _percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile (share in 0..1) of a non-empty list."""
    ordered = sorted(values)
    rank = max(1, min(len(ordered), int(-(-share * len(ordered) // 1))))
    return ordered[rank - 1]


def _table(recorder: Recorder, elapsed: float) -> list[str]:
    lines = [
        "| endpoint | requests | req/s | p50 ms | p95 ms | p99 ms | max ms | 409 | errors |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for endpoint, stats in sorted(recorder.endpoints.items()):
        total = sum(stats.statuses.values())
        conflicts = stats.statuses.get("409", 0)
        errors = sum(n for s, n in stats.statuses.items() if not (s.isdigit() and s[0] in "23") and s != "409")
        if stats.latencies:
            ms = [1000 * _percentile(stats.latencies, p) for p in (0.50, 0.95, 0.99, 1.0)]
            shown = " | ".join(f"{v:.1f}" for v in ms)
        else:
            shown = " | ".join("-" for _ in range(4))
        lines.append(f"| {endpoint} | {total} | {total / elapsed:.1f} | {shown} | {conflicts} | {errors} |")
    return lines


def _machine() -> str:
    load = " ".join(f"{v:.2f}" for v in os.getloadavg())
    return (
        f"{platform.node()}: {os.cpu_count()} CPUs ({platform.processor() or platform.machine()}), load average {load}"
    )


def run_one(label: str, postgres_url: str | None, args: argparse.Namespace) -> dict[str, Any]:
    countries = _countries(min(args.countries, args.focal_points))
    with tempfile.TemporaryDirectory(prefix=f"govlens-load-{label}-") as folder:
        home = Path(folder)
        made = make_platform(label, countries, postgres_url, home)
        try:
            server = Server(made, home / "server.log", args.workers)
            try:
                try:
                    server.start(timeout=60)
                except NotAnswering as error:
                    raise SystemExit(f"error: {error.reason}") from None
                before = _machine()
                recorder, elapsed = asyncio.run(_run_load(server.base, countries, args))
                after = _machine()
            finally:
                server.stop(grace=15)
        finally:
            made.drop()
    lines = [
        f"### {label}: {made.description}",
        "",
        f"{args.focal_points} focal points on {len(countries)} responses (autosave every {args.think:g} s), "
        f"{args.readers} readers (every {args.reader_think:g} s), {elapsed:.1f} s measured after {args.warmup:g} s of "
        f"warm-up, gunicorn {args.workers} workers "
        f"(sync), client and server on the same machine.",
        f"Machine before: {before}. After: {after}.",
        "",
        *_table(recorder, elapsed),
    ]
    print("\n".join(lines) + "\n", flush=True)
    return {
        "database": label,
        "description": made.description,
        "elapsed_s": elapsed,
        "machine_before": before,
        "machine_after": after,
        "endpoints": {
            name: {
                "statuses": stats.statuses,
                "p50_ms": 1000 * _percentile(stats.latencies, 0.5) if stats.latencies else None,
                "p95_ms": 1000 * _percentile(stats.latencies, 0.95) if stats.latencies else None,
                "p99_ms": 1000 * _percentile(stats.latencies, 0.99) if stats.latencies else None,
            }
            for name, stats in recorder.endpoints.items()
        },
    }


def _bounded(low: float, high: float, kind: type = float) -> Any:
    def parse(text: str) -> Any:
        value = kind(text)
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"must be between {low:g} and {high:g}; got {text}")
        return value

    return parse


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--duration", type=_bounded(1, MAX_DURATION), default=60.0, help="seconds of load (default 60)")
    parser.add_argument("--database", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--postgres-url", default=os.environ.get("GOVLENS_TEST_DATABASE_URL", ""), help="server to use")
    parser.add_argument(
        "--warmup", type=_bounded(0, 120), default=5.0, help="seconds of load before measuring starts (default 5)"
    )
    parser.add_argument("--focal-points", type=_bounded(1, MAX_CLIENTS, int), default=50)
    parser.add_argument("--countries", type=_bounded(1, MAX_CLIENTS, int), default=50, help="responses they share")
    parser.add_argument("--readers", type=_bounded(0, MAX_CLIENTS, int), default=5)
    parser.add_argument("--think", type=_bounded(0, 60), default=1.0, help="seconds between autosaves (default 1)")
    parser.add_argument("--reader-think", type=_bounded(0, 60), default=0.2)
    parser.add_argument("--workers", type=_bounded(1, 16, int), default=2, help="gunicorn workers (default 2)")
    parser.add_argument("--json", type=Path, help="also write the figures to this JSON file")
    args = parser.parse_args(argv)
    targets: list[tuple[str, str | None]] = []
    if args.database in ("sqlite", "both"):
        targets.append(("SQLite", None))
    if args.database in ("postgresql", "both"):
        if not args.postgres_url:
            print("error: PostgreSQL needs --postgres-url or $GOVLENS_TEST_DATABASE_URL", file=sys.stderr)
            return 1
        _loopback_only(args.postgres_url)
        targets.append(("PostgreSQL", args.postgres_url))
    print(f"GovLens API load benchmark; Python {platform.python_version()}; {_machine()}\n", flush=True)
    results = [run_one(label, url, args) for label, url in targets]
    if args.json:
        args.json.write_text(json.dumps(results, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
