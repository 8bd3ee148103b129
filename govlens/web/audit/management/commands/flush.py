"""Django's ``flush`` (empty every table), which on PostgreSQL also empties the audit trail.

The audit trail's TRUNCATE trigger (migration 0003) refuses any TRUNCATE of the trail, and Django's flush
truncates every table at once. Emptying the whole database is an operator's decision that takes the trail with
everything else (test databases are flushed this way between tests), so the flush lifts the trigger inside its
own transaction: any other session still sees it, and it is back when the flush commits or fails.
"""

from __future__ import annotations

import importlib
from typing import Any

from django.core.management.commands import flush
from django.db import connections, transaction

TRUNCATE = importlib.import_module("govlens.web.audit.migrations.0003_no_truncate_trigger")


class Command(flush.Command):
    help = flush.Command.help + " On PostgreSQL the audit trail is emptied too (its TRUNCATE trigger is lifted)."

    def handle(self, **options: Any) -> None:
        connection = connections[options["database"]]
        if connection.vendor != "postgresql":
            super().handle(**options)
            return
        toggle = f"ALTER TABLE {TRUNCATE.TABLE} {{}} TRIGGER {TRUNCATE.TRIGGER}"
        with transaction.atomic(using=options["database"]):
            with connection.cursor() as cursor:
                cursor.execute(toggle.format("DISABLE"))
            super().handle(**options)
            with connection.cursor() as cursor:
                cursor.execute(toggle.format("ENABLE"))
