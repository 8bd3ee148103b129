"""The framework of a cycle, loaded through the configured loader and checked against the recorded fingerprint."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache
from pathlib import Path

from django.conf import settings
from django.utils.module_loading import import_string

from govlens.framework import catalogue
from govlens.framework.model import Framework
from govlens.framework.validate import EXTENSIONS as FRAMEWORK_EXTENSIONS
from govlens.release.settings import ReleaseSettings, SettingsInvalid, SettingsSource, resolve_settings
from govlens.web.cycles.models import Cycle
from govlens.web.errors import Invalid, NotFound, ServiceError, problem_row

FrameworkLoader = Callable[[str], Framework]


class FrameworkChanged(ServiceError):
    """The framework on disk differs from the one a cycle recorded under the same id and version."""

    status = 409
    code = "framework_changed"


def catalogue_loader(framework_id: str) -> Framework:
    """Load a bundled framework (or a framework file path) through the core catalogue."""
    return catalogue.load(framework_id)


@cache
def _load(loader_ref: str | FrameworkLoader, framework_id: str) -> tuple[Framework, str]:
    """The framework and its fingerprint, computed once per process (it takes tens of milliseconds)."""
    loader: FrameworkLoader = import_string(loader_ref) if isinstance(loader_ref, str) else loader_ref
    framework = loader(framework_id)
    return framework, framework.fingerprint()


def _load_checked(framework_id: str) -> tuple[Framework, str]:
    try:
        return _load(settings.GOVLENS_FRAMEWORK_LOADER, framework_id)
    except LookupError as error:
        raise NotFound(f"no framework called '{framework_id}': {error}") from error
    except catalogue.FrameworkInvalid as error:
        raise Invalid(
            f"framework '{framework_id}' has errors; fix them before using it in a cycle",
            problems=[{"question": "", "code": p.code, "message": str(p)} for p in error.report.errors],
        ) from error


# A framework named in a web form: a bare name, never a path (no folder, no leading dot).
_FORM_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,99}")


def framework_form_source(name: str) -> str:
    """What a framework named in the admin's form refers to: a framework the loader knows by name, or a framework
    file in ``GOVLENS_FRAMEWORK_DIR`` (``GOVLENS_HOME/frameworks``). Any other path is refused, and without looking
    at it: the form must not let analysts probe or parse files of the server (the command line still reads any
    path its user can). Invalid names what is allowed."""
    folder = Path(settings.GOVLENS_FRAMEWORK_DIR)
    allowed = (
        f"give a bundled framework ({', '.join(catalogue.bundled_names())}) or the name of a framework file in {folder}"
    )
    if not _FORM_NAME.fullmatch(name):
        raise Invalid(
            f"{allowed}; paths are not accepted here",
            problems=[problem_row("framework_path", field="framework", allowed=allowed)],
        )
    if Path(name).suffix.lower() in FRAMEWORK_EXTENSIONS:
        path = folder / name
        if not path.is_file():
            raise Invalid(
                f"no framework file {name} in {folder}; {allowed}",
                problems=[problem_row("framework_path", field="framework", allowed=allowed)],
            )
        return str(path)
    if name not in catalogue.bundled_names() and Path(name).exists():
        # the catalogue would read a file of that name in the working folder
        raise Invalid(
            f"{allowed}; paths are not accepted here",
            problems=[problem_row("framework_path", field="framework", allowed=allowed)],
        )
    return name


def framework_load(framework_id: str) -> Framework:
    """The framework called ``framework_id``; NotFound when the loader does not know it."""
    return _load_checked(framework_id)[0]


def framework_cache_clear() -> None:
    _load.cache_clear()


def cycle_framework(cycle: Cycle) -> Framework:
    """The framework a cycle uses, refused if its content changed under the version the cycle recorded."""
    framework, fingerprint = _load_checked(cycle.framework_source or cycle.framework_id)
    if framework.version != cycle.framework_version or fingerprint != cycle.framework_fingerprint:
        raise FrameworkChanged(
            f"cycle '{cycle.slug}' uses framework '{cycle.framework_id}' version {cycle.framework_version} "
            f"(fingerprint {cycle.framework_fingerprint[:12]}); the framework now loaded is version "
            f"{framework.version} (fingerprint {fingerprint[:12]}). Frameworks are immutable once a "
            "cycle uses them: publish the change under a new version and open a new cycle.",
            details={"recorded_version": cycle.framework_version, "loaded_version": framework.version},
        )
    return framework


def framework_file(source: str) -> str:
    """The file a framework source names (a bundled framework's YAML file), for messages."""
    try:
        return str(catalogue.resolve(source))
    except LookupError:
        return source


def settings_problem(error: SettingsInvalid) -> Invalid:
    return Invalid(
        str(error), problems=[problem_row("invalid_release_settings", field="release_settings", reason=str(error))]
    )


def cycle_release_settings(
    cycle: Cycle,
    *,
    override: object = None,
    replications: int | None = None,
    seed: int | None = None,
) -> tuple[ReleaseSettings, SettingsSource]:
    """The settings of a release of ``cycle``: its framework's, then the cycle's override (``override`` checks
    another one instead of the stored one), then this run's replications and seed. Invalid names the file or the
    cycle, the key and why."""
    framework = cycle_framework(cycle)
    try:
        return resolve_settings(
            framework,
            where=framework_file(cycle.framework_source or cycle.framework_id),
            cycle=cycle.release_settings if override is None else override,  # type: ignore[arg-type]
            cycle_where=f"cycle {cycle.slug}",
            replications=replications,
            seed=seed,
        )
    except SettingsInvalid as error:
        raise settings_problem(error) from None
