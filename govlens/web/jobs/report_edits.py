"""Analysts' edits of a release draft's regional report, in the platform: reads and writes of the database form of
an edits file (:mod:`govlens.reports.edits`).

An edit replaces one passage (a paragraph, a finding's sentence, a recommendation, a key message) in one language.
It is stored per cycle, so a release recomputed for the cycle takes it, and applied by the core exactly as the
CLI's ``--edits`` file is: the rows become an :class:`~govlens.reports.edits.EditSet` and
:func:`govlens.reports.chapter.chapter` applies it and checks every figure of an edited passage. A draft's report
files are written again after every change; publishing refuses a release while an edit is stale (a figure the
data no longer support), naming the passage and the figure. Every change is audited; only analysts and
administrators see or change edits.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml
from django.db import transaction
from django.utils import timezone

from govlens.i18n import LANGUAGES
from govlens.release import PublicationState, Release
from govlens.reports.chapter import Passage, chapter
from govlens.reports.edits import (
    Edit,
    EditSet,
    EditsInvalid,
    StaleFigure,
    dump_edits,
    parse_edit,
    parse_edits,
    stale_passages,
)
from govlens.web.accounts.selectors import Actor, AnyUser, is_manager, person
from govlens.web.audit.services import audit_record
from govlens.web.cycles.models import Cycle
from govlens.web.errors import Invalid, InvalidTransition, NotAllowed, NotFound, problem_row
from govlens.web.jobs.models import ChapterEdit
from govlens.web.jobs.publication import release_read, release_state

EDITS_FILE = "report-edits.yaml"  # written beside the report files: the edits they were written with
MAX_IMPORT_BYTES = 1_000_000


@dataclass(frozen=True)
class PassageRow:
    """One passage of the draft's report on the edit page: generated and, when edited, the edit and its problems."""

    passage: Passage
    edit: ChapterEdit | None
    stale: tuple[str, ...]  # the figures of the edit the data of this release do not support

    @property
    def target(self) -> str:
        return self.passage.target

    @property
    def kind(self) -> str:
        return self.passage.target.split(":", 1)[0]


# -- reads ----------------------------------------------------------------------------------------------------------
def _require_manager(user: AnyUser | None, what: str) -> None:
    if not is_manager(user):
        raise NotAllowed(f"only analysts and administrators may {what}")


def _edit(row: ChapterEdit) -> Edit:
    return Edit(row.target, row.language, row.text, row.by, timezone.localtime(row.saved_at).date().isoformat())


def cycle_edits(cycle_slug: str) -> EditSet | None:
    """The cycle's edits as the core reads an edits file; None when there is none."""
    rows = ChapterEdit.objects.filter(cycle__slug=cycle_slug).order_by("target", "language")
    edits = tuple(_edit(row) for row in rows)
    return EditSet(cycle=cycle_slug, edits=edits) if edits else None


def edits_stale(release: Release, edits: EditSet | None = None) -> list[StaleFigure]:
    """Every edited passage of the release's cycle (in every language edited) whose figures the release does not
    support, or whose passage the release lacks."""
    from govlens.reports.render import check_edits

    edits = edits if edits is not None else cycle_edits(release.cycle)
    if edits is None:
        return []
    return check_edits(release, edits, sorted({edit.language for edit in edits.edits}))


def edit_page(*, user: AnyUser | None, release_id: str, language: str) -> dict[str, object]:
    """The passages of the draft's report in ``language``, each generated and (when edited) as edited."""
    from govlens.reports.render import report_data

    _require_manager(user, "edit the text of a report")
    if language not in LANGUAGES:
        raise NotFound(f"language must be one of {', '.join(LANGUAGES)}; got {language!r}")
    release = release_read(release_id)
    edits = cycle_edits(release.cycle)
    made = chapter(report_data(release, language), edits)
    rows = {row.target: row for row in ChapterEdit.objects.filter(cycle__slug=release.cycle, language=language)}
    stale: dict[str, list[str]] = {}
    for problem in made.stale:
        stale.setdefault(problem.edit.target, []).append(problem.figure)
    passages = [
        PassageRow(passage, rows.get(passage.target), tuple(stale.get(passage.target, ()))) for passage in made.passages
    ]
    present = {passage.target for passage in made.passages}
    problems = edits_stale(release, edits)
    return {
        "release": release,
        "state": release_state(release_id).value,
        "language": language,
        "passages": passages,
        "orphans": [row for target, row in rows.items() if target not in present],  # edits this release lacks
        "problems": [str(problem) for problem in problems],
        "stale_count": stale_passages(problems),
        "counts": {
            lang: ChapterEdit.objects.filter(cycle__slug=release.cycle, language=lang).count() for lang in LANGUAGES
        },
    }


