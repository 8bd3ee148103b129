"""Releases: the frozen inputs, settings and results of a review cycle, with a content hash.

A release holds everything needed to recompute its numbers: the framework itself (its document, id, version
and fingerprint), every country's answers, the synthetic flag, the index engine's settings (and the uncertainty
analysis' settings, seed included) and the results (score and rank of every unit at every node, rank intervals
from the uncertainty analysis). The content hash is SHA-256 over a canonical JSON of inputs + settings +
results; the creation time is left out, so two releases of the same content have the same hash.

Releases are JSON files under ``GOVLENS_HOME/releases/<id>.json``; ids are ``<cycle>-r<n>`` and ``latest``
names the newest. A release is never changed: a correction is a new release, and old ones stay readable.
Floats are written with Python's shortest round-trip representation, so a release read back holds the very same
numbers, and :func:`recompute` must give them again bit for bit.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import yaml

from govlens.data.compare import Comparison
from govlens.data.registry import get_spec
from govlens.framework.answers import Answer, AnswerError, coerce_answer
from govlens.framework.model import Framework
from govlens.framework.report import Problem, Report, Severity
from govlens.framework.scoring import score_table
from govlens.framework.yaml_io import framework_to_document, read_yaml_text
from govlens.home import subdir
from govlens.index.io import Dataset
from govlens.index.pipeline import IndexResult, compute
from govlens.index.pipeline import Settings as IndexSettings
from govlens.index.tree import Tree
from govlens.index.uncertainty import UncertainInputs, uncertainty

__all__ = [
    "BENCHMARK_COLUMNS",
    "INTERVAL_COLUMNS",
    "LATEST",
    "RELEASE_FORMAT",
    "Release",
    "ReleaseError",
    "ReleaseInputs",
    "ReleaseNotFound",
    "ReleaseResults",
    "ReleaseSettings",
    "UncertaintySettings",
    "benchmarks_from",
    "compute_results",
    "content_hash",
    "create_release",
    "list_releases",
    "load_release",
    "next_release_id",
    "read_release",
    "recompute",
    "release_path",
    "releases_dir",
    "resolve_release",
    "same_numbers",
    "save_release",
    "units_in",
    "verify",
    "write_release",
]

RELEASE_FORMAT = 1
LATEST = "latest"
_CYCLE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
_RELEASE_ID = re.compile(r"(?P<cycle>[A-Za-z0-9][A-Za-z0-9._-]*)-r(?P<number>[1-9][0-9]*)")
# rank intervals kept from the uncertainty analysis, per unit and node
INTERVAL_COLUMNS: tuple[str, ...] = ("median_rank", "rank_p05", "rank_p95", "score_p05", "score_p95")


class ReleaseError(ValueError):
    """A release cannot be made or read; ``report`` holds every problem (each naming its file or unit)."""

    def __init__(self, report: Report) -> None:
        self.report = report
        super().__init__("; ".join(str(problem) for problem in report.errors) or "invalid release")

    @classmethod
    def single(cls, code: str, message: str, path: str = "", column: str | None = None) -> ReleaseError:
        return cls(Report([Problem(code, message, path=path, column=column)]))


class ReleaseNotFound(LookupError):
    """No release with that id (or no release at all for ``latest``)."""


# -- the parts of a release ---------------------------------------------------------------------------------------
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


def _answer_to_json(value: Answer) -> Any:
    return list(value) if isinstance(value, tuple) else value


def _answer_from_json(value: Any) -> Answer:
    if isinstance(value, list):
        return tuple(str(item) for item in value)
    if value is None or isinstance(value, str | int | float):
        return value
    raise ValueError(f"an answer must be text, a number, a list of options or null; got {value!r}")


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
                unit: {name: _answer_to_json(value) for name, value in answers.items()}
                for unit, answers in self.answers.items()
            },
            "synthetic": self.synthetic,
            "synthetic_label": dict(self.synthetic_label),
            "metadata": self.metadata,
            "benchmarks": list(self.benchmarks),
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
                str(unit): {str(name): _answer_from_json(value) for name, value in answers.items()}
                for unit, answers in data["answers"].items()
            },
            synthetic=bool(data.get("synthetic", False)),
            synthetic_label={str(k): str(v) for k, v in data.get("synthetic_label", {}).items()},
            metadata=data.get("metadata", {}),
            benchmarks=tuple(data.get("benchmarks", [])),
        )

    def framework(self) -> Framework:
        """The framework rebuilt from the stored document; refused if its fingerprint differs from the record."""
        key = hashlib.sha256(_canonical(self.framework_document)).hexdigest() + self.framework_fingerprint
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
                f"the framework stored in the release has fingerprint {framework.fingerprint()[:12]}..., "
                f"but the release records {self.framework_fingerprint[:12]}...",
            )
        return framework


def _float_or_none(value: float) -> float | None:
    return None if value is None or math.isnan(value) else float(value)


def _frame_to_dict(frame: pd.DataFrame) -> dict[str, Any]:
    return {
        "units": [str(unit) for unit in frame.index],
        "nodes": [str(node) for node in frame.columns],
        "values": [[_float_or_none(v) for v in row] for row in frame.to_numpy(dtype=float).tolist()],
    }


def _frame_from_dict(data: Mapping[str, Any]) -> pd.DataFrame:
    values = np.array(
        [[math.nan if v is None else float(v) for v in row] for row in data["values"]], dtype=float
    ).reshape(len(data["units"]), len(data["nodes"]))
    return pd.DataFrame(values, index=pd.Index(data["units"], name="unit"), columns=list(data["nodes"]))


@dataclass(frozen=True)
class ReleaseResults:
    """Scores and ranks (units x nodes, leaves first then aggregates bottom-up, the root last) and, with an
    uncertainty analysis, one row per unit and node of ``INTERVAL_COLUMNS``."""

    scores: pd.DataFrame
    ranks: pd.DataFrame
    intervals: pd.DataFrame | None = None
    weights: Mapping[str, float] = field(default_factory=dict)

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
                    [str(key[0]), str(key[1]), *(_float_or_none(v) for v in row)]
                    for key, row in zip(self.intervals.index, values, strict=True)
                ],
            }
        return {
            "scores": _frame_to_dict(self.scores),
            "ranks": _frame_to_dict(self.ranks),
            "intervals": intervals,
            "weights": {str(k): float(v) for k, v in self.weights.items()},
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
        return cls(
            scores=_frame_from_dict(data["scores"]),
            ranks=_frame_from_dict(data["ranks"]),
            intervals=intervals,
            weights={str(k): float(v) for k, v in data.get("weights", {}).items()},
        )


def _canonical(data: Any) -> bytes:
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False).encode("utf-8")


def content_hash(inputs: ReleaseInputs, settings: ReleaseSettings, results: ReleaseResults) -> str:
    """SHA-256 of the canonical JSON (sorted keys, no spaces, UTF-8) of inputs, settings and results."""
    payload = {"inputs": inputs.to_dict(), "settings": settings.to_dict(), "results": results.to_dict()}
    return hashlib.sha256(_canonical(payload)).hexdigest()


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
                "release_format",
                f"govlens_release must be {RELEASE_FORMAT}; got {data.get('govlens_release')!r}",
                path=path,
                column="govlens_release",
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
            raise ReleaseError.single("release_malformed", f"the release file is malformed: {error!r}", path) from error
        actual = content_hash(release.inputs, release.settings, release.results)
        if actual != release.hash:
            raise ReleaseError.single(
                "release_hash_mismatch",
                f"the content hash is {actual}, but the release records {release.hash}: the file was changed",
                path=path,
                column="hash",
            )
        return release


# -- computing ----------------------------------------------------------------------------------------------------
def _typed_answers(
    framework: Framework, answers: Mapping[str, Mapping[str, object]]
) -> tuple[dict[str, dict[str, Answer]], Report]:
    """Answers typed with the questionnaire's rules (only the framework's questions; unanswered left out), units
    sorted by code."""
    report = Report()
    questions = {question.name: question for question in framework.questions()}
    typed: dict[str, dict[str, Answer]] = {}
    # units in code order, so a release does not depend on the order the answers arrived in
    for unit, raw in sorted(answers.items(), key=lambda item: str(item[0])):
        row: dict[str, Answer] = {}
        for name, value in raw.items():
            question = questions.get(name)
            if question is None:
                report.add(
                    Problem(
                        "release_unknown_question",
                        f"{name!r} is not a question of {framework.id} {framework.version}; the answer is left out",
                        path=str(unit),
                        column=str(name),
                        severity=Severity.WARNING,
                    )
                )
                continue
            try:
                typed_value = coerce_answer(question, value)
            except AnswerError as error:
                report.add(Problem(error.code, str(error), path=str(unit), column=str(name)))
                continue
            if typed_value is not None:
                row[name] = typed_value
        typed[str(unit)] = row
    return typed, report


def compute_results(
    framework: Framework,
    answers: Mapping[str, Mapping[str, Answer]],
    settings: ReleaseSettings,
    progress: Callable[[int, int], None] | None = None,
) -> tuple[ReleaseResults, IndexResult]:
    """Score the answers, run the index engine (and the uncertainty analysis) and collect the results."""
    data_leaves = [node.id for node in framework.leaves() if not node.questions]
    if data_leaves:
        raise ReleaseError.single(
            "release_data_leaves",
            f"indicators fed by datasets are not supported in releases yet: {', '.join(data_leaves)}",
        )
    table = score_table(framework, answers)
    tree = Tree.from_framework(framework)
    dataset = Dataset.from_frame(table)
    intervals: pd.DataFrame | None = None
    if settings.uncertainty is not None:
        u = settings.uncertainty
        analysis = uncertainty(
            dataset,
            tree,
            settings.index,
            u.inputs(),
            replications=u.replications,
            seed=u.seed,
            progress=progress,
        )
        nominal = analysis.nominal
        intervals = analysis.table.set_index(["unit", "node"]).loc[:, list(INTERVAL_COLUMNS)].astype(float)
        intervals.index = pd.MultiIndex.from_tuples(
            [(str(unit), str(node)) for unit, node in intervals.index], names=["unit", "node"]
        )
    else:
        nominal = compute(dataset, tree, None, **_index_settings_kwargs(settings.index))
    scores = nominal.scores.astype(float)
    ranks = nominal.ranks.astype(float)
    weights = {str(node): float(value) for node, value in nominal.weights.items()}
    return ReleaseResults(scores=scores, ranks=ranks, intervals=intervals, weights=weights), nominal


def _index_settings_kwargs(settings: IndexSettings) -> dict[str, object]:
    return {name: getattr(settings, name) for name in IndexSettings.__dataclass_fields__}


BENCHMARK_COLUMNS: tuple[str, ...] = (
    "variable",
    "label",
    "lac_n",
    "lac_mean",
    "oecd_n",
    "oecd_mean",
    "gap",
    "frontier_unit",
    "frontier_value",
    "in_both",  # LAC countries with a value that were OECD members in the year: counted in both means
)


def _json_value(value: Any) -> Any:
    if isinstance(value, float | np.floating):
        return None if math.isnan(float(value)) else float(value)
    if isinstance(value, int | np.integer) and not isinstance(value, bool):
        return int(value)
    return None if value is None else str(value)


def benchmarks_from(comparisons: Sequence[Comparison]) -> list[dict[str, Any]]:
    """Plain records of public-data comparisons (dataset, year, and per variable: LAC and OECD n and mean, gap,
    frontier country and value), ready to freeze into a release."""
    found = []
    for comparison in comparisons:
        table = comparison.table
        rows = [
            {column: _json_value(record.get(column)) for column in BENCHMARK_COLUMNS}
            for record in table.to_dict("records")
        ]
        try:
            spec = get_spec(comparison.dataset)
            title, citation = spec.title, spec.citation
        except (KeyError, LookupError, ValueError):
            title, citation = comparison.dataset, ""
        found.append(
            {
                "selector": comparison.selector,
                "dataset": comparison.dataset,
                "title": title,
                "citation": citation,
                "year": int(comparison.year),
                "years_used": comparison.years_used,
                "rows": rows,
            }
        )
    return found


def _now() -> str:
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def create_release(
    framework: Framework,
    answers: Mapping[str, Mapping[str, object]],
    *,
    cycle: str,
    settings: ReleaseSettings | None = None,
    synthetic: bool = False,
    synthetic_label: Mapping[str, str] | None = None,
    metadata: Mapping[str, Any] | None = None,
    benchmarks: Sequence[Comparison] = (),
    release_id: str | None = None,
    created: str | None = None,
    directory: Path | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Release:
    """Freeze a cycle's approved answers into a release (not yet saved: see :func:`save_release`).

    ``benchmarks`` (from ``govlens.data.compare.compare``) freeze the public-data comparison of LAC with the
    OECD that the report prints. ``release_id`` defaults to the next ``<cycle>-r<n>`` free in ``directory`` (the
    releases folder).
    Answers that cannot be read raise :class:`ReleaseError` with every problem, each naming unit and question.
    """
    if not isinstance(cycle, str) or not _CYCLE.fullmatch(cycle):
        raise ValueError(f"cycle must match {_CYCLE.pattern} (letters, digits, '.', '_', '-'); got {cycle!r}")
    settings = settings or ReleaseSettings()
    settings.index.validate()
    if settings.uncertainty is not None:
        settings.uncertainty.inputs().validate()
    if not answers:
        raise ReleaseError.single("release_no_answers", "a release needs the answers of at least one unit")
    typed, report = _typed_answers(framework, answers)
    if not report.valid:
        raise ReleaseError(report)
    # metadata must survive JSON unchanged, so it is normalised through JSON now
    meta = json.loads(json.dumps(dict(metadata or {}), sort_keys=True, default=str))
    inputs = ReleaseInputs(
        cycle=cycle,
        framework_id=framework.id,
        framework_version=framework.version,
        framework_fingerprint=framework.fingerprint(),
        framework_document=json.loads(json.dumps(framework_to_document(framework))),
        answers=typed,
        synthetic=bool(synthetic),
        synthetic_label=dict(synthetic_label or {}),
        metadata=meta,
        benchmarks=tuple(json.loads(json.dumps(benchmarks_from(benchmarks), allow_nan=False))),
    )
    # compute from the inputs as stored, so that recompute() starts from exactly the same data
    stored = ReleaseInputs.from_dict(json.loads(_canonical(inputs.to_dict())))
    results, _ = compute_results(stored.framework(), stored.answers, settings, progress)
    # results are normalised through JSON as well (float32 percentiles become the float64 a reader sees)
    results = ReleaseResults.from_dict(json.loads(_canonical(results.to_dict())))
    if release_id is None:
        release_id = next_release_id(cycle, directory)
    elif not _RELEASE_ID.fullmatch(release_id):
        raise ValueError(f"release id must look like <cycle>-r<n> (e.g. {cycle}-r1); got {release_id!r}")
    return Release(
        id=release_id,
        inputs=stored,
        settings=settings,
        results=results,
        created=created or _now(),
        hash=content_hash(stored, settings, results),
    )


def recompute(release: Release) -> Release:
    """The release computed again from its own inputs and settings (same id and time; a new hash only if the
    numbers changed, which :func:`verify` reports)."""
    results, _ = compute_results(release.framework(), release.inputs.answers, release.settings)
    results = ReleaseResults.from_dict(json.loads(_canonical(results.to_dict())))
    return Release(
        id=release.id,
        inputs=release.inputs,
        settings=release.settings,
        results=results,
        created=release.created,
        hash=content_hash(release.inputs, release.settings, results),
    )


def verify(release: Release) -> Report:
    """Recompute the release and report every (unit, node) whose score or rank differs by any bit."""
    again = recompute(release)
    report = Report()
    if again.hash == release.hash:
        return report
    for kind, old, new in (
        ("score", release.results.scores, again.results.scores),
        ("rank", release.results.ranks, again.results.ranks),
    ):
        if old.shape != new.shape or list(old.index) != list(new.index) or list(old.columns) != list(new.columns):
            report.add(Problem("release_shape_changed", f"the {kind} table has other units or nodes", path=release.id))
            continue
        a, b = old.to_numpy(dtype=float), new.to_numpy(dtype=float)
        differ = ~((a == b) | (np.isnan(a) & np.isnan(b)))
        for i, j in np.argwhere(differ):
            report.add(
                Problem(
                    "release_not_reproduced",
                    f"{kind} of {old.index[i]} at {old.columns[j]}: release {a[i, j]!r}, recomputed {b[i, j]!r}",
                    path=release.id,
                    column=str(old.columns[j]),
                )
            )
    if report.valid:
        report.add(Problem("release_not_reproduced", "the recomputed release has another hash", path=release.id))
    return report


# -- storage ------------------------------------------------------------------------------------------------------
def releases_dir() -> Path:
    """``GOVLENS_HOME/releases`` (created on demand)."""
    return subdir("releases")


def release_path(release_id: str, directory: Path | None = None) -> Path:
    return (directory or releases_dir()) / f"{release_id}.json"


def write_release(release: Release, path: Path) -> Path:
    """Write a release as one JSON file (indented, keys sorted, UTF-8)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(release.to_dict(), sort_keys=True, indent=1, ensure_ascii=False, allow_nan=False)
    path.write_text(text + "\n", encoding="utf-8")
    return path


