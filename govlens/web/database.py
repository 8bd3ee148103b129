"""Database settings from ``DATABASE_URL`` (PostgreSQL) or the embedded SQLite file under ``GOVLENS_HOME``."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

POSTGRES_SCHEMES = ("postgres", "postgresql", "pgsql")


class DatabaseUrlError(ValueError):
    """A DATABASE_URL that cannot be used."""


def database_from_url(url: str) -> dict[str, Any]:
    """Django ``DATABASES['default']`` for a ``postgres://user:pass@host:port/name?opt=v`` or ``sqlite:///path`` URL."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme == "sqlite":
        path = unquote(parts.path)
        # sqlite:////abs/path -> /abs/path ; sqlite:///rel -> rel
        name = path[1:]
        return {"ENGINE": "django.db.backends.sqlite3", "NAME": name or ":memory:"}
    if scheme not in POSTGRES_SCHEMES:
        allowed = ", ".join(f"{s}://" for s in (*POSTGRES_SCHEMES, "sqlite"))
        raise DatabaseUrlError(f"DATABASE_URL must start with one of {allowed}; got '{scheme}://'")
    name = unquote(parts.path.lstrip("/"))
    if not name:
        raise DatabaseUrlError(
            f"DATABASE_URL names no database (expected postgres://USER:PASSWORD@HOST:PORT/NAME); got '{url}'"
        )
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": name,
        "USER": unquote(parts.username or ""),
        "PASSWORD": unquote(parts.password or ""),
        "HOST": parts.hostname or "",
        "PORT": str(parts.port or ""),
        "OPTIONS": dict(parse_qsl(parts.query)),
        # Reuse connections across requests of one worker; health-checked before reuse.
        "CONN_MAX_AGE": 60,
        "CONN_HEALTH_CHECKS": True,
    }


def sqlite_database(path: Path) -> dict[str, Any]:
    """The embedded database at ``path``; a new file is made owner-only (0600: the default umask would let every
    user of the machine read the answers), and SQLite gives its journal files the same mode."""
    if not path.exists():
        try:
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        except FileExistsError:  # another worker made it first
            pass
        except OSError:  # an unwritable folder: Django says so, with the path, when it connects
            pass
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(path),
        # Wait for a concurrent writer instead of failing at once.
        "OPTIONS": {"timeout": 20, "transaction_mode": "IMMEDIATE"},
    }
