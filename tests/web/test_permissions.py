"""The permission matrix: every role against every endpoint and page, for both allow and deny.

The target is always the response of ARG (country A). Each case starts from the workflow state its action
needs, so an allowed role gets the success status and a denied role gets 403 (401 or a login redirect for
anonymous visitors) — and never a glimpse of the data.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from govlens.data.prefill import Suggestion
from govlens.web.accounts.services import contributor_set
from govlens.web.audit.models import AuditEvent
from govlens.web.collection.models import EvidenceFile, Response
from govlens.web.collection.selectors import response_workbook
from govlens.web.collection.services import (
    evidence_upload,
    response_save,
    response_submit,
    response_suggestions_store,
)
from govlens.web.followup.models import PlanEvidenceFile
from govlens.web.jobs.models import ReleaseJob
from govlens.web.jobs.services import release_request
from govlens.web.publish import selectors
from govlens.web.review.models import ReviewComment
from govlens.web.review.services import review_approve, review_comment_add

from .conftest import PASSWORD, RESPONSE_ARG, Api, World
from .followup import fixtures as followup

# contrib_arg and contrib_bra: contributors of ARG and of BRA, each delegated the "services" section only
ROLES = (
    "anonymous",
    "focal_arg",
    "focal_bra",
    "contrib_arg",
    "contrib_bra",
    "reviewer_arg",
    "reviewer_bra",
    "analyst",
    "admin",
)
EVERYONE = frozenset(ROLES) - {"anonymous"}
PUBLIC = frozenset(ROLES)  # the published results: anyone, signed in or not
READERS = frozenset({"focal_arg", "reviewer_arg", "analyst", "admin"})
EDITORS = frozenset({"focal_arg", "analyst", "admin"})
REVIEWERS = frozenset({"reviewer_arg", "analyst", "admin"})
MANAGERS = frozenset({"analyst", "admin"})
COORDINATORS = frozenset({"focal_arg", "analyst", "admin"})  # who delegates ARG's sections
# ARG's contributor also reads and answers the questions of its section (staff is in "services"), nothing else
SECTION_READERS = READERS | {"contrib_arg"}
SECTION_EDITORS = EDITORS | {"contrib_arg"}
PAGE_ARG = "/cycles/lac-2026/responses/ARG/"


def _draft(world: World) -> None:
    return None


def _complete(world: World) -> None:
    response_save(
        actor=world.users["analyst"],
        cycle_slug="lac-2026",
        iso3="ARG",
        version=0,
        answers={"org_exists": "no", "channels": ["web"]},
    )


def _submitted(world: World) -> None:
    _complete(world)
    response_submit(actor=world.users["analyst"], cycle_slug="lac-2026", iso3="ARG")


def _approved(world: World) -> None:
    _submitted(world)
    review_approve(actor=world.users["analyst"], cycle_slug="lac-2026", iso3="ARG")


def _both_approved(world: World) -> None:
    """ARG and BRA approved, with different answers: a release of two scored countries may be made."""
    _approved(world)
    response_save(
        actor=world.users["analyst"],
        cycle_slug="lac-2026",
        iso3="BRA",
        version=0,
        answers={"org_exists": "yes", "org_year": 2020, "channels": ["web"]},
    )
    response_submit(actor=world.users["analyst"], cycle_slug="lac-2026", iso3="BRA")
    review_approve(actor=world.users["analyst"], cycle_slug="lac-2026", iso3="BRA")


def _with_file(world: World) -> None:
    upload = SimpleUploadedFile("decree.pdf", b"%PDF-1.4 org_exists", content_type="application/pdf")
    evidence_upload(
        actor=world.users["focal_arg"], cycle_slug="lac-2026", iso3="ARG", question="org_exists", upload=upload
    )


def _with_comment(world: World) -> None:
    review_comment_add(
        actor=world.users["reviewer_arg"],
        cycle_slug="lac-2026",
        iso3="ARG",
        text="Which decree?",
        question="staff",
        clarification=True,
    )


def _resolve_url() -> str:
    return f"{PAGE_ARG}comments/{ReviewComment.objects.get().pk}/resolve"


def _with_suggestion(world: World) -> None:
    suggestion = Suggestion("staff", "7", "gtmi-indicators", "I-1", 2022, 7.0, "World Bank", "")
    response_suggestions_store(actor=None, cycle_slug="lac-2026", iso3="ARG", suggestions=[suggestion])


def _file_url() -> str:
    return f"{PAGE_ARG}files/{EvidenceFile.objects.get().pk}"


def _api_file_url() -> str:
    return f"{RESPONSE_ARG}/evidence/{EvidenceFile.objects.get().pk}"


def _with_job(world: World) -> None:
    _both_approved(world)
    release_request(actor=None, cycle="lac-2026", languages=["en"], replications=50)


DRAFT = "lac-2026-r1"


def _with_draft_release(world: World) -> None:
    """A release made by the platform: a draft, with its report and profiles (HTML only, no benchmarks)."""
    from django.conf import settings

    from govlens.web.jobs.services import release_job_run

    settings.GOVLENS_RELEASE_FORMATS = ("html",)
    settings.GOVLENS_RELEASE_BENCHMARKS = False
    _with_job(world)
    assert release_job_run(job_id=ReleaseJob.objects.get().pk) is not None


def _in_validation(world: World) -> None:
    import datetime as dt

    from govlens.web.jobs.publication import validation_open

    _with_draft_release(world)
    validation_open(actor=None, release_id=DRAFT, deadline=dt.date.today() + dt.timedelta(days=7))


# Rules for the tiny framework, so that its releases have regional statements to validate: ARG (no agency) is
# addressed by the recommendation of the only rule, BRA (an agency) counted in its finding.
TINY_RULES = """govlens_rules: 1
framework: tiny
rules:
  - id: tiny-agency
    finding: F01
    question: org_exists
    options: ["yes"]
    statement: {en: "{Countries} ({fraction}) have an agency.", es: "{Countries} ({fraction}) tienen una agencia.",
                pt: "{Countries} ({fraction}) têm uma agência.", fr: "{Countries} ({fraction}) ont une agence."}
    recommend_below: 0.95
    recommendation: {en: "Create an agency.", es: "Crear una agencia.", pt: "Criar uma agência.",
                     fr: "Créer une agence."}
