"""The settings a release is computed with: the index engine's and the uncertainty analysis' (seed included),
and how they are written into the release file."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

from govlens.index.pipeline import Settings as IndexSettings
from govlens.index.uncertainty import UncertainInputs

__all__ = ["ReleaseSettings", "UncertaintySettings", "index_settings_kwargs"]


@dataclass(frozen=True)
class UncertaintySettings:
    """The Monte Carlo uncertainty analysis of a release (see ``govlens.index.uncertainty``)."""

    replications: int = 1000
    seed: int = 0
    impute: tuple[str, ...] = ()
    normalise: tuple[str, ...] = ()
    aggregate: tuple[str, ...] = ()
    weight_range: float = 0.0
    drop_indicator: bool = False

    def inputs(self) -> UncertainInputs:
        return UncertainInputs(
            impute=self.impute,
            normalise=self.normalise,
            aggregate=self.aggregate,
            weight_range=self.weight_range,
            drop_indicator=self.drop_indicator,
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "replications": self.replications,
            "seed": self.seed,
            "impute": list(self.impute),
            "normalise": list(self.normalise),
            "aggregate": list(self.aggregate),
            "weight_range": self.weight_range,
            "drop_indicator": self.drop_indicator,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> UncertaintySettings:
        return cls(
            replications=int(data["replications"]),
            seed=int(data["seed"]),
            impute=tuple(data.get("impute", ())),
            normalise=tuple(data.get("normalise", ())),
            aggregate=tuple(data.get("aggregate", ())),
            weight_range=float(data.get("weight_range", 0.0)),
            drop_indicator=bool(data.get("drop_indicator", False)),
        )


def _index_settings_to_dict(settings: IndexSettings) -> dict[str, Any]:
    data = asdict(settings)
    if settings.goalposts is not None:
        data["goalposts"] = {key: [float(low), float(high)] for key, (low, high) in sorted(settings.goalposts.items())}
    data["scale"] = float(settings.scale)
    data["coverage_threshold"] = float(settings.coverage_threshold)
    data["unit_coverage"] = float(settings.unit_coverage)
    return data


def _index_settings_from_dict(data: Mapping[str, Any]) -> IndexSettings:
    known = set(IndexSettings.__dataclass_fields__)
    values = {key: value for key, value in data.items() if key in known}
    if values.get("goalposts") is not None:
        values["goalposts"] = {key: (float(pair[0]), float(pair[1])) for key, pair in values["goalposts"].items()}
    return IndexSettings(**values)


@dataclass(frozen=True)
class ReleaseSettings:
    """The engine settings of a release; ``uncertainty`` None means no uncertainty analysis."""

    index: IndexSettings = field(default_factory=IndexSettings)
    uncertainty: UncertaintySettings | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "index": _index_settings_to_dict(self.index),
            "uncertainty": self.uncertainty.to_dict() if self.uncertainty is not None else None,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ReleaseSettings:
        raw = data.get("uncertainty")
        return cls(
            index=_index_settings_from_dict(data.get("index", {})),
            uncertainty=UncertaintySettings.from_dict(raw) if raw is not None else None,
        )


def index_settings_kwargs(settings: IndexSettings) -> dict[str, object]:
    """The index settings as the keyword arguments of ``govlens.index.pipeline.compute``."""
    return {name: getattr(settings, name) for name in IndexSettings.__dataclass_fields__}
