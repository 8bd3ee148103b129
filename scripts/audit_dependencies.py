#!/usr/bin/env python3
"""Audit the locked dependencies (requirements/lock.txt) for known vulnerabilities.

    python scripts/audit_dependencies.py [--lock FILE] [--ignore-vuln ID] [--osv-url URL] [--feed-url URL]

pip-audit does the audit (``python -m pip_audit -r LOCK --require-hashes --disable-pip``, PyPI's vulnerability
service by default, OSV with ``--osv-url``). A package index mirror may serve a project's JSON page but not the
per-release pages that pip-audit asks for; pip-audit then skips the pin as "not found" and still exits 0, an audit
of nothing. For such pins this script reads the project page instead (``FEED/<name>/json``): its
``vulnerabilities`` describe the newest release, so they answer exactly for a pin that *is* the newest release.
A pin behind the newest release stays "not audited" and is named, with any advisory of the newest release that
may reach back to it.

Exit status: 0 no known vulnerability (a warning lists pins not audited), 1 a known vulnerability in a pin,
2 the audit could not run (no pin could be audited, or a bad lock file).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import urllib.error
import urllib.request
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_LOCK = ROOT / "requirements" / "lock.txt"
DEFAULT_FEED = os.environ.get("GOVLENS_AUDIT_FEED", "https://pypi.org/pypi")
_PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)")

Feed = Callable[[str], dict[str, Any] | None]


@dataclass(frozen=True)
class Advisory:
    """One known vulnerability of one pinned package."""

    package: str
    version: str
    ids: tuple[str, ...]
    fixed_in: tuple[str, ...]
    source: str  # "pip-audit" or "project feed"


@dataclass
class AuditResult:
    """What the audit found, pin by pin."""

    advisories: list[Advisory] = field(default_factory=list)
    by_service: list[str] = field(default_factory=list)
    by_feed: list[str] = field(default_factory=list)
    not_audited: dict[str, str] = field(default_factory=dict)  # package -> why

    @property
    def audited(self) -> int:
        return len(self.by_service) + len(self.by_feed)


def read_pins(lock: Path) -> dict[str, str]:
    """The ``name==version`` pins of a pip-compile lock file, by canonical name."""
    pins: dict[str, str] = {}
    for number, line in enumerate(lock.read_text(encoding="utf-8").splitlines(), start=1):
        if not line or line[0] in " #-\t":
            continue
        match = _PIN.match(line)
        if match is None:
            raise ValueError(f"{lock}:{number}: expected 'name==version', found {line.strip()!r}")
        pins[canonicalize_name(match.group(1))] = match.group(2)
    if not pins:
        raise ValueError(f"{lock}: no 'name==version' pins")
    return pins


def run_pip_audit(lock: Path, ignored: Iterable[str], osv_url: str | None) -> dict[str, Any] | None:
    """pip-audit's JSON report, or None when pip-audit itself failed (it prints why on stderr)."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "audit.json"
        command = [sys.executable, "-m", "pip_audit", "-r", str(lock), "--require-hashes", "--disable-pip",
                   "--progress-spinner", "off", "-f", "json", "-o", str(out)]
        if osv_url:
            command += ["-s", "osv", "--osv-url", osv_url]
        for vuln_id in ignored:
            command += ["--ignore-vuln", vuln_id]
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        if not out.exists():
            sys.stderr.write(done.stderr[-2000:])
            return None
        report: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
        return report


def fetch_project(feed_url: str) -> Feed:
    """A reader of project pages under ``feed_url`` (``<feed_url>/<name>/json``); None when not served."""

    def read(name: str) -> dict[str, Any] | None:
        try:
            with urllib.request.urlopen(f"{feed_url.rstrip('/')}/{name}/json", timeout=30) as reply:
                page: dict[str, Any] = json.load(reply)
                return page
        except (urllib.error.URLError, TimeoutError, json.JSONDecodeError, OSError):
            return None

    return read