def edits_export(*, user: AnyUser | None, release_id: str) -> str:
    """The cycle's edits as an edits file (YAML) for ``govlens report --edits``."""
    _require_manager(user, "export the edits of a report")
    release = release_read(release_id)
    return dump_edits(cycle_edits(release.cycle) or EditSet(cycle=release.cycle, edits=()))


# -- writes ---------------------------------------------------------------------------------------------------------
def _editable(release_id: str) -> tuple[Release, Cycle]:
    release = release_read(release_id)
    if release_state(release_id) is PublicationState.PUBLISHED:
        raise InvalidTransition(f"release {release_id} is published: edit the text of a new draft of the cycle")
    cycle = Cycle.objects.filter(slug=release.cycle).first()
    if cycle is None:
        raise NotFound(f"no cycle called '{release.cycle}'")
    return release, cycle


def _invalid(error: EditsInvalid) -> Invalid:
    return Invalid(str(error), problems=[problem_row("edit_invalid", field="edit", reason=str(error))])


def _generated(release: Release, target: str, language: str) -> str:
    from govlens.reports.render import report_data

    made = chapter(report_data(release, language))
    return next((passage.generated for passage in made.passages if passage.target == target), "")


def _store(
    *, actor: Actor, release: Release, cycle: Cycle, edit: Edit, generated: str, note: str = ""
) -> ChapterEdit | None:
    """Save one edit (or remove it when its text is the generated one), audited; None when removed."""
    previous = ChapterEdit.objects.filter(cycle=cycle, target=edit.target, language=edit.language).first()
    old = previous.text if previous is not None else None
    if generated and " ".join(generated.split()) == edit.text:
        if previous is not None:
            previous.delete()
            _audit(actor, cycle, edit.target, edit.language, old, None, f"{note}the generated text again".strip())
        return None
    row, _ = ChapterEdit.objects.update_or_create(
        cycle=cycle,
        target=edit.target,
        language=edit.language,
        defaults={
            "text": edit.text,
            "generated": generated,
            "release_id": release.id,
            "by": edit.by,
            "saved_by": person(actor),
        },
    )
    if old != edit.text:
        _audit(actor, cycle, edit.target, edit.language, old, edit.text, f"{note}on release {release.id}".strip())
    return row


def _audit(actor: Actor, cycle: Cycle, target: str, language: str, old: str | None, new: str | None, note: str) -> None:
    audit_record(
        actor=actor,
        object_type="report_edit",
        object_id=f"{cycle.slug}/{target}/{language}"[:200],
        field="text",
        old=old,
        new=new,
        cycle_slug=cycle.slug,
        note=note[:500],
    )


def _username(actor: Actor) -> str:
    user = person(actor)
    return user.get_username() if user is not None else "system"


def report_edit_save(*, actor: Actor, release_id: str, target: str, language: str, text: str) -> ChapterEdit | None:
    """Replace one passage of the draft's report (the cycle's, so later drafts keep it); the text the report
    generates removes the edit. The draft's report files are written again."""
    if actor is not None:
        _require_manager(person(actor), "edit the text of a report")
    release, cycle = _editable(release_id)
    entry = {"target": target, "language": language, "by": _username(actor), "text": text}
    try:
        edit = parse_edit(entry)
    except EditsInvalid as error:
        raise _invalid(error) from error
    with transaction.atomic():
        row = _store(
            actor=actor, release=release, cycle=cycle, edit=edit, generated=_generated(release, target, language)
        )
    report_files_write(release, [language])
    return row


