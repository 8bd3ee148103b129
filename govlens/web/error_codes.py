"""The web layer's problem codes, registered in the one catalogue of :mod:`govlens.framework.errors`: the codes of
the API's error shape (one per HTTP refusal) and those of the problem rows services refuse input with.

The messages of answer problems are worded for people by ``collection/messages.py`` through Django's gettext; the
templates here are the English wording of the rest. Answers and uploads also report the framework's answer codes
(``invalid_integer``, ``unknown_choice``, ``control_character``, ...) and its file codes (``unreadable_file``,
``missing_column``, ...).
"""

from __future__ import annotations

from govlens.framework.errors import ErrorType, register
from govlens.framework.report import Severity

_W = Severity.WARNING

API_ERRORS: tuple[ErrorType, ...] = register(
    "web",
    (
        ErrorType("bad_request", "Bad request", "{reason}"),
        ErrorType("unauthenticated", "Not logged in", "{reason}", hint="log in, or send a token"),
        ErrorType("forbidden", "Not allowed", "{reason}"),
        ErrorType("not_found", "Not found", "{reason}"),
        ErrorType("method_not_allowed", "Method not allowed", "{reason}"),
        ErrorType("invalid_status", "Not allowed in this status", "{reason}"),
        ErrorType("version_conflict", "Changed meanwhile", "{reason}", hint="reload, then save again"),
        ErrorType("framework_changed", "Framework changed", "{reason}"),
        ErrorType("too_large", "Request too large", "the request body may be at most {limit} bytes"),
        ErrorType("invalid", "Invalid input", "{reason}", hint="the problems list each field or question"),
        ErrorType("throttled", "Too many attempts", "{reason}"),
        ErrorType("storage_unavailable", "File storage unavailable", "{reason}"),
        ErrorType("database_unavailable", "Database unavailable", "{reason}"),
        ErrorType("unhealthy", "Service unhealthy", "database unavailable: {reason}"),
        ErrorType("internal_error", "Internal error", "an unexpected error occurred; it has been logged"),
    ),
    part="API",
)

