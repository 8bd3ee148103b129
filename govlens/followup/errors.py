"""The follow-up layer's problem codes (action plans read from a file or the API), registered in the one catalogue
of :mod:`govlens.framework.errors`. A plan problem names its place in the plan (``where``: "actions[2].due")."""

from __future__ import annotations

from govlens.framework.errors import ErrorType, register

FOLLOWUP_ERRORS: tuple[ErrorType, ...] = register(
    "followup",
    (
        ErrorType("plan_missing", "Required field missing", "{where} {reason}"),
        ErrorType("plan_not_text", "Not text", "{where} must be text; got {type}"),
        ErrorType("plan_too_long", "Text too long", "{where} may be at most {limit} characters; got {length}"),
        ErrorType("plan_control_character", "Control character", "{where} contains the control character {char}"),
        ErrorType("plan_bad_date", "Not a date", "{where} must be a date YYYY-MM-DD; got {value!r}"),
        ErrorType("plan_bad_links", "Not a list of links", "{where} must be a list of links; got {type}"),
        ErrorType("plan_bad_link", "Not a link", "{where} must be an http(s) link; got {value!r}"),
        ErrorType("plan_too_many", "Too many entries", "{where} {reason}"),
        ErrorType("plan_bad_list", "Not a list", "{where} {reason}"),
        ErrorType("plan_bad_item", "Not an object", "{where} must be an object; got {type}"),
        ErrorType("plan_bad_status", "Unknown status", "{where} must be one of {allowed}; got {value!r}"),
        ErrorType(
            "plan_unknown_recommendation",
            "Unknown recommendation",
            "{where} must be a recommendation of release {release}; got {value!r}",
        ),
        ErrorType(
            "plan_not_addressed",
            "Recommendation for another country",
            "{where}: recommendation {value!r} is not addressed to {country}",
        ),
        ErrorType("plan_due_before_start", "Due before the start", "{where} is {due}, before the start {start}"),
        ErrorType(
            "plan_drop_reason", "Dropped without a reason", "{where}: a dropped action needs the reason it was dropped"
        ),
        ErrorType(
            "plan_done_open_milestone",
            "Done with an open milestone",
            "{where} is done, but a milestone has no done date",
        ),
    ),
)
