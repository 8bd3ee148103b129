"""Who may do what: the single place where roles become permissions (views, API and services ask here)."""

from __future__ import annotations

from typing import TypeAlias

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import QuerySet

from govlens.web.accounts.models import Membership, Role
from govlens.web.cycles.models import Country

AnyUser: TypeAlias = User | AnonymousUser
# Who performs an action: a person, or None for the system (the command line).
Actor: TypeAlias = User | AnonymousUser | None


def person(actor: Actor) -> User | None:
    """The user behind an action, or None for anonymous visitors and the system."""
    return actor if isinstance(actor, User) else None


def user_role(user: AnyUser | None) -> Role | None:
    """The user's role; superusers are administrators; None for anonymous users and users without a role."""
    if user is None or not user.is_authenticated or not user.is_active:
        return None
    if not isinstance(user, User):
        return None
    if user.is_superuser:
        return Role.ADMINISTRATOR
    membership = _membership(user)
    return Role(membership.role) if membership is not None else None


def _membership(user: AnyUser) -> Membership | None:
    if not isinstance(user, User):
        return None
    try:
        membership: Membership = user.membership
    except Membership.DoesNotExist:
        return None
    return membership


def is_administrator_account(user: User) -> bool:
    """Whether the account holds administrator rights, active or not (only administrators may change it)."""
    membership = _membership(user)
    return user.is_superuser or (membership is not None and membership.role == Role.ADMINISTRATOR.value)


def is_manager(user: AnyUser | None) -> bool:
    """Administrators and analysts manage cycles and see everything."""
    return user_role(user) in (Role.ADMINISTRATOR, Role.ANALYST)


def assigned_countries(user: AnyUser | None) -> set[str]:
    """ISO3 codes of the countries a reviewer or focal point works on (empty for other roles)."""
    role = user_role(user)
    membership = _membership(user) if user is not None else None
    if membership is None:
        return set()
    if role in (Role.FOCAL_POINT, Role.CONTRIBUTOR) and membership.country is not None:
        return {membership.country.iso3}
    if role is Role.REVIEWER:
        return set(membership.countries.values_list("iso3", flat=True))
    return set()


def can_view_response(user: AnyUser | None, iso3: str) -> bool:
    """Read a whole response (and what follows from it: review, plans); contributors read only their sections
    (``can_read_sections``)."""
    return is_manager(user) or (iso3 in assigned_countries(user) and user_role(user) is not Role.CONTRIBUTOR)


def _contributor_of(user: AnyUser | None, iso3: str) -> bool:
    return user_role(user) is Role.CONTRIBUTOR and iso3 in assigned_countries(user)


def can_read_sections(user: AnyUser | None, iso3: str) -> bool:
    """Read the questionnaire of ``iso3``: whoever reads the whole response, and its contributors (the sections
    delegated to them: ``editable_sections``)."""
    return can_view_response(user, iso3) or _contributor_of(user, iso3)


def can_edit_response(user: AnyUser | None, iso3: str) -> bool:
    """Focal points edit their own country; administrators and analysts may edit on a country's behalf."""
    if is_manager(user):
        return True
    return user_role(user) is Role.FOCAL_POINT and iso3 in assigned_countries(user)


def can_answer_response(user: AnyUser | None, iso3: str) -> bool:
    """Write answers of ``iso3``: its editors, and its contributors in their delegated sections."""
    return can_edit_response(user, iso3) or _contributor_of(user, iso3)


def can_submit_response(user: AnyUser | None, iso3: str) -> bool:
    """The coordinator (focal point) and the managers submit; contributors do not."""
    return can_edit_response(user, iso3)


def can_delegate_sections(user: AnyUser | None, iso3: str) -> bool:
    """The country's focal point (its coordinator) and the managers delegate sections to contributors."""
    if is_manager(user):
        return True
    return user_role(user) is Role.FOCAL_POINT and iso3 in assigned_countries(user)


def editable_sections(user: AnyUser | None, iso3: str) -> frozenset[str] | None:
    """The sections a contributor may answer and read; None when the user is not limited to sections."""
    if user_role(user) is not Role.CONTRIBUTOR:
        return None
    membership = _membership(user) if user is not None else None
    if membership is None or iso3 not in assigned_countries(user):
        return frozenset()
    return frozenset(str(name) for name in membership.sections or ())


def user_institution(user: AnyUser | None) -> str:
    """The institution recorded on the answers a user writes (empty when none was given)."""
    membership = _membership(user) if user is not None else None
    return membership.institution if membership is not None else ""


def can_review_response(user: AnyUser | None, iso3: str) -> bool:
    """Comment on, request changes to and approve a response."""
    if is_manager(user):
        return True
    return user_role(user) is Role.REVIEWER and iso3 in assigned_countries(user)


def can_reopen_response(user: AnyUser | None) -> bool:
    return is_manager(user)


def visible_countries(user: AnyUser | None) -> QuerySet[Country]:
    if is_manager(user):
        return Country.objects.all()
    return Country.objects.filter(iso3__in=assigned_countries(user))


def contributors_of(*, iso3: str) -> list[Membership]:
    """The contributors of a country, with their sections and institutions."""
    rows = Membership.objects.select_related("user").filter(role=Role.CONTRIBUTOR, country__iso3=iso3.upper())
    return list(rows.order_by("user__username"))
