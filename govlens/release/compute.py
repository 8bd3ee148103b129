"""Making a release: type the answers, score them, run the index engine (and the uncertainty analysis), freeze
everything with its hash; recompute and verify a release bit for bit.

:func:`create_release` computes from the inputs *as stored* (through JSON), so :func:`recompute` starts from
exactly the same data and must give the very same numbers.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from govlens.data.compare import Comparison
from govlens.framework.answers import Answer, AnswerError, coerce_answer
from govlens.framework.errors import Location, problem
from govlens.framework.model import Framework
from govlens.framework.report import Report
from govlens.framework.scoring import score_table
from govlens.framework.yaml_io import framework_to_document
from govlens.index.io import Dataset
from govlens.index.pipeline import IndexResult, compute
from govlens.index.tree import Tree
from govlens.index.uncertainty import uncertainty
from govlens.release.benchmarks import benchmarks_from
from govlens.release.errors import ReleaseError
from govlens.release.hash import content_hash
from govlens.release.model import INTERVAL_COLUMNS, Release, ReleaseInputs, ReleaseResults
from govlens.release.serialise import canonical
from govlens.release.settings import ReleaseSettings
from govlens.release.storage import CYCLE_PATTERN, RELEASE_ID_PATTERN, next_release_id

__all__ = [
    "MIN_SCORED",
    "compute_results",
    "create_release",
    "not_approved_report",
    "recompute",
    "same_numbers",
    "scored_units",
    "verify",
]

# fewer countries than this with an index score make no release: a ranking or a regional share of one says nothing
MIN_SCORED = 2


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
                    problem(
                        "release_unknown_question",
                        str(unit),
                        Location(column=str(name)),
                        name=str(name),
                        framework=f"{framework.id} {framework.version}",
                    )
                )
                continue
            try:
                typed_value = coerce_answer(question, value)
            except AnswerError as error:
                report.add(problem(error.code, str(unit), Location(column=str(name)), **error.params))
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
        raise ReleaseError.single("release_data_leaves", indicators=", ".join(data_leaves))
    table = score_table(framework, answers)
    tree = Tree.from_framework(framework)
    dataset = Dataset.from_frame(table)
    intervals: pd.DataFrame | None = None
    sensitivity: pd.DataFrame | None = None
    if settings.uncertainty is not None:
        design = settings.uncertainty
        analysis = uncertainty(
            dataset, tree, settings.index, design, progress=progress, sobol_base=design.sobol_base
        )
        nominal = analysis.nominal
        sensitivity = analysis.sensitivity
        intervals = analysis.table.set_index(["unit", "node"]).loc[:, list(INTERVAL_COLUMNS)].astype(float)
        intervals.index = pd.MultiIndex.from_tuples(
            [(str(unit), str(node)) for unit, node in intervals.index], names=["unit", "node"]
        )
    else:
        nominal = compute(dataset, tree, settings.index)
    scores = nominal.scores.astype(float)
    ranks = nominal.ranks.astype(float)
    weights = {str(node): float(value) for node, value in nominal.weights.items()}
    results = ReleaseResults(scores=scores, ranks=ranks, intervals=intervals, weights=weights, sensitivity=sensitivity)
    return results, nominal


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
    not_approved: Mapping[str, str] | None = None,
    partial: bool = False,
    min_scored: int = 0,
) -> Release:
    """Freeze a cycle's approved answers into a release (not yet saved: see :func:`save_release`).

    ``benchmarks`` (from ``govlens.data.compare.compare``) freeze the public-data comparison of LAC with the
    OECD that the report prints. ``release_id`` defaults to the next ``<cycle>-r<n>`` free in ``directory`` (the
    releases folder).
    Answers that cannot be read raise :class:`ReleaseError` with every problem, each naming unit and question.

    The gates: ``not_approved`` names the cycle's countries whose answers are not approved (ISO3 -> status); a
    release is refused while there is any (``release_not_approved``, naming each), unless ``partial`` makes one
    on purpose, recorded and labelled partial. A release with fewer than ``min_scored`` countries scored at the
    root of the index is refused outright (``release_too_few_scored``): rankings and regional shares of one
    country say nothing. The platform (``govlens release create``, the web's publish) passes ``MIN_SCORED``;
    the core's default leaves it to the caller, as tests and worked examples use tiny releases.
    """
    if not isinstance(cycle, str) or not CYCLE_PATTERN.fullmatch(cycle):
        raise ValueError(f"cycle must match {CYCLE_PATTERN.pattern} (letters, digits, '.', '_', '-'); got {cycle!r}")
    settings = settings or ReleaseSettings()
    settings.index.validate()
    if settings.uncertainty is not None:
        settings.uncertainty.validate()
    if not answers:
        raise ReleaseError.single("release_no_answers")
    pending = {str(unit): str(status) for unit, status in sorted((not_approved or {}).items())}
    if pending and not partial:
        raise ReleaseError(not_approved_report(pending, len(answers)))
    typed, report = _typed_answers(framework, answers)
    if not report.valid:
        raise ReleaseError(report)
    # metadata must survive JSON unchanged, so it is normalised through JSON now
    meta = json.loads(json.dumps(dict(metadata or {}), sort_keys=True, default=str))
    inputs = ReleaseInputs(
        partial=bool(partial and pending),
        not_approved=pending if partial else {},
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
    stored = ReleaseInputs.from_dict(json.loads(canonical(inputs.to_dict())))
    results, _ = compute_results(stored.framework(), stored.answers, settings, progress)
    # results are normalised through JSON as well (float32 percentiles become the float64 a reader sees)
    results = ReleaseResults.from_dict(json.loads(canonical(results.to_dict())))
    scored = scored_units(results)
    if len(scored) < min_scored:
        raise ReleaseError.single(
            "release_too_few_scored",
            needed=min_scored,
            scored=len(scored),
            units=", ".join(scored) or "none",
            answered=len(results.units),
        )
    if release_id is None:
        release_id = next_release_id(cycle, directory)
    elif not RELEASE_ID_PATTERN.fullmatch(release_id):
        raise ValueError(f"release id must look like <cycle>-r<n> (e.g. {cycle}-r1); got {release_id!r}")
    return Release(
        id=release_id,
        inputs=stored,
        settings=settings,
        results=results,
        created=created or _now(),
        hash=content_hash(stored, settings, results),
    )


def not_approved_report(pending: Mapping[str, str], approved: int) -> Report:
    """One problem per country of the cycle that is not approved, naming it and its status."""
    report = Report()
    for unit, status in pending.items():
        report.add(
            problem(
                "release_not_approved",
                unit,
                None,
                unit=unit,
                status=status,
                approved=approved,
                total=approved + len(pending),
            )
        )
    return report


def scored_units(results: ReleaseResults) -> tuple[str, ...]:
    """The units with a score at the root of the index (the last node)."""
    if not results.nodes:
        return ()
    root = results.nodes[-1]
    return tuple(unit for unit in results.units if results.score(unit, root) is not None)


def recompute(release: Release) -> Release:
    """The release computed again from its own inputs and settings (same id and time; a new hash only if the
    numbers changed, which :func:`verify` reports)."""
    results, _ = compute_results(release.framework(), release.inputs.answers, release.settings)
    results = ReleaseResults.from_dict(json.loads(canonical(results.to_dict())))
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
            report.add(problem("release_shape_changed", release.id, None, table=kind))
            continue
        a, b = old.to_numpy(dtype=float), new.to_numpy(dtype=float)
        differ = ~((a == b) | (np.isnan(a) & np.isnan(b)))
        for i, j in np.argwhere(differ):
            report.add(
                problem(
                    "release_not_reproduced",
                    release.id,
                    Location(column=str(old.columns[j])),
                    difference=f"{kind} of {old.index[i]} at {old.columns[j]}: release {a[i, j]!r}, recomputed "
                    f"{b[i, j]!r}",
                )
            )
    if report.valid:
        difference = "the recomputed release has another hash"
        report.add(problem("release_not_reproduced", release.id, None, difference=difference))
    return report


def same_numbers(first: pd.DataFrame, second: pd.DataFrame) -> bool:
    """True when two result tables hold the same labels and the same floats bit for bit (NaN equal to NaN)."""
    if list(first.index) != list(second.index) or list(first.columns) != list(second.columns):
        return False
    a, b = first.to_numpy(dtype=float), second.to_numpy(dtype=float)
    return bool(np.array_equal(a.view(np.int64), b.view(np.int64)))
