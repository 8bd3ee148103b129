"""CSRF on every form post, session fixation, the login throttle and the password reset flow."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.core import mail
from django.test import Client

from govlens.web.collection.models import Response

from ..conftest import PASSWORD, World

BASE = "/cycles/lac-2026/responses/ARG/"

# Every page that accepts a form post, with a body that would be accepted with a token.
FORM_POSTS: list[tuple[str, dict[str, Any]]] = [
    ("save", {"version": "0", "q": "staff", "a_staff": "3"}),
    ("relevance", {"q": "org_exists", "a_org_exists": "yes"}),
    ("suggestion", {"suggestion": "staff"}),
    ("submit", {"version": "0"}),
    ("upload", {"question": "notes"}),
    ("workbook", {}),
    ("workbook/accept", {"payload": "{}"}),
    ("comment", {"text": "hello", "question": "staff"}),
    ("comments/1/resolve", {}),
    ("request-changes", {"message": "fix it"}),
    ("approve", {"note": "ok"}),
    ("reopen", {"reason": "why"}),
]


def _strict(username: str) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.force_login(_user(username))
    return client


def _user(username: str) -> Any:
    from django.contrib.auth.models import User

    return User.objects.get(username=username)


@pytest.mark.parametrize(("path", "body"), FORM_POSTS, ids=[p for p, _ in FORM_POSTS])
@pytest.mark.parametrize("username", ["focal_arg", "analyst"])
def test_form_posts_without_a_csrf_token_are_refused(
    world: World, path: str, body: dict[str, Any], username: str
) -> None:
    client = _strict(username)
    before = Response.objects.get(country__iso3="ARG").version
    reply = client.post(BASE + path, body)
    assert reply.status_code == 403
    assert Response.objects.get(country__iso3="ARG").version == before


def test_a_form_post_with_the_page_token_is_accepted(world: World) -> None:
    client = _strict("focal_arg")
    page = client.get(BASE)
    match = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page.content)
    assert match is not None
    reply = client.post(
        BASE + "save", {"version": "0", "q": "staff", "a_staff": "3", "csrfmiddlewaretoken": match[1].decode()}
    )
    assert reply.status_code == 302
    assert Response.objects.get(country__iso3="ARG").version == 1
    # A token of another session does not do.
    other = _strict("focal_arg")
    other.get(BASE)
    forged = other.post(BASE + "save", {"version": "1", "q": "staff", "a_staff": "4", "csrfmiddlewaretoken": "x" * 64})
    assert forged.status_code == 403


def test_login_and_logout_need_a_csrf_token(world: World) -> None:
    client = Client(enforce_csrf_checks=True)
    assert client.post("/login/", {"username": "focal_arg", "password": PASSWORD}).status_code == 403
    assert "_auth_user_id" not in client.session
    logged_in = _strict("focal_arg")
    assert logged_in.post("/logout/").status_code == 403
    assert logged_in.get(BASE).status_code == 200  # still logged in


def test_the_session_cookie_does_not_authenticate_the_api(world: World) -> None:
    # The API is exempt from CSRF because it only accepts bearer tokens: a browser session must not work there.
    client = _strict("focal_arg")
    reply = client.patch(
        "/api/v1/cycles/lac-2026/responses/ARG",
        '{"version": 0, "answers": {"staff": 9}}',
        content_type="application/json",
    )
    assert reply.status_code == 401
    assert Response.objects.get(country__iso3="ARG").version == 0


def test_login_gives_a_new_session_key_and_logout_ends_it(world: World) -> None:
    # An attacker plants a session (anonymous, with some data) in the victim's browser.
    planted = SessionStore()
    planted["planted"] = "by attacker"
    planted.create()
    client = Client()
    client.cookies["sessionid"] = planted.session_key
    reply = client.post("/login/", {"username": "focal_arg", "password": PASSWORD})
    assert reply.status_code == 302
    new_key = client.cookies["sessionid"].value
    assert new_key != planted.session_key
    assert SessionStore(session_key=planted.session_key).get("_auth_user_id") is None
    # Whoever holds the planted key is not logged in.
    attacker = Client()
    attacker.cookies["sessionid"] = planted.session_key
    assert attacker.get(BASE).status_code == 302
    # Logging out removes the authenticated session on the server.
    client.post("/logout/")
    assert not SessionStore().exists(new_key)


def test_session_cookie_flags(world: World) -> None:
    client = Client()
    client.post("/login/", {"username": "focal_arg", "password": PASSWORD})
    cookie = client.cookies["sessionid"]
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"


def test_login_throttle_locks_the_username_even_with_the_right_password(world: World, settings: Any) -> None:
    settings.GOVLENS_LOGIN_MAX_FAILURES = 3
    attacker = Client()
    for _ in range(3):
        assert (
            "_auth_user_id"
            not in attacker.post("/login/", {"username": "focal_arg", "password": "guess"}).wsgi_request.session
        )
    locked = attacker.post("/login/", {"username": "FOCAL_ARG", "password": PASSWORD})
    assert b"too many failed logins" in locked.content
    assert "_auth_user_id" not in attacker.session
    # The API token endpoint shares the throttle (no way around it).
    api = Client().post(
        "/api/v1/auth/token", f'{{"username": "focal_arg", "password": "{PASSWORD}"}}', content_type="application/json"
    )
    assert api.status_code == 429
    # Other accounts are not affected.
    assert Client().login(username="focal_bra", password=PASSWORD)


def test_throttle_answers_the_same_for_unknown_and_known_accounts(world: World, settings: Any) -> None:
    settings.GOVLENS_LOGIN_MAX_FAILURES = 2
    replies = {}
    for name in ("focal_bra", "nobody_here"):
        client = Client()
        first = client.post("/login/", {"username": name, "password": "guess"})
        client.post("/login/", {"username": name, "password": "guess"})
        third = client.post("/login/", {"username": name, "password": "guess"})
        replies[name] = (first.status_code, _errors(first, name), third.status_code, _errors(third, name))
    assert replies["focal_bra"] == replies["nobody_here"]
    assert "too many failed logins" in replies["focal_bra"][3]


def _errors(reply: Any, name: str) -> str:
    found = re.findall(r'<ul class="errorlist[^"]*">(.*?)</ul>', reply.content.decode(), flags=re.S)
    return " ".join(found).replace(name, "NAME")


def test_password_reset_works_and_does_not_reveal_accounts(world: World) -> None:
    from django.urls import reverse

    client = Client()
    known = client.post(reverse("password_reset"), {"email": "focal_arg@example.org"})
    unknown = client.post(reverse("password_reset"), {"email": "nobody@example.org"})
    # Same answer whether or not an account has the address; only the real one gets an email.
    assert (known.status_code, known.get("Location")) == (unknown.status_code, unknown.get("Location"))
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["focal_arg@example.org"]
    link = re.search(r"https?://[^/\s]+(/\S+)", mail.outbox[0].body)
    assert link is not None
    form = client.get(link[1], follow=True)
    assert form.status_code == 200
    new_password = "a-brand-new-secret-42"
    done = client.post(form.redirect_chain[-1][0], {"new_password1": new_password, "new_password2": new_password})
    assert done.status_code == 302
    assert Client().login(username="focal_arg", password=new_password)
    assert not Client().login(username="focal_arg", password=PASSWORD)
    # The link works once.
    assert b"new_password1" not in client.get(link[1], follow=True).content


@pytest.mark.parametrize(
    ("language", "link", "heading"),
    [
        ("en", "Reset my password", "Password reset"),
        ("es", "Restablecer mi contraseña", "Restablecer contraseña"),
        ("fr", "Réinitialiser mon mot de passe", "Réinitialisation du mot de passe"),
    ],
)
def test_the_login_page_links_to_the_translated_reset_form(
    world: World, language: str, link: str, heading: str
) -> None:
    client = Client()
    client.post("/i18n/setlang/", {"language": language, "next": "/login/"})
    login = client.get("/login/").content.decode()
    assert f'<a href="/password-reset/">{link}</a>' in login
    form = client.get("/password-reset/").content.decode()
    assert heading in form
    assert 'name="email"' in form


def test_a_reset_for_an_unknown_address_sends_nothing_and_shows_the_same_page(world: World) -> None:
    client = Client()
    unknown = client.post("/password-reset/", {"email": "nobody@example.org"}, follow=True)
    known = client.post("/password-reset/", {"email": "focal_bra@example.org"}, follow=True)
    assert unknown.redirect_chain == known.redirect_chain == [("/password-reset/sent/", 302)]
    assert unknown.content == known.content
    assert [message.to for message in mail.outbox] == [["focal_bra@example.org"]]
