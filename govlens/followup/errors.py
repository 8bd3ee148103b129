"""The follow-up layer's problem codes (action plans read from a file or the API), registered in the one catalogue
of :mod:`govlens.framework.errors`. A plan problem names its place in the plan as its field ("actions[2].due"); the
message says what is wrong there."""

from __future__ import annotations

from govlens.framework.errors import ErrorType, register

FOLLOWUP_ERRORS: tuple[ErrorType, ...] = register(
    "followup",
    (
        ErrorType("plan_missing", "Required field missing", "is required{detail}"),
        ErrorType("plan_not_text", "Not text", "must be text; got {type}"),
        ErrorType("plan_too_long", "Text too long", "may be at most {limit} characters; got {length}"),
        ErrorType("plan_control_character", "Control character", "contains the control character {char}"),
        ErrorType("plan_bad_date", "Not a date", "must be a date YYYY-MM-DD; got {value!r}"),
        ErrorType("plan_bad_links", "Not a list of links", "must be a list of links; got {type}"),
        ErrorType("plan_bad_link", "Not a link", "must be an http(s) link; got {value!r}"),
        ErrorType("plan_too_many", "Too many entries", "may hold at most {limit} {what}; got {count}"),
        ErrorType("plan_bad_list", "Not a list", "must be a list{what}; got {type}"),
        ErrorType("plan_bad_item", "Not an object", "must be an object; got {type}"),
        ErrorType("plan_bad_status", "Unknown status", "must be one of {allowed}; got {value!r}"),
        ErrorType(
            "plan_unknown_recommendation",
            "Unknown recommendation",
            "must be a recommendation of release {release}; got {value!r}",
        ),
        ErrorType(
            "plan_not_addressed",
            "Recommendation for another country",
            "recommendation {value!r} is not addressed to {country}",
        ),
        ErrorType("plan_due_before_start", "Due before the start", "is {due}, before the start {start}"),
        ErrorType("plan_drop_reason", "Dropped without a reason", "a dropped action needs the reason it was dropped"),
        ErrorType(
            "plan_done_open_milestone", "Done with an open milestone", "is done, but a milestone has no done date"
        ),
    ),
)
