"""The dependency audit: lock parsing, the project-page fallback, and pip-audit run against a local OSV server."""

from __future__ import annotations

import http.server
import importlib.util
import json
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any, ClassVar

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _load() -> ModuleType:
    spec = importlib.util.spec_from_file_location("audit_dependencies", ROOT / "scripts" / "audit_dependencies.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


audit_dependencies = _load()

LOCK = """#
# generated
#
alpha==1.2.0 \\
    --hash=sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa
    # via govlens
Beta_Pkg==0.9 \\
    --hash=sha256:bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb
"""


def _page(newest: str, *vulns: dict[str, Any]) -> dict[str, Any]:
    return {"info": {"version": newest}, "vulnerabilities": list(vulns)}


def test_read_pins_by_canonical_name(tmp_path: Path) -> None:
    lock = tmp_path / "lock.txt"
    lock.write_text(LOCK, encoding="utf-8")
    assert audit_dependencies.read_pins(lock) == {"alpha": "1.2.0", "beta-pkg": "0.9"}


def test_read_pins_names_the_bad_line(tmp_path: Path) -> None:
    lock = tmp_path / "lock.txt"
    lock.write_text("alpha==1.0\nbeta>=2\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"lock.txt:2: expected 'name==version'"):
        audit_dependencies.read_pins(lock)


def test_project_page_answers_for_the_newest_release_only() -> None:
    pages = {
        "alpha": _page("1.2.0", {"id": "PYSEC-1", "aliases": ["CVE-9"], "fixed_in": []},
                       {"id": "PYSEC-2", "aliases": [], "fixed_in": ["1.3"], "withdrawn": "2026-01-01"}),
        "beta-pkg": _page("1.4", {"id": "GHSA-old", "aliases": [], "fixed_in": ["0.9"]},
                          {"id": "GHSA-open", "aliases": [], "fixed_in": []}),
    }
    result = audit_dependencies.audit({"alpha": "1.2.0", "beta-pkg": "0.9"}, None, pages.get)
    assert [(a.package, a.ids) for a in result.advisories] == [("alpha", ("PYSEC-1", "CVE-9"))]
    assert result.by_feed == ["alpha"]
    # beta-pkg 0.9 is behind 1.4: not audited; GHSA-old was fixed in 0.9 so cannot reach back, GHSA-open may.
    assert "GHSA-open" in result.not_audited["beta-pkg"]
    assert "GHSA-old" not in result.not_audited["beta-pkg"]


def test_ignored_advisory_by_alias() -> None:
    pages = {"alpha": _page("1.2.0", {"id": "PYSEC-1", "aliases": ["CVE-9"], "fixed_in": []})}
    result = audit_dependencies.audit({"alpha": "1.2.0"}, None, pages.get, ignored=["CVE-9"])
    assert result.advisories == []
    assert result.by_feed == ["alpha"]


def test_service_answers_are_not_asked_again() -> None:
    asked: list[str] = []

    def feed(name: str) -> dict[str, Any] | None:
        asked.append(name)
        return None

    report = {"dependencies": [
        {"name": "Alpha", "version": "1.2.0", "vulns": [{"id": "GHSA-x", "aliases": [], "fix_versions": ["1.2.1"]}]},
        {"name": "beta_pkg", "version": "0.9", "skip_reason": "Dependency not found on PyPI"},
    ]}
    result = audit_dependencies.audit({"alpha": "1.2.0", "beta-pkg": "0.9"}, report, feed)
    assert asked == ["beta-pkg"]
    assert result.by_service == ["alpha"]
    assert [a.ids for a in result.advisories] == [("GHSA-x",)]
    assert "beta-pkg" in result.not_audited


class _Fake(http.server.BaseHTTPRequestHandler):
    """An OSV query API and a project-page feed on loopback, both answering from class attributes."""

    osv: ClassVar[dict[str, dict[str, Any]]] = {}
    pages: ClassVar[dict[str, dict[str, Any]]] = {}

    def do_POST(self) -> None:
        if self.path != "/v1/query":
            self.send_error(404)
            return
        query = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        self._reply(self.osv.get(query["package"]["name"], {}))

    def do_GET(self) -> None:
        name = self.path.strip("/").split("/")[-2]
        if name in self.pages:
            self._reply(self.pages[name])
        else:
            self.send_error(404)

    def _reply(self, body: dict[str, Any]) -> None:
        data = json.dumps(body).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def fake_server() -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Fake)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()
    _Fake.osv, _Fake.pages = {}, {}


@pytest.fixture
def lock(tmp_path: Path) -> Path:
    path = tmp_path / "lock.txt"
    path.write_text(LOCK, encoding="utf-8")
    return path


VULN = {"id": "GHSA-test-0001", "aliases": ["CVE-2026-0001"], "summary": "a planted advisory",
        "affected": [{"package": {"name": "alpha", "ecosystem": "PyPI"},
                      "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "1.2.1"}]}]}]}


def test_real_pip_audit_reports_a_vulnerable_pin(
    fake_server: str, lock: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _Fake.osv = {"alpha": {"vulns": [VULN]}}
    code = audit_dependencies.main(["--lock", str(lock), "--osv-url", f"{fake_server}/v1/query",
                                    "--feed-url", f"{fake_server}/pypi"])
    out = capsys.readouterr().out
    assert code == 1
    line = next(text for text in out.splitlines() if text.startswith("VULNERABLE "))
    assert line.startswith("VULNERABLE alpha==1.2.0: ")  # pip-audit orders the ids its own way
    assert {"GHSA-test-0001", "CVE-2026-0001"} <= set(line.split(": ")[1].split(" (")[0].split(", "))
    assert line.endswith("(fixed in: 1.2.1; from pip-audit)")
    assert "audited 2 of 2 pins (2 by pip-audit's service" in out


def test_real_pip_audit_clean_and_ignored(fake_server: str, lock: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _Fake.osv = {"alpha": {"vulns": [VULN]}}
    code = audit_dependencies.main(["--lock", str(lock), "--osv-url", f"{fake_server}/v1/query",
                                    "--feed-url", f"{fake_server}/pypi", "--ignore-vuln", "GHSA-test-0001"])
    assert code == 0
    assert "no known vulnerability" in capsys.readouterr().out


def test_nothing_audited_is_a_failure(fake_server: str, lock: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # The OSV address refuses to answer (404 on POST to an unknown path) and the feed has no pages.
    code = audit_dependencies.main(["--lock", str(lock), "--osv-url", f"{fake_server}/nowhere",
                                    "--feed-url", f"{fake_server}/pypi"])
    captured = capsys.readouterr()
    assert code == 2
    assert "no pin could be audited" in captured.err
    assert "not audited: alpha" in captured.out


def test_feed_fallback_when_the_service_fails(fake_server: str, lock: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _Fake.pages = {"alpha": _page("1.2.0", {"id": "PYSEC-7", "aliases": [], "fixed_in": ["1.3"]}),
                   "beta-pkg": _page("0.9")}
    code = audit_dependencies.main(["--lock", str(lock), "--osv-url", f"{fake_server}/nowhere",
                                    "--feed-url", f"{fake_server}/pypi"])
    out = capsys.readouterr().out
    assert code == 1
    assert "VULNERABLE alpha==1.2.0: PYSEC-7 (fixed in: 1.3; from project feed)" in out
    assert "audited 2 of 2 pins (0 by pip-audit's service, 2 by the project page)" in out
