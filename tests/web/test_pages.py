"""Server-rendered pages: questionnaire, skip logic, autosave, conflicts, uploads, audit export, languages."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from govlens.web.audit.views import spreadsheet_safe
from govlens.web.collection.models import EvidenceFile, Response
from govlens.web.collection.selectors import response_answers
from govlens.web.collection.services import response_save

from .conftest import PASSWORD, World

PAGE = "/cycles/lac-2026/responses/ARG/"


def _client(username: str) -> Client:
    client = Client()
    assert client.login(username=username, password=PASSWORD)
    return client


def _arg() -> Response:
    return Response.objects.get(country__iso3="ARG")


def test_login_page_logs_in_and_throttles(world: World, settings: Any) -> None:
    settings.GOVLENS_LOGIN_MAX_FAILURES = 2
    client = Client()
    assert client.get("/login/").status_code == 200
    reply = client.post("/login/", {"username": "focal_arg", "password": PASSWORD})
    assert (reply.status_code, reply["Location"]) == (302, "/")
    other = Client()
    for _ in range(2):
        assert other.post("/login/", {"username": "focal_bra", "password": "bad"}).status_code == 200
    refused = other.post("/login/", {"username": "focal_bra", "password": PASSWORD})
    assert refused.status_code == 200  # the form again, with the throttle message, and no session
    assert b"too many failed logins" in refused.content
    assert "_auth_user_id" not in other.session


def test_questionnaire_hides_skipped_questions_and_shows_hints(world: World) -> None:
    client = _client("focal_arg")
    html = client.get(PAGE).content.decode()  # the first section
    assert 'id="question-org_year" data-question="org_year" data-number="2" hidden' in html
    assert 'id="question-staff"' not in html  # another section, another page
    services = client.get(f"{PAGE}sections/services/").content.decode()
    assert 'id="question-staff" data-question="staff" data-number="6">' in services
    assert "The lead agency" in html
    assert 'name="csrfmiddlewaretoken"' in html


def test_form_save_then_resume(world: World) -> None:
    client = _client("focal_arg")
    reply = client.post(
        f"{PAGE}save",
        {
            "version": "0",
            "q": ["org_exists", "channels", "notes"],
            "a_org_exists": "yes",
            "a_channels": ["web", "counter"],
            "a_notes": "<script>alert(1)</script>",
        },
    )
    assert reply.status_code == 302
    assert response_answers(_arg()) == {
        "org_exists": "yes",
        "channels": ["web", "counter"],
        "notes": "<script>alert(1)</script>",
    }
    html = client.get(f"{PAGE}all").content.decode()
    # The draft is there when the focal point comes back, org_year is now asked, user text is escaped.
    assert 'id="question-org_year" data-question="org_year" data-number="2">' in html
    assert 'value="counter" checked' in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script>alert(1)</script>" not in html


def test_invalid_form_save_is_422_and_keeps_what_was_typed(world: World) -> None:
    reply = _client("focal_arg").post(f"{PAGE}save", {"version": "0", "q": ["staff"], "a_staff": "-4"})
    assert reply.status_code == 422
    assert 'value="-4"' in reply.content.decode()
    assert _arg().version == 0


def test_stale_form_save_is_409_showing_both_values(world: World) -> None:
    response_save(
        actor=world.users["analyst"], cycle_slug="lac-2026", iso3="ARG", version=0, answers={"notes": "analyst text"}
    )
    reply = _client("focal_arg").post(f"{PAGE}save", {"version": "0", "q": ["notes"], "a_notes": "focal text"})
    assert reply.status_code == 409
    html = reply.content.decode()
    assert "analyst text" in html and "focal text" in html
    assert response_answers(_arg()) == {"notes": "analyst text"}


def test_autosave_answers_json(world: World) -> None:
    client = _client("focal_arg")
    ok = client.post(
        f"{PAGE}save", {"version": "0", "q": ["staff"], "a_staff": "9"}, headers={"Accept": "application/json"}
    )
    assert ok.json() == {"status": "draft", "version": 1, "saved": ["staff"], "problems": []}
    stale = client.post(
        f"{PAGE}save", {"version": "0", "q": ["staff"], "a_staff": "10"}, headers={"Accept": "application/json"}
    )
    assert (stale.status_code, stale.json()["error"]["code"]) == (409, "version_conflict")


def test_relevance_endpoint_mirrors_skip_logic(world: World) -> None:
    client = _client("focal_arg")
    yes = client.post(f"{PAGE}relevance", {"q": ["org_exists"], "a_org_exists": "yes"}).json()["relevant"]
    no = client.post(f"{PAGE}relevance", {"q": ["org_exists"], "a_org_exists": "no"}).json()["relevant"]
    assert set(yes) - set(no) == {"org_year"}


def test_upload_limits_type_and_size_and_uses_generated_names(world: World, settings: Any) -> None:
    client = _client("focal_arg")
    exe = SimpleUploadedFile("tool.exe", b"MZ")
    client.post(f"{PAGE}upload", {"question": "org_exists", "file": exe})
    settings.GOVLENS_UPLOAD_MAX_BYTES = 10
    big = SimpleUploadedFile("big.pdf", b"%PDF" + b"x" * 20)
    client.post(f"{PAGE}upload", {"question": "org_exists", "file": big})
    assert EvidenceFile.objects.count() == 0
    settings.GOVLENS_UPLOAD_MAX_BYTES = 1000
    good = SimpleUploadedFile("../../Decreto 12.pdf", b"%PDF-1.4")
    client.post(f"{PAGE}upload", {"question": "org_exists", "file": good})
    stored = EvidenceFile.objects.get()
    assert stored.original_name == "Decreto 12.pdf"
    stored_name = stored.file.name or ""
    assert Path(stored_name).name != "Decreto 12.pdf"
    assert stored_name.startswith("evidence/lac-2026/ARG/") and stored_name.endswith(".pdf")
    download = client.get(f"{PAGE}files/{stored.pk}")
    assert download.getvalue() == b"%PDF-1.4"
    assert "Decreto 12.pdf" in download["Content-Disposition"]


def test_audit_csv_neutralises_formulas(world: World) -> None:
    response_save(
        actor=world.users["focal_arg"],
        cycle_slug="lac-2026",
        iso3="ARG",
        version=0,
        answers={"notes": '=HYPERLINK("http://evil.example","x")'},
        comments={"notes": "@SUM(A1)"},
    )
    reply = _client("reviewer_arg").get(f"{PAGE}audit.csv")
    rows = list(csv.reader(io.StringIO(reply.content.decode())))
    assert rows[0] == ["at", "who", "object", "object_id", "field", "old", "new", "note"]
    news = {row[4]: row[6] for row in rows[1:]}
    assert news == {"value": '\'=HYPERLINK("http://evil.example","x")', "comment": "'@SUM(A1)"}


def test_spreadsheet_safe_table() -> None:
    cases = {"=1+1": "'=1+1", "+1": "'+1", "-1": "'-1", "@x": "'@x", "plain": "plain", None: ""}
    assert {k: spreadsheet_safe(k) for k in cases} == cases
    assert spreadsheet_safe(["a", "b"]) == '["a", "b"]'
    assert spreadsheet_safe(-3) == "'-3"


def test_review_queue_and_actions_on_pages(world: World) -> None:
    response_save(
        actor=world.users["focal_arg"],
        cycle_slug="lac-2026",
        iso3="ARG",
        version=0,
        answers={"org_exists": "no", "channels": ["web"]},
    )
    focal = _client("focal_arg")
    assert focal.post(f"{PAGE}submit", {"version": "1"}).status_code == 302
    reviewer = _client("reviewer_arg")
    assert "Argentina" in reviewer.get("/review/").content.decode()
    assert "Argentina" not in _client("reviewer_bra").get("/review/").content.decode()
    reviewer.post(f"{PAGE}comment", {"question": "channels", "text": "Is the counter channel national?"})
    reviewer.post(f"{PAGE}request-changes", {"message": "Add the counter channel"})
    assert _arg().status == "changes_requested"
    html = focal.get(f"{PAGE}sections/services/").content.decode()
    assert "Is the counter channel national?" in html and "Add the counter channel" in html


def test_language_switch_translates_interface_and_questionnaire(world: World) -> None:
    client = _client("focal_arg")
    client.post("/i18n/setlang/", {"language": "es", "next": PAGE})
    html = client.get(PAGE).content.decode()
    assert '<html lang="es">' in html
    assert "[es] Governance" in html  # the framework's label in Spanish
    assert "Guardar borrador" in html  # the interface, from the compiled catalogue


def test_upload_content_must_match_its_type(world: World) -> None:
    client = _client("focal_arg")
    client.post(f"{PAGE}upload", {"question": "budget", "file": SimpleUploadedFile("budget.pdf", b"MZ\x90\x00")})
    assert EvidenceFile.objects.count() == 0
    client.post(f"{PAGE}upload", {"question": "budget", "file": SimpleUploadedFile("budget.pdf", b"%PDF-1.7\n")})
    assert EvidenceFile.objects.count() == 1


def test_home_shows_review_messages_of_my_countries_only(world: World) -> None:
    from govlens.web.collection.services import response_submit
    from govlens.web.review.services import review_request_changes

    for iso3, focal in (("ARG", "focal_arg"), ("BRA", "focal_bra")):
        response_save(
            actor=world.users[focal],
            cycle_slug="lac-2026",
            iso3=iso3,
            version=0,
            answers={"org_exists": "no", "channels": ["web"]},
        )
        response_submit(actor=world.users[focal], cycle_slug="lac-2026", iso3=iso3)
        review_request_changes(
            actor=world.users["analyst"],
            cycle_slug="lac-2026",
            iso3=iso3,
            message=f"Please check the channels of {iso3}",
        )
    html = _client("focal_arg").get("/").content.decode()
    assert "Please check the channels of ARG" in html
    assert "Please check the channels of BRA" not in html


def test_cycle_page_lists_readable_responses_with_progress(world: World) -> None:
    response_save(
        actor=world.users["focal_arg"],
        cycle_slug="lac-2026",
        iso3="ARG",
        version=0,
        answers={"org_exists": "yes", "org_year": 2014},
    )
    analyst = _client("analyst").get("/cycles/lac-2026/").content.decode()
    assert "Argentina" in analyst and "Brazil" in analyst
    assert '<progress max="7" value="2"></progress> 2/7' in analyst  # org_year is asked once org_exists is yes
    assert '<progress max="6" value="0"></progress> 0/6' in analyst
    focal = _client("focal_bra").get("/cycles/lac-2026/").content.decode()
    assert "Brazil" in focal and "Argentina" not in focal


def test_forms_without_csrf_token_are_refused(world: World) -> None:
    client = Client(enforce_csrf_checks=True)
    assert client.login(username="focal_arg", password=PASSWORD)
    reply = client.post(f"{PAGE}save", {"version": "0", "q": ["staff"], "a_staff": "3"})
    assert reply.status_code == 403
    assert "The form expired or was sent from another site" in reply.content.decode()
    assert _arg().version == 0


def test_unknown_page_is_a_404_page(world: World) -> None:
    reply = _client("focal_arg").get("/no/such/page/")
    assert reply.status_code == 404
    assert "Page not found" in reply.content.decode()


def test_a_name_in_two_sections_is_asked_saved_and_linked_in_each(world: World) -> None:
    from dataclasses import replace

    from govlens.web.cycles.services import cycle_create

    from .conftest import FRAMEWORKS

    tiny = FRAMEWORKS["tiny"]
    governance, services = tiny.sections
    notes = services.questions[2]
    twin = replace(
        tiny,
        id="twin",
        sections=(
            replace(governance, questions=(*governance.questions, replace(notes, name="governance/notes"))),
            replace(services, questions=(*services.questions[:2], replace(notes, name="services/notes"))),
        ),
    )
    FRAMEWORKS["twin"] = twin
    cycle_create(actor=None, slug="twin-2026", framework="twin", countries=["ARG"], title="Twin")
    page = "/cycles/twin-2026/responses/ARG/"
    client = _client("focal_arg")
    html = client.get(page).content.decode()
    assert 'id="question-governance/notes" data-question="governance/notes"' in html
    fields = {"version": "0", "q": ["governance/notes", "services/notes"]}
    reply = client.post(f"{page}save", {**fields, "a_governance/notes": "first", "a_services/notes": "second"})
    assert reply.status_code == 302, reply.content.decode()[:500]
    answers = response_answers(Response.objects.get(cycle__slug="twin-2026", country__iso3="ARG"))
    assert answers == {"governance/notes": "first", "services/notes": "second"}
    link = client.get(f"{page}questions/services/notes")
    assert (link.status_code, link["Location"]) == (302, f"{page}sections/services/#question-services/notes")
