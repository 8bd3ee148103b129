"""Writes for countries and cycles: create, open, close."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from pathlib import Path

import pycountry
from django.db import transaction

from govlens.release.settings import SettingsInvalid, check_override, resolve_settings
from govlens.web.accounts.selectors import Actor, is_manager
from govlens.web.audit.services import audit_record
from govlens.web.cycles.frameworks import (
    FrameworkChanged,
    cycle_release_settings,
    framework_file,
    framework_load,
    settings_problem,
)
from govlens.web.cycles.models import Country, Cycle, CycleStatus
from govlens.web.errors import Invalid, InvalidTransition, NotAllowed, problem_row
from govlens.web.text import require_storable


def _require_manager(actor: Actor, action: str) -> None:
    """People must be administrators or analysts; ``actor=None`` is the system (command line)."""
    if actor is not None and not is_manager(actor):
        raise NotAllowed(f"only administrators and analysts may {action}")


def country_ensure(*, iso3: str) -> Country:
    """The country with this ISO 3166-1 alpha-3 code, created (with its English name) on first use."""
    code = iso3.strip().upper()
    existing = Country.objects.filter(iso3=code).first()
    if existing is not None:
        return existing
    record = pycountry.countries.get(alpha_3=code) if len(code) == 3 else None
    if record is None:
        raise Invalid(
            f"country must be an ISO 3166-1 alpha-3 code such as ARG, BRA or MEX; got '{iso3}'",
            problems=[problem_row("unknown_country", field="country", iso3=iso3)],
        )
    country, _ = Country.objects.get_or_create(iso3=code, defaults={"name": record.name})
    return country


@transaction.atomic
def cycle_create(
    *,
    actor: Actor,
    slug: str,
    framework: str,
    countries: Sequence[str],
    title: str = "",
    opens_on: dt.date | None = None,
    closes_on: dt.date | None = None,
    open_now: bool = True,
) -> Cycle:
    """Create a cycle on the current version of a framework (a bundled name or a file), with one draft response
    per country. The cycle records where the framework came from, its id, version and fingerprint."""
    from govlens.web.collection.services import response_ensure

    _require_manager(actor, "create cycles")
    require_storable([("the cycle slug", slug), ("the cycle title", title)])
    if Cycle.objects.filter(slug=slug).exists():
        raise Invalid(
            f"a cycle with slug '{slug}' already exists",
            problems=[problem_row("duplicate_slug", field="slug", slug=slug)],
        )
    if opens_on and closes_on and closes_on < opens_on:
        raise Invalid(
            f"closes_on ({closes_on}) is before opens_on ({opens_on})",
            problems=[problem_row("invalid_dates", field="closes_on")],
        )
    # A file is recorded by its absolute path, so every worker finds it whatever its working folder.
    source = str(Path(framework).resolve()) if Path(framework).is_file() else framework
    loaded = framework_load(source)
    fingerprint = loaded.fingerprint()
    clash = (
        Cycle.objects.filter(framework_id=loaded.id, framework_version=loaded.version)
        .exclude(framework_fingerprint=fingerprint)
        .first()
    )
    if clash is not None:
        raise FrameworkChanged(
            f"framework '{loaded.id}' version {loaded.version} differs from the one cycle '{clash.slug}' "
            "uses under the same version; frameworks are immutable once a cycle uses them, so give the changed "
            "framework a new version",
            details={"cycle": clash.slug, "version": loaded.version},
        )
    try:  # a framework whose release settings are not allowed is refused before a cycle depends on it
        resolve_settings(loaded, where=framework_file(source))
    except SettingsInvalid as error:
        raise settings_problem(error) from None
    members = [country_ensure(iso3=code) for code in dict.fromkeys(c.strip().upper() for c in countries if c.strip())]
    if not members:
        raise Invalid(
            "a cycle needs at least one participating country",
            problems=[problem_row("no_countries", field="countries")],
        )
    cycle = Cycle.objects.create(
        slug=slug,
        title=title or f"{loaded.title.get('en', loaded.id)} ({slug})",
        framework_id=loaded.id,
        framework_source=source,
        framework_version=loaded.version,
        framework_fingerprint=fingerprint,
        opens_on=opens_on,
        closes_on=closes_on,
    )
    cycle.countries.set(members)
    audit_record(
        actor=actor,
        object_type="cycle",
        object_id=slug,
        field="created",
        old=None,
        new={"framework": loaded.id, "version": loaded.version, "countries": [c.iso3 for c in members]},
        cycle_slug=slug,
    )
    for country in members:
        response_ensure(cycle=cycle, country=country)
    if open_now:
        cycle_open(actor=actor, cycle=cycle)
    return cycle


def _cycle_status(*, actor: Actor, cycle: Cycle, allowed_from: tuple[str, ...], to: CycleStatus) -> Cycle:
    _require_manager(actor, f"change the status of cycle '{cycle.slug}'")

    def allowed(locked: Cycle) -> None:
        if locked.status not in allowed_from:
            raise InvalidTransition(
                f"cycle '{locked.slug}' cannot become {to.value}: its status must be one of "
                f"{{{', '.join(allowed_from)}}}; it is '{locked.status}'"
            )

    locked = _cycle_field_set(actor, cycle, "status", to.value, check=allowed)
    cycle.status = to
    return locked


def _cycle_field_set(
    actor: Actor, cycle: Cycle, field: str, value: object, *, check: Callable[[Cycle], None] | None = None
) -> Cycle:
    """Set one field of the cycle to ``value``, its row locked and ``check`` passed, audited; nothing is written (nor
    audited) when the field already holds ``value``."""
    with transaction.atomic():
        locked = Cycle.objects.select_for_update().get(pk=cycle.pk)
        if check is not None:
            check(locked)
        old = getattr(locked, field)
        if old == value:
            return locked
        setattr(locked, field, value)
        locked.save(update_fields=[field])
        audit_record(
            actor=actor,
            object_type="cycle",
            object_id=locked.slug,
            field=field,
            old=old,
            new=value,
            cycle_slug=locked.slug,
        )
    return locked


def cycle_open(*, actor: Actor, cycle: Cycle) -> Cycle:
    """Open a draft (or reopen a closed) cycle for answers."""
    return _cycle_status(
        actor=actor, cycle=cycle, allowed_from=(CycleStatus.DRAFT, CycleStatus.CLOSED), to=CycleStatus.OPEN
    )


def cycle_close(*, actor: Actor, cycle: Cycle) -> Cycle:
    """Close a cycle: answers can no longer be saved or submitted; reviews still proceed."""
    return _cycle_status(actor=actor, cycle=cycle, allowed_from=(CycleStatus.OPEN,), to=CycleStatus.CLOSED)


def cycle_settings_set(*, actor: Actor, cycle: Cycle, override: object) -> Cycle:
    """Store the cycle's override of its framework's release settings (``{}`` goes back to the framework's).
    Every key is checked against the engine's options together with the framework's; audited."""
    _require_manager(actor, f"change the release settings of cycle '{cycle.slug}'")
    try:
        plain = check_override(override if override is not None else {}, f"cycle {cycle.slug}")
    except SettingsInvalid as error:
        raise settings_problem(error) from None
    cycle_release_settings(cycle, override=plain)  # the keys together with the framework's
    return _cycle_field_set(actor, cycle, "release_settings", plain)
