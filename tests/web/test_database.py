"""DATABASE_URL parsing (govlens/web/database.py)."""

from __future__ import annotations

import pytest

from govlens.web.database import DatabaseUrlError, database_from_url


def test_postgres_url_becomes_django_settings() -> None:
    db = database_from_url("postgres://gl%40user:p%2Fss@db.example.org:6543/govlens?sslmode=require")
    assert (db["ENGINE"], db["NAME"], db["USER"], db["PASSWORD"], db["HOST"], db["PORT"]) == (
        "django.db.backends.postgresql",
        "govlens",
        "gl@user",
        "p/ss",
        "db.example.org",
        "6543",
    )
    assert db["OPTIONS"] == {"sslmode": "require"}


@pytest.mark.parametrize(
    ("url", "name"),
    [("sqlite:////tmp/x/govlens.sqlite3", "/tmp/x/govlens.sqlite3"), ("sqlite:///rel.db", "rel.db")],
)
def test_sqlite_urls(url: str, name: str) -> None:
    assert database_from_url(url) == {"ENGINE": "django.db.backends.sqlite3", "NAME": name}


@pytest.mark.parametrize(
    ("url", "fragment"),
    [("mysql://u@h/db", "must start with one of"), ("postgres://u@h:5432/", "names no database")],
)
def test_unusable_urls_say_what_is_allowed(url: str, fragment: str) -> None:
    with pytest.raises(DatabaseUrlError, match=fragment):
        database_from_url(url)


def test_tests_run_on_the_database_asked_for(db: None) -> None:
    import os

    from django.db import connection

    wanted = "postgresql" if os.environ.get("GOVLENS_TEST_DATABASE_URL") else "sqlite"
    assert connection.vendor == wanted
