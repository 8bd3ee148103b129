"""Writes and reads of a release after its job: publication (draft -> validation -> published) and the validation
round with the countries.

A release made by the platform is a draft: analysts see it, the public does not. An analyst may open it for
validation with a deadline: each focal point then sees their country's draft profile and the regional statements
in which their country is counted, and accepts or comments on each. The analyst resolves every comment (the
answer fixed and the release recomputed, the text edited, or a reply) and publishes; publishing with comments
still open needs an explicit confirmation. Every step is audited.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext

from govlens.release import (
    PublicationState,
    Release,
    ReleaseError,
    ReleaseNotFound,
    publication_get,
    publication_set,
    read_release,
    release_path,
)
from govlens.web.accounts.models import Role
from govlens.web.accounts.selectors import Actor, AnyUser, assigned_countries, is_manager, person, user_role
from govlens.web.audit.services import audit_record
from govlens.web.cycles.models import Cycle
from govlens.web.errors import Invalid, InvalidTransition, NotAllowed, NotFound, problem_row
from govlens.web.jobs.models import (
    ValidationDecision,
    ValidationResolution,
    ValidationReview,
    ValidationRound,
)
from govlens.web.jobs.services import release_directory

PROFILE = "profile"


@dataclass(frozen=True)
class ValidationItem:
    """One thing a focal point checks: ``key`` is ``profile`` or ``statement:<rule id>``."""

    key: str
    kind: str  # profile | finding | recommendation
    text: str


# -- reads ----------------------------------------------------------------------------------------------------------
def release_read(release_id: str) -> Release:
    try:
        return read_release(release_path(release_id, release_directory()))
    except ReleaseNotFound as error:
        raise NotFound(f"no release {release_id!r}") from error
    except (ReleaseError, OSError) as error:
        raise Invalid(f"release {release_id} cannot be read: {error}", problems=[]) from error


def release_state(release_id: str) -> PublicationState:
    try:
        return publication_get(release_id, release_directory()).state
    except ReleaseNotFound as error:
        raise NotFound(f"no release {release_id!r}") from error


def can_see_release(user: AnyUser | None, release_id: str) -> bool:
    """Published releases are public; drafts and releases in validation only for analysts and administrators."""
    try:
        state = release_state(release_id)
    except NotFound:
        return False
    return state is PublicationState.PUBLISHED or is_manager(user)


def validation_round(release_id: str) -> ValidationRound | None:
    return ValidationRound.objects.select_related("cycle").filter(release_id=release_id).first()


def _focal_country(user: AnyUser | None) -> str | None:
    """The country of a focal point (None for other roles)."""
    if user_role(user) is not Role.FOCAL_POINT:
        return None
    countries = assigned_countries(user)
    return next(iter(countries)) if len(countries) == 1 else None


def validation_items(release: Release, country: str, language: str = "en") -> list[ValidationItem]:
    """What the country's focal point checks: its draft profile and each regional statement counting it."""
    from govlens.analysis.narrative import regional_statements
    from govlens.reports.render import report_data

    if country not in release.results.units:
        raise NotFound(f"{country} is not in release {release.id}")
    data = report_data(release, language)
    root = data.root
    score = release.results.score(country, root)
    rank = release.results.rank(country, root)
    with translation.override(language):
        profile = gettext("%(country)s: index score %(score)s, rank %(rank)s of %(count)s") % {
            "country": data.name(country),
            "score": data.fmt(score),
            "rank": rank if rank is not None else "–",
            "count": len(release.results.units),
        }
    items = [ValidationItem(PROFILE, PROFILE, profile)]
    if data.rules is not None:
        for statement in regional_statements(data.stats, data.rules):
            if country in statement.countries and statement.provenance.rule:
                key = f"statement:{statement.provenance.rule}:{statement.kind}"[:120]
                items.append(ValidationItem(key, statement.kind, statement.in_language(language)))
    return items


