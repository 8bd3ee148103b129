"""The two ways a release fails: it cannot be made or read (:class:`ReleaseError`), or it does not exist; and the
release layer's problem codes, registered in the one catalogue of :mod:`govlens.framework.errors`."""

from __future__ import annotations

from govlens.framework.errors import ErrorType, Location, problem, register
from govlens.framework.report import Report, Severity

__all__ = ["RELEASE_ERRORS", "ReleaseError", "ReleaseNotFound"]

# A release also reports the answer checks' codes (invalid_integer, ...) of the answers it is made from.
RELEASE_ERRORS: tuple[ErrorType, ...] = register(
    "release",
    (
        # -- making a release -----------------------------------------------------------------------------------
        ErrorType("release_no_answers", "No answers", "a release needs the answers of at least one unit"),
        ErrorType(
            "release_not_approved",
            "Country not approved",
            "{unit} is not approved (status: {status}); {approved} of {total} countries are approved",
            hint="approve the others first, or make a partial release on purpose (--partial)",
        ),
        ErrorType(
            "release_unknown_question",
            "Answer to no question",
            "{name!r} is not a question of {framework}; the answer is left out",
            Severity.WARNING,
        ),
        ErrorType(
            "release_data_leaves",
            "Indicators fed by datasets",
            "indicators fed by datasets are not supported in releases yet: {indicators}",
        ),
        ErrorType(
            "release_too_few_scored",
            "Too few countries with a score",
            "a release needs at least {needed} countries with an index score; this one would have {scored} "
            "({units}) of {answered} with answers",
        ),
        ErrorType("invalid_release_setting", "Invalid release setting", "{reason}"),
        # -- reading and checking a release ---------------------------------------------------------------------
        ErrorType("release_not_json", "Not a JSON release file", "not a JSON release file: {reason}"),
        ErrorType("release_malformed", "Malformed release file", "the release file is malformed: {reason}"),
        ErrorType("release_format", "Unknown release format", "govlens_release must be {expected}; got {value!r}"),
        ErrorType(
            "release_hash_mismatch",
            "Release file changed",
            "the content hash is {actual}, but the release records {recorded}: the file was changed",
        ),
        ErrorType(
            "release_framework_changed",
            "Framework of the release changed",
            "the framework stored in the release has fingerprint {actual}..., but the release records {recorded}...",
        ),
        ErrorType(
            "release_exists",
            "Release id taken",
            "release {id} already exists with other content; a correction is a new release (next free id: {next})",
        ),
        ErrorType(
            "benchmarks_unavailable",
            "Public-data benchmarks missing",
            "the public-data benchmarks cannot be loaded ({reason})",
            hint="store them once with `govlens data pull` (or `govlens data pull --mirror DIR`), or set "
            "GOVLENS_RELEASE_BENCHMARKS=0 to publish releases without them",
        ),
        ErrorType("release_shape_changed", "Other units or nodes", "the {table} table has other units or nodes"),
        ErrorType("release_not_reproduced", "Release not reproduced", "{difference}"),
        # -- publication ----------------------------------------------------------------------------------------
        ErrorType(
            "publication_unreadable", "Publication record unreadable", "the publication record cannot be read: {reason}"
        ),
        ErrorType("publication_move", "Publication step refused", "release {id} is {state}; it can move to {allowed}"),
    ),
)


class ReleaseError(ValueError):
    """A release cannot be made or read; ``report`` holds every problem (each naming its file or unit)."""

    def __init__(self, report: Report) -> None:
        self.report = report
        super().__init__("; ".join(str(problem) for problem in report.errors) or "invalid release")

    @classmethod
    def single(cls, code: str, path: str = "", column: str | None = None, /, **params: object) -> ReleaseError:
        """The error of one problem of a registered ``code``, its message from the catalogue."""
        return cls(Report([problem(code, path, Location(column=column), **params)]))


class ReleaseNotFound(LookupError):
    """No release with that id (or no release at all for ``latest``)."""