def read_release(path: Path) -> Release:
    """Read and check a release file (format, structure and content hash)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise ReleaseNotFound(f"cannot read the release file {path}: {error.strerror or error}") from error
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ReleaseError.single("release_not_json", f"not a JSON release file: {error}", str(path)) from error
    if not isinstance(data, dict):
        raise ReleaseError.single("release_malformed", "a release file holds one JSON object", str(path))
    return Release.from_dict(data, path=str(path))


def save_release(release: Release, directory: Path | None = None) -> Path:
    """Save under the releases folder as ``<id>.json``. Releases are immutable: saving another content under an
    existing id is refused (saving the same content again is a no-op)."""
    path = release_path(release.id, directory)
    if path.exists():
        existing = read_release(path)
        if existing.hash != release.hash:
            raise ReleaseError.single(
                "release_exists",
                f"release {release.id} already exists with other content; a correction is a new release "
                f"(next free id: {next_release_id(release.cycle, directory)})",
                path=str(path),
            )
        return path
    return write_release(release, path)


def _parse_id(release_id: str) -> tuple[str, int] | None:
    match = _RELEASE_ID.fullmatch(release_id)
    return (match["cycle"], int(match["number"])) if match else None


def list_releases(directory: Path | None = None) -> list[tuple[str, str]]:
    """(id, created) of every release file, oldest first (by creation time, then cycle and number)."""
    folder = directory or releases_dir()
    found: list[tuple[str, str, str, int]] = []
    for path in sorted(folder.glob("*.json")):
        parsed = _parse_id(path.stem)
        if parsed is None:
            continue
        try:
            created = str(json.loads(path.read_text(encoding="utf-8")).get("created", ""))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError, AttributeError):
            continue
        found.append((created, parsed[0], path.stem, parsed[1]))
    found.sort(key=lambda item: (item[0], item[1], item[3]))
    return [(release_id, created) for created, _, release_id, _ in found]


def next_release_id(cycle: str, directory: Path | None = None) -> str:
    """``<cycle>-r<n>`` with n one more than the highest release of the cycle in the folder."""
    folder = directory or releases_dir()
    numbers = [
        parsed[1]
        for path in folder.glob(f"{cycle}-r*.json")
        if (parsed := _parse_id(path.stem)) is not None and parsed[0] == cycle
    ]
    return f"{cycle}-r{max(numbers, default=0) + 1}"


def resolve_release(reference: str, directory: Path | None = None) -> Path:
    """The file of a release given as an id, ``latest`` or a path to a ``.json`` file."""
    candidate = Path(reference).expanduser()
    if reference.endswith(".json") and candidate.is_file():
        return candidate
    folder = directory or releases_dir()
    if reference == LATEST:
        listed = list_releases(folder)
        if not listed:
            raise ReleaseNotFound(f"there is no release yet in {folder}; make one first")
        return release_path(listed[-1][0], folder)
    path = release_path(reference, folder)
    if not path.is_file():
        known = [release_id for release_id, _ in list_releases(folder)]
        raise ReleaseNotFound(
            f"no release {reference!r} in {folder}; releases: {', '.join(known) or 'none'} (or 'latest')"
        )
    return path


def load_release(reference: str, directory: Path | None = None) -> Release:
    """A saved release by id (``lac-2026-r1``), ``latest`` or path."""
    return read_release(resolve_release(reference, directory))


def same_numbers(first: pd.DataFrame, second: pd.DataFrame) -> bool:
    """True when two result tables hold the same labels and the same floats bit for bit (NaN equal to NaN)."""
    if list(first.index) != list(second.index) or list(first.columns) != list(second.columns):
        return False
    a, b = first.to_numpy(dtype=float), second.to_numpy(dtype=float)
    return bool(np.array_equal(a.view(np.int64), b.view(np.int64)))


def units_in(release: Release, members: Sequence[str]) -> tuple[str, ...]:
    """The release's units that are among ``members``, in the release's order."""
    wanted = set(members)
    return tuple(unit for unit in release.results.units if unit in wanted)
