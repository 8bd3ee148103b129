"""What a release is: the frozen inputs (framework document, typed answers, frozen benchmarks), the settings,
the results (score and rank of every unit at every node, rank intervals) and the content hash.

A release is never changed: a correction is a new release, and old ones stay readable (``to_dict`` /
``from_dict`` are the file format; ``from_dict`` checks the hash).
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np
import pandas as pd
import yaml

from govlens.framework.answers import Answer
from govlens.framework.model import Framework
from govlens.framework.yaml_io import read_yaml_text
from govlens.release.errors import ReleaseError
from govlens.release.hash import content_hash
from govlens.release.serialise import (
    answer_from_json,
    answer_to_json,
    canonical,
    float_or_none,
    frame_from_dict,
    frame_to_dict,
)
from govlens.release.settings import ReleaseSettings

__all__ = [
    "INTERVAL_COLUMNS",
    "RELEASE_FORMAT",
    "SENSITIVITY_COLUMNS",
    "Release",
    "ReleaseInputs",
    "ReleaseResults",
    "units_in",
]

RELEASE_FORMAT = 1
# rank intervals kept from the uncertainty analysis, per unit and node
INTERVAL_COLUMNS: tuple[str, ...] = ("median_rank", "rank_p05", "rank_p95", "score_p05", "score_p95")
# Sobol indices kept from the sensitivity analysis, per uncertain input (govlens.index.sensitivity's columns)
SENSITIVITY_COLUMNS: tuple[str, ...] = ("first_order", "first_order_conf", "total_order", "total_order_conf")

# frameworks rebuilt from release documents, by document hash: reading one takes about half a second
_FRAMEWORKS: dict[str, Framework] = {}


@dataclass(frozen=True)
class ReleaseInputs:
    """What the release was computed from. ``framework_document`` is the framework in its file format, so a
    release stays readable (and recomputable) after the bundled framework moves on."""

    cycle: str
    framework_id: str
    framework_version: str
    framework_fingerprint: str
    framework_document: Mapping[str, Any]
    answers: Mapping[str, Mapping[str, Answer]]  # unit (ISO3) -> question -> typed answer
    synthetic: bool = False
    # the label every page and file must print when ``synthetic`` (language -> text)
    synthetic_label: Mapping[str, str] = field(default_factory=dict)
    metadata: Mapping[str, Any] = field(default_factory=dict)  # e.g. the seed of synthetic answers
    # LAC against the OECD in public datasets, frozen with the release (see :func:`benchmarks_from`)
    benchmarks: tuple[Mapping[str, Any], ...] = ()
    # a partial release: made on purpose while some countries of the cycle were not approved (country -> status);
    # every page and file says so
    partial: bool = False
    not_approved: Mapping[str, str] = field(default_factory=dict)

    @property
    def units(self) -> tuple[str, ...]:
        return tuple(self.answers)

    def to_dict(self) -> dict[str, Any]:
        return {
            "cycle": self.cycle,
            "framework": {
                "id": self.framework_id,
                "version": self.framework_version,
                "fingerprint": self.framework_fingerprint,
                "document": self.framework_document,
            },
            "answers": {
                unit: {name: answer_to_json(value) for name, value in answers.items()}
                for unit, answers in self.answers.items()
            },
            "synthetic": self.synthetic,
            "synthetic_label": dict(self.synthetic_label),
            "metadata": self.metadata,
            "benchmarks": list(self.benchmarks),
            # only written for partial releases, so complete releases keep the hash they always had
            **({"partial": True, "not_approved": dict(sorted(self.not_approved.items()))} if self.partial else {}),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ReleaseInputs:
        framework = data["framework"]
        return cls(
            cycle=str(data["cycle"]),
            framework_id=str(framework["id"]),
            framework_version=str(framework["version"]),
            framework_fingerprint=str(framework["fingerprint"]),
            framework_document=framework["document"],
            answers={
                str(unit): {str(name): answer_from_json(value) for name, value in answers.items()}
                for unit, answers in data["answers"].items()
            },
            synthetic=bool(data.get("synthetic", False)),
            synthetic_label={str(k): str(v) for k, v in data.get("synthetic_label", {}).items()},
            metadata=data.get("metadata", {}),
            benchmarks=tuple(data.get("benchmarks", [])),
            partial=bool(data.get("partial", False)),
            not_approved={str(k): str(v) for k, v in data.get("not_approved", {}).items()},
        )

    def framework(self) -> Framework:
        """The framework rebuilt from the stored document; refused if its fingerprint differs from the record."""
        key = hashlib.sha256(canonical(self.framework_document)).hexdigest() + self.framework_fingerprint
        cached = _FRAMEWORKS.get(key)
        if cached is not None:
            return cached
        framework = self._read_framework()
        if len(_FRAMEWORKS) >= 8:
            _FRAMEWORKS.clear()
        _FRAMEWORKS[key] = framework
        return framework

    def _read_framework(self) -> Framework:
        text = yaml.safe_dump(dict(self.framework_document), sort_keys=False, allow_unicode=True)
        loaded = read_yaml_text(text, path=f"release framework {self.framework_id} {self.framework_version}")
        if loaded.framework is None or not loaded.report.valid:
            raise ReleaseError(loaded.report)
        framework = loaded.framework
        if framework.fingerprint() != self.framework_fingerprint:
            raise ReleaseError.single(
                "release_framework_changed",
                actual=framework.fingerprint()[:12],
                recorded=self.framework_fingerprint[:12],
            )
        return framework


@dataclass(frozen=True)
class ReleaseResults:
    """Scores and ranks (units x nodes, leaves first then aggregates bottom-up, the root last) and, with an
    uncertainty analysis, one row per unit and node of ``INTERVAL_COLUMNS``; with a sensitivity analysis, one row
    per uncertain input (``input`` and ``SENSITIVITY_COLUMNS``)."""

    scores: pd.DataFrame
    ranks: pd.DataFrame
    intervals: pd.DataFrame | None = None
    weights: Mapping[str, float] = field(default_factory=dict)
    sensitivity: pd.DataFrame | None = None

    @property
    def units(self) -> tuple[str, ...]:
        return tuple(str(unit) for unit in self.scores.index)

    @property
    def nodes(self) -> tuple[str, ...]:
        return tuple(str(node) for node in self.scores.columns)

    @cached_property
    def _positions(self) -> tuple[dict[str, int], dict[str, int]]:
        return (
            {str(unit): i for i, unit in enumerate(self.scores.index)},
            {str(node): j for j, node in enumerate(self.scores.columns)},
        )

    @cached_property
    def _interval_rows(self) -> dict[tuple[str, str], np.ndarray]:
        if self.intervals is None:
            return {}
        values = self.intervals.to_numpy(dtype=float)
        return {(str(key[0]), str(key[1])): values[i] for i, key in enumerate(self.intervals.index)}

    def _cell(self, frame: pd.DataFrame, unit: str, node: str) -> float:
        rows, columns = self._positions
        if unit not in rows or node not in columns:
            raise KeyError(f"no result for unit {unit!r} at node {node!r}")
        return float(frame.to_numpy(dtype=float)[rows[unit], columns[node]])

    def score(self, unit: str, node: str) -> float | None:
        value = self._cell(self.scores, unit, node)
        return None if math.isnan(value) else value

    def rank(self, unit: str, node: str) -> int | None:
        value = self._cell(self.ranks, unit, node)
        return None if math.isnan(value) else int(value)

    def interval(self, unit: str, node: str) -> tuple[float, float] | None:
        """(5th, 95th) percentile rank of a unit at a node, when an uncertainty analysis was run."""
        row = self._interval_rows.get((unit, node))
        if row is None:
            return None
        low, high = float(row[INTERVAL_COLUMNS.index("rank_p05")]), float(row[INTERVAL_COLUMNS.index("rank_p95")])
        return None if math.isnan(low) or math.isnan(high) else (low, high)

    def table(self) -> pd.DataFrame:
        """unit, node, score, rank (and the interval columns): one row per unit and node, in result order."""
        units = np.repeat(np.array(self.units, dtype=object), len(self.nodes))
        nodes = np.tile(np.array(self.nodes, dtype=object), len(self.units))
        table = pd.DataFrame(
            {
                "unit": units,
                "node": nodes,
                "score": self.scores.to_numpy(dtype=float).reshape(-1),
                "rank": pd.array(self.ranks.to_numpy(dtype=float).reshape(-1), dtype="Float64").astype("Int64"),
            }
        )
        if self.intervals is not None:
            joined = self.intervals.reindex(pd.MultiIndex.from_arrays([units, nodes]))
            for column in INTERVAL_COLUMNS:
                table[column] = joined[column].to_numpy(dtype=float)
        return table

    def to_dict(self) -> dict[str, Any]:
        intervals = None
        if self.intervals is not None:
            values = self.intervals.to_numpy(dtype=float).tolist()
            intervals = {
                "columns": list(INTERVAL_COLUMNS),
                "rows": [
                    [str(key[0]), str(key[1]), *(float_or_none(v) for v in row)]
                    for key, row in zip(self.intervals.index, values, strict=True)
                ],
            }
        sensitivity = {}
        if self.sensitivity is not None:  # only written when there is one, so releases made before keep their hash
            rows = self.sensitivity.loc[:, ["input", *SENSITIVITY_COLUMNS]].to_numpy().tolist()
            sensitivity = {
                "sensitivity": {
                    "columns": list(SENSITIVITY_COLUMNS),
                    "rows": [[str(row[0]), *(float_or_none(float(v)) for v in row[1:])] for row in rows],
                }
            }
        return {
            "scores": frame_to_dict(self.scores),
            "ranks": frame_to_dict(self.ranks),
            "intervals": intervals,
            "weights": {str(k): float(v) for k, v in self.weights.items()},
            **sensitivity,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ReleaseResults:
        intervals = None
        raw = data.get("intervals")
        if raw is not None:
            columns = list(raw["columns"])
            rows = raw["rows"]
            frame = pd.DataFrame(
                [[math.nan if v is None else float(v) for v in row[2:]] for row in rows],
                columns=columns,
                dtype=float,
            )
            frame.index = pd.MultiIndex.from_tuples(
                [(str(row[0]), str(row[1])) for row in rows], names=["unit", "node"]
            )
            intervals = frame.loc[:, list(INTERVAL_COLUMNS)]
        sensitivity = None
        raw_sensitivity = data.get("sensitivity")
        if raw_sensitivity is not None:
            columns = list(raw_sensitivity["columns"])
            sensitivity = pd.DataFrame(
                [
                    [str(row[0]), *(math.nan if v is None else float(v) for v in row[1:])]
                    for row in raw_sensitivity["rows"]
                ],
                columns=["input", *columns],
            ).loc[:, ["input", *SENSITIVITY_COLUMNS]]
        return cls(
            scores=frame_from_dict(data["scores"]),
            ranks=frame_from_dict(data["ranks"]),
            intervals=intervals,
            weights={str(k): float(v) for k, v in data.get("weights", {}).items()},
            sensitivity=sensitivity,
        )


@dataclass(frozen=True)
class Release:
    id: str
    inputs: ReleaseInputs
    settings: ReleaseSettings
    results: ReleaseResults
    created: str  # ISO 8601, UTC
    hash: str

    @property
    def cycle(self) -> str:
        return self.inputs.cycle

    @property
    def synthetic(self) -> bool:
        return self.inputs.synthetic

    def synthetic_label(self, language: str = "en") -> str:
        """The synthetic-data label in ``language`` ('' for real answers)."""
        if not self.synthetic:
            return ""
        label = self.inputs.synthetic_label
        return (
            label.get(language) or label.get("en") or "SYNTHETIC DEMO DATA: these are not the answers of any country."
        )

    @property
    def partial(self) -> bool:
        """True when the release was made on purpose without some countries of the cycle (see ``not_approved``)."""
        return self.inputs.partial

    @property
    def not_approved(self) -> Mapping[str, str]:
        """The cycle's countries left out of a partial release, with their status then (ISO3 -> status)."""
        return self.inputs.not_approved

    def framework(self) -> Framework:
        return self.inputs.framework()

    def to_dict(self) -> dict[str, Any]:
        return {
            "govlens_release": RELEASE_FORMAT,
            "id": self.id,
            "created": self.created,
            "hash": self.hash,
            "inputs": self.inputs.to_dict(),
            "settings": self.settings.to_dict(),
            "results": self.results.to_dict(),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], path: str = "") -> Release:
        if data.get("govlens_release") != RELEASE_FORMAT:
            raise ReleaseError.single(
                "release_format", path, "govlens_release", expected=RELEASE_FORMAT, value=data.get("govlens_release")
            )
        try:
            release = cls(
                id=str(data["id"]),
                inputs=ReleaseInputs.from_dict(data["inputs"]),
                settings=ReleaseSettings.from_dict(data["settings"]),
                results=ReleaseResults.from_dict(data["results"]),
                created=str(data["created"]),
                hash=str(data["hash"]),
            )
        except (KeyError, TypeError, ValueError) as error:
            raise ReleaseError.single("release_malformed", path, reason=repr(error)) from error
        actual = content_hash(release.inputs, release.settings, release.results)
        if actual != release.hash:
            raise ReleaseError.single("release_hash_mismatch", path, "hash", actual=actual, recorded=release.hash)
        return release


def units_in(release: Release, members: Sequence[str]) -> tuple[str, ...]:
    """The release's units that are among ``members``, in the release's order."""
    wanted = set(members)
    return tuple(unit for unit in release.results.units if unit in wanted)
