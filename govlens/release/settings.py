"""The settings a release is computed with: the index engine's and the uncertainty analysis' (seed included),
and how they are written into the release file. Both types are the engine's own (``govlens.index.settings``):
a release records them, it does not redefine them.

Where they come from, each layer overriding the one before: GovLens's default for questionnaire answers
(:func:`release_settings_for`), the framework's ``index:`` and ``uncertainty:`` sections, the cycle's override
(stored with the cycle), and the options of one run (``--replications``, ``--seed``). :func:`resolve_settings`
checks every value against the engine's options and names the file (or cycle), the key and why when one is
not allowed."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from govlens.framework.errors import Location, problem
from govlens.framework.model import Framework
from govlens.framework.report import Problem
from govlens.framework.tree_rules import WEIGHT_METHODS
from govlens.framework.yaml_io import LoadResult
from govlens.index.settings import Settings as IndexSettings
from govlens.index.settings import UncertaintySettings, cli_options, parse_option

__all__ = [
    "SECTIONS",
    "IndexSettings",
    "ReleaseSettings",
    "SettingsInvalid",
    "SettingsSource",
    "UncertaintySettings",
    "check_override",
    "index_settings_from",
    "release_settings_for",
    "resolve_settings",
    "settings_problems",
]

# the sections of release settings in a framework file and in a cycle's override
SECTIONS: tuple[str, ...] = ("index", "uncertainty")


class SettingsInvalid(ValueError):
    """A release setting that is not allowed; the message names where it was given, the key and why.
    ``key`` is (section, setting) when one setting is at fault, (section,) when the section is."""

    def __init__(self, message: str, key: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.key = key


@dataclass(frozen=True)
class ReleaseSettings:
    """The engine settings of a release; ``uncertainty`` None means no uncertainty analysis."""

    index: IndexSettings = field(default_factory=IndexSettings)
    uncertainty: UncertaintySettings | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "index": self.index.to_dict(),
            "uncertainty": self.uncertainty.to_dict() if self.uncertainty is not None else None,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ReleaseSettings:
        raw = data.get("uncertainty")
        return cls(
            index=IndexSettings.from_dict(data.get("index", {})),
            uncertainty=UncertaintySettings.from_dict(raw) if raw is not None else None,
        )


def release_settings_for(replications: int = 1000, seed: int = 0) -> ReleaseSettings:
    """The one default of a release of questionnaire answers, for the web's publish, ``govlens release create``
    and ``govlens demo`` alike: goalposts on the answer scale (question scores are already on 0..1, so a country's
    score does not depend on which other countries are in the release: min-max over one or two countries leaves
    nothing), and the engine's default uncertainty design for those settings with ``replications`` and ``seed``.
    The release records both."""
    index = IndexSettings(normalise="goalposts")
    return ReleaseSettings(index=index, uncertainty=UncertaintySettings.defaults_for(index, replications, seed))


@dataclass(frozen=True)
class SettingsSource:
    """Where the settings of a release came from: which keys the framework, the cycle and the run set (every
    other key keeps GovLens's default). A release records it beside the settings; the method page shows it."""

    framework: str = ""  # e.g. "lac-dgr 2026.1"
    from_framework: tuple[str, ...] = ()  # "index.normalise", "uncertainty.replications", ...
    from_cycle: tuple[str, ...] = ()
    from_run: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "framework": self.framework,
            "from_framework": list(self.from_framework),
            "from_cycle": list(self.from_cycle),
            "from_run": list(self.from_run),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> SettingsSource:
        return cls(
            framework=str(data.get("framework", "")),
            from_framework=tuple(data.get("from_framework", ())),
            from_cycle=tuple(data.get("from_cycle", ())),
            from_run=tuple(data.get("from_run", ())),
        )


# the keys each section accepts: the engine's options (the goalposts of a tree are the tree's, not a setting)
_INDEX_FIELDS = {item.name: item for item in cli_options()}
_UNCERTAINTY_FIELDS = {item.name: item for item in dataclasses.fields(UncertaintySettings)}
_TRUE, _FALSE = ("yes", "true", "1"), ("no", "false", "0")


def _number(name: str, part: Any) -> Any:
    """A number of a list (written as a number or as text); other values are left for the check to name."""
    if isinstance(part, bool) or not isinstance(part, int | str):
        return part
    try:
        return float(part)
    except ValueError:
        raise ValueError(f"{name} must list numbers; got {part!r}") from None


def _value(item: dataclasses.Field[Any], raw: Any) -> Any:
    """A setting from its written form: a list as a list or one text separated by commas; yes/no for a flag."""
    kind = str(item.type)
    if item.metadata.get("per_indicator") and isinstance(raw, str):
        return parse_option(item, raw)  # "I_5=none; I_7=winmax:2", as on the command line
    if kind.startswith("tuple"):
        if isinstance(raw, str):
            raw = [part.strip() for part in raw.split(",") if part.strip()]
        if not isinstance(raw, list | tuple):
            raw = [raw]
        if "float" in kind:
            return tuple(_number(item.name, part) for part in raw)
        if "int" in kind:  # whole numbers written as text ("3, 5") are numbers; anything else is left to the check
            return tuple(int(part) if isinstance(part, str) and part.strip().isdigit() else part for part in raw)
        return tuple(raw)
    if isinstance(raw, list | tuple):
        raise ValueError(f"{item.name} takes one value, not a list; got {list(raw)!r}")
    if kind == "bool":
        text = str(raw).strip().lower()
        if isinstance(raw, bool):
            return raw
        if text in _TRUE or text in _FALSE:
            return text in _TRUE
        raise ValueError(f"{item.name} must be yes or no; got {raw!r}")
    if kind == "float" and isinstance(raw, int) and not isinstance(raw, bool):
        return float(raw)
    return raw


def _checked(section: str, values: Mapping[str, Any], where: str) -> dict[str, Any]:
    """The typed values of one section, each checked on its own so that an error names its key."""
    fields = _INDEX_FIELDS if section == "index" else _UNCERTAINTY_FIELDS
    empty = IndexSettings() if section == "index" else UncertaintySettings()
    typed: dict[str, Any] = {}
    for key, raw in values.items():
        if key not in fields:
            raise SettingsInvalid(
                f"{where}: {section}.{key}: not a setting of the {section} section; allowed: {', '.join(fields)}",
                (section, key),
            )
        try:
            typed[key] = _value(fields[key], raw)
            dataclasses.replace(empty, **{key: typed[key]}).validate()
        except (TypeError, ValueError) as error:
            raise SettingsInvalid(f"{where}: {section}.{key}: {error}", (section, key)) from None
    return typed


def check_override(override: object, where: str) -> dict[str, dict[str, Any]]:
    """A cycle's override (or a framework's sections) as plain data, every key checked: ``{"index": {...},
    "uncertainty": {...}}`` with only the sections given. SettingsInvalid names ``where``, the key and why."""
    if not isinstance(override, Mapping):
        raise SettingsInvalid(f"{where}: the settings must be a mapping of sections ({', '.join(SECTIONS)})")
    plain: dict[str, dict[str, Any]] = {}
    for section, values in override.items():
        if section not in SECTIONS:
            raise SettingsInvalid(
                f"{where}: {section}: not a section of release settings; allowed: {', '.join(SECTIONS)}", (section,)
            )
        if not isinstance(values, Mapping):
            raise SettingsInvalid(f"{where}: {section}: must be a mapping of setting name to value", (section,))
        _checked(section, values, where)
        if values:
            plain[section] = dict(values)
    return plain


def index_settings_from(values: object, where: str, base: IndexSettings | None = None) -> IndexSettings:
    """Index settings written as a framework's ``index:`` section (``{normalise: rank, weights: expert}``, or the
    whole ``{index: {...}}``) over ``base`` (GovLens's engine defaults when None); SettingsInvalid names ``where``,
    the key and why. Used for a settings file of ``govlens index compare``."""
    if isinstance(values, Mapping) and set(values) <= set(SECTIONS) and values:
        given = check_override(values, where).get("index", {})
    else:
        given = check_override({"index": values if values is not None else {}}, where).get("index", {})
    typed = _checked("index", given, where)
    try:
        return dataclasses.replace(base or IndexSettings(), **typed).validate()
    except ValueError as error:
        raise SettingsInvalid(f"{where}: index: {error}", ("index",)) from None


def _check_weight_set(framework: Framework, section: str, key: str, names: tuple[str, ...], where: str) -> None:
    """Weights named by a setting must be a method or a weight set of the framework."""
    sets = framework.weight_sets
    for name in names:
        if name not in WEIGHT_METHODS and name not in sets:
            allowed = ", ".join((*WEIGHT_METHODS, *sets))
            raise SettingsInvalid(
                f"{where}: {section}.{key} must be among {{{allowed}}} (a weight set of the framework); got {name!r}",
                (section, key),
            )


def resolve_settings(
    framework: Framework,
    *,
    where: str,
    cycle: Mapping[str, Any] | None = None,
    cycle_where: str = "the cycle",
    replications: int | None = None,
    seed: int | None = None,
) -> tuple[ReleaseSettings, SettingsSource]:
    """The settings of a release of ``framework``: GovLens's default, overridden by the framework's sections,
    then by the cycle's override, then by this run's ``replications`` and ``seed`` (None keeps them). ``where``
    names the framework's file in errors, ``cycle_where`` the cycle. Raises SettingsInvalid."""
    layers = (
        (where, {"index": framework.index_settings, "uncertainty": framework.uncertainty_settings}),
        (cycle_where, cycle or {}),
    )
    index: dict[str, Any] = {}
    uncertainty: dict[str, Any] = {}
    named: list[list[str]] = []
    for name, layer in layers:
        given = check_override(layer, name)
        index.update(_checked("index", given.get("index", {}), name))
        uncertainty.update(_checked("uncertainty", given.get("uncertainty", {}), name))
        named.append([f"{section}.{key}" for section in SECTIONS for key in given.get(section, {})])
    run = {"replications": replications, "seed": seed}
    uncertainty.update(_checked("uncertainty", {k: v for k, v in run.items() if v is not None}, "this run"))
    try:
        index_settings = dataclasses.replace(release_settings_for().index, **index).validate()
    except ValueError as error:
        raise SettingsInvalid(f"{where} with {cycle_where}: index: {error}", ("index",)) from None
    _check_weight_set(framework, "index", "weights", (index_settings.weights,), f"{where} with {cycle_where}")
    design = UncertaintySettings.defaults_for(index_settings)  # the default design for the settings in force
    try:
        uncertainty_settings = dataclasses.replace(design, **uncertainty).validate()
    except ValueError as error:
        raise SettingsInvalid(f"{where} with {cycle_where}: uncertainty: {error}", ("uncertainty",)) from None
    names = uncertainty_settings.weight_sets
    _check_weight_set(framework, "uncertainty", "weight_sets", names, f"{where} with {cycle_where}")
    source = SettingsSource(
        framework=f"{framework.id} {framework.version}",
        from_framework=tuple(named[0]),
        from_cycle=tuple(named[1]),
        from_run=tuple(f"uncertainty.{key}" for key, value in run.items() if value is not None),
    )
    return ReleaseSettings(index=index_settings, uncertainty=uncertainty_settings), source


def settings_problems(result: LoadResult, path: str) -> list[Problem]:
    """The framework's release settings checked as ``govlens framework validate`` reports problems: at most one,
    located at the line (or settings cell) of the key at fault."""
    if result.framework is None:
        return []
    try:
        resolve_settings(result.framework, where="the framework")
    except SettingsInvalid as error:
        location = result.source.get(error.key)
        at = Location(sheet=location.sheet, row=location.row)
        return [problem("invalid_release_setting", path, at, key=".".join(error.key), reason=str(error))]
    return []
