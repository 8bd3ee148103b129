"""The settings of the index engine, defined once: every choice of the pipeline (:class:`Settings`) and of the
uncertainty analysis (:class:`UncertaintySettings`), with their defaults, allowed values, validation, the
command-line flag and help of each option, and a plain-dict form for releases.

This module imports nothing but the standard library, so the CLI can build its options (and ``--help``) and
validate them before numpy and pandas are loaded. The path of one setting: ``--normalise rank`` ->
``Settings(normalise="rank")`` (built by ``govlens.cli.index_cmd`` from these fields) -> ``compute(data, tree,
settings)`` -> ``Normaliser(method=settings.normalise)``; a release stores ``settings.to_dict()``.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from govlens.framework.tree_rules import WEIGHT_METHODS, weight_set_name_ok
from govlens.index.errors import check_choice, check_number

IMPUTE_METHODS: tuple[str, ...] = ("none", "mean", "median", "group-mean", "group-median", "carry-forward")
TREAT_METHODS: tuple[str, ...] = ("none", "winsorise")
NORMALISE_METHODS: tuple[str, ...] = ("minmax", "zscore", "rank", "goalposts", "distance-to-best")
# methods whose result lies in a fixed range (z-scores are unbounded)
BOUNDED_METHODS: frozenset[str] = frozenset({"minmax", "rank", "goalposts", "distance-to-best"})
AGGREGATE_METHODS: tuple[str, ...] = ("arithmetic", "geometric", "harmonic", "power", "copeland", "borda")
MEAN_METHODS: tuple[str, ...] = ("arithmetic", "geometric", "harmonic", "power")
# aggregations that only rank units pairwise (scores on [0, 1] whatever the normalisation)
OUTRANKING_METHODS: frozenset[str] = frozenset({"copeland", "borda"})
# means aggregated on a positive range (the power mean of a negative order needs it, and one range for every
# order keeps p = 1, 0, -1 equal to the arithmetic, geometric and harmonic means)
POSITIVE_METHODS: frozenset[str] = frozenset({"geometric", "harmonic", "power"})
# WEIGHT_METHODS: framework, equal, pca; a tree's (or framework's) named weight sets are chosen alike
# (--weights expert-2026); the names are the tree rules' (standard library only)
GROUP_METHODS: tuple[str, ...] = ("none", "quartiles", "cutoffs")
COVERAGE_ACTIONS: tuple[str, ...] = ("exclude", "flag")
# when units are screened: on the data as given (with the data checks) or on the imputed data
SCREEN_STAGES: tuple[str, ...] = ("data", "imputed")
# normalisation of one indicator may also be "none": its values are taken as scores already
INDICATOR_NORMALISE_METHODS: tuple[str, ...] = (*NORMALISE_METHODS, "none")
# the keys of a per-indicator specification (the first: the value given alone, e.g. "I_5=none") and their types
SPEC_KEYS: dict[str, dict[str, type]] = {
    "denominate": {"by": str, "scale": float},
    "treat_per_indicator": {"method": str, "winmax": int, "skew_thresh": float, "kurt_thresh": float},
    "normalise_per_indicator": {"method": str, "low": float, "high": float},
}
Spec = dict[str, Any]  # one indicator's specification, e.g. {"method": "winsorise", "winmax": 2}
SCALES: tuple[float, ...] = (1.0, 100.0)


def _option(default: Any, flag: str, help: str) -> Any:
    """A settings field that is also a command-line option (``flag``, ``help``)."""
    return field(default=default, metadata={"flag": flag, "help": help})


def _tuple_option(default: tuple[Any, ...], flag: str, help: str) -> Any:
    """A settings field holding one value per level (a comma-separated list on the command line)."""
    return field(default=default, metadata={"flag": flag, "help": help, "list": True})


def _spec_option(flag: str, help: str) -> Any:
    """A settings field holding a specification per indicator (``indicator -> {key: value}``, None: none); on the
    command line ``"I_5=none; I_7=winmax:2,skew_thresh:1"`` (see :func:`parse_specs`)."""
    return field(default=None, metadata={"flag": flag, "help": help, "per_indicator": True})


def parse_specs(name: str, text: str) -> dict[str, Spec] | None:
    """Per-indicator specifications from their text form: entries ``INDICATOR=ITEMS`` separated by ``;``, items
    separated by ``,``, each ``key:value`` or a bare value for the first key (``I_5=none``: method none);
    empty text: None. Numbers are read by the type of their key; a bad entry raises ValueError naming it."""
    keys = SPEC_KEYS[name]
    flag = "--" + name.replace("_", "-")
    first = next(iter(keys))
    specs: dict[str, Spec] = {}
    for entry in (part.strip() for part in text.split(";")):
        if not entry:
            continue
        indicator, equals, items = (part.strip() for part in entry.partition("="))
        if not indicator or not equals or not items:
            raise ValueError(f"{flag} takes INDICATOR=VALUE entries separated by ';'; got {entry!r}")
        spec: Spec = {}
        for item in (part.strip() for part in items.split(",") if part.strip()):
            key, colon, value = (part.strip() for part in item.partition(":"))
            if not colon:
                key, value = first, item
            if key not in keys:
                raise ValueError(f"{flag} keys must be among {{{', '.join(keys)}}}; got {key!r} for {indicator!r}")
            try:
                spec[key] = keys[key](value)
            except ValueError:
                raise ValueError(f"{flag}: {key} of {indicator!r} must be a number; got {value!r}") from None
        specs[indicator] = spec
    return specs or None


def _plain_specs(name: str, given: Any) -> Any:
    """``given`` with each indicator's value as a plain dict (a bare value: the first key; whole numbers given for
    a float key: floats), so that equal specifications compare equal; anything else is left for ``validate``."""
    if not isinstance(given, Mapping):
        return given
    if not given:
        return None
    keys = SPEC_KEYS[name]
    first = next(iter(keys))
    plain: dict[str, Any] = {}
    for indicator, spec in given.items():
        if isinstance(spec, str):
            spec = {first: spec}
        if isinstance(spec, Mapping):
            spec = {
                key: float(value)
                if keys.get(key) is float and isinstance(value, int) and not isinstance(value, bool)
                else value
                for key, value in spec.items()
            }
        plain[str(indicator)] = spec
    return plain


def _check_specs(name: str, specs: Any, first_allowed: tuple[str, ...] | None) -> None:
    """ValueError naming the setting and the indicator when a per-indicator specification is not allowed."""
    if specs is None:
        return
    if not isinstance(specs, Mapping):
        raise ValueError(f"{name} must map indicators to specifications; got {specs!r}")
    keys = SPEC_KEYS[name]
    first = next(iter(keys))
    for indicator, spec in specs.items():
        if not isinstance(spec, Mapping) or not spec:
            allowed = ", ".join(keys)
            raise ValueError(f"{name} of {indicator!r} must be a value or a mapping of {{{allowed}}}; got {spec!r}")
        for key, value in spec.items():
            if key not in keys:
                raise ValueError(f"{name} keys must be among {{{', '.join(keys)}}}; got {key!r} for {indicator!r}")
            label = f"{name} {key} of {indicator!r}"
            if keys[key] is str:
                if first_allowed is not None and key == first:
                    check_choice(label, value, first_allowed)
                elif not isinstance(value, str) or not value:
                    raise ValueError(f"{label} must be a column name; got {value!r}")
            elif keys[key] is int:
                _integer(label, value, 0)
            else:
                check_number(label, value)
        if first_allowed is None and first not in spec:
            raise ValueError(f"{name} of {indicator!r} must name its {first}; got {dict(spec)!r}")


def parse_option(item: dataclasses.Field[Any], text: Any) -> Any:
    """The value of a settings field from its command-line form (lists are comma separated)."""
    if item.metadata.get("per_indicator"):
        return parse_specs(item.name, text) if isinstance(text, str) else text
    if not item.metadata.get("list") or not isinstance(text, str):
        return text
    parts = tuple(part.strip() for part in text.split(",") if part.strip())
    if "float" not in str(item.type):
        return parts
    try:
        return tuple(float(part) for part in parts)
    except ValueError:
        raise ValueError(f"{item.metadata['flag']} must list numbers separated by commas; got {text!r}") from None


def _integer(name: str, value: object, low: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < low:
        raise ValueError(f"{name} must be an integer >= {low}; got {value!r}")
    return value


@dataclass(frozen=True)
class Settings:
    """Every choice of the index pipeline, with its default."""

    impute: str = _option("none", "--impute", "|".join(IMPUTE_METHODS))
    treat: str = _option("none", "--treat", "none|winsorise (skew/kurtosis rule, log fallback)")
    winmax: int = _option(5, "--winmax", "Most points Winsorised per indicator.")
    skew_thresh: float = _option(2.0, "--skew-thresh", "An indicator is treated when |skewness| exceeds this ...")
    kurt_thresh: float = _option(3.5, "--kurt-thresh", "... and its (excess) kurtosis exceeds this.")
    normalise: str = _option("minmax", "--normalise", "|".join(NORMALISE_METHODS))
    aggregate: str = _option("arithmetic", "--aggregate", "|".join(AGGREGATE_METHODS))
    power: float = _option(1.0, "--power", "Order p of the power mean: 1 arithmetic, 0 geometric, -1 harmonic.")
    weights: str = _option(
        "framework", "--weights", "|".join(WEIGHT_METHODS) + ", or the name of one of the tree's weight sets"
    )
    scale: float = _option(1.0, "--scale", "Scores on 0..1 (1) or 0..100 (100).")
    coverage_threshold: float = _option(
        0.0, "--coverage-threshold", "A node is left missing when fewer of its children are present."
    )
    unit_coverage: float = _option(0.0, "--unit-coverage", "Exclude units with a smaller share of indicators present.")
    unit_coverage_action: str = _option(
        "exclude", "--unit-coverage-action", "exclude|flag: what happens to a unit below --unit-coverage."
    )
    groups: str = _option("none", "--groups", "none|quartiles|cutoffs (A>=0.75, B>=0.5, C>=0.25, D)")
    # one value per level of aggregates, from the aggregates of indicators up to the index (empty: the
    # single setting above at every level)
    level_aggregate: tuple[str, ...] = _tuple_option(
        (), "--level-aggregate", "Aggregation per level, bottom up, e.g. arithmetic,geometric."
    )
    level_power: tuple[float, ...] = _tuple_option((), "--level-power", "Power mean order per level, bottom up.")
    level_coverage: tuple[float, ...] = _tuple_option(
        (), "--level-coverage", "Coverage threshold per level, bottom up, e.g. 0.5,0."
    )
    # indicator -> {"by": denominator column, "scale": factor}: x / (denominator / scale), before the checks
    denominate: Mapping[str, Spec] | None = _spec_option(
        "--denominate",
        'Divide indicators by a data column over a scale factor, e.g. "gdp_total=gdp,scale:1e9; '
        "crimes=population,scale:100000\" (adds to the tree's denominator column).",
    )
    unit_nonzero: float = _option(
        0.0, "--unit-nonzero", "Exclude units with a smaller share of non-zero values among those present."
    )
    screen_include: tuple[str, ...] = _tuple_option(
        (), "--screen-include", "Units kept whatever their coverage and zeros, e.g. ARG,BRA."
    )
    screen_exclude: tuple[str, ...] = _tuple_option((), "--screen-exclude", "Units always left out, e.g. VEN.")
    screen_stage: str = _option(
        "data", "--screen-stage", "data|imputed: screen units on the data as given, or after imputation."
    )
    treat_per_indicator: Mapping[str, Spec] | None = _spec_option(
        "--treat-per-indicator",
        'Treatment of single indicators, e.g. "I_5=none; I_7=winmax:2,skew_thresh:1,kurt_thresh:3".',
    )
    normalise_per_indicator: Mapping[str, Spec] | None = _spec_option(
        "--normalise-per-indicator",
        'Normalisation of single indicators (none: taken as scores), e.g. "x=zscore; y=goalposts,low:0,high:10".',
    )
    # leaf -> (low, high) for the goalposts normalisation (None: the tree's, else 0..1); not a CLI option
    goalposts: Mapping[str, tuple[float, float]] | None = None

    def __post_init__(self) -> None:
        # one form for equal specifications (a bare "none" is {"method": "none"}), so that a settings round trip
        # gives equal settings
        for name in SPEC_KEYS:
            object.__setattr__(self, name, _plain_specs(name, getattr(self, name)))
        for name in ("screen_include", "screen_exclude"):
            if isinstance(getattr(self, name), list):
                object.__setattr__(self, name, tuple(getattr(self, name)))

    def validate(self) -> Settings:
        """Raise ValueError naming the first setting that is not allowed; return ``self``."""
        check_choice("impute", self.impute, IMPUTE_METHODS)
        check_choice("treat", self.treat, TREAT_METHODS)
        _integer("winmax", self.winmax, 0)
        check_number("skew_thresh", self.skew_thresh, low=0.0)
        check_number("kurt_thresh", self.kurt_thresh)
        check_choice("normalise", self.normalise, NORMALISE_METHODS)
        check_choice("aggregate", self.aggregate, AGGREGATE_METHODS)
        check_number("power", self.power)
        for value in self.level_aggregate:
            check_choice("level_aggregate", value, AGGREGATE_METHODS)
        for number in self.level_power:
            check_number("level_power", number)
        for number in self.level_coverage:
            check_number("level_coverage", number, low=0.0, high=1.0)
        used = set(self.level_aggregate or (self.aggregate,))
        if used & OUTRANKING_METHODS and used - OUTRANKING_METHODS:
            raise ValueError(
                "level_aggregate cannot mix copeland/borda (scores on 0..1, not means) with means; "
                f"got {', '.join(self.level_aggregate)}"
            )
        check_weights_name("weights", self.weights)
        check_choice("groups", self.groups, GROUP_METHODS)
        check_choice("unit_coverage_action", self.unit_coverage_action, COVERAGE_ACTIONS)
        check_number("coverage_threshold", self.coverage_threshold, low=0.0, high=1.0)
        check_number("unit_coverage", self.unit_coverage, low=0.0, high=1.0)
        if isinstance(self.scale, bool) or not isinstance(self.scale, int | float) or float(self.scale) not in SCALES:
            raise ValueError(f"scale must be one of {{1, 100}}; got {self.scale!r}")
        if self.groups == "cutoffs" and self.normalise not in BOUNDED_METHODS:
            raise ValueError(f"groups 'cutoffs' need scores on 0..1 (bounded normalisation); got {self.normalise!r}")
        _check_specs("denominate", self.denominate, None)
        for indicator, spec in (self.denominate or {}).items():
            check_number(f"denominate scale of {indicator!r}", spec.get("scale", 1.0), low=1e-300)
        _check_specs("treat_per_indicator", self.treat_per_indicator, TREAT_METHODS)
        for indicator, spec in (self.treat_per_indicator or {}).items():
            if "skew_thresh" in spec:
                check_number(f"treat_per_indicator skew_thresh of {indicator!r}", spec["skew_thresh"], low=0.0)
        _check_specs("normalise_per_indicator", self.normalise_per_indicator, INDICATOR_NORMALISE_METHODS)
        for indicator, spec in (self.normalise_per_indicator or {}).items():
            if ("low" in spec) != ("high" in spec) or ("low" in spec and not spec["low"] < spec["high"]):
                raise ValueError(
                    f"normalise_per_indicator goalposts of {indicator!r} must be low and high with low < high; "
                    f"got {dict(spec)!r}"
                )
        check_number("unit_nonzero", self.unit_nonzero, low=0.0, high=1.0)
        check_choice("screen_stage", self.screen_stage, SCREEN_STAGES)
        for name in ("screen_include", "screen_exclude"):
            for unit in getattr(self, name):
                if not isinstance(unit, str) or not unit:
                    raise ValueError(f"{name} must list unit ids; got {unit!r}")
        both = sorted(set(self.screen_include) & set(self.screen_exclude))
        if both:
            raise ValueError(f"a unit cannot be both in screen_include and screen_exclude; got {both[0]!r}")
        if self.goalposts is not None:
            for leaf, pair in self.goalposts.items():
                if len(pair) != 2 or not float(pair[0]) < float(pair[1]):
                    raise ValueError(f"goalposts must be (low, high) with low < high; got {pair!r} for {leaf!r}")
        return self

    def levels(self, count: int) -> tuple[tuple[str, ...], tuple[float, ...], tuple[float, ...]]:
        """(aggregation method, coverage threshold, power) of each of ``count`` levels, bottom up; ValueError
        when a per-level setting does not give one value per level."""
        rules: list[tuple[Any, ...]] = []
        for name, given, single in (
            ("level_aggregate", self.level_aggregate, self.aggregate),
            ("level_coverage", self.level_coverage, float(self.coverage_threshold)),
            ("level_power", self.level_power, float(self.power)),
        ):
            if given and len(given) != count:
                raise ValueError(
                    f"{name} must give one value per level of aggregates, bottom up ({count} in this tree); "
                    f"got {len(given)}: {', '.join(str(v) for v in given)}"
                )
            rules.append(tuple(given) if given else (single,) * count)
        return rules[0], tuple(float(v) for v in rules[1]), tuple(float(v) for v in rules[2])

    def methods_used(self) -> frozenset[str]:
        """Every aggregation method of the run (at some level)."""
        return frozenset(self.level_aggregate or (self.aggregate,))

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON values (floats as floats, lists as lists, goalposts as sorted [low, high] lists), for releases."""
        data: dict[str, Any] = {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}
        for name in ("scale", "coverage_threshold", "unit_coverage", "skew_thresh", "kurt_thresh", "power"):
            data[name] = float(data[name])
        data["unit_nonzero"] = float(data["unit_nonzero"])
        for name in ("level_aggregate", "level_power", "level_coverage", "screen_include", "screen_exclude"):
            data[name] = list(data[name])
        for name in SPEC_KEYS:
            if data[name] is not None:
                data[name] = {key: dict(sorted(spec.items())) for key, spec in sorted(data[name].items())}
        for name in LATER_SETTINGS:
            if getattr(self, name) == getattr(DEFAULTS, name):
                # settings added after releases were first made are stored only when used, so that the
                # content hash of a release made before them does not change
                del data[name]
        if self.goalposts is not None:
            data["goalposts"] = {key: [float(low), float(high)] for key, (low, high) in sorted(self.goalposts.items())}
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Settings:
        """The settings of :meth:`to_dict` (unknown keys refused; missing keys take their defaults)."""
        known = {f.name for f in dataclasses.fields(cls)}
        unknown = sorted(set(data) - known)
        if unknown:
            raise ValueError(f"settings must be among {{{', '.join(sorted(known))}}}; got {unknown[0]!r}")
        values = dict(data)
        for name in ("level_aggregate", "level_power", "level_coverage", "screen_include", "screen_exclude"):
            if name in values:
                values[name] = tuple(values[name])
        if values.get("goalposts") is not None:
            values["goalposts"] = {key: (float(pair[0]), float(pair[1])) for key, pair in values["goalposts"].items()}
        return cls(**values).validate()


