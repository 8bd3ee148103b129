"""Writes for accounts: users with a role, API tokens, the login throttle."""

from __future__ import annotations

import datetime as dt
import hashlib
import ipaddress
import secrets
import unicodedata
from collections.abc import Sequence

from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.models import User
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from govlens.framework.answers import forbidden_character
from govlens.web.accounts.models import ApiToken, LoginFailure, Membership, Role
from govlens.web.accounts.selectors import Actor, is_administrator_account, is_manager, user_role
from govlens.web.audit.services import audit_record
from govlens.web.cycles.services import country_ensure
from govlens.web.errors import Invalid, NotAllowed, Throttled, Unauthenticated, problem_row
from govlens.web.text import quoted, require_storable

TOKEN_LIFETIME = dt.timedelta(days=30)


def _role(value: str) -> Role:
    try:
        return Role(value)
    except ValueError:
        allowed = ", ".join(r.value for r in Role)
        raise Invalid(
            f"role must be one of {{{allowed}}}; got '{value}'",
            problems=[problem_row("invalid_role", field="role", value=value)],
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
    username_check(username)
    if email:
        try:
            EmailValidator()(email)
        except ValidationError:
            raise Invalid(
                f"the e-mail address {quoted(email)} is not valid",
                problems=[problem_row("invalid_email", field="email")],
            ) from None
    # Names differing only in case (or in Unicode form) would share a login throttle and confuse people.
    taken = User.objects.filter(username__iexact=username).values_list("username", flat=True).first()
    if taken is not None:
        same = taken == username
        raise Invalid(
            f"user {quoted(username)} already exists"
            if same
            else f"{quoted(username)} differs from the existing user {quoted(taken)} only in case; choose another name",
            problems=[problem_row("duplicate_username", field="username", name=quoted(taken))],
        )
    candidate = User(username=username, email=email)
    try:
        validate_password(password, user=candidate)
    except ValidationError as error:
        raise Invalid(
            "the password is too weak: " + " ".join(error.messages),
            problems=[problem_row("weak_password", field="password", reason=m) for m in error.messages],
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


def username_check(username: str) -> None:
    """Refuse a new login name that is not what Django's login form would read back: characters no stored text
    may hold, spaces around it, a Unicode form that normalises to another name, more than 150 characters, or
    anything but letters, digits and @ . + - _ (so no HTML either)."""
    require_storable([("the username", username)], field="username")
    problems: list[str] = []
    if username != username.strip():
        problems.append("it has spaces before or after it")
    elif unicodedata.normalize("NFKC", username) != username:
        problems.append(f"it changes when normalised (people would log in as {quoted(normalised_username(username))})")
    max_length = User._meta.get_field("username").max_length or 150
    if len(username) > max_length:
        problems.append(f"it has {len(username)} characters; at most {max_length}")
    try:
        User.username_validator(username)
    except ValidationError:
        problems.append("it may hold only letters, digits and the characters @ . + - _")
    if not username:
        problems = ["it is empty"]
    if problems:
        row = problem_row("invalid_username", field="username", name=quoted(username), reason="; ".join(problems))
        raise Invalid(row["message"], problems=[row])


def normalised_username(username: str) -> str:
    """A login name as the login form reads it (trimmed, Unicode NFKC, as Django normalises it)."""
    return unicodedata.normalize("NFKC", username.strip())


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
            problems=[problem_row("missing_country", field="country", role="focal point")],
        )
    if the_role is Role.CONTRIBUTOR and not country:
        raise Invalid(
            "a contributor needs the country whose sections they answer",
            problems=[problem_row("missing_country", field="country", role="contributor")],
        )
    if the_role not in (Role.FOCAL_POINT, Role.CONTRIBUTOR) and country:
        raise Invalid(
            f"only focal points and contributors have one country; a {the_role.value} got country '{country}'",
            problems=[problem_row("unexpected_country", field="country")],
        )
    if countries and the_role is not Role.REVIEWER:
        raise Invalid(
            f"only reviewers have assigned countries; a {the_role.value} got {', '.join(countries)}",
            problems=[problem_row("unexpected_countries", field="countries")],
        )
    if the_role is Role.ADMINISTRATOR and actor is not None and user_role(actor) is not Role.ADMINISTRATOR:
        raise NotAllowed("only administrators may make someone an administrator")
    if actor is not None and not is_manager(actor):
        raise NotAllowed("only administrators and analysts may change roles")
    if actor is not None and is_administrator_account(user) and user_role(actor) is not Role.ADMINISTRATOR:
        # else an analyst could demote an administrator, then change that account's password
        raise NotAllowed("only administrators may change an administrator")
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


def login_key(username: str) -> str:
    """The name failures are counted under: as the login form reads it (trimmed, NFKC) and case-folded, so
    that " ana", the full-width "ａｎａ" and "ANA" are one name. A name no account can have (too long, or holding
    a character no stored text may hold) is counted under its digest, which fits the column."""
    key = normalised_username(username).casefold()
    max_length = LoginFailure._meta.get_field("username").max_length or 150
    if len(key) > max_length or forbidden_character(key) is not None:
        key = "sha256:" + hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()
    return key


def login_throttle_check(*, username: str, address: str | None = None) -> None:
    """Refuse further attempts for a name, or from an address, that failed too often within the window."""
    since = timezone.now() - dt.timedelta(seconds=settings.GOVLENS_LOGIN_WINDOW_SECONDS)
    recent = LoginFailure.objects.filter(at__gte=since)
    minutes = max(1, settings.GOVLENS_LOGIN_WINDOW_SECONDS // 60)
    if recent.filter(username=login_key(username)).count() >= settings.GOVLENS_LOGIN_MAX_FAILURES:
        raise Throttled(f"too many failed logins for {quoted(username.strip())}; try again in {minutes} minutes")
    if address and recent.filter(address=address).count() >= settings.GOVLENS_LOGIN_MAX_FAILURES_PER_ADDRESS:
        raise Throttled(f"too many failed logins from your address; try again in {minutes} minutes")


def login_failure_record(*, username: str, address: str | None = None) -> None:
    LoginFailure.objects.create(username=login_key(username), address=address or None)


def login_failures_clear(*, username: str) -> None:
    """Forget the failures of a name (a successful login, a new password); those of its address stay."""
    LoginFailure.objects.filter(username=login_key(username)).delete()


def request_address(request: HttpRequest) -> str | None:
    """The client address failures are counted per: the connection's (a forwarded header can be forged)."""
    address = request.META.get("REMOTE_ADDR") or None
    try:
        return str(ipaddress.ip_address(address)) if address else None
    except ValueError:
        return None


# -- API tokens ----------------------------------------------------------------------------------------


def _digest(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def token_issue(*, username: str, password: str, address: str | None = None) -> str:
    """A new bearer token for valid credentials (throttled like the login page, by name and by address)."""
    login_throttle_check(username=username, address=address)
    user = _authenticate(username, password)
    if user is None:
        login_failure_record(username=username, address=address)
        raise Unauthenticated("invalid username or password")
    login_failures_clear(username=username)
    raw = secrets.token_urlsafe(32)
    ApiToken.objects.create(user=user, digest=_digest(raw), expires_at=timezone.now() + TOKEN_LIFETIME)
    return raw


def _authenticate(username: str, password: str) -> User | None:
    """The user of these credentials, read as the login form reads them; None for wrong ones, and for a name or
    password no account can have (a lone surrogate cannot even be hashed)."""
    name = normalised_username(username)
    if forbidden_character(name) is not None or len(name) > (User._meta.get_field("username").max_length or 150):
        return None
    try:
        password.encode("utf-8")
    except UnicodeEncodeError:
        return None
    user = authenticate(username=name, password=password)
    return user if isinstance(user, User) else None


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


# -- contributors ----------------------------------------------------------------------------------------


@transaction.atomic
def contributor_set(
    *,
    actor: Actor,
    cycle_slug: str,
    iso3: str,
    username: str,
    institution: str,
    sections: Sequence[str],
    email: str = "",
    password: str | None = None,
) -> User:
    """A contributor of ``iso3`` from another institution, limited to the delegated ``sections`` of the cycle's
    questionnaire: created (with ``password``) or, when the username is already this country's contributor, given
    new sections and institution. The country's focal point (its coordinator) or a manager delegates."""
    from govlens.web.accounts.selectors import can_delegate_sections
    from govlens.web.cycles.frameworks import cycle_framework
    from govlens.web.cycles.selectors import cycle_get

    iso3 = iso3.upper()
    if actor is not None and not can_delegate_sections(actor, iso3):
        raise NotAllowed(f"only the coordinator of {iso3} may delegate its sections")
    framework = cycle_framework(cycle_get(slug=cycle_slug))
    known = [section.name for section in framework.sections]
    problems = []
    unknown = [name for name in sections if name not in known]
    if unknown:
        allowed, got = f"{{{', '.join(known)}}}", ", ".join(unknown)
        problems.append(problem_row("unknown_section", field="sections", allowed=allowed, value=got))
    if not sections:
        problems.append(problem_row("missing_sections", field="sections"))
    if not institution.strip():
        problems.append(problem_row("missing_institution", field="institution"))
    if problems:
        raise Invalid("; ".join(p["message"] for p in problems), problems=problems)
    ordered = [name for name in known if name in sections]
    user = User.objects.filter(username=username).first()
    if user is None:
        if not password:
            raise Invalid(
                "a new contributor needs a password",
                problems=[problem_row("missing_password", field="password")],
            )
        user = user_create(
            actor=None, username=username, password=password, role="contributor", country=iso3, email=email
        )
    else:
        membership = Membership.objects.filter(user=user).first()
        if (
            membership is None
            or membership.role != Role.CONTRIBUTOR
            or membership.country is None
            or (membership.country.iso3 != iso3)
        ):
            raise Invalid(
                f"user '{username}' already exists and is not a contributor of {iso3}",
                problems=[problem_row("duplicate_username", field="username", name=f"'{username}'")],
            )
    membership = Membership.objects.get(user=user)
    old = {"sections": list(membership.sections or []), "institution": membership.institution}
    membership.sections = ordered
    membership.institution = institution.strip()
    membership.save(update_fields=["sections", "institution"])
    for key, new in (("sections", ordered), ("institution", membership.institution)):
        if old[key] != new:
            audit_record(
                actor=actor,
                object_type="membership",
                object_id=user.get_username(),
                field=key,
                old=old[key],
                new=new,
                country=iso3,
            )
    return user
