"""The audit trail: every change recorded (who, when, old, new) and append-only at every level."""

from __future__ import annotations

import os

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction

from govlens.web.accounts.services import membership_set
from govlens.web.audit.models import AppendOnlyError, AuditEvent
from govlens.web.audit.selectors import audit_events_for_response
from govlens.web.collection.services import response_save, response_submit

from .conftest import World


def test_answer_and_status_changes_are_recorded_with_old_and_new_values(world: World) -> None:
    fp = world.users["focal_arg"]
    response_save(
        actor=fp,
        cycle_slug="lac-2026",
        iso3="ARG",
        version=0,
        answers={"org_exists": "yes"},
        comments={"org_exists": "Decree 12/2014"},
    )
    response_save(
        actor=fp, cycle_slug="lac-2026", iso3="ARG", version=1, answers={"org_exists": "no", "channels": ["web"]}
    )
    response_submit(actor=fp, cycle_slug="lac-2026", iso3="ARG")
    rows = [
        (e.actor_username, e.object_type, e.object_id, e.field, e.old, e.new)
        for e in audit_events_for_response(cycle_slug="lac-2026", iso3="ARG")
    ]
    assert rows == [
        ("focal_arg", "answer", "org_exists", "value", None, "yes"),
        ("focal_arg", "answer", "org_exists", "comment", "", "Decree 12/2014"),
        ("focal_arg", "answer", "channels", "value", None, ["web"]),
        ("focal_arg", "answer", "org_exists", "value", "yes", "no"),
        ("focal_arg", "response", "ARG", "status", "draft", "submitted"),
    ]
    per_answer = audit_events_for_response(cycle_slug="lac-2026", iso3="ARG", question="org_exists")
    assert [e.new for e in per_answer] == ["yes", "Decree 12/2014", "no"]
    assert all(e.at is not None for e in per_answer)


def test_permission_changes_are_recorded(world: World) -> None:
    user = world.users["reviewer_arg"]
    membership_set(actor=world.users["admin"], user=user, role="reviewer", countries=["ARG", "BRA"])
    event = AuditEvent.objects.filter(object_type="membership", object_id="reviewer_arg").last()
    assert event is not None
    assert (event.actor_username, event.field, event.old, event.new) == ("admin", "countries", ["ARG"], ["ARG", "BRA"])


def test_events_cannot_be_changed_or_deleted_through_the_model(world: World) -> None:
    event = AuditEvent.objects.first()
    assert event is not None
    event.new = "forged"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(new="forged")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.get(pk=event.pk).new != "forged"


def test_events_cannot_be_changed_or_deleted_in_sql(world: World) -> None:
    count = AuditEvent.objects.count()
    assert count > 0
    table = AuditEvent._meta.db_table
    for sql in (f"UPDATE {table} SET field = 'forged'", f"DELETE FROM {table}"):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql)
    assert AuditEvent.objects.count() == count
    assert not AuditEvent.objects.filter(field="forged").exists()


@pytest.mark.skipif(not os.environ.get("GOVLENS_TEST_DATABASE_URL"), reason="needs PostgreSQL (SQLite has no TRUNCATE)")
def test_events_cannot_be_truncated(world: World) -> None:
    assert connection.vendor == "postgresql"
    count = AuditEvent.objects.count()
    assert count > 0
    table = AuditEvent._meta.db_table
    for sql in (f"TRUNCATE {table}", f"TRUNCATE {table} RESTART IDENTITY CASCADE"):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql)
    assert AuditEvent.objects.count() == count


@pytest.mark.skipif(not os.environ.get("GOVLENS_TEST_DATABASE_URL"), reason="needs PostgreSQL (SQLite has no TRUNCATE)")
@pytest.mark.django_db(transaction=True)
def test_flushing_the_whole_database_empties_the_trail_and_keeps_the_trigger(world: World) -> None:
    assert AuditEvent.objects.exists()
    call_command("flush", interactive=False, verbosity=0)
    assert (AuditEvent.objects.count(), User.objects.count()) == (0, 0)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {AuditEvent._meta.db_table}")
