# ruff: noqa: RUF012  (generated migration: Django copies these class lists per instance)
"""Database triggers that refuse UPDATE and DELETE on the audit trail, whatever code path tries them."""

from __future__ import annotations

from typing import Any

from django.db import migrations

TABLE = "audit_auditevent"

SQLITE = [
    f"CREATE TRIGGER {TABLE}_no_update BEFORE UPDATE ON {TABLE} "
    "BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END",
    f"CREATE TRIGGER {TABLE}_no_delete BEFORE DELETE ON {TABLE} "
    "BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END",
]
SQLITE_DROP = [f"DROP TRIGGER IF EXISTS {TABLE}_no_update", f"DROP TRIGGER IF EXISTS {TABLE}_no_delete"]

POSTGRES = [
    "CREATE OR REPLACE FUNCTION govlens_audit_append_only() RETURNS trigger AS $$ "
    "BEGIN RAISE EXCEPTION 'audit events are append-only'; END; $$ LANGUAGE plpgsql",
    f"CREATE TRIGGER {TABLE}_append_only BEFORE UPDATE OR DELETE ON {TABLE} "
    "FOR EACH ROW EXECUTE FUNCTION govlens_audit_append_only()",
]
POSTGRES_DROP = [
    f"DROP TRIGGER IF EXISTS {TABLE}_append_only ON {TABLE}",
    "DROP FUNCTION IF EXISTS govlens_audit_append_only()",
]


def _run(statements: dict[str, list[str]]) -> Any:
    def run(apps: Any, schema_editor: Any) -> None:
        for sql in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE, "postgresql": POSTGRES}),
            _run({"sqlite": SQLITE_DROP, "postgresql": POSTGRES_DROP}),
        ),
    ]
