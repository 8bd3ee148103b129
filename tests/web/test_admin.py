"""The Django admin for analysts: people and roles, with role changes audited and escalation refused."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.contrib.auth.models import User
from django.test import Client

from govlens.web.accounts.models import Membership
from govlens.web.audit.models import AuditEvent
from govlens.web.cycles.models import Country

from .conftest import PASSWORD, World


def _client(username: str) -> Client:
    client = Client()
    assert client.login(username=username, password=PASSWORD)
    return client


def _membership_form(user: User, role: str, **extra: object) -> dict[str, object]:
    return {"user": user.pk, "role": role, "country": "", "countries": [], **extra}


def test_analyst_assigns_a_role_in_the_admin_and_it_is_audited(world: World) -> None:
    newcomer = User.objects.create_user(username="newcomer", password=PASSWORD)
    brazil = Country.objects.get(iso3="BRA")
    reply = _client("analyst").post(
        "/admin/accounts/membership/add/", _membership_form(newcomer, "reviewer", countries=[brazil.pk])
    )
    assert reply.status_code == 302, reply.content[:500]
    membership = Membership.objects.get(user=newcomer)
    assert (membership.role, list(membership.countries.values_list("iso3", flat=True))) == ("reviewer", ["BRA"])
    events = AuditEvent.objects.filter(object_type="membership", object_id="newcomer")
    assert sorted((e.actor_username, e.field, e.new) for e in events) == [
        ("analyst", "countries", ["BRA"]),
        ("analyst", "role", "reviewer"),
    ]


def test_analyst_cannot_make_an_administrator(world: World) -> None:
    newcomer = User.objects.create_user(username="climber", password=PASSWORD)
    reply = _client("analyst").post("/admin/accounts/membership/add/", _membership_form(newcomer, "administrator"))
    assert reply.status_code == 403
    assert not Membership.objects.filter(user=newcomer).exists()
    assert not User.objects.get(username="climber").is_superuser


def test_role_change_syncs_admin_access(world: World) -> None:
    user = world.users["reviewer_bra"]
    membership = Membership.objects.get(user=user)
    reply = _client("admin").post(
        f"/admin/accounts/membership/{membership.pk}/change/", _membership_form(user, "analyst")
    )
    assert reply.status_code == 302
    user.refresh_from_db()
    assert (user.is_staff, user.is_superuser) == (True, False)
    assert _client("reviewer_bra").get("/admin/cycles/cycle/").status_code == 200


def test_analysts_manage_users_but_not_administrators(world: World) -> None:
    analyst = _client("analyst")
    assert analyst.get("/admin/auth/user/").status_code == 200
    focal = world.users["focal_arg"]
    assert analyst.get(f"/admin/auth/user/{focal.pk}/change/").status_code == 200
    admin_user = world.users["admin"]
    # Viewing is allowed, changing an administrator is not.
    reply = analyst.post(f"/admin/auth/user/{admin_user.pk}/change/", {"username": "hijacked"})
    assert reply.status_code == 403
    assert User.objects.filter(username="admin").exists()


def test_analyst_creates_and_closes_a_cycle_in_the_admin(world: World) -> None:
    from govlens.web.collection.models import Response
    from govlens.web.cycles.models import Cycle

    analyst = _client("analyst")
    form = {
        "slug": "car-2027",
        "title": "Caribbean 2027",
        "framework": "tiny",
        "country_codes": "jam, tto",
        "opens_on": "",
        "closes_on": "",
    }
    reply = analyst.post("/admin/cycles/cycle/add/", form)
    assert reply.status_code == 302, reply.content[:400]
    cycle = Cycle.objects.get(slug="car-2027")
    assert (cycle.framework_id, cycle.status) == ("tiny", "open")
    assert sorted(Response.objects.filter(cycle=cycle).values_list("country__iso3", flat=True)) == ["JAM", "TTO"]
    bad = analyst.post("/admin/cycles/cycle/add/", {**form, "slug": "x", "framework": "nope", "country_codes": "ZZZ"})
    assert bad.status_code == 200  # the form again, with both errors
    assert "no framework called" in bad.content.decode() and "not recognised" in bad.content.decode()
    reply = analyst.post("/admin/cycles/cycle/", {"action": "close_cycles", "_selected_action": [cycle.pk]})
    assert reply.status_code == 302
    cycle.refresh_from_db()
    assert cycle.status == "closed"
    assert AuditEvent.objects.filter(object_type="cycle", object_id="car-2027", field="status").count() == 2


FOLLOWUP_ADMIN = ("cycleregister", "actionplan", "planevidencefile", "milestonereminder")


def test_the_follow_up_is_viewable_in_the_admin_by_managers_and_never_changed_there(
    world: World, settings: Any, tmp_path: Path
) -> None:
    from govlens.web.followup.models import ActionPlan, CycleRegister, MilestoneReminder, PlanEvidenceFile
    from govlens.web.publish import selectors

    from .followup.fixtures import with_plan_file

    settings.GOVLENS_RELEASES_DIR = tmp_path / "releases"
    selectors.cache_clear()
    with_plan_file(world)
    plan = ActionPlan.objects.get()
    MilestoneReminder.objects.create(plan=plan, action=0, milestone="Agency staffed", due="2026-08-31", kind="overdue")
    rows = {
        "cycleregister": CycleRegister.objects.get(),
        "actionplan": plan,
        "planevidencefile": PlanEvidenceFile.objects.get(),
        "milestonereminder": MilestoneReminder.objects.get(),
    }
    for username in ("analyst", "admin"):
        client = _client(username)
        index = client.get("/admin/").content.decode()
        assert "/admin/followup/actionplan/" in index
        for model in FOLLOWUP_ADMIN:
            listing = client.get(f"/admin/followup/{model}/")
            assert listing.status_code == 200, model
            assert f"/admin/followup/{model}/add/" not in listing.content.decode()
            change = f"/admin/followup/{model}/{rows[model].pk}/change/"
            assert client.get(change).status_code == 200, model
            assert client.get(f"/admin/followup/{model}/add/").status_code == 403
            assert client.post(f"/admin/followup/{model}/{rows[model].pk}/delete/", {"post": "yes"}).status_code == 403
    reply = _client("analyst").post(f"/admin/followup/actionplan/{plan.pk}/change/", {"status": "approved"})
    assert reply.status_code == 403
    plan.refresh_from_db()
    assert (plan.status, plan.version) == ("draft", 2)
    assert MilestoneReminder.objects.count() == 1 and PlanEvidenceFile.objects.count() == 1
    for username in ("focal_arg", "reviewer_arg"):
        for model in FOLLOWUP_ADMIN:
            assert _client(username).get(f"/admin/followup/{model}/").status_code == 302  # to the admin's login
