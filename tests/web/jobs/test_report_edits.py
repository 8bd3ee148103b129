"""Analysts' edits of a draft's report in the platform: every passage editable (generated against edited, by whom
and when, revert), stored per cycle so that a recomputed draft keeps them, applied by the core when the report
files are written, exported and imported as the CLI's edits file, and a stale figure in an edited sentence blocks
publication with a message naming the sentence and the figure."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from typer.testing import CliRunner

from govlens.analysis import synthetic
from govlens.cli import app
from govlens.framework import catalogue
from govlens.framework.model import Evidence
from govlens.release import publication_get
from govlens.reports.edits import read_edits
from govlens.web.audit.models import AuditEvent
from govlens.web.collection.services import response_reopen, response_save, response_submit
from govlens.web.cycles.services import cycle_create
from govlens.web.errors import Invalid, InvalidTransition, NotAllowed
from govlens.web.jobs.models import ChapterEdit
from govlens.web.jobs.publication import release_publish
from govlens.web.jobs.report_edits import (
    PassageRow,
    edit_page,
    report_edit_revert,
    report_edit_save,
    report_edits_import,
)
from govlens.web.jobs.services import release_job_run, release_request
from govlens.web.review.services import review_approve
from tests.web.conftest import FRAMEWORKS, Api, World

LAC = "lac-edits-2026"
COUNTRIES = ("ARG", "BRA", "CHL", "COL", "MEX", "URY")
RULE = "f01-lead-organisation"
QUESTION = "gov_dg_org_exists"
FIRST, SECOND = f"{LAC}-r1", f"{LAC}-r2"


@pytest.fixture(scope="module")
def lac_answers() -> dict[str, dict[str, object]]:
    responses = synthetic.synthetic_answers(catalogue.load("lac-dgr"), COUNTRIES, seed=5)
    return {country: dict(given) for country, given in responses.answers.items()}


def _release(world: World) -> str:
    job = release_request(actor=world.users["analyst"], cycle=LAC, languages=["en", "es"], replications=20)
    done = release_job_run(job_id=job.pk)
    assert done is not None and done.release_id
    return done.release_id


@pytest.fixture
def draft(world: World, lac_answers: dict[str, dict[str, object]]) -> World:
    FRAMEWORKS["lac-dgr"] = catalogue.load("lac-dgr")
    cycle_create(actor=None, slug=LAC, framework="lac-dgr", countries=list(COUNTRIES), title="LAC edits 2026")
    analyst = world.users["analyst"]
    framework = FRAMEWORKS["lac-dgr"]
    cited = {q.name: ["https://example.org/law"] for q in framework.questions() if q.evidence is Evidence.REQUIRED}
    for iso3 in COUNTRIES:
        answers = lac_answers[iso3]
        links = {name: urls for name, urls in cited.items() if answers.get(name) not in (None, "", [])}
        response_save(actor=analyst, cycle_slug=LAC, iso3=iso3, version=0, answers=answers, evidence_urls=links)
        response_submit(actor=analyst, cycle_slug=LAC, iso3=iso3)
        review_approve(actor=analyst, cycle_slug=LAC, iso3=iso3)
    assert _release(world) == FIRST
    return world


WORDS = {2: "Two", 3: "Three", 4: "Four", 5: "Five", 6: "Six"}
INTRO = "Leadership decides whether digital reforms reach the whole of government, and ours is uneven."


def _client(world: World, name: str) -> Client:
    client = Client()
    client.force_login(world.users[name])
    return client


def _counted(answers: dict[str, dict[str, object]]) -> list[str]:
    return sorted(country for country in COUNTRIES if answers[country].get(QUESTION) == "yes")


def _finding_edit(answers: dict[str, dict[str, object]]) -> str:
    count = len(_counted(answers))
    share = int(count * 100 / len(COUNTRIES) + 0.5)
    return f"{WORDS[count]} of the six countries ({share}%) have a lead organisation, most of them in a ministry."


def _report(job_folders: Path, release_id: str, language: str = "en") -> str:
    return (job_folders / "outputs" / release_id / f"report-{language}.html").read_text(encoding="utf-8")


def _save(client: Client, release_id: str, target: str, text: str, language: str = "en") -> list[str]:
    action = f"/jobs/releases/{release_id}/text/action"
    reply = client.post(action, {"action": "save", "target": target, "language": language, "text": text}, follow=True)
    assert reply.status_code == 200
    return [str(message) for message in reply.context["messages"]]


def test_an_analyst_edits_a_paragraph_sees_both_texts_and_reverts(
    draft: World, lac_answers: dict[str, dict[str, object]], job_folders: Path
) -> None:
    analyst = _client(draft, "analyst")
    page = analyst.get(f"/jobs/releases/{FIRST}/text/", {"lang": "en"}).content.decode()
    rows: list[PassageRow] = edit_page(user=draft.users["analyst"], release_id=FIRST, language="en")["passages"]  # type: ignore[assignment]
    generated = next(row.passage.generated for row in rows if row.target == f"finding:{RULE}")
    assert f'id="passage-finding:{RULE}"' in page and generated in page
    text = _finding_edit(lac_answers)
    assert _save(analyst, FIRST, f"finding:{RULE}", text) == ["The edit is saved and the draft's report written again."]
    row = ChapterEdit.objects.get(target=f"finding:{RULE}", language="en")
    assert (row.by, row.release_id, row.generated, row.saved_by) == (
        "analyst",
        FIRST,
        generated,
        draft.users["analyst"],
    )
    event = AuditEvent.objects.filter(object_type="report_edit").latest("pk")
    assert (event.actor, event.old, event.new) == (draft.users["analyst"], None, text)
    assert event.object_id == f"{LAC}/finding:{RULE}/en" and FIRST in event.note
    # the page shows the edit beside the generated text, with who and when; the report file has it, marked
    page = analyst.get(f"/jobs/releases/{FIRST}/text/", {"lang": "en"}).content.decode()
    section = page[page.index(f'id="passage-finding:{RULE}"') :][:3000]
    assert 'data-provenance="edited"' in section and "Edited by analyst on" in section
    assert text in section and generated in section and "Revert to the generated text" in section
    report = _report(job_folders, FIRST)
    assert text in report and generated not in report
    assert f'data-provenance="edited" data-edited-by="analyst" data-rule="{RULE}"' in report
    assert 'data-provenance="edited"' not in _report(job_folders, FIRST, "es")  # an English edit: es generated
    # saving the generated text again removes the edit; so does reverting
    assert _save(analyst, FIRST, f"finding:{RULE}", generated) == ["The passage is the generated text again."]
    assert not ChapterEdit.objects.exists()
    _save(analyst, FIRST, f"finding:{RULE}", text)
    reply = analyst.post(
        f"/jobs/releases/{FIRST}/text/action", {"action": "revert", "target": f"finding:{RULE}", "language": "en"}
    )
    assert reply.status_code == 302 and not ChapterEdit.objects.exists()
    assert generated in _report(job_folders, FIRST) and text not in _report(job_folders, FIRST)
    reverted = AuditEvent.objects.filter(object_type="report_edit").latest("pk")
    assert (reverted.old, reverted.new) == (text, None) and "reverted" in reverted.note


def test_an_edit_survives_recomputation_and_a_stale_figure_blocks_publishing_on_the_web(
    draft: World, lac_answers: dict[str, dict[str, object]], job_folders: Path
) -> None:
    analyst = _client(draft, "analyst")
    text = _finding_edit(lac_answers)
    _save(analyst, FIRST, f"finding:{RULE}", text)
    _save(analyst, FIRST, "intro:governance", INTRO)
    # a focal point's correction: one country fewer has a lead organisation; the analyst recomputes the draft
    changed = _counted(lac_answers)[0]
    response_reopen(actor=draft.users["analyst"], cycle_slug=LAC, iso3=changed, reason="the agency was dissolved")
    from govlens.web.collection.models import Response

    version = Response.objects.get(cycle__slug=LAC, country__iso3=changed).version
    response_save(actor=draft.users["analyst"], cycle_slug=LAC, iso3=changed, version=version, answers={QUESTION: "no"})
    response_submit(actor=draft.users["analyst"], cycle_slug=LAC, iso3=changed)
    review_approve(actor=draft.users["analyst"], cycle_slug=LAC, iso3=changed)
    assert _release(draft) == SECOND
    # both edits are applied to the recomputed draft's report files
    report = _report(job_folders, SECOND)
    assert INTRO in report and text in report
    assert read_edits(job_folders / "outputs" / SECOND / "report-edits.yaml").get("intro:governance", "en")
    # the release page and the text page name the stale sentence and figure; publishing is refused
    word = WORDS[len(_counted(lac_answers))]
    page = analyst.get(f"/jobs/releases/{SECOND}/").content.decode()
    assert "Publishing is blocked: 1 edited passage no longer matches the data of this release." in page
    assert f"finding:{RULE} (en, edited by analyst): the figure {word} is not supported" in page
    text_page = analyst.get(f"/jobs/releases/{SECOND}/text/").content.decode()
    assert 'data-stale="true"' in text_page and f"Not supported by the data of this release: {word}" in text_page
    reply = analyst.post(f"/jobs/releases/{SECOND}/action", {"action": "publish"}, follow=True)
    shown = [str(message) for message in reply.context["messages"]]
    assert any("no longer match the data of release" in message for message in shown), shown
    assert any(f"the figure {word} is not supported" in m and f'in "{text}"' in m for m in shown), shown
    assert not publication_get(SECOND, job_folders / "releases").published
    with pytest.raises(Invalid) as refused:
        release_publish(actor=draft.users["analyst"], release_id=SECOND)
    figures = [problem["message"].split("the figure ")[1].split(" ")[0] for problem in refused.value.problems]
    assert {problem["code"] for problem in refused.value.problems} == {"edit_stale"}
    assert figures == [word, text.split("(")[1].split("%")[0]]  # the count in words and the share
    assert refused.value.message.startswith("1 edited passage(s) of the report no longer match the data of release")
    # the API refuses it too, in its one error shape, with a problem row per stale figure
    refused_api = Api("analyst").post(f"/api/v1/releases/{SECOND}/publish", {})
    assert refused_api.status_code == 422
    rows = refused_api.json()["error"]["details"]["problems"]
    assert [(row["code"], row["target"], row["figure"]) for row in rows] == [
        ("edit_stale", f"finding:{RULE}", figure) for figure in figures
    ]
    # and so does `govlens release publish`, one line per problem
    result = CliRunner().invoke(app, ["release", "publish", SECOND])
    assert result.exit_code == 1, result.output
    assert "edit_stale" in result.output and f"the figure {word} is not supported" in result.output
    # the analyst corrects the sentence: publication goes through, with both edits in the published report
    count = len(_counted(lac_answers)) - 1
    fixed = f"{WORDS[count]} of the six countries have a lead organisation, most of them in a ministry."
    _save(analyst, SECOND, f"finding:{RULE}", fixed)
    assert release_publish(actor=draft.users["analyst"], release_id=SECOND).value == "published"
    published = _report(job_folders, SECOND)
    assert fixed in published and INTRO in published and text not in published
    # a published release's text is no longer edited
    with pytest.raises(InvalidTransition):
        report_edit_save(
            actor=draft.users["analyst"], release_id=SECOND, target="intro:governance", language="en", text="Late."
        )


def test_the_edits_export_and_import_as_the_cli_file(draft: World, job_folders: Path) -> None:
    analyst = _client(draft, "analyst")
    _save(analyst, FIRST, "intro:governance", INTRO)
    reply = analyst.get(f"/jobs/releases/{FIRST}/text/edits.yaml")
    assert reply.status_code == 200 and reply["Content-Disposition"] == f'attachment; filename="edits-{FIRST}.yaml"'
    exported = job_folders / "exported.yaml"
    exported.write_bytes(reply.content)
    edits = read_edits(exported)  # what `govlens report --edits` reads
    assert edits.cycle == LAC and [(e.target, e.language, e.by, e.text) for e in edits.edits] == [
        ("intro:governance", "en", "analyst", INTRO)
    ]
    document = yaml.safe_load(reply.content)
    document["edits"].append(
        {"target": "intro:data", "language": "es", "by": "ana.rivera", "text": "Los datos sostienen los servicios."}
    )
    upload = SimpleUploadedFile("edits.yaml", yaml.safe_dump(document, allow_unicode=True).encode())
    reply = analyst.post(f"/jobs/releases/{FIRST}/text/action", {"action": "import", "file": upload}, follow=True)
    assert [str(m) for m in reply.context["messages"]] == ["2 edits imported."]
    row = ChapterEdit.objects.get(target="intro:data", language="es")
    assert row.by == "ana.rivera" and row.saved_by == draft.users["analyst"]
    assert "Los datos sostienen los servicios." in _report(job_folders, FIRST, "es")
    event = AuditEvent.objects.filter(object_type="report_edit").latest("pk")
    assert "imported from edits.yaml (written by ana.rivera)" in event.note
    # a bad file is refused whole, naming the entry and the field
    document["edits"].append({"target": "paragraph:x", "language": "en", "by": "a", "text": "t"})
    bad = SimpleUploadedFile("bad.yaml", yaml.safe_dump(document).encode())
    with pytest.raises(Invalid, match=r"bad.yaml: edit #3: target must be <kind>:<id>"):
        report_edits_import(actor=draft.users["analyst"], release_id=FIRST, content=bad.read(), filename="bad.yaml")
    other = dict(document, cycle="another-2026", edits=document["edits"][:1])
    with pytest.raises(Invalid, match=r"the edits are for cycle 'another-2026'"):
        report_edits_import(actor=draft.users["analyst"], release_id=FIRST, content=yaml.safe_dump(other).encode())
    assert ChapterEdit.objects.count() == 2


@pytest.mark.parametrize("role", ["focal_arg", "reviewer_arg"])
def test_only_analysts_edit_the_text(draft: World, role: str) -> None:
    with pytest.raises(NotAllowed):
        report_edit_save(actor=draft.users[role], release_id=FIRST, target="intro:governance", language="en", text="x")
    with pytest.raises(NotAllowed):
        edit_page(user=draft.users[role], release_id=FIRST, language="en")
    with pytest.raises(NotAllowed):
        report_edit_revert(actor=draft.users[role], release_id=FIRST, target="intro:governance", language="en")
    assert not ChapterEdit.objects.exists()


def test_a_validation_comment_on_a_statement_links_to_its_passage() -> None:
    from govlens.web.jobs.models import ValidationReview

    assert ValidationReview(item=f"statement:{RULE}:finding").passage == f"finding:{RULE}"
    assert ValidationReview(item=f"statement:{RULE}:recommendation").passage == f"recommendation:{RULE}"
    assert ValidationReview(item="profile").passage == ""
