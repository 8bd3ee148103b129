"""The SQLite database and the uploads were world-readable under the default umask (022): every account on the
server could read every country's answers and evidence. New state is owner-only, whatever the umask."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from govlens.web.collection.services import evidence_upload

from ..conftest import World


def _mode(path: Path) -> int:
    return path.stat().st_mode & 0o777


def test_a_new_home_and_database_are_owner_only(tmp_path: Path) -> None:
    home = tmp_path / "fresh" / "home"
    probe = "import os; os.umask(0o022); import govlens.web.settings as s; print(s.DATABASES['default']['NAME'])"
    env = {**os.environ, "GOVLENS_HOME": str(home)}
    env.pop("DATABASE_URL", None)
    done = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    database = Path(done.stdout.strip())
    assert database.parent == home
    assert (_mode(home), _mode(database)) == (0o700, 0o600)
    assert _mode(home / "secret_key") == 0o600


def test_uploaded_evidence_is_owner_only(world: World) -> None:
    old = os.umask(0o022)
    try:
        evidence = evidence_upload(
            actor=world.users["focal_arg"],
            cycle_slug="lac-2026",
            iso3="ARG",
            question="budget",
            upload=SimpleUploadedFile("decree.pdf", b"%PDF-1.4 evidence", content_type="application/pdf"),
        )
    finally:
        os.umask(old)
    stored = Path(evidence.file.path)
    assert _mode(stored) == 0o600
    root = Path(settings.MEDIA_ROOT)
    for folder in [*stored.relative_to(root).parents][:-1]:
        assert _mode(root / folder) == 0o700, folder
