"""Admin for people: analysts manage users and their roles; role changes go through the service (audited)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import Group, User
from django.http import HttpRequest
from django.utils.translation import gettext_lazy

from govlens.web.accounts.models import ROLE_LABELS, Membership, Role
from govlens.web.accounts.selectors import is_administrator_account, is_manager, user_role
from govlens.web.accounts.services import membership_set
from govlens.web.admin_site import ManagerAdmin
from govlens.web.errors import ServiceError


@admin.register(Membership)
class MembershipAdmin(ManagerAdmin):
    list_display = ("user", "role", "country")
    list_filter = ("role",)
    filter_horizontal = ("countries",)
    search_fields = ("user__username",)

    def _touches_administrator(self, request: HttpRequest, obj: Membership | None) -> bool:
        """Whether ``obj`` is an administrator's membership and the person asking is not an administrator."""
        return (
            obj is not None
            and is_administrator_account(obj.user)
            and user_role(request.user) is not Role.ADMINISTRATOR
        )

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_change_permission(request, obj) and not self._touches_administrator(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_delete_permission(request, obj) and not self._touches_administrator(request, obj)

    def save_model(self, request: HttpRequest, obj: Membership, form: Any, change: bool) -> None:
        data = form.cleaned_data
        try:
            saved = membership_set(
                actor=request.user,
                user=data["user"],
                role=data["role"],
                country=data["country"].iso3 if data.get("country") else None,
                countries=[c.iso3 for c in data.get("countries") or []],
            )
        except ServiceError as error:
            # The form was valid for Django; the business rule refuses it: show the reason, change nothing.
            from django.core.exceptions import PermissionDenied

            raise PermissionDenied(error.message) from error
        obj.pk = saved.pk

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        # The assignments were saved (and audited) by membership_set.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)


admin.site.unregister(User)
admin.site.unregister(Group)


@admin.register(User)
class PeopleAdmin(UserAdmin):
    """Django's user admin, open to analysts, who cannot grant superuser rights or raw permissions."""

    list_display = ("username", "email", "is_active", "role")

    @admin.display(description=gettext_lazy("role"))
    def role(self, obj: User) -> str:
        role = user_role(obj)
        return str(ROLE_LABELS.get(role, role.value)) if role is not None else ""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return is_manager(request.user)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_manager(request.user)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return is_manager(request.user)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is not None and obj.is_superuser and not getattr(request.user, "is_superuser", False):
            return False  # analysts do not edit administrators
        return is_manager(request.user)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(getattr(request.user, "is_superuser", False))

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if getattr(request.user, "is_superuser", False):
            return ()
        # Roles (and with them staff and superuser rights) are set through memberships, never here.
        return ("is_staff", "is_superuser", "groups", "user_permissions", "last_login", "date_joined")
