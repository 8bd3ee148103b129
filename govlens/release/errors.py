"""The two ways a release fails: it cannot be made or read (:class:`ReleaseError`), or it does not exist."""

from __future__ import annotations

from govlens.framework.report import Problem, Report

__all__ = ["ReleaseError", "ReleaseNotFound"]


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