def validation_view(*, user: AnyUser | None, release_id: str, country: str, language: str = "en") -> dict[str, object]:
    """A focal point's validation page (their own country only; analysts may look at any country)."""
    round_ = validation_round(release_id)
    if round_ is None or round_.closed_at is not None:
        raise NotFound(f"release {release_id} is not open for validation")
    country = country.upper()
    if not is_manager(user) and _focal_country(user) != country:
        raise NotAllowed("a focal point sees the validation of their own country only")
    release = release_read(release_id)
    items = validation_items(release, country, language)
    reviews = {review.item: review for review in round_.reviews.filter(country=country)}
    return {"round": round_, "release": release, "country": country, "items": items, "reviews": reviews}


def open_comments(round_: ValidationRound) -> list[ValidationReview]:
    return [review for review in round_.reviews.select_related("author").order_by("country", "item") if review.open]


# -- writes ---------------------------------------------------------------------------------------------------------
def _manager(actor: Actor, what: str) -> None:
    if actor is not None and not is_manager(person(actor)):
        raise NotAllowed(f"only analysts and administrators may {what}")


def _username(actor: Actor) -> str:
    user = person(actor)
    return user.get_username() if user is not None else "system"


def _move(release_id: str, state: PublicationState, actor: Actor, note: str) -> None:
    try:
        publication_set(release_id, state, by=_username(actor), note=note, directory=release_directory())
    except ReleaseError as error:
        raise InvalidTransition(str(error)) from error
    except ReleaseNotFound as error:
        raise NotFound(f"no release {release_id!r}") from error


def validation_open(*, actor: Actor, release_id: str, deadline: dt.date) -> ValidationRound:
    """Open a draft release for validation by the countries, until ``deadline`` (a date after today)."""
    _manager(actor, "open a validation round")
    if deadline <= timezone.localdate():
        raise Invalid(
            "the deadline of a validation round must be after today",
            problems=[problem_row("deadline_past", field="deadline", deadline=deadline.isoformat())],
        )
    release = release_read(release_id)
    if release_state(release_id) is not PublicationState.DRAFT:
        raise InvalidTransition(f"release {release_id} is {release_state(release_id).value}, not a draft")
    cycle = Cycle.objects.filter(slug=release.cycle).first()
    if cycle is None:
        raise NotFound(f"no cycle called '{release.cycle}'")
    with transaction.atomic():
        round_ = ValidationRound.objects.create(
            release_id=release_id, cycle=cycle, opened_by=person(actor), deadline=deadline
        )
        _move(release_id, PublicationState.VALIDATION, actor, f"validation until {deadline.isoformat()}")
        audit_record(
            actor=actor,
            object_type="release",
            object_id=release_id,
            field="publication",
            old=PublicationState.DRAFT.value,
            new=PublicationState.VALIDATION.value,
            cycle_slug=cycle.slug,
            note=f"opened for validation by the countries until {deadline.isoformat()}",
        )
    return round_


def validation_review(
    *, actor: Actor, release_id: str, country: str, item: str, decision: str, comment: str = ""
) -> ValidationReview:
    """A focal point accepts or comments on one item of their country's draft (until the deadline)."""
    user = person(actor)
    country = country.upper()
    if _focal_country(user) != country:
        raise NotAllowed("only the focal point of a country may validate its draft")
    round_ = validation_round(release_id)
    if round_ is None or round_.closed_at is not None:
        raise NotFound(f"release {release_id} is not open for validation")
    if timezone.localdate() > round_.deadline:
        raise InvalidTransition(f"the validation of {release_id} closed on {round_.deadline.isoformat()}")
    problems = []
    if decision not in {d.value for d in ValidationDecision}:
        problems.append(problem_row("bad_decision", field="decision"))
    comment = comment.strip()
    if decision == ValidationDecision.COMMENTED.value and not comment:
        problems.append(problem_row("comment_required", field="comment"))
    items = {entry.key: entry for entry in validation_items(release_read(release_id), country)}
    if item not in items:
        problems.append(problem_row("unknown_item", field="item", item=item, country=country))
    if problems:
        raise Invalid("the validation answer is invalid", problems=problems)
    with transaction.atomic():
        previous = ValidationReview.objects.filter(round=round_, country=country, item=item).first()
        review, _ = ValidationReview.objects.update_or_create(
            round=round_,
            country=country,
            item=item,
            defaults={
                "item_text": items[item].text,
                "decision": decision,
                "comment": comment,
                "author": user,
                "resolution": "",
                "reply": "",
                "resolved_by": None,
                "resolved_at": None,
            },
        )
        audit_record(
            actor=actor,
            object_type="validation_review",
            object_id=str(review.pk),
            field=item,
            old=previous.decision if previous else None,
            new=decision,
            cycle_slug=round_.cycle.slug,
            country=country,
            note=comment[:500],
        )
    return review