def check_weights_name(name: str, value: object) -> None:
    """A weight method or the name a weight set could have (whether the tree has that set is checked with the
    tree: ``Tree.weights_of``)."""
    if value not in WEIGHT_METHODS and not weight_set_name_ok(value):
        raise ValueError(
            f"{name} must be one of {{{', '.join(WEIGHT_METHODS)}}} or a weight set's name (letters, digits, "
            f"'-', '_', '.'); got {value!r}"
        )


DEFAULTS = Settings()
LATER_SETTINGS: tuple[str, ...] = (
    "power",
    "level_aggregate",
    "level_power",
    "level_coverage",
    "denominate",
    "unit_nonzero",
    "screen_include",
    "screen_exclude",
    "screen_stage",
    "treat_per_indicator",
    "normalise_per_indicator",
)


def cli_options() -> tuple[dataclasses.Field[Any], ...]:
    """The fields of :class:`Settings` that are command-line options (they carry a flag and a help text)."""
    return tuple(f for f in dataclasses.fields(Settings) if "flag" in f.metadata)


def _unique(*names: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(names))


@dataclass(frozen=True)
class UncertaintySettings:
    """The Monte Carlo uncertainty analysis: how many replications, the seed, and the alternatives a
    replication draws from (an empty tuple keeps the nominal setting)."""

    replications: int = 1000
    seed: int = 0
    impute: tuple[str, ...] = ()
    treat: tuple[str, ...] = ()  # e.g. ("none", "winsorise"): treatment on or off
    winmax: tuple[int, ...] = ()  # e.g. (3, 5, 10): the most points Winsorised per indicator
    skew_thresh: tuple[float, ...] = ()  # e.g. (1.5, 2.0): |skewness| above which an indicator is treated
    kurt_thresh: tuple[float, ...] = ()  # e.g. (3.5, 5.0): ... and kurtosis above which
    normalise: tuple[str, ...] = ()
    aggregate: tuple[str, ...] = ()
    coverage_threshold: tuple[float, ...] = ()  # e.g. (0.0, 0.5): aggregates need half their children or not
    weight_range: float = 0.0  # every weight multiplied by U(1 - r, 1 + r)
    # e.g. ("framework", "equal", "expert-2026"): the weights (a method or a weight set of the tree) before the
    # factor of weight_range
    weight_sets: tuple[str, ...] = ()
    drop_indicator: bool = False  # none or one indicator left out, uniformly
    # base samples of a Sobol sensitivity analysis of the same inputs (0: none; N (d + 2) more runs)
    sobol_base: int = 0

    @classmethod
    def defaults_for(cls, settings: Settings, replications: int = 1000, seed: int = 0) -> UncertaintySettings:
        """The default uncertain inputs (one set for the CLI, the demo and the web): the nominal normalisation
        against min-max and percentile ranks, the nominal mean against the arithmetic and geometric means,
        and every weight times U(0.75, 1.25)."""
        aggregate = settings.aggregate if settings.aggregate in MEAN_METHODS else "arithmetic"
        return cls(
            replications=replications,
            seed=seed,
            normalise=_unique(settings.normalise, "minmax", "rank"),
            aggregate=_unique(aggregate, "arithmetic", "geometric"),
            weight_range=0.25,
        )

    def varies(self) -> bool:
        """True when at least one input is uncertain."""
        return (
            len(self.impute) > 1
            or len(self.treat) > 1
            or len(self.winmax) > 1
            or len(self.skew_thresh) > 1
            or len(self.kurt_thresh) > 1
            or len(self.weight_sets) > 1
            or len(self.normalise) > 1
            or len(self.aggregate) > 1
            or len(self.coverage_threshold) > 1
            or self.weight_range > 0
            or self.drop_indicator
        )

    def validate(self) -> UncertaintySettings:
        _integer("replications", self.replications, 1)
        _integer("seed", self.seed, 0)
        for value in self.impute:
            check_choice("uncertain impute", value, IMPUTE_METHODS)
        for value in self.treat:
            check_choice("uncertain treat", value, TREAT_METHODS)
        for number in self.winmax:
            _integer("uncertain winmax", number, 0)
        for threshold in self.skew_thresh:
            check_number("uncertain skew_thresh", threshold, low=0.0)
        for threshold in self.kurt_thresh:
            check_number("uncertain kurt_thresh", threshold)
        for value in self.weight_sets:
            check_weights_name("uncertain weight_sets", value)
        for value in self.normalise:
            check_choice("uncertain normalise", value, NORMALISE_METHODS)
        for value in self.aggregate:
            check_choice("uncertain aggregate", value, MEAN_METHODS)
        for threshold in self.coverage_threshold:
            check_number("uncertain coverage_threshold", threshold, low=0.0, high=1.0)
        check_number("weight_range", self.weight_range, low=0.0, high=0.99)
        base = self.sobol_base
        if isinstance(base, bool) or not isinstance(base, int) or (base != 0 and base < 2):
            raise ValueError(f"sobol_base must be 0 (no sensitivity analysis) or an integer >= 2; got {base!r}")
        return self

    def to_dict(self) -> dict[str, Any]:
        return {
            "replications": self.replications,
            "seed": self.seed,
            "impute": list(self.impute),
            "treat": list(self.treat),
            "normalise": list(self.normalise),
            "aggregate": list(self.aggregate),
            "coverage_threshold": [float(c) for c in self.coverage_threshold],
            "weight_range": self.weight_range,
            "drop_indicator": self.drop_indicator,
            # only written when asked for, so that the settings of releases made before keep their hash
            **({"sobol_base": self.sobol_base} if self.sobol_base else {}),
            **({"winmax": list(self.winmax)} if self.winmax else {}),
            **({"skew_thresh": [float(t) for t in self.skew_thresh]} if self.skew_thresh else {}),
            **({"kurt_thresh": [float(t) for t in self.kurt_thresh]} if self.kurt_thresh else {}),
            **({"weight_sets": list(self.weight_sets)} if self.weight_sets else {}),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> UncertaintySettings:
        return cls(
            replications=int(data["replications"]),
            seed=int(data["seed"]),
            impute=tuple(data.get("impute", ())),
            treat=tuple(data.get("treat", ())),
            winmax=tuple(data.get("winmax", ())),
            skew_thresh=tuple(float(t) for t in data.get("skew_thresh", ())),
            kurt_thresh=tuple(float(t) for t in data.get("kurt_thresh", ())),
            weight_sets=tuple(data.get("weight_sets", ())),
            normalise=tuple(data.get("normalise", ())),
            aggregate=tuple(data.get("aggregate", ())),
            coverage_threshold=tuple(float(c) for c in data.get("coverage_threshold", ())),
            weight_range=float(data.get("weight_range", 0.0)),
            drop_indicator=bool(data.get("drop_indicator", False)),
            sobol_base=int(data.get("sobol_base", 0)),
        ).validate()
