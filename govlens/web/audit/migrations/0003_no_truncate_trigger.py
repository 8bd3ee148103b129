# ruff: noqa: RUF012  (generated migration: Django copies these class lists per instance)
"""A PostgreSQL trigger that refuses TRUNCATE of the audit trail.

Row triggers (0002) do not fire for TRUNCATE, which empties a table without touching its rows one by one.
SQLite has no TRUNCATE (its ``DELETE`` without a WHERE clause fires the row trigger), so nothing is added there.
"""

from __future__ import annotations

from typing import Any

from django.db import migrations

TABLE = "audit_auditevent"
TRIGGER = f"{TABLE}_no_truncate"

POSTGRES = [
    "CREATE OR REPLACE FUNCTION govlens_audit_no_truncate() RETURNS trigger AS $$ "
    "BEGIN RAISE EXCEPTION 'audit events are append-only: TRUNCATE is refused'; END; $$ LANGUAGE plpgsql",
    f"CREATE TRIGGER {TRIGGER} BEFORE TRUNCATE ON {TABLE} "
    "FOR EACH STATEMENT EXECUTE FUNCTION govlens_audit_no_truncate()",
]
POSTGRES_DROP = [
    f"DROP TRIGGER IF EXISTS {TRIGGER} ON {TABLE}",
    "DROP FUNCTION IF EXISTS govlens_audit_no_truncate()",
]


def _run(statements: list[str]) -> Any:
    def run(apps: Any, schema_editor: Any) -> None:
        if schema_editor.connection.vendor == "postgresql":
            for sql in statements:
                schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_append_only_triggers")]

    operations = [migrations.RunPython(_run(POSTGRES), _run(POSTGRES_DROP))]
