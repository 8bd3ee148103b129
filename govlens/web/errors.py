"""The errors services raise; views and the API turn each into one HTTP status and one JSON/page shape."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any


class ServiceError(Exception):
    """A request that a business rule refuses. ``code`` is stable; ``message`` is for people."""

    status = 400
    code = "bad_request"

    def __init__(self, message: str, *, details: Mapping[str, Any] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.details: dict[str, Any] = dict(details or {})


class NotAllowed(ServiceError):
    status = 403
    code = "forbidden"


class NotFound(ServiceError):
    status = 404
    code = "not_found"


class InvalidTransition(ServiceError):
    """A status change the workflow does not allow from the current status (or a write to a locked response)."""

    status = 409
    code = "invalid_status"


class Conflict(ServiceError):
    """A save based on a version that is no longer current: nothing is written, both values are returned."""

    status = 409
    code = "version_conflict"

    def __init__(
        self,
        message: str,
        *,
        current_version: int,
        based_on: int,
        theirs: Mapping[str, Any],
        yours: Mapping[str, Any],
    ) -> None:
        super().__init__(
            message,
            details={
                "current_version": current_version,
                "based_on_version": based_on,
                "current": dict(theirs),
                "yours": dict(yours),
            },
        )
        self.current_version = current_version
        self.based_on = based_on
        self.theirs = dict(theirs)
        self.yours = dict(yours)


class Invalid(ServiceError):
    """Input that fails validation; ``problems`` lists every one (question, code, message)."""

    status = 422
    code = "invalid"

    def __init__(self, message: str, *, problems: Sequence[Mapping[str, Any]]) -> None:
        super().__init__(message, details={"problems": [dict(p) for p in problems]})
        self.problems = [dict(p) for p in problems]


class Throttled(ServiceError):
    status = 429
    code = "throttled"


class Unauthenticated(ServiceError):
    status = 401
    code = "unauthenticated"
