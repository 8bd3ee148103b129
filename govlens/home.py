"""Where GovLens keeps its state: one folder, ``GOVLENS_HOME``, for database, uploads, caches and outputs."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

ENV_VAR = "GOVLENS_HOME"


def expand_user_path(text: str | os.PathLike[str], what: str = "the path") -> Path:
    """``text`` as a path, a leading ``~`` or ``~user`` replaced by that home folder.

    Raises ValueError naming ``what`` when the home folder is unknown (``~nosuchuser``, or ``~`` with no
    HOME), where pathlib raises RuntimeError.
    """
    path = Path(text)
    try:
        return path.expanduser()
    except RuntimeError:
        first = path.parts[0] if path.parts else str(text)
        owner = f"user '{first[1:]}'" if len(first) > 1 else "the current user"
        raise ValueError(
            f"{what} {str(text)!r} starts with '{first}', but the home folder of {owner} is unknown; "
            "write the folder out in full"
        ) from None


def default_home() -> Path:
    """The per-user data folder used when ``GOVLENS_HOME`` is not set (XDG layout).

    Raises ValueError when neither XDG_DATA_HOME nor the user's home folder is known (a service account with no
    HOME and no password entry), where pathlib raises RuntimeError.
    """
    base = os.environ.get("XDG_DATA_HOME")
    if not base:
        try:
            base = str(Path.home() / ".local" / "share")
        except RuntimeError:
            raise ValueError(
                f"no state folder: the current user has no home folder; set {ENV_VAR} (or XDG_DATA_HOME)"
            ) from None
    return Path(base) / "govlens"


def home_dir(create: bool = True) -> Path:
    """The active state folder; created on first use so callers can write into it.

    Raises ValueError when ``GOVLENS_HOME`` starts with the ``~`` of an unknown user.
    """
    raw = os.environ.get(ENV_VAR)
    path = expand_user_path(raw, ENV_VAR) if raw else default_home()
    if create and not path.exists():
        # owner-only: the database, uploads and keys inside are nobody else's to read (an existing folder is
        # left as its owner set it)
        path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path


def kept_secret(path: Path) -> str:
    """The secret kept in the file ``path`` (a key of this installation), generated on first use.

    Written owner-readable only; every worker on this machine reads the same one. When two processes start at
    once, the one that loses the race to create the file reads the winner's secret."""
    if path.exists():
        return path.read_text(encoding="utf-8").strip()
    secret = secrets.token_urlsafe(50)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text(encoding="utf-8").strip()
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(secret)
    return secret


def subdir(name: str) -> Path:
    """A named folder under the state folder (``cache``, ``uploads``, ``outputs`` ...), created on demand."""
    path = home_dir() / name
    path.mkdir(parents=True, exist_ok=True)
    return path
