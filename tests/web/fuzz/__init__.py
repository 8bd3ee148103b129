"""Property tests of the platform's two import paths (offline workbook upload, Kobo/ODK import) on hostile input.

The helpers here are shared by both modules: a byte-for-byte snapshot of the database, a savepoint that undoes
each hypothesis example so the examples of one test start from the same state, the check of stored answers,
and strategies of valid answers to the questions of ``tests/web/conftest.py``'s tiny framework.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.apps import apps
from django.core import serializers
from django.db import transaction
from hypothesis import strategies as st

from govlens.framework.answers import coerce_answer, validate_answers
from govlens.framework.model import Framework


def examples(count: int) -> int:
    """``count`` hypothesis examples, times GOVLENS_FUZZ_SCALE when set (say 20, for a long run by hand)."""
    return max(1, round(count * float(os.environ.get("GOVLENS_FUZZ_SCALE") or 1)))


QUESTIONS = ("org_exists", "org_year", "strategy_url", "budget", "channels", "staff", "notes")  # tiny_framework

# Login sessions change when a test client logs in; they are not data an upload may touch anyway.
_NOT_DATA = {"sessions.session"}


def database_state() -> str:
    """Every row of every table the platform writes (answers, versions, statuses, audit, jobs ...), as JSON.

    Two equal snapshots mean nothing was written in between (``updated_at`` columns change on any save)."""
    parts = []
    for model in sorted(apps.get_models(), key=lambda m: m._meta.label_lower):
        if model._meta.label_lower in _NOT_DATA:
            continue
        rows = model._default_manager.order_by("pk")
        parts.append(f"{model._meta.label_lower}:{serializers.serialize('json', rows)}")
    return "\n".join(parts)


@contextmanager
def rolled_back() -> Iterator[None]:
    """Run the block in a savepoint that is always rolled back: every example starts from the same database."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def assert_valid_answers(framework: Framework, stored: dict[str, Any]) -> None:
    """Stored answers are already typed (typing them again changes nothing) and pass the framework's checks."""
    for name, value in stored.items():
        typed = coerce_answer(framework.question(name), value)
        assert (list(typed) if isinstance(typed, tuple) else typed) == value, (name, value)
    report = validate_answers(framework, stored, submitting=False)
    assert not report.errors, [p.message for p in report.errors]


PLAIN_TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cc", "Cs", "Zl", "Zp")), max_size=40)
# Text as a form's text area sends it (CRLF line breaks) and text that looks like a file format's own syntax.
AWKWARD_TEXT = st.sampled_from(
    ["line one\r\nline two", "a\nb", "tab\there", "_x000D_ and _x005F_ as typed", 'say "hi"; a,b', "=1+1", "'quoted'"]
)
# A valid answer for any of the questions; org_year only when org_exists is "yes" (its skip logic).
VALID_ANSWERS = st.fixed_dictionaries(
    {},
    optional={
        "org_exists": st.sampled_from(["yes", "no"]),
        "strategy_url": st.sampled_from(["https://gob.example/strategy", "http://x.example.org/a?b=1#c"]),
        "budget": st.floats(-1e12, 1e12, allow_nan=False),
        "channels": st.lists(st.sampled_from(["web", "mobile", "counter"]), min_size=1, max_size=3, unique=True),
        "staff": st.one_of(st.integers(0, 10**15), st.integers(0, 10**399)),
        "notes": st.one_of(PLAIN_TEXT.filter(lambda text: text.strip() == text and text != ""), AWKWARD_TEXT),
    },
).flatmap(
    lambda answers: (
        st.fixed_dictionaries({"org_year": st.integers(1990, 2100)}).map(lambda year: {**answers, **year})
        if answers.get("org_exists") == "yes"
        else st.just(answers)
    )
)


def assert_clear(problems: list[dict[str, Any]], filename: str, file_level: set[str]) -> list[dict[str, Any]]:
    """Every problem has a short message without a traceback; a file-level one names the file. Returns the
    problems that must say where (sheet, row, question) for the caller's own check."""
    assert problems, "a refusal without a single problem"
    located = []
    for problem in problems:
        message = str(problem["message"])
        assert message.strip() and "Traceback" not in message, problem
        assert len(message) < 1000, f"a message of {len(message)} characters"
        if problem["code"] in file_level:
            assert filename in message, problem
        else:
            located.append(problem)
    return located
