"""Where releases live: JSON files ``GOVLENS_HOME/releases/<id>.json``; ids are ``<cycle>-r<n>`` and ``latest``
names the newest. Saving refuses other content under an existing id; reading checks format and hash."""

from __future__ import annotations

import json
import re
from pathlib import Path

from govlens.home import subdir
from govlens.release.errors import ReleaseError, ReleaseNotFound
from govlens.release.model import Release

__all__ = [
    "CYCLE_PATTERN",
    "LATEST",
    "RELEASE_ID_PATTERN",
    "list_releases",
    "load_release",
    "next_release_id",
    "read_release",
    "release_path",
    "releases_dir",
    "resolve_release",
    "save_release",
    "write_release",
]

LATEST = "latest"
CYCLE_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
RELEASE_ID_PATTERN = re.compile(r"(?P<cycle>[A-Za-z0-9][A-Za-z0-9._-]*)-r(?P<number>[1-9][0-9]*)")


def releases_dir() -> Path:
    """``GOVLENS_HOME/releases`` (created on demand)."""
    return subdir("releases")


def release_path(release_id: str, directory: Path | None = None) -> Path:
    return (directory or releases_dir()) / f"{release_id}.json"


def write_release(release: Release, path: Path) -> Path:
    """Write a release as one JSON file (indented, keys sorted, UTF-8)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(release.to_dict(), sort_keys=True, indent=1, ensure_ascii=False, allow_nan=False)
    path.write_text(text + "\n", encoding="utf-8")
    return path


def read_release(path: Path) -> Release:
    """Read and check a release file (format, structure and content hash)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise ReleaseNotFound(f"cannot read the release file {path}: {error.strerror or error}") from error
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ReleaseError.single("release_not_json", str(path), reason=str(error)) from error
    if not isinstance(data, dict):
        raise ReleaseError.single("release_malformed", str(path), reason="a release file holds one JSON object")
    return Release.from_dict(data, path=str(path))


def save_release(release: Release, directory: Path | None = None) -> Path:
    """Save under the releases folder as ``<id>.json``. Releases are immutable: saving another content under an
    existing id is refused (saving the same content again is a no-op)."""
    path = release_path(release.id, directory)
    if path.exists():
        existing = read_release(path)
        if existing.hash != release.hash:
            raise ReleaseError.single(
                "release_exists", str(path), id=release.id, next=next_release_id(release.cycle, directory)
            )
        return path
    return write_release(release, path)


def _parse_id(release_id: str) -> tuple[str, int] | None:
    match = RELEASE_ID_PATTERN.fullmatch(release_id)
    return (match["cycle"], int(match["number"])) if match else None


def list_releases(directory: Path | None = None) -> list[tuple[str, str]]:
    """(id, created) of every release file, oldest first (by creation time, then cycle and number)."""
    folder = directory or releases_dir()
    found: list[tuple[str, str, str, int]] = []
    for path in sorted(folder.glob("*.json")):
        parsed = _parse_id(path.stem)
        if parsed is None:
            continue
        try:
            created = str(json.loads(path.read_text(encoding="utf-8")).get("created", ""))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError, AttributeError):
            continue
        found.append((created, parsed[0], path.stem, parsed[1]))
    found.sort(key=lambda item: (item[0], item[1], item[3]))
    return [(release_id, created) for created, _, release_id, _ in found]


def next_release_id(cycle: str, directory: Path | None = None) -> str:
    """``<cycle>-r<n>`` with n one more than the highest release of the cycle in the folder."""
    folder = directory or releases_dir()
    numbers = [
        parsed[1]
        for path in folder.glob(f"{cycle}-r*.json")
        if (parsed := _parse_id(path.stem)) is not None and parsed[0] == cycle
    ]
    return f"{cycle}-r{max(numbers, default=0) + 1}"


def resolve_release(reference: str, directory: Path | None = None) -> Path:
    """The file of a release given as an id, ``latest`` or a path to a ``.json`` file."""
    candidate = Path(reference).expanduser()
    if reference.endswith(".json") and candidate.is_file():
        return candidate
    folder = directory or releases_dir()
    if reference == LATEST:
        listed = list_releases(folder)
        if not listed:
            raise ReleaseNotFound(f"there is no release yet in {folder}; make one first")
        return release_path(listed[-1][0], folder)
    path = release_path(reference, folder)
    if not path.is_file():
        known = [release_id for release_id, _ in list_releases(folder)]
        raise ReleaseNotFound(
            f"no release {reference!r} in {folder}; releases: {', '.join(known) or 'none'} (or 'latest')"
        )
    return path


def load_release(reference: str, directory: Path | None = None) -> Release:
    """A saved release by id (``lac-2026-r1``), ``latest`` or path."""
    return read_release(resolve_release(reference, directory))
