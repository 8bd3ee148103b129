from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core import mail

from govlens.web.followup.models import MilestoneReminder
from govlens.web.followup.reminders import COMING_DUE, OVERDUE, milestone_reminders_send
from govlens.web.followup.services import plan_update

from ..conftest import World
from .fixtures import ACTION, with_register


def _plan(world: World) -> None:
    with_register(world)
    milestones = [
        {"title": "Decree signed", "due": "2026-10-01", "done_on": "2026-09-20"},  # reached: never reminded
        {"title": "Agency staffed", "due": "2026-12-10"},
        {"title": "Budget line", "due": "2026-11-15"},
        {"title": "Far away", "due": "2027-12-01"},
    ]
    plan_update(
        actor=None, cycle_slug="lac-2026", iso3="ARG", version=0, actions=[{**ACTION, "milestones": milestones}]
    )


def test_reminders_go_to_the_focal_points_once_and_the_digest_to_analysts(world: World) -> None:
    _plan(world)
    run = milestone_reminders_send(today=dt.date(2026, 12, 1), days=14)
    assert [(d.milestone, d.kind) for d in run.due] == [("Agency staffed", COMING_DUE), ("Budget line", OVERDUE)]
    assert run.reminders_sent == 1 and run.digest_sent
    reminder, digest = mail.outbox
    assert reminder.to == ["focal_arg@example.org"]
    assert "Agency staffed" in reminder.body and "due on 2026-12-10" in reminder.body
    assert "overdue since 2026-11-15" in reminder.body and "Far away" not in reminder.body
    assert digest.to == ["admin@example.org", "analyst@example.org"]
    assert "Overdue milestones (1)" in digest.body and "Coming due within 14 days (1)" in digest.body
    assert MilestoneReminder.objects.count() == 2
    # the next day: nothing new for the focal points, the digest again
    again = milestone_reminders_send(today=dt.date(2026, 12, 2), days=14)
    assert again.reminders_sent == 0 and again.digest_sent and len(mail.outbox) == 3
    # once the coming milestone is overdue, one more reminder
    later = milestone_reminders_send(today=dt.date(2026, 12, 11), days=14, digest=False)
    assert later.reminders_sent == 1 and "overdue since 2026-12-10" in mail.outbox[-1].body


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("es", ["Hitos del plan de acción de su país", "vence el 2026-12-10", "vencido desde el 2026-11-15"]),
        ("fr", ["Jalons du plan d'action de votre pays", "échéance le 2026-12-10", "en retard depuis le 2026-11-15"]),
    ],
)
def test_reminders_and_the_digest_are_written_in_the_language_asked(
    world: World, language: str, words: list[str]
) -> None:
    _plan(world)
    milestone_reminders_send(today=dt.date(2026, 12, 1), days=14, language=language)
    reminder, digest = mail.outbox
    assert all(word in reminder.body for word in words), reminder.body
    digest_words = {
        "es": ["Resumen del seguimiento al 2026-12-01", "Hitos vencidos (1):", "en 14 días o menos (1):"],
        "fr": ["Synthèse du suivi au 2026-12-01", "Jalons en retard (1)\u00a0:", "sous 14 jours (1)\u00a0:"],
    }[language]
    assert all(word in digest.body for word in digest_words), digest.body
    assert reminder.subject.endswith({"es": ": hitos", "fr": "\u00a0: jalons"}[language])
    for english in ("Milestones", "need attention", "due on", "overdue since", "digest", "Coming due"):
        assert english not in reminder.body + reminder.subject + digest.body + digest.subject


def test_a_failed_mail_is_not_recorded_as_sent(world: World, settings: Any) -> None:
    _plan(world)
    settings.EMAIL_BACKEND = "tests.web.followup.test_reminders.FailingBackend"
    with pytest.raises(OSError):
        milestone_reminders_send(today=dt.date(2026, 12, 1), days=14)
    assert not MilestoneReminder.objects.exists()


def test_negative_days_are_refused(world: World) -> None:
    with pytest.raises(ValueError, match="days must be 0 or more; got -1"):
        milestone_reminders_send(today=dt.date(2026, 12, 1), days=-1)


class FailingBackend:
    def __init__(self, **kwargs: Any) -> None:
        pass

    def send_messages(self, messages: Any) -> int:
        raise OSError("SMTP server unreachable")
