"""A successful password reset clears the user's login throttle; nothing short of a new password does."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.test import Client

from govlens.web.accounts.models import LoginFailure

from ..conftest import PASSWORD, World

NEW_PASSWORD = "a-brand-new-secret-42"
LOCKED = b"too many failed logins"


@pytest.fixture
def locked(world: World, settings: Any) -> World:
    """focal_arg and focal_bra each failed 3 logins; 3 failures lock a username."""
    settings.GOVLENS_LOGIN_MAX_FAILURES = 3
    for name in ("focal_arg", "focal_bra"):
        for _ in range(3):
            Client().post("/login/", {"username": name, "password": "guess"})
    assert LoginFailure.objects.filter(username="focal_arg").count() == 3
    assert LOCKED in Client().post("/login/", {"username": "focal_arg", "password": PASSWORD}).content
    return world


def _reset_form(client: Client, email: str) -> str:
    """Ask for a reset of ``email`` and open the e-mailed link; the address of the set-password form."""
    client.post("/password-reset/", {"email": email})
    assert len(mail.outbox) == 1
    link = re.search(r"https?://[^/\s]+(/\S+)", mail.outbox[0].body)
    assert link is not None
    form = client.get(link[1], follow=True)
    assert b"new_password1" in form.content
    url: str = form.redirect_chain[-1][0]
    return url


def _logs_in(username: str, password: str) -> bool:
    client = Client()
    reply = client.post("/login/", {"username": username, "password": password})
    return reply.status_code == 302 and "_auth_user_id" in client.session


def test_a_successful_reset_clears_the_lock(locked: World) -> None:
    client = Client()
    done = client.post(
        _reset_form(client, "focal_arg@example.org"), {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    assert (done.status_code, done["Location"]) == (302, "/password-reset/done/")
    assert LoginFailure.objects.filter(username="focal_arg").count() == 0
    assert _logs_in("focal_arg", NEW_PASSWORD)
    # The API token endpoint shares the throttle, so it opens again as well.
    api = Client().post(
        "/api/v1/auth/token",
        f'{{"username": "focal_arg", "password": "{NEW_PASSWORD}"}}',
        content_type="application/json",
    )
    assert api.status_code == 201
    # Another locked user stays locked.
    assert LoginFailure.objects.filter(username="focal_bra").count() == 3
    assert not _logs_in("focal_bra", PASSWORD)


def test_the_old_password_does_not_come_back_with_the_unlock(locked: World) -> None:
    client = Client()
    client.post(
        _reset_form(client, "focal_arg@example.org"), {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    assert not _logs_in("focal_arg", PASSWORD)
    # ... and that failure counts again from zero: one failure, not a lock.
    assert LoginFailure.objects.filter(username="focal_arg").count() == 1


def test_a_reset_form_refused_for_mismatched_passwords_keeps_the_lock(locked: World) -> None:
    client = Client()
    refused = client.post(
        _reset_form(client, "focal_arg@example.org"), {"new_password1": NEW_PASSWORD, "new_password2": "different-9x"}
    )
    assert refused.status_code == 200  # the form again, with its error
    assert LoginFailure.objects.filter(username="focal_arg").count() == 3
    assert not _logs_in("focal_arg", PASSWORD)
    assert not _logs_in("focal_arg", NEW_PASSWORD)


def test_a_reset_without_the_mailed_token_keeps_the_lock(locked: World) -> None:
    set_password = _reset_form(Client(), "focal_arg@example.org")  # .../<uid>/set-password/
    uid = set_password.rstrip("/").split("/")[-2]
    body = {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    # The form posted by a browser that never opened the link, and a made-up token: both refused.
    for url in (set_password, f"/password-reset/{uid}/made-up-token/"):
        refused = Client().post(url, body, follow=True)
        assert refused.status_code == 200
        assert b"new_password1" not in refused.content
    assert LoginFailure.objects.filter(username="focal_arg").count() == 3
    assert not _logs_in("focal_arg", NEW_PASSWORD)


def test_a_reset_requested_but_not_completed_keeps_the_lock(locked: World) -> None:
    _reset_form(Client(), "focal_arg@example.org")
    assert LoginFailure.objects.filter(username="focal_arg").count() == 3
    assert not _logs_in("focal_arg", PASSWORD)


def test_saving_the_user_without_a_new_password_keeps_the_lock(locked: World) -> None:
    user = User.objects.get(username="focal_arg")
    user.email = "new-address@example.org"
    user.save()
    user.save(update_fields=["last_login"])
    assert LoginFailure.objects.filter(username="focal_arg").count() == 3


def test_a_password_set_by_an_administrator_also_unlocks(locked: World) -> None:
    user = User.objects.get(username="focal_arg")
    user.set_password(NEW_PASSWORD)
    user.save()
    assert LoginFailure.objects.filter(username="focal_arg").count() == 0
    assert _logs_in("focal_arg", NEW_PASSWORD)
