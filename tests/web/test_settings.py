"""Settings from the environment (govlens/web/settings.py), read in a fresh interpreter each time."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

PROBE = (
    "import json, govlens.web.settings as s; print(json.dumps({'key': s.SECRET_KEY, 'hosts': s.ALLOWED_HOSTS, "
    "'engine': s.DATABASES['default']['ENGINE'], 'name': str(s.DATABASES['default']['NAME']), "
    "'media': str(s.MEDIA_ROOT), 'debug': s.DEBUG}))"
)


def _settings(home: Path, **env: str) -> dict[str, object]:
    clean = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "DATABASE_URL", "ALLOWED_HOSTS")}
    done = subprocess.run(
        [sys.executable, "-c", PROBE],
        env={**clean, "GOVLENS_HOME": str(home), **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    result: dict[str, object] = json.loads(done.stdout)
    return result


def test_defaults_keep_everything_under_govlens_home(tmp_path: Path) -> None:
    first = _settings(tmp_path)
    assert first["engine"] == "django.db.backends.sqlite3"
    assert first["name"] == str(tmp_path / "govlens.sqlite3")
    assert first["media"] == str(tmp_path / "uploads")
    assert first["debug"] is False
    key_file = tmp_path / "secret_key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    # The generated key is kept: every worker and every restart signs with the same key.
    assert _settings(tmp_path)["key"] == first["key"] == key_file.read_text(encoding="utf-8")
    assert len(str(first["key"])) >= 50


def test_environment_overrides(tmp_path: Path) -> None:
    found = _settings(
        tmp_path,
        SECRET_KEY="from-the-environment",
        DATABASE_URL="postgres://u:p@db:5432/govlens",
        ALLOWED_HOSTS="review.example.org, 10.0.0.5",
    )
    assert found["key"] == "from-the-environment"
    assert (found["engine"], found["name"]) == ("django.db.backends.postgresql", "govlens")
    assert found["hosts"] == ["review.example.org", "10.0.0.5"]
    assert not (tmp_path / "secret_key").exists()


def test_https_deployment_flags(tmp_path: Path) -> None:
    probe = (
        "import json, govlens.web.settings as s; print(json.dumps([s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, "
        "s.SECURE_SSL_REDIRECT, s.SECURE_REDIRECT_EXEMPT, s.SECURE_HSTS_SECONDS, list(s.SECURE_PROXY_SSL_HEADER)]))"
    )
    env = {**os.environ, "GOVLENS_HOME": str(tmp_path), "GOVLENS_SECURE_COOKIES": "1"}
    done = subprocess.run(
        [sys.executable, "-c", probe], env=env, capture_output=True, text=True, timeout=60, check=True
    )
    assert json.loads(done.stdout) == [True, True, True, ["^health$"], 31536000, ["HTTP_X_FORWARDED_PROTO", "https"]]
