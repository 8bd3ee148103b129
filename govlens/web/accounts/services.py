"""Writes for accounts: users with a role, API tokens, the login throttle."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Sequence

from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.models import User
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from govlens.web.accounts.models import ApiToken, LoginFailure, Membership, Role
from govlens.web.accounts.selectors import Actor, is_manager, user_role
from govlens.web.audit.services import audit_record
from govlens.web.cycles.services import country_ensure
from govlens.web.errors import Invalid, NotAllowed, Throttled, Unauthenticated

TOKEN_LIFETIME = dt.timedelta(days=30)


def _role(value: str) -> Role:
    try:
        return Role(value)
    except ValueError:
        allowed = ", ".join(r.value for r in Role)
        raise Invalid(
            f"role must be one of {{{allowed}}}; got '{value}'",
            problems=[{"field": "role", "code": "invalid_role", "message": f"unknown role '{value}'"}],
        ) from None


@transaction.atomic
def user_create(
    *,
    actor: Actor,
    username: str,
    password: str,
    role: str,
    country: str | None = None,
    countries: Sequence[str] = (),
    email: str = "",
) -> User:
    """A user with a role: focal points need ``country``; reviewers take ``countries``."""
    if actor is not None and not is_manager(actor):
        raise NotAllowed("only administrators and analysts may create users")
    the_role = _role(role)
    if User.objects.filter(username=username).exists():
        raise Invalid(
            f"user '{username}' already exists",
            problems=[{"field": "username", "code": "duplicate_username", "message": f"'{username}' is taken"}],
        )
    candidate = User(username=username, email=email)
    try:
        validate_password(password, user=candidate)
    except ValidationError as error:
        raise Invalid(
            "the password is too weak: " + " ".join(error.messages),
            problems=[{"field": "password", "code": "weak_password", "message": m} for m in error.messages],
        ) from None
    user = User.objects.create_user(
        username=username,
        email=email,
        password=password,
        is_staff=the_role in (Role.ADMINISTRATOR, Role.ANALYST),
        is_superuser=the_role is Role.ADMINISTRATOR,
    )
    membership_set(
        actor=actor,
        user=user,
        role=the_role.value,
        country=country,
        countries=countries,
    )
    return user


@transaction.atomic
def membership_set(
    *,
    actor: Actor,
    user: User,
    role: str,
    country: str | None = None,
    countries: Sequence[str] = (),
) -> Membership:
    """Give a user a role and assignments; every change is recorded in the audit trail."""
    the_role = _role(role)
    if the_role is Role.FOCAL_POINT and not country:
        raise Invalid(
            "a focal point needs --country ISO3 (the one country whose response they fill)",
            problems=[{"field": "country", "code": "missing_country", "message": "focal point without a country"}],
        )
    if the_role is not Role.FOCAL_POINT and country:
        raise Invalid(
            f"only focal points have one country; a {the_role.value} got country '{country}'",
            problems=[{"field": "country", "code": "unexpected_country", "message": "country given for this role"}],
        )
    if countries and the_role is not Role.REVIEWER:
        raise Invalid(
            f"only reviewers have assigned countries; a {the_role.value} got {', '.join(countries)}",
            problems=[{"field": "countries", "code": "unexpected_countries", "message": "countries for this role"}],
        )
    if the_role is Role.ADMINISTRATOR and actor is not None and user_role(actor) is not Role.ADMINISTRATOR:
        raise NotAllowed("only administrators may make someone an administrator")
    if actor is not None and not is_manager(actor):
        raise NotAllowed("only administrators and analysts may change roles")
    focal = country_ensure(iso3=country) if country else None
    assigned = [country_ensure(iso3=code) for code in countries]
    membership = Membership.objects.filter(user=user).first()
    old = _membership_state(membership)
    if membership is None:
        membership = Membership(user=user)
    membership.role = the_role.value
    membership.country = focal
    membership.save()
    membership.countries.set(assigned)
    # Django's admin opens to staff; administrators are superusers.
    staff, superuser = the_role in (Role.ADMINISTRATOR, Role.ANALYST), the_role is Role.ADMINISTRATOR
    if (user.is_staff, user.is_superuser) != (staff, superuser):
        user.is_staff, user.is_superuser = staff, superuser
        user.save(update_fields=["is_staff", "is_superuser"])
    new = _membership_state(membership)
    for key in ("role", "country", "countries"):
        if old.get(key) != new[key]:
            audit_record(
                actor=actor,
                object_type="membership",
                object_id=user.get_username(),
                field=key,
                old=old.get(key),
                new=new[key],
            )
    return membership


def _membership_state(membership: Membership | None) -> dict[str, object]:
    if membership is None:
        return {}
    return {
        "role": membership.role,
        "country": membership.country.iso3 if membership.country else None,
        "countries": sorted(membership.countries.values_list("iso3", flat=True)),
    }


# -- login throttle ------------------------------------------------------------------------------------


def login_throttle_check(*, username: str) -> None:
    """Refuse further attempts for a username that failed too often within the window."""
    since = timezone.now() - dt.timedelta(seconds=settings.GOVLENS_LOGIN_WINDOW_SECONDS)
    failures = LoginFailure.objects.filter(username=username.lower(), at__gte=since).count()
    if failures >= settings.GOVLENS_LOGIN_MAX_FAILURES:
        minutes = max(1, settings.GOVLENS_LOGIN_WINDOW_SECONDS // 60)
        raise Throttled(f"too many failed logins for '{username}'; try again in {minutes} minutes")


def login_failure_record(*, username: str) -> None:
    LoginFailure.objects.create(username=username.lower())


def login_failures_clear(*, username: str) -> None:
    LoginFailure.objects.filter(username=username.lower()).delete()


# -- API tokens ----------------------------------------------------------------------------------------


def _digest(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def token_issue(*, username: str, password: str) -> str:
    """A new bearer token for valid credentials (throttled like the login page)."""
    login_throttle_check(username=username)
    user = authenticate(username=username, password=password)
    if not isinstance(user, User):
        login_failure_record(username=username)
        raise Unauthenticated("invalid username or password")
    login_failures_clear(username=username)
    raw = secrets.token_urlsafe(32)
    ApiToken.objects.create(user=user, digest=_digest(raw), expires_at=timezone.now() + TOKEN_LIFETIME)
    return raw


def token_revoke(*, raw: str) -> bool:
    """Forget one token (the client logs out); False when it was unknown or already gone."""
    deleted, _ = ApiToken.objects.filter(digest=_digest(raw)).delete()
    return deleted > 0


def tokens_revoke_all(*, user: User) -> int:
    """Forget every token of a user (a new password, a compromised account); how many there were."""
    deleted, _ = ApiToken.objects.filter(user=user).delete()
    return deleted


def token_user(*, raw: str) -> User | None:
    """The active user a bearer token belongs to, or None for an unknown or expired token."""
    token = ApiToken.objects.select_related("user").filter(digest=_digest(raw), expires_at__gt=timezone.now()).first()
    if token is None or not token.user.is_active:
        return None
    user: User = token.user
    return user
