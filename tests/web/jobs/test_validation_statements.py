"""The validation round's regional statements, end to end: each focal point sees the statements in which their
country is counted (a finding counting it, a recommendation addressed to it) and no other, accepts or comments on
one (page and API), the analyst sees the comment with its statement and resolves it, and publishing with the
comment open needs confirmation.

The release is of the tiny framework of ``tests/release`` (ARG, BRA and CHL approved) with a rules file of three
rules, so who is counted is known by hand: a lead organisation (ARG, BRA; CHL is addressed), a full strategy (ARG
only; BRA and CHL are addressed), a data portal (all three, nobody addressed)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.test import Client
from django.utils import timezone

from govlens.analysis import narrative
from govlens.release import publication_get
from govlens.web.audit.models import AuditEvent
from govlens.web.errors import Invalid, NotAllowed
from govlens.web.jobs.models import ValidationReview
from govlens.web.jobs.publication import (
    release_publish,
    release_read,
    validation_items,
    validation_open,
    validation_resolve,
    validation_review,
)
from govlens.web.jobs.services import release_directory, release_job_run, release_request
from tests.web.conftest import Api, World

from .conftest import CYCLE

RELEASE = "rel-2026-r1"


def _rule(rule_id: str, finding: str, question: str, option: str, what: str) -> str:
    statement = f"{{Countries}} ({{fraction}}, {{share}}) {what}."
    texts = "\n".join(f"      {lang}: {statement!r}" for lang in ("en", "es", "pt", "fr"))
    action = "\n".join(f"      {lang}: 'Act on {rule_id}.'" for lang in ("en", "es", "pt", "fr"))
    return (
        f"  - id: {rule_id}\n    finding: {finding}\n    question: {question}\n    options: [{option!r}]\n"
        f"    statement:\n{texts}\n    recommend_below: 0.95\n    recommendation:\n{action}\n"
    )


RULES = (
    "govlens_rules: 1\nframework: tiny-dgr\nrules:\n"
    + _rule("tiny-lead", "F01", "q_org", "yes", "have a lead organisation")
    + _rule("tiny-strategy", "F03", "q_strategy", "full", "have a full strategy")
    + _rule("tiny-portal", "F21", "q_portal", "yes", "have a data portal")
)
# the statements each country is counted in, by hand from tests/release's answers
ARG_ITEMS = {"statement:tiny-lead:finding", "statement:tiny-strategy:finding", "statement:tiny-portal:finding"}
BRA_ITEMS = {"statement:tiny-lead:finding", "statement:tiny-strategy:recommendation", "statement:tiny-portal:finding"}


@pytest.fixture
def in_validation(approved: World, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> World:
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "tiny-dgr.yaml").write_text(RULES, encoding="utf-8")
    monkeypatch.setattr(narrative, "RULES_DIR", rules)
    job = release_request(actor=approved.users["analyst"], cycle=CYCLE, languages=["en"], replications=20)
    assert release_job_run(job_id=job.pk) is not None
    deadline = timezone.localdate() + dt.timedelta(7)
    validation_open(actor=approved.users["analyst"], release_id=RELEASE, deadline=deadline)
    return approved


def _client(world: World, name: str) -> Client:
    client = Client()
    client.force_login(world.users[name])
    return client


def _statements(iso3: str) -> dict[str, str]:
    return {item.key: item.text for item in validation_items(release_read(RELEASE), iso3) if item.key != "profile"}


def test_each_focal_point_sees_the_statements_counting_their_country(in_validation: World) -> None:
    arg, bra = _statements("ARG"), _statements("BRA")
    assert set(arg) == ARG_ITEMS and set(bra) == BRA_ITEMS
    assert arg["statement:tiny-strategy:finding"].endswith("(1 of 3, 33%) have a full strategy.")
    chl = _statements("CHL")  # not counted in the lead organisation: addressed by its recommendation
    assert "statement:tiny-lead:recommendation" in chl and "statement:tiny-lead:finding" not in chl
    # the page and the API show the focal point their own items only
    page = _client(in_validation, "focal_arg").get(f"/jobs/releases/{RELEASE}/validation/ARG/").content.decode()
    shown = {key for key in ARG_ITEMS | BRA_ITEMS if f'data-item="{key}"' in page}
    assert shown == ARG_ITEMS
    assert "have a full strategy" in page and "Act on tiny-strategy." not in page
    api = Api("focal_bra").get(f"/api/v1/releases/{RELEASE}/validation/BRA").json()
    assert {item["key"] for item in api["items"]} == {"profile"} | BRA_ITEMS
    kinds = {item["key"]: item["kind"] for item in api["items"]}
    assert kinds["statement:tiny-strategy:recommendation"] == "recommendation"
    assert Api("focal_bra").get(f"/api/v1/releases/{RELEASE}/validation/ARG").status_code == 403


def test_a_focal_point_answers_only_the_statements_of_their_country(in_validation: World) -> None:
    focal = in_validation.users["focal_arg"]
    # BRA's recommendation is not an item of ARG's draft, and BRA's draft is not ARG's to answer
    with pytest.raises(Invalid) as caught:
        validation_review(
            actor=focal,
            release_id=RELEASE,
            country="ARG",
            item="statement:tiny-strategy:recommendation",
            decision="accepted",
        )
    assert [p["code"] for p in caught.value.problems] == ["unknown_item"]
    with pytest.raises(NotAllowed):
        validation_review(
            actor=focal, release_id=RELEASE, country="BRA", item="statement:tiny-lead:finding", decision="accepted"
        )
    refused = Api("focal_arg").post(
        f"/api/v1/releases/{RELEASE}/validation/ARG",
        {"item": "statement:tiny-strategy:recommendation", "decision": "accepted"},
    )
    assert refused.status_code == 422 and "unknown_item" in refused.content.decode()
    assert not ValidationReview.objects.exists()


def test_a_comment_on_a_statement_reaches_the_analyst_who_resolves_it_before_publishing(in_validation: World) -> None:
    focal = _client(in_validation, "focal_arg")
    url = f"/jobs/releases/{RELEASE}/validation/ARG/"
    # accepted on the page, commented through the API
    focal.post(url, {"item": "statement:tiny-portal:finding", "decision": "accepted"})
    answered = Api("focal_arg").post(
        f"/api/v1/releases/{RELEASE}/validation/ARG",
        {"item": "statement:tiny-strategy:finding", "decision": "commented", "comment": "our strategy is partial"},
    )
    assert answered.status_code == 200, answered.content
    items = {item["key"]: item for item in answered.json()["items"]}
    assert items["statement:tiny-portal:finding"]["decision"] == "accepted"
    assert items["statement:tiny-strategy:finding"]["comment"] == "our strategy is partial"
    page = focal.get(url).content.decode()
    assert 'data-decision="commented"' in page and "our strategy is partial" in page
    review = ValidationReview.objects.get(item="statement:tiny-strategy:finding")
    assert review.open and review.country == "ARG" and review.item_text.endswith("have a full strategy.")
    assert not ValidationReview.objects.get(item="statement:tiny-portal:finding").open
    # the analyst sees it, with the statement it is about
    analyst = _client(in_validation, "analyst")
    release_page = analyst.get(f"/jobs/releases/{RELEASE}/").content.decode()
    assert "our strategy is partial" in release_page and "statement:tiny-strategy:finding" in release_page
    assert 'name="confirm_open_comments"' in release_page
    # publishing while it is open: refused without confirmation, naming the statement (page and API)
    analyst.post(f"/jobs/releases/{RELEASE}/action", {"action": "publish"})
    assert not publication_get(RELEASE, release_directory()).published
    refused = Api("analyst").post(f"/api/v1/releases/{RELEASE}/publish")
    assert refused.status_code == 422 and "statement:tiny-strategy:finding" in refused.content.decode()
    # resolved on the release page: a focal point may not, the analyst may
    with pytest.raises(NotAllowed):
        validation_resolve(actor=in_validation.users["focal_arg"], review_id=review.pk, resolution="text_edited")
    form = {"action": "resolve", "review": review.pk, "resolution": "replied", "reply": "the answer says full"}
    assert analyst.post(f"/jobs/releases/{RELEASE}/action", form).status_code == 302
    review.refresh_from_db()
    assert not review.open and review.resolved_by == in_validation.users["analyst"]
    assert "the answer says full" in focal.get(url).content.decode()  # the focal point sees the reply
    # nothing open any more: published without confirmation
    published = Api("analyst").post(f"/api/v1/releases/{RELEASE}/publish")
    assert published.status_code == 200 and published.json()["state"] == "published"
    trail = list(
        AuditEvent.objects.filter(object_type="validation_review").order_by("pk").values_list("field", "new", "country")
    )
    assert trail == [
        ("statement:tiny-portal:finding", "accepted", "ARG"),
        ("statement:tiny-strategy:finding", "commented", "ARG"),
        ("resolution", "replied", "ARG"),
    ]


def test_an_open_statement_comment_is_published_only_on_purpose(in_validation: World) -> None:
    validation_review(
        actor=in_validation.users["focal_bra"],
        release_id=RELEASE,
        country="BRA",
        item="statement:tiny-strategy:recommendation",
        decision="commented",
        comment="we adopted a strategy last month",
    )
    with pytest.raises(Invalid) as caught:
        release_publish(actor=in_validation.users["analyst"], release_id=RELEASE)
    [problem] = caught.value.problems
    assert (problem["code"], problem["country"]) == ("validation_comments_open", "BRA")
    release_publish(actor=in_validation.users["analyst"], release_id=RELEASE, confirm_open_comments=True)
    assert publication_get(RELEASE, release_directory()).published
    event = AuditEvent.objects.get(object_type="release", object_id=RELEASE, new="published")
    assert "1 validation comments open (confirmed)" in event.note
