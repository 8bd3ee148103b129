"""Only administrators change administrators: an analyst demoted an administrator through the Membership admin
and could then change that account's password."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client

from govlens.web.accounts.models import Membership
from govlens.web.accounts.selectors import user_role
from govlens.web.accounts.services import membership_set
from govlens.web.errors import NotAllowed

from ..conftest import PASSWORD, World


def _client(username: str) -> Client:
    client = Client()
    assert client.login(username=username, password=PASSWORD)
    return client


def _form(user: User, role: str) -> dict[str, object]:
    return {"user": user.pk, "role": role, "country": "", "countries": []}


def test_an_analyst_cannot_demote_an_administrator_in_the_admin(world: World) -> None:
    target = world.users["admin"]
    membership = Membership.objects.get(user=target)
    analyst = _client("analyst")
    reply = analyst.post(f"/admin/accounts/membership/{membership.pk}/change/", _form(target, "analyst"))
    assert reply.status_code == 403
    target.refresh_from_db()
    assert (Membership.objects.get(user=target).role, target.is_superuser) == ("administrator", True)
    # nor set their password, nor even open their membership for change
    reply = analyst.post(
        f"/admin/auth/user/{target.pk}/password/", {"password1": "hijack-pass-99", "password2": "hijack-pass-99"}
    )
    assert reply.status_code == 403
    target.refresh_from_db()
    assert target.check_password(PASSWORD)
    assert analyst.get(f"/admin/accounts/membership/{membership.pk}/change/").status_code in (200, 403)
    assert b'name="role"' not in analyst.get(f"/admin/accounts/membership/{membership.pk}/change/").content


def test_an_analyst_cannot_give_an_administrator_a_new_membership(world: World) -> None:
    # a superuser without a membership row (made with createsuperuser) is an administrator too
    boss = User.objects.create_superuser(username="boss", password=PASSWORD)
    reply = _client("analyst").post("/admin/accounts/membership/add/", _form(boss, "reviewer"))
    assert reply.status_code == 403
    boss.refresh_from_db()
    assert boss.is_superuser and not Membership.objects.filter(user=boss).exists()


def test_the_service_refuses_and_allows(world: World) -> None:
    target = world.users["admin"]
    with pytest.raises(NotAllowed, match="only administrators may change an administrator"):
        membership_set(actor=world.users["analyst"], user=target, role="analyst")
    assert user_role(User.objects.get(pk=target.pk)) == "administrator"
    # another administrator may, and analysts still manage everyone else
    second = User.objects.create_superuser(username="second-admin", password=PASSWORD)
    membership_set(actor=second, user=target, role="analyst")
    assert user_role(User.objects.get(pk=target.pk)) == "analyst"
    membership_set(actor=world.users["analyst"], user=world.users["reviewer_bra"], role="focal-point", country="BRA")
    assert user_role(User.objects.get(pk=world.users["reviewer_bra"].pk)) == "focal-point"
