"""Reminders for milestones coming due, and the analysts' digest, through Django's e-mail framework.

A milestone not yet reached gets one reminder to the country's focal points when it comes within ``days`` of its
due date and one more when it is overdue; each is recorded (:class:`MilestoneReminder`), so running the command
every day sends each reminder once. The digest goes to analysts and administrators on every run that finds
something: every overdue milestone and every one coming due, by country. The messages are written in ``language``
(the platform's default language unless the command asks for another).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from govlens.web.followup.models import ActionPlan, MilestoneReminder
from govlens.web.followup.notifications import analysts, focal_points, send
from govlens.web.followup.selectors import core_plan

COMING_DUE = "coming_due"
OVERDUE = "overdue"


@dataclass(frozen=True)
class Due:
    cycle: str
    country: str
    action: str
    milestone: str
    due: dt.date
    kind: str  # COMING_DUE or OVERDUE

    def line(self) -> str:
        """One line of a reminder or the digest, in the active language."""
        values = {
            "cycle": self.cycle,
            "country": self.country,
            "milestone": self.milestone,
            "action": self.action,
            "due": self.due.isoformat(),
        }
        if self.kind == OVERDUE:
            return _("%(cycle)s %(country)s: %(milestone)s (%(action)s), overdue since %(due)s") % values
        return _("%(cycle)s %(country)s: %(milestone)s (%(action)s), due on %(due)s") % values


@dataclass
class ReminderRun:
    today: dt.date
    due: list[Due] = field(default_factory=list)  # everything found, reminded before or not
    reminders_sent: int = 0  # messages to focal points
    digest_sent: bool = False


def milestones_due(*, today: dt.date, days: int) -> list[tuple[ActionPlan, int, Due]]:
    """(plan, action index, what is due) for every milestone not reached that is overdue or due within ``days``,
    from the plans as they stand (a country's own dates, approved or not)."""
    found = []
    for row in ActionPlan.objects.select_related("cycle", "country").order_by("cycle__slug", "country__iso3"):
        plan = core_plan(row, approved=False)
        if plan is None:
            continue
        for index, action in enumerate(plan.actions):
            if action.status.value in ("done", "dropped"):
                continue
            for milestone in action.milestones:
                if milestone.overdue(today):
                    kind = OVERDUE
                elif milestone.due_within(today, days):
                    kind = COMING_DUE
                else:
                    continue
                due = Due(row.cycle.slug, row.country.iso3, action.title, milestone.title, milestone.due, kind)
                found.append((row, index, due))
    return found


def milestone_reminders_send(
    *, today: dt.date, days: int = 14, digest: bool = True, language: str | None = None
) -> ReminderRun:
    """Send the reminders not sent yet (one message per plan) and, with ``digest``, the analysts' digest, written
    in ``language`` (default: ``settings.LANGUAGE_CODE``)."""
    if days < 0:
        raise ValueError(f"days must be 0 or more; got {days}")
    with translation.override(language or settings.LANGUAGE_CODE):
        return _reminders_send(today=today, days=days, digest=digest)


def _reminders_send(*, today: dt.date, days: int, digest: bool) -> ReminderRun:
    run = ReminderRun(today=today)
    pending: dict[int, tuple[ActionPlan, list[tuple[int, Due]]]] = {}
    for plan, index, due in milestones_due(today=today, days=days):
        run.due.append(due)
        already = MilestoneReminder.objects.filter(
            plan=plan, action=index, milestone=due.milestone[:300], due=due.due, kind=due.kind
        ).exists()
        if not already:
            pending.setdefault(plan.pk, (plan, []))[1].append((index, due))
    for plan, items in pending.values():
        lines = [_("Milestones of your country's action plan that need attention:"), ""]
        text = "\n".join(lines + [f"- {due.line()}" for _index, due in items])
        # recorded only once the message has gone: a mail failure leaves the reminder for the next run
        with transaction.atomic():
            names = {"cycle": plan.cycle.title, "country": plan.country.local_name}
            subject = _("%(cycle)s — %(country)s: milestones") % names
            sent = send(focal_points(plan), subject, text)
            if sent:
                for index, due in items:
                    MilestoneReminder.objects.create(
                        plan=plan, action=index, milestone=due.milestone[:300], due=due.due, kind=due.kind
                    )
                run.reminders_sent += 1
    if digest and run.due:
        overdue = [d for d in run.due if d.kind == OVERDUE]
        coming = [d for d in run.due if d.kind == COMING_DUE]
        day = today.isoformat()
        lines = [_("Follow-up digest of %(day)s") % {"day": day}, ""]
        lines += [_("Overdue milestones (%(count)s):") % {"count": len(overdue)}, *(f"- {d.line()}" for d in overdue)]
        coming_words = ngettext(
            "Coming due within %(days)s day (%(count)s):", "Coming due within %(days)s days (%(count)s):", days
        )
        lines += ["", coming_words % {"days": days, "count": len(coming)}]
        lines += [f"- {d.line()}" for d in coming]
        subject = _("Follow-up digest %(day)s") % {"day": day}
        run.digest_sent = bool(send(analysts(), subject, "\n".join(lines)))
    return run