def validation_resolve(*, actor: Actor, review_id: int, resolution: str, reply: str = "") -> ValidationReview:
    """An analyst closes a comment: ``recomputed`` (the answer was fixed; a new release follows), ``text_edited``
    or ``replied`` (with ``reply``)."""
    _manager(actor, "resolve validation comments")
    review = ValidationReview.objects.select_related("round__cycle").filter(pk=review_id).first()
    if review is None:
        raise NotFound(f"no validation comment {review_id}")
    if resolution not in {r.value for r in ValidationResolution}:
        raise Invalid(
            "unknown resolution",
            problems=[problem_row("bad_resolution", field="resolution", allowed=", ".join(ValidationResolution))],
        )
    if resolution == ValidationResolution.REPLIED.value and not reply.strip():
        raise Invalid("a reply needs its text", problems=[problem_row("reply_required", field="reply")])
    with transaction.atomic():
        review.resolution = resolution
        review.reply = reply.strip()
        review.resolved_by = person(actor)
        review.resolved_at = timezone.now()
        review.save(update_fields=["resolution", "reply", "resolved_by", "resolved_at"])
        audit_record(
            actor=actor,
            object_type="validation_review",
            object_id=str(review.pk),
            field="resolution",
            old=None,
            new=resolution,
            cycle_slug=review.round.cycle.slug,
            country=review.country,
            note=review.reply[:500],
        )
    return review


def release_publish(*, actor: Actor, release_id: str, confirm_open_comments: bool = False) -> PublicationState:
    """Publish a draft (or a release in validation): it becomes public, and the dashboard's default when it is
    the newest complete one. Refused while validation comments are open, unless confirmed, and while an analyst's
    edit of the report is stale (each named with its figure); the report files are written with the edits."""
    _manager(actor, "publish a release")
    release = release_read(release_id)
    old = release_state(release_id)
    if old is PublicationState.PUBLISHED:
        raise InvalidTransition(f"release {release_id} is already published")
    round_ = validation_round(release_id)
    still_open = open_comments(round_) if round_ is not None else []
    if still_open and not confirm_open_comments:
        raise Invalid(
            f"{len(still_open)} validation comments are still open: resolve them, or confirm that you publish anyway",
            problems=[
                problem_row(
                    "validation_comments_open",
                    field="confirm_open_comments",
                    country=review.country,
                    item=review.item,
                    comment=review.comment[:200],
                )
                | {"country": review.country}
                for review in still_open
            ],
        )
    from govlens.reports.edits import stale_passages
    from govlens.web.jobs.report_edits import cycle_edits, edits_stale, report_files_write

    edits = cycle_edits(release.cycle)
    stale = edits_stale(release, edits)
    if stale:
        raise Invalid(
            f"{stale_passages(stale)} edited passage(s) of the report no longer match the data of release "
            f"{release_id}: correct each edit or revert it to the generated text, then publish",
            problems=[
                problem_row("edit_stale", field="edits", reason=str(problem))
                | {"target": problem.edit.target, "language": problem.edit.language, "figure": problem.figure}
                for problem in stale
            ],
        )
    if edits is not None:  # the files as they are published: with the edits as they are now
        report_files_write(release)
    with transaction.atomic():
        if round_ is not None and round_.closed_at is None:
            round_.closed_at = timezone.now()
            round_.save(update_fields=["closed_at"])
        note = "published" + (" (partial release)" if release.partial else "")
        if still_open:
            note += f" with {len(still_open)} validation comments open (confirmed)"
        _move(release_id, PublicationState.PUBLISHED, actor, note)
        audit_record(
            actor=actor,
            object_type="release",
            object_id=release_id,
            field="publication",
            old=old.value,
            new=PublicationState.PUBLISHED.value,
            cycle_slug=release.cycle,
            note=note,
        )
    return PublicationState.PUBLISHED