def report_edit_revert(*, actor: Actor, release_id: str, target: str, language: str) -> None:
    """Back to the generated passage: the edit is removed (audited) and the draft's report files written again."""
    if actor is not None:
        _require_manager(person(actor), "edit the text of a report")
    release, cycle = _editable(release_id)
    with transaction.atomic():
        row = ChapterEdit.objects.select_for_update().filter(cycle=cycle, target=target, language=language).first()
        if row is None:
            raise NotFound(f"{target} in {language} is not edited")
        old = row.text
        row.delete()
        _audit(actor, cycle, target, language, old, None, f"reverted to the generated text on release {release.id}")
    report_files_write(release, [language])


def report_edits_import(*, actor: Actor, release_id: str, content: bytes, filename: str = "edits.yaml") -> int:
    """Store every edit of an edits file (the CLI's YAML) for the draft's cycle; the file's ``by`` names who wrote
    each, the audit trail who imported it. Nothing is stored when any entry is invalid. The number stored."""
    if actor is not None:
        _require_manager(person(actor), "edit the text of a report")
    release, cycle = _editable(release_id)
    if len(content) > MAX_IMPORT_BYTES:
        raise Invalid(
            f"{filename}: an edits file may be at most {MAX_IMPORT_BYTES} bytes; got {len(content)}",
            problems=[problem_row("edit_invalid", field="file", reason=f"{len(content)} bytes")],
        )
    try:
        edits = parse_edits(yaml.safe_load(content.decode("utf-8")), filename)
    except UnicodeDecodeError as error:
        raise _invalid(EditsInvalid(f"{filename}: is not UTF-8 text")) from error
    except yaml.YAMLError as error:
        raise _invalid(EditsInvalid(f"{filename}: is not valid YAML: {error}")) from error
    except EditsInvalid as error:
        raise _invalid(error) from error
    if edits.cycle != cycle.slug:
        message = (
            f"{filename}: the edits are for cycle {edits.cycle!r}; release {release.id} is of cycle {cycle.slug!r}"
        )
        raise _invalid(EditsInvalid(message))
    generated = _all_generated(release, sorted({edit.language for edit in edits.edits}))
    with transaction.atomic():
        for edit in edits.edits:
            note = f"imported from {filename} (written by {edit.by}) "
            _store(
                actor=actor,
                release=release,
                cycle=cycle,
                edit=edit,
                generated=generated.get((edit.target, edit.language), ""),
                note=note,
            )
    report_files_write(release, sorted({edit.language for edit in edits.edits}))
    return len(edits.edits)


def _all_generated(release: Release, languages: Sequence[str]) -> Mapping[tuple[str, str], str]:
    from govlens.reports.render import report_data

    return {
        (passage.target, language): passage.generated
        for language in languages
        for passage in chapter(report_data(release, language)).passages
    }


def report_files_write(release: Release, languages: Sequence[str] | None = None) -> list[Path]:
    """Write the release's regional report files again with the cycle's edits (the languages and formats already
    written, or only ``languages`` of them), and the edits file beside them. A stale edit is shown as edited: the
    draft is an analyst's preview, and publishing checks the edits first."""
    from govlens.reports.render import publish
    from govlens.web.followup.selectors import follow_up_of
    from govlens.web.jobs.selectors import release_files
    from govlens.web.jobs.services import outputs_directory

    written: dict[str, set[str]] = {}
    for name in release_files(release.id):
        stem, _, format = name.rpartition(".")
        if stem.startswith("report-") and stem[len("report-") :] in LANGUAGES:
            written.setdefault(stem[len("report-") :], set()).add(format)
    chosen = [language for language in written if languages is None or language in languages]
    if not chosen:
        return []
    edits = cycle_edits(release.cycle)
    folder = outputs_directory() / release.id
    paths: list[Path] = []
    for language in chosen:
        formats = sorted(written[language] & {"html", "pdf"})
        paths += publish(
            release,
            folder,
            languages=[language],
            countries=[],
            formats=formats,
            edits=edits,
            allow_stale=True,
            follow_up=follow_up_of(release),
        )
    (folder / EDITS_FILE).write_text(dump_edits(edits or EditSet(release.cycle, ())), encoding="utf-8")
    return paths
