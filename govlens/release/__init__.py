"""The release: the frozen inputs, settings and results of a review cycle, with a content hash.

A release holds everything needed to recompute its numbers: the framework itself (its document, id, version and
fingerprint), every country's answers, the synthetic flag, the index engine's settings (and the uncertainty
analysis' settings, seed included), the frozen public-data benchmarks and the results. It sits between analysis
and reports: reports, the web and the CLI read releases; the release imports only framework, index, data and
analysis.

One module per job: :mod:`.model` (what a release is), :mod:`.settings`, :mod:`.compute` (create, recompute,
verify), :mod:`.hash`, :mod:`.serialise` (JSON), :mod:`.storage` (files under ``GOVLENS_HOME/releases``),
:mod:`.benchmarks` (frozen public-data comparisons), :mod:`.errors`.
"""

from __future__ import annotations

from govlens.release.benchmarks import BENCHMARK_COLUMNS, benchmarks_from
from govlens.release.compute import (
    MIN_SCORED,
    compute_results,
    create_release,
    recompute,
    same_numbers,
    scored_units,
    verify,
)
from govlens.release.errors import ReleaseError, ReleaseNotFound
from govlens.release.hash import content_hash
from govlens.release.model import INTERVAL_COLUMNS, RELEASE_FORMAT, Release, ReleaseInputs, ReleaseResults, units_in
from govlens.release.publication import (
    Publication,
    PublicationState,
    default_public_release,
    publication_get,
    publication_set,
    publications,
)
from govlens.release.settings import ReleaseSettings, UncertaintySettings, release_settings_for
from govlens.release.storage import (
    LATEST,
    list_releases,
    load_release,
    next_release_id,
    read_release,
    release_path,
    releases_dir,
    resolve_release,
    save_release,
    write_release,
)

__all__ = [
    "BENCHMARK_COLUMNS",
    "INTERVAL_COLUMNS",
    "LATEST",
    "MIN_SCORED",
    "RELEASE_FORMAT",
    "Publication",
    "PublicationState",
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
    "default_public_release",
    "list_releases",
    "load_release",
    "next_release_id",
    "publication_get",
    "publication_set",
    "publications",
    "read_release",
    "recompute",
    "release_path",
    "release_settings_for",
    "releases_dir",
    "resolve_release",
    "same_numbers",
    "save_release",
    "scored_units",
    "units_in",
    "verify",
    "write_release",
]