def _live(entries: Iterable[dict[str, Any]], ignored: set[str]) -> list[dict[str, Any]]:
    """Advisories that are neither withdrawn nor ignored (by their id or any alias)."""
    kept = []
    for entry in entries:
        ids = {entry.get("id", ""), *entry.get("aliases", [])}
        if entry.get("withdrawn") is None and not ids & ignored:
            kept.append(entry)
    return kept


def _may_reach(pin: str, fixed_in: Iterable[str]) -> bool:
    """An advisory of the newest release may reach back to ``pin`` unless it was fixed at or before it."""
    try:
        pinned = Version(pin)
        return not any(Version(fix) <= pinned for fix in fixed_in)
    except InvalidVersion:
        return True


def audit(pins: dict[str, str], report: dict[str, Any] | None, feed: Feed, ignored: Iterable[str] = ()) -> AuditResult:
    """Combine pip-audit's report with the project feed for the pins pip-audit could not audit."""
    result = AuditResult()
    ignore = set(ignored)
    answered: set[str] = set()
    for dependency in (report or {}).get("dependencies", []):
        name: str = canonicalize_name(dependency["name"])
        if name not in pins or "skip_reason" in dependency:
            continue
        answered.add(name)
        result.by_service.append(name)
        for vuln in dependency.get("vulns", []):
            result.advisories.append(Advisory(name, pins[name], (vuln["id"], *vuln.get("aliases", [])),
                                              tuple(vuln.get("fix_versions", [])), "pip-audit"))
    for name, version in sorted(pins.items()):
        if name in answered:
            continue
        page = feed(name)
        if page is None:
            result.not_audited[name] = "neither the vulnerability service nor the project page answered"
            continue
        newest = str(page.get("info", {}).get("version", ""))
        entries = _live(page.get("vulnerabilities") or [], ignore)
        if newest == version:
            result.by_feed.append(name)
            result.advisories += [Advisory(name, version, (e["id"], *e.get("aliases", [])),
                                           tuple(e.get("fixed_in", [])), "project feed") for e in entries]
            continue
        reaching = [e["id"] for e in entries if _may_reach(version, e.get("fixed_in", []))]
        why = f"pinned {version}, newest {newest}: the project page describes only the newest release"
        if reaching:
            why += f"; advisories of the newest release that may also apply: {', '.join(reaching)}"
        result.not_audited[name] = why
    return result


def describe(result: AuditResult, total: int) -> str:
    lines = [f"audited {result.audited} of {total} pins "
             f"({len(result.by_service)} by pip-audit's service, {len(result.by_feed)} by the project page)"]
    for advisory in result.advisories:
        fix = ", ".join(advisory.fixed_in) or "no fixed release"
        lines.append(f"VULNERABLE {advisory.package}=={advisory.version}: {', '.join(advisory.ids)} "
                     f"(fixed in: {fix}; from {advisory.source})")
    for name, why in sorted(result.not_audited.items()):
        lines.append(f"not audited: {name}: {why}")
    if not result.advisories:
        lines.append("no known vulnerability in the audited pins")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lock", type=Path, default=DEFAULT_LOCK)
    parser.add_argument("--ignore-vuln", action="append", default=[], metavar="ID",
                        help="an advisory judged not to apply (say why in the commit that adds it)")
    parser.add_argument("--osv-url", help="ask this OSV API (…/v1/query) instead of PyPI's service")
    parser.add_argument("--feed-url", default=DEFAULT_FEED, help="project pages: FEED/<name>/json")
    options = parser.parse_args(argv)
    try:
        pins = read_pins(options.lock)
    except (OSError, ValueError) as error:
        print(f"audit: {error}", file=sys.stderr)
        return 2
    report = run_pip_audit(options.lock, options.ignore_vuln, options.osv_url)
    result = audit(pins, report, fetch_project(options.feed_url), options.ignore_vuln)
    print(describe(result, len(pins)))
    if result.advisories:
        return 1
    if result.audited == 0:
        print("audit: no pin could be audited; the vulnerability sources are unreachable", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
