"""Admin access for analysts: administrators are superusers; analysts manage cycles, countries and people."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from govlens.web.accounts.selectors import is_manager


class ManagerAdmin(admin.ModelAdmin):
    """A model admin open to administrators and analysts (not to reviewers or focal points)."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return is_manager(request.user)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_manager(request.user)

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return is_manager(request.user)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_manager(request.user)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_manager(request.user)


class ReadOnlyAdmin(ManagerAdmin):
    """Listed and viewable, never changed through the admin (audit trail, responses: use the services)."""

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
