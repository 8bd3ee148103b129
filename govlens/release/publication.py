"""Whether a release is public: draft, in validation with the countries, or published.

A release file never changes, so its publication state lives beside it, in
``GOVLENS_HOME/releases/publication/<id>.json`` (the state, when and by whom it changed, and the history). Releases
made by the review platform start as drafts and are published explicitly. A release file without a publication
record is published: the releases of earlier versions and those saved by the core directly (``govlens demo``).

The public dashboard's default is the latest published *complete* release (:func:`default_public_release`): a
partial release is shown, labelled, only when asked for by id once published.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

from govlens.release.errors import ReleaseError, ReleaseNotFound
from govlens.release.storage import list_releases, release_path, releases_dir

__all__ = [
    "Publication",
    "PublicationState",
    "default_public_release",
    "publication_get",
    "publication_set",
    "publications",
]


class PublicationState(StrEnum):
    DRAFT = "draft"
    VALIDATION = "validation"  # open for the countries to check their profile and the statements counting them
    PUBLISHED = "published"


# the states a release may move to from each state (published is final: a correction is a new release)
MOVES: dict[PublicationState, tuple[PublicationState, ...]] = {
    PublicationState.DRAFT: (PublicationState.VALIDATION, PublicationState.PUBLISHED),
    PublicationState.VALIDATION: (PublicationState.DRAFT, PublicationState.PUBLISHED),
    PublicationState.PUBLISHED: (),
}


@dataclass(frozen=True)
class Publication:
    release_id: str
    state: PublicationState
    changed: str = ""  # ISO 8601, UTC
    by: str = ""
    history: tuple[dict[str, str], ...] = field(default_factory=tuple)
    recorded: bool = True  # False for a release without a publication record (published by default)

    @property
    def published(self) -> bool:
        return self.state is PublicationState.PUBLISHED

    def to_dict(self) -> dict[str, Any]:
        return {
            "release": self.release_id,
            "state": self.state.value,
            "changed": self.changed,
            "by": self.by,
            "history": list(self.history),
        }


def _folder(directory: Path | None) -> Path:
    return (directory or releases_dir()) / "publication"


def _now() -> str:
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def publication_get(release_id: str, directory: Path | None = None) -> Publication:
    """The publication state of a release (published when it has no record; see the module's docstring)."""
    path = _folder(directory) / f"{release_id}.json"
    if not path.is_file():
        if not release_path(release_id, directory).is_file():
            raise ReleaseNotFound(f"no release {release_id!r}")
        return Publication(release_id, PublicationState.PUBLISHED, recorded=False)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return Publication(
            release_id=release_id,
            state=PublicationState(data["state"]),
            changed=str(data.get("changed", "")),
            by=str(data.get("by", "")),
            history=tuple(dict(item) for item in data.get("history", [])),
        )
    except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError) as error:
        raise ReleaseError.single("publication_unreadable", str(path), reason=str(error)) from error


def publication_set(
    release_id: str, state: PublicationState, *, by: str = "", note: str = "", directory: Path | None = None
) -> Publication:
    """Move a release to ``state`` (draft -> validation -> published; published is final). A release saved by the
    platform is recorded as a draft with ``state`` DRAFT and no record yet."""
    path = _folder(directory) / f"{release_id}.json"
    if not release_path(release_id, directory).is_file():
        raise ReleaseNotFound(f"no release {release_id!r}")
    current = publication_get(release_id, directory) if path.is_file() else None
    if current is not None and state is not current.state and state not in MOVES[current.state]:
        raise ReleaseError.single(
            "publication_move",
            release_id,
            id=release_id,
            state=current.state.value,
            allowed=", ".join(s.value for s in MOVES[current.state]) or "nothing (a correction is a new release)",
        )
    now = _now()
    history = [*(current.history if current else ()), {"state": state.value, "at": now, "by": by, "note": note}]
    made = Publication(release_id, state, changed=now, by=by, history=tuple(history))
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps(made.to_dict(), indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    os.replace(temporary, path)  # a reader sees the old record or the new one, never half of one
    return made


def publications(directory: Path | None = None) -> list[tuple[str, str, Publication]]:
    """(id, created, publication) of every release, oldest first."""
    return [
        (release_id, created, publication_get(release_id, directory))
        for release_id, created in list_releases(directory)
    ]


def _is_partial(path: Path) -> bool:
    data = json.loads(path.read_text(encoding="utf-8"))
    return bool(data.get("inputs", {}).get("partial", False))


def default_public_release(directory: Path | None = None) -> str | None:
    """The id of the newest published release that is complete (not partial), or None when there is none."""
    for release_id, _, publication in reversed(publications(directory)):
        if not publication.published:
            continue
        try:
            if not _is_partial(release_path(release_id, directory)):
                return release_id
        except (OSError, ValueError, AttributeError):
            continue  # an unreadable file is never the default; reading it by id says what is wrong
    return None