"""
STATEMENT_ARG = "statement:tiny-agency:recommendation"


def _with_statement_comment(world: World) -> None:
    """In validation, with ARG's focal point's comment on the statement that concerns ARG."""
    from govlens.web.jobs.publication import validation_review

    _in_validation(world)
    validation_review(
        actor=world.users["focal_arg"],
        release_id=DRAFT,
        country="ARG",
        item=STATEMENT_ARG,
        decision="commented",
        comment="we created one",
    )


def _resolve_body() -> dict[str, Any]:
    from govlens.web.jobs.models import ValidationReview

    review = ValidationReview.objects.get(item=STATEMENT_ARG)
    return {"action": "resolve", "review": review.pk, "resolution": "replied", "reply": "noted"}


def _with_published_release(world: World) -> None:
    from govlens.web.jobs.publication import release_publish

    _with_draft_release(world)
    release_publish(actor=None, release_id=DRAFT)


def _with_report_edit(world: World) -> None:
    """A draft whose report an analyst edited (its introduction of the governance section)."""
    from govlens.web.jobs.report_edits import report_edit_save

    _with_draft_release(world)
    report_edit_save(actor=None, release_id=DRAFT, target="intro:governance", language="en", text="Our own words.")


def _job_url() -> str:
    return f"/jobs/{ReleaseJob.objects.get().pk}/"


def _job_json_url() -> str:
    return f"/jobs/{ReleaseJob.objects.get().pk}.json"


def _with_release(world: World) -> None:
    """A published release where the public dashboard reads releases (set by the test to a fresh folder)."""
    from django.conf import settings

    from govlens.release import create_release, save_release
    from tests.release.conftest import ANSWERS, tiny_framework

    made = create_release(tiny_framework(), ANSWERS, cycle="tiny-2026", release_id="tiny-2026-r1")
    save_release(made, settings.GOVLENS_RELEASES_DIR)


@dataclass(frozen=True)
class Case:
    name: str
    method: str
    url: str
    allowed: frozenset[str]
    ok: int
    body: Any = None
    state: Callable[[World], None] = _draft
    api: bool = True
    url_of: Callable[[], str] | None = None
    # Django's admin answers people without access with a redirect to its login page, not 403.
    denied: int | None = None
    writes: bool | None = None  # None: every non-GET except relevance writes


EDITS_FILE = (
    b"govlens_edits: 1\ncycle: lac-2026\nedits:\n  - {target: 'intro:data', language: es, by: ana, text: Datos.}\n"
)
TEXT = f"/jobs/releases/{DRAFT}/text/"
EDIT = {"action": "save", "target": "intro:governance", "language": "en", "text": "Our own words."}
REVERT = {"action": "revert", "target": "intro:governance", "language": "en"}
# the analysts' edits of a draft's report (issue 13): analysts and administrators only, every write audited
TEXT_CASES = [
    Case("report text page", "get", TEXT, MANAGERS, 200, state=_with_draft_release, api=False),
    Case("report text edit", "post", f"{TEXT}action", MANAGERS, 302, EDIT, _with_draft_release, api=False),
    Case("report text revert", "post", f"{TEXT}action", MANAGERS, 302, REVERT, _with_report_edit, api=False),
    Case("report text import", "post", f"{TEXT}action", MANAGERS, 302, "edits", _with_draft_release, api=False),
    Case("report text export", "get", f"{TEXT}edits.yaml", MANAGERS, 200, state=_with_report_edit, api=False),
]


PLAN_ARG = "/api/v1/cycles/lac-2026/action-plans/ARG"
RENAMED = {"version": 1, "actions": [dict(followup.ACTION, title="Renamed")]}
FOLLOWUP = "/cycles/lac-2026/follow-up/"
PLAN_FORM = {
    "version": "1",
    "a0_recommendation": followup.RECOMMENDATION,
    "a0_title": "Renamed",
    "a0_status": "planned",
}
# the follow-up (issue 16): recommendations and action plans, with the permission rules of responses
FOLLOWUP_CASES = [
    Case(
        "api recommendations",
        "get",
        "/api/v1/cycles/lac-2026/recommendations",
        EVERYONE,
        200,
        None,
        followup.with_register,
    ),
    Case("api plan list", "get", "/api/v1/cycles/lac-2026/action-plans", EVERYONE, 200, None, followup.with_plan),
    Case("api plan read", "get", PLAN_ARG, READERS, 200, None, followup.with_plan),
    Case("api plan write", "put", PLAN_ARG, EDITORS, 200, RENAMED, followup.with_plan),
    Case("api plan submit", "post", f"{PLAN_ARG}/submit", EDITORS, 200, {}, followup.with_plan),
    Case(
        "api plan request changes",
        "post",
        f"{PLAN_ARG}/request-changes",
        REVIEWERS,
        200,
        {"message": "m"},
        followup.with_submitted_plan,
    ),
    Case("api plan approve", "post", f"{PLAN_ARG}/approve", REVIEWERS, 200, {}, followup.with_submitted_plan),
    Case(
        "api plan publish",
        "post",
        f"{PLAN_ARG}/publish",
        MANAGERS,
        200,
        {"published": True},
        followup.with_approved_plan,
    ),
    Case("api plan history", "get", f"{PLAN_ARG}/history", READERS, 200, None, followup.with_plan),
    Case("api plan upload", "post", f"{PLAN_ARG}/evidence", EDITORS, 201, "plan-file", followup.with_plan),
    Case(
        "api plan file download",
        "get",
        "",
        READERS,
        200,
        state=followup.with_plan_file,
        url_of=lambda: f"{PLAN_ARG}/evidence/{PlanEvidenceFile.objects.get().pk}",
    ),
    Case("page follow-up", "get", FOLLOWUP, EVERYONE, 200, None, followup.with_plan, api=False),
    Case("page follow-up import", "post", f"{FOLLOWUP}register", MANAGERS, 302, {}, followup.with_release, api=False),
    Case("page plan", "get", f"{FOLLOWUP}ARG/", READERS, 200, None, followup.with_plan, api=False),
    Case("page plan save", "post", f"{FOLLOWUP}ARG/save", EDITORS, 302, PLAN_FORM, followup.with_plan, api=False),
    Case("page plan submit", "post", f"{FOLLOWUP}ARG/submit", EDITORS, 302, {}, followup.with_plan, api=False),
    Case("page plan upload", "post", f"{FOLLOWUP}ARG/upload", EDITORS, 302, "plan-file", followup.with_plan, api=False),
    Case(
        "page plan file download",
        "get",
        "",
        READERS,
        200,
        state=followup.with_plan_file,
        api=False,
        url_of=lambda: f"{FOLLOWUP}ARG/files/{PlanEvidenceFile.objects.get().pk}",
    ),
    Case(
        "page plan request changes",
        "post",
        f"{FOLLOWUP}ARG/request-changes",
        REVIEWERS,
        302,
        {"message": "m"},
        followup.with_submitted_plan,
        api=False,
    ),
    Case(
        "page plan approve",
        "post",
        f"{FOLLOWUP}ARG/approve",
        REVIEWERS,
        302,
        {},
        followup.with_submitted_plan,
        api=False,
    ),
    Case(
        "page plan publish", "post", f"{FOLLOWUP}ARG/publish", MANAGERS, 302, {}, followup.with_approved_plan, api=False
    ),
    Case("public follow-up", "get", "/results/follow-up/", PUBLIC, 200, None, followup.with_published_plan, api=False),
    Case(
        "public follow-up country",
        "get",
        "/results/follow-up/countries/ARG/",
        PUBLIC,
        200,
        None,
        followup.with_published_plan,
        api=False,
    ),
    Case(
        "public follow-up recommendation",
        "get",
        f"/results/follow-up/recommendations/{followup.RECOMMENDATION}/",
        PUBLIC,
        200,
        None,
        followup.with_published_plan,
        api=False,
    ),
    Case(
        "public follow-up export",
        "get",
        "/results/follow-up/export/milestones.csv",
        PUBLIC,
        200,
        None,
        followup.with_published_plan,
        api=False,
    ),
]

CASES = [
    Case("api cycles", "get", "/api/v1/cycles", EVERYONE, 200),
    Case("api cycle", "get", "/api/v1/cycles/lac-2026", EVERYONE, 200),
    Case("api response list", "get", "/api/v1/cycles/lac-2026/responses", EVERYONE, 200),
    Case("api response read", "get", RESPONSE_ARG, SECTION_READERS, 200),
    Case("api response save", "patch", RESPONSE_ARG, SECTION_EDITORS, 200, {"version": 0, "answers": {"staff": 3}}),
    Case(
        "api save outside sections",
        "patch",
        RESPONSE_ARG,
        EDITORS,
        200,
        {"version": 0, "answers": {"org_exists": "yes"}},
    ),
    Case("api submit", "post", f"{RESPONSE_ARG}/submit", EDITORS, 200, {}, _complete),
    Case(
        "api request changes", "post", f"{RESPONSE_ARG}/request-changes", REVIEWERS, 200, {"message": "m"}, _submitted
    ),
    Case("api approve", "post", f"{RESPONSE_ARG}/approve", REVIEWERS, 200, {}, _submitted),
    Case("api reopen", "post", f"{RESPONSE_ARG}/reopen", MANAGERS, 200, {"reason": "r"}, _approved),
    Case("api history", "get", f"{RESPONSE_ARG}/history", READERS, 200),
    Case("api evidence upload", "post", f"{RESPONSE_ARG}/evidence", SECTION_EDITORS, 201, "upload"),
    Case("api evidence download", "get", "", READERS, 200, state=_with_file, url_of=_api_file_url),
    Case("home", "get", "/", EVERYONE, 200, api=False),
    Case("cycle page", "get", "/cycles/lac-2026/", EVERYONE, 200, api=False),
    Case("review queue", "get", "/review/", REVIEWERS | {"reviewer_bra"}, 200, api=False),
    Case("page response", "get", PAGE_ARG, SECTION_READERS, 200, api=False),
    Case("page delegated section", "get", f"{PAGE_ARG}sections/services/", SECTION_READERS, 200, api=False),
    Case("page other section", "get", f"{PAGE_ARG}sections/governance/", READERS, 200, api=False),
    Case("page whole questionnaire", "get", f"{PAGE_ARG}all", SECTION_READERS, 200, api=False),  # theirs only
    Case("page contributors", "get", f"{PAGE_ARG}contributors", COORDINATORS, 200, api=False),
    Case(
        "page delegate",
        "post",
        f"{PAGE_ARG}contributors",
        COORDINATORS,
        302,
        {"username": "dpa", "institution": "Data protection authority", "sections": "services", "password": PASSWORD},
        api=False,
    ),
    Case(
        "page save",
        "post",
        f"{PAGE_ARG}save",
        SECTION_EDITORS,
        302,
        {"version": "0", "q": "staff", "a_staff": "3"},
        api=False,
    ),
    Case(
        "page relevance",
        "post",
        f"{PAGE_ARG}relevance",
        SECTION_READERS,
        200,
        {"q": "org_exists", "a_org_exists": "yes"},
        api=False,
    ),
    Case("page submit", "post", f"{PAGE_ARG}submit", EDITORS, 302, {"version": "1"}, _complete, api=False),
    Case("page upload", "post", f"{PAGE_ARG}upload", SECTION_EDITORS, 302, "upload", api=False),
    Case("page file download", "get", "", READERS, 200, state=_with_file, api=False, url_of=_file_url),
    Case("page workbook download", "get", f"{PAGE_ARG}workbook.xlsx", READERS, 200, api=False),
    Case("page workbook upload", "post", f"{PAGE_ARG}workbook", EDITORS, 200, "workbook", api=False, writes=False),
    Case(
        "page workbook accept",
        "post",
        f"{PAGE_ARG}workbook/accept",
        EDITORS,
        302,
        {"version": "0", "payload": '{"answers": {"staff": 4}}'},
        api=False,
    ),
    Case("page resolve comment", "post", "", REVIEWERS, 302, {}, _with_comment, api=False, url_of=_resolve_url),
    Case(
        "page use suggestion",
        "post",
        f"{PAGE_ARG}suggestion",
        SECTION_EDITORS,
        302,
        {"version": "0", "suggestion": "staff"},
        _with_suggestion,
        api=False,
    ),
    Case(
        "page comment",
        "post",
        f"{PAGE_ARG}comment",
        READERS,
        302,
        {"text": "See decree", "question": "staff"},
        api=False,
    ),
    Case(
        "page request changes",
        "post",
        f"{PAGE_ARG}request-changes",
        REVIEWERS,
        302,
        {"message": "m"},
        _submitted,
        api=False,
    ),
    Case("page approve", "post", f"{PAGE_ARG}approve", REVIEWERS, 302, {}, _submitted, api=False),
    Case("page reopen", "post", f"{PAGE_ARG}reopen", MANAGERS, 302, {"reason": "r"}, _approved, api=False),
    Case("page audit trail", "get", f"{PAGE_ARG}audit", READERS, 200, api=False),
    Case("page audit csv", "get", f"{PAGE_ARG}audit.csv", READERS, 200, api=False),
    Case("publish page", "get", "/jobs/cycles/lac-2026/publish", MANAGERS, 200, api=False),
    Case(
        "publish request",
        "post",
        "/jobs/cycles/lac-2026/publish",
        MANAGERS,
        302,
        {"languages": ["en"], "replications": "50", "seed": "0"},
        _both_approved,
        api=False,
    ),
    Case("job page", "get", "", MANAGERS, 200, state=_with_job, api=False, url_of=_job_url),
    Case("job status json", "get", "", MANAGERS, 200, state=_with_job, api=False, url_of=_job_json_url),
    Case("release page", "get", f"/jobs/releases/{DRAFT}/", MANAGERS, 200, state=_with_draft_release, api=False),
    Case(
        "release publish",
        "post",
        f"/jobs/releases/{DRAFT}/action",
        MANAGERS,
        302,
        {"action": "publish"},
        _with_draft_release,
        api=False,
    ),
    Case(
        "validation page",
        "get",
        f"/jobs/releases/{DRAFT}/validation/ARG/",
        frozenset({"focal_arg", "analyst", "admin"}),
        200,
        state=_in_validation,
        api=False,
    ),
    Case(
        "validation answer",
        "post",
        f"/jobs/releases/{DRAFT}/validation/ARG/",
        frozenset({"focal_arg"}),
        302,
        {"item": "profile", "decision": "accepted"},
        _in_validation,
        api=False,
    ),
    Case(
        "validation answer on a statement",
        "post",
        f"/jobs/releases/{DRAFT}/validation/ARG/",
        frozenset({"focal_arg"}),
        302,
        {"item": STATEMENT_ARG, "decision": "commented", "comment": "this is out of date"},
        _in_validation,
        api=False,
    ),
    Case(
        "validation comment resolve",
        "post",
        f"/jobs/releases/{DRAFT}/action",
        MANAGERS,
        302,
        "resolve",
        _with_statement_comment,
        api=False,
    ),
    Case(
        "published report file",
        "get",
        f"/results/files/{DRAFT}/report-en.html",
        PUBLIC,
        200,
        state=_with_published_release,
        api=False,
    ),
    Case(
        "api validation items",
        "get",
        f"/api/v1/releases/{DRAFT}/validation/ARG",
        frozenset({"focal_arg", "analyst", "admin"}),
        200,
        state=_in_validation,
    ),
    Case(
        "api validation answer",
        "post",
        f"/api/v1/releases/{DRAFT}/validation/ARG",
        frozenset({"focal_arg"}),
        200,
        {"item": "profile", "decision": "accepted"},
        _in_validation,
    ),
    Case(
        "api validation answer on a statement",
        "post",
        f"/api/v1/releases/{DRAFT}/validation/ARG",
        frozenset({"focal_arg"}),
        200,
        {"item": STATEMENT_ARG, "decision": "accepted"},
        _in_validation,
    ),
    Case("api release publish", "post", f"/api/v1/releases/{DRAFT}/publish", MANAGERS, 200, None, _with_draft_release),
    Case("public overview", "get", "/results/", PUBLIC, 200, state=_with_release, api=False),
    Case("public country", "get", "/results/countries/ARG/", PUBLIC, 200, state=_with_release, api=False),
    Case("public indicator", "get", "/results/indicators/IDX/", PUBLIC, 200, state=_with_release, api=False),
    Case("public export csv", "get", "/results/export/csv/", PUBLIC, 200, state=_with_release, api=False),
    Case("public export xlsx", "get", "/results/export/xlsx/", PUBLIC, 200, state=_with_release, api=False),
    *FOLLOWUP_CASES,
    *TEXT_CASES,
    Case("admin index", "get", "/admin/", MANAGERS, 200, api=False, denied=302),
    Case("admin cycles", "get", "/admin/cycles/cycle/", MANAGERS, 200, api=False, denied=302),
    Case("admin memberships", "get", "/admin/accounts/membership/", MANAGERS, 200, api=False, denied=302),
    Case("admin audit", "get", "/admin/audit/auditevent/", MANAGERS, 200, api=False, denied=302),
    Case("admin action plans", "get", "/admin/followup/actionplan/", MANAGERS, 200, api=False, denied=302),
]


def _matrix() -> list[Any]:
    return [pytest.param(case, role, id=f"{case.name}-{role}") for case in CASES for role in ROLES]


def _page_client(role: str) -> Client:
    client = Client()
    if role != "anonymous":
        assert client.login(username=role, password=PASSWORD)
    return client


@pytest.mark.parametrize(("case", "role"), _matrix())
def test_permission_matrix(
    world: World, case: Case, role: str, settings: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.GOVLENS_RELEASES_DIR = tmp_path / "releases"
    from govlens.analysis import narrative

    rules = tmp_path / "rules"  # the bundled rules and the tiny framework's
    rules.mkdir()
    for path in narrative.RULES_DIR.glob("*.yaml"):
        (rules / path.name).write_bytes(path.read_bytes())
    (rules / "tiny.yaml").write_text(TINY_RULES, encoding="utf-8")
    monkeypatch.setattr(narrative, "RULES_DIR", rules)
    if role.startswith("contrib_"):
        contributor_set(
            actor=None,
            cycle_slug="lac-2026",
            iso3=role[-3:],
            username=role,
            institution="Budget office",
            sections=["services"],
            password=PASSWORD,
        )
    selectors.cache_clear()  # the dashboard's pages of another test's release
    case.state(world)
    url = case.url_of() if case.url_of is not None else case.url
    events_before = AuditEvent.objects.count()
    if case.api:
        api = Api(None if role == "anonymous" else role)
        if case.body == "upload":  # multipart, like the page's upload form
            upload = {"question": "staff", "file": SimpleUploadedFile("staff.csv", b"year,staff\n2025,40\n")}
            reply = api.client.post(url, upload, headers=api.headers)
        elif case.body == "plan-file":
            upload = {"action": "0", "file": SimpleUploadedFile("decree.pdf", followup.PDF)}
            reply = api.client.post(url, upload, headers=api.headers)
        else:
            reply = api.get(url) if case.method == "get" else getattr(api, case.method)(url, case.body)
        denied = 401 if role == "anonymous" else 403
    else:
        client = _page_client(role)
        body = case.body
        if body == "upload":
            body = {"question": "staff", "file": SimpleUploadedFile("staff.csv", b"year,staff\n2025,40\n")}
        elif body == "plan-file":  # the form beside a plan's action
            body = {"action": "0", "file": SimpleUploadedFile("decree.pdf", followup.PDF)}
        elif body == "edits":  # the CLI's edits file, uploaded on the text page of the draft
            body = {"action": "import", "file": SimpleUploadedFile("edits.yaml", EDITS_FILE)}
        elif body == "resolve":
            body = _resolve_body()
        elif body == "workbook":
            data = response_workbook(Response.objects.get(country__iso3="ARG"), language="en")
            body = {"workbook": SimpleUploadedFile("arg.xlsx", data)}
        reply = client.get(url) if case.method == "get" else client.post(url, body or {})
        denied = 302 if role == "anonymous" else (case.denied or 403)
    expected = case.ok if role in case.allowed else denied
    assert reply.status_code == expected, reply.content[:300]
    # Every successful write leaves an audit event; a denied one leaves none.
    writes = case.writes if case.writes is not None else case.method != "get" and "relevance" not in case.name
    if writes:
        grew = AuditEvent.objects.count() > events_before
        assert grew is (role in case.allowed)
    if role not in case.allowed:
        # A denied reply never carries the response's answers.
        assert b"org_exists" not in reply.content
        if denied == 302:
            assert "/login/" in reply["Location"]