_ROW_ERRORS: dict[str, tuple[ErrorType, ...]] = {
    "accounts": (
        ErrorType("invalid_role", "Unknown role", "unknown role '{value}'"),
        ErrorType("invalid_username", "Invalid username", "the username {name} is not valid: {reason}"),
        ErrorType("duplicate_username", "Username taken", "{name} is taken"),
        ErrorType("invalid_email", "Invalid e-mail address", "not an e-mail address"),
        ErrorType("weak_password", "Weak password", "{reason}"),
        ErrorType("missing_password", "Password missing", "give a password"),
        ErrorType("missing_country", "Country missing", "{role} without a country"),
        ErrorType("unexpected_country", "Country for a role without one", "country given for this role"),
        ErrorType("unexpected_countries", "Countries for a role without them", "countries for this role"),
        ErrorType("unknown_section", "Unknown section", "sections must be among {allowed}; got {value}"),
        ErrorType("missing_sections", "No section delegated", "delegate at least one section"),
        ErrorType("missing_institution", "Institution missing", "name the institution"),
    ),
    "collection": (
        ErrorType("invalid_comment", "Comment is not text", "the comment on {name} must be text; got {type}"),
        ErrorType("evidence_missing", "Evidence missing", "'{name}' needs evidence: a link or an uploaded file"),
        ErrorType(
            "invalid_evidence_url",
            "Invalid evidence link",
            "evidence links must start with https:// or http://; got {value}",
        ),
        ErrorType(
            "invalid_evidence_links",
            "Evidence links not a list",
            "the evidence links of {name} must be a list of web addresses",
        ),
        ErrorType(
            "too_many_links", "Too many evidence links", "{name} may have at most {limit} evidence links; got {count}"
        ),
        ErrorType(
            "evidence_link_too_long",
            "Evidence link too long",
            "evidence links may be at most {limit} characters; got {length}",
        ),
        ErrorType(
            "comment_too_long",
            "Comment too long",
            "the comment on {name} may be at most {limit} characters; got {length}",
        ),
        ErrorType("missing_file", "No file", "no file"),
        ErrorType("file_type", "File type not accepted", "file type must be one of {allowed}; got {value}"),
        ErrorType("file_too_large", "File too large", "files may be at most {limit} bytes; got {size}"),
        ErrorType(
            "file_content",
            "File content not accepted",
            "the file is named {suffix} but its content is not a {kind} file",
        ),
        ErrorType("missing_reason", "Reason missing", "give the reason for reopening"),
        ErrorType(
            "invalid_payload",
            "Accepted changes do not match",
            "the accepted changes are not the page's workbook diff ({reason})",
            hint="upload the workbook again",
        ),
        ErrorType("wrong_workbook", "Workbook of another response", "{reason}"),
        ErrorType("locked_response", "Response locked", "{reason}"),
        ErrorType("unknown_country", "Unknown country", "unknown ISO3 code '{iso3}'"),
    ),
    "uploads": (
        ErrorType("empty_file", "Empty file", "{file} has no header row"),
        ErrorType("extra_values", "Values beyond the header", "{reason}"),
        ErrorType(
            "invalid_country",
            "Invalid country code",
            "'{value}' is not an ISO 3166 alpha-3 country code (such as ARG)",
        ),
        ErrorType("duplicate_country", "Country twice", "{country} already has a submission on row {row}"),
        ErrorType(
            "ignored_columns", "Columns ignored", "{count} column(s) are not questions and were ignored: {columns}", _W
        ),
        ErrorType("duplicate_question", "Question twice", "{reason}"),
        ErrorType("formula_without_value", "Formula without a value", "{reason}"),
        ErrorType("spreadsheet_error", "Spreadsheet error value", "{reason}"),
    ),
    "cycles": (
        ErrorType("framework_path", "Framework path refused", "{allowed}"),
        ErrorType("duplicate_slug", "Cycle slug taken", "slug '{slug}' is taken"),
        ErrorType("invalid_dates", "Closing before opening", "closing date before opening date"),
        ErrorType("no_countries", "No country", "no country given"),
    ),
    "publication": (
        ErrorType("bad_language", "Unknown language", "{reason}"),
        ErrorType("bad_replications", "Invalid replications", "{reason}"),
        ErrorType(
            "invalid_release_settings",
            "Release setting not allowed",
            "{reason}",
            hint="the message names the framework file or the cycle, the key and why",
        ),
        ErrorType("bad_seed", "Invalid seed", "seed must be a whole number from 0 to 2^32-1; got {value!r}"),
        ErrorType("nothing_approved", "Nothing approved", "approve at least one response before publishing"),
        ErrorType("deadline_past", "Deadline in the past", "got {deadline}"),
        ErrorType("bad_date", "Not a date", "{value}"),
        ErrorType("bad_action", "Unknown action", "{value}"),
        ErrorType("bad_decision", "Unknown decision", "accepted or commented"),
        ErrorType("comment_required", "Comment missing", "say what is wrong"),
        ErrorType("unknown_item", "Unknown validation item", "{item!r} is not an item of {country}"),
        ErrorType("bad_resolution", "Unknown resolution", "{allowed}"),
        ErrorType("reply_required", "Reply missing", ""),
        ErrorType("validation_comments_open", "Validation comment still open", "{country}, {item}: {comment}"),
        ErrorType("edit_stale", "Edited passage out of date", "{reason}", hint="correct the edit or revert it"),
        ErrorType("edit_invalid", "Invalid edit of the report", "{reason}"),
    ),
    "follow-up": (
        ErrorType("release_other_cycle", "Release of another cycle", "of cycle {cycle}"),
        ErrorType("plan_empty", "Empty plan", "add at least one action"),
        ErrorType("missing_text", "Text missing", "say what should change"),
    ),
}
ROW_ERRORS: tuple[ErrorType, ...] = tuple(
    error for part, errors in _ROW_ERRORS.items() for error in register("web", errors, part=part)
)
