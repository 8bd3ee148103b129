"""The errors services raise; views and the API turn each into one HTTP status and one JSON/page shape."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from govlens.framework.errors import message
from govlens.web import error_codes as _error_codes  # noqa: F401  (registers the web layer's problem codes)


def renderable(value: Any) -> Any:
    """``value`` (text, or lists and mappings of it) with every lone surrogate written as its escape (``\\ud800``),
    so that a message quoting what arrived can itself be encoded as UTF-8 on a page or in JSON."""
    if isinstance(value, str):
        return value.encode("utf-8", "backslashreplace").decode("utf-8")
    if isinstance(value, Mapping):
        return {renderable(key): renderable(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [renderable(item) for item in value]
    return value


def problem_row(code: str, /, *, field: str = "", question: str | None = None, **params: object) -> dict[str, Any]:
    """A problem row of a registered ``code`` about a form or API ``field`` (or about the answer to ``question``, the
    rows of a response), its message from the catalogue."""
    where = {"field": field} if question is None else {"question": question}
    return where | {"code": code, "message": message(code, **params)}


class ServiceError(Exception):
    """A request that a business rule refuses. ``code`` is stable; ``message`` is for people (and always
    renderable: input it quotes cannot make the error page or the JSON error fail in turn)."""

    status = 400
    code = "bad_request"

    def __init__(self, message: str, *, details: Mapping[str, Any] | None = None) -> None:
        message = renderable(message)
        super().__init__(message)
        self.message = message
        self.details: dict[str, Any] = renderable(dict(details or {}))


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
        self.theirs: dict[str, Any] = self.details["current"]
        self.yours: dict[str, Any] = self.details["yours"]


class Invalid(ServiceError):
    """Input that fails validation; ``problems`` lists every one (question, code, message)."""

    status = 422
    code = "invalid"

    def __init__(self, message: str, *, problems: Sequence[Mapping[str, Any]]) -> None:
        super().__init__(message, details={"problems": [dict(p) for p in problems]})
        self.problems: list[dict[str, Any]] = self.details["problems"]


class Throttled(ServiceError):
    status = 429
    code = "throttled"


class Unauthenticated(ServiceError):
    status = 401
    code = "unauthenticated"
