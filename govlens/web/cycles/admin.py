"""Admin for countries and cycles. Cycles are created, opened and closed through the services (so the
framework is recorded, the responses created and every change audited); framework and countries are then
fixed."""

from __future__ import annotations

from typing import Any

import pycountry
from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext, gettext_lazy

from govlens.web.admin_site import ManagerAdmin
from govlens.web.cycles.frameworks import framework_form_source, framework_load
from govlens.web.cycles.models import Country, Cycle
from govlens.web.cycles.services import cycle_close, cycle_create, cycle_open, cycle_settings_set
from govlens.web.errors import ServiceError


@admin.register(Country)
class CountryAdmin(ManagerAdmin):
    list_display = ("iso3", "name")
    search_fields = ("iso3", "name")


def _each(request: HttpRequest, cycles: QuerySet[Cycle], change: Any, done: str) -> None:
    for cycle in cycles:
        try:
            change(actor=request.user, cycle=cycle)
        except ServiceError as error:
            messages.error(request, f"{cycle.slug}: {error.message}")
        else:
            messages.success(request, f"{cycle.slug}: {done}")


@admin.action(description=gettext_lazy("Open the selected cycles for answers"))
def open_cycles(modeladmin: Any, request: HttpRequest, queryset: QuerySet[Cycle]) -> None:
    _each(request, queryset, cycle_open, gettext("open"))


@admin.action(description=gettext_lazy("Close the selected cycles"))
def close_cycles(modeladmin: Any, request: HttpRequest, queryset: QuerySet[Cycle]) -> None:
    _each(request, queryset, cycle_close, gettext("closed"))


class CycleCreateForm(forms.ModelForm):
    """The add form: the framework by bundled name or file, the countries as ISO3 codes."""

    framework = forms.CharField(
        label=gettext_lazy("Framework"),
        help_text=gettext_lazy(
            "Bundled framework name (e.g. lac-dgr) or the name of a framework file in the platform's "
            "frameworks folder (GOVLENS_HOME/frameworks)."
        ),
    )
    country_codes = forms.CharField(
        label=gettext_lazy("Countries"), help_text=gettext_lazy("ISO3 codes separated by commas, e.g. ARG,BRA,MEX.")
    )

    class Meta:
        model = Cycle
        fields = ("slug", "title", "opens_on", "closes_on")

    def clean_framework(self) -> str:
        name = str(self.cleaned_data["framework"]).strip()
        try:
            name = framework_form_source(name)
            framework_load(name)
        except ServiceError as error:
            raise forms.ValidationError(error.message) from None
        return name

    def clean_country_codes(self) -> list[str]:
        codes = [c.strip().upper() for c in str(self.cleaned_data["country_codes"]).split(",") if c.strip()]
        unknown = [c for c in codes if pycountry.countries.get(alpha_3=c) is None]
        if unknown or not codes:
            raise forms.ValidationError(
                gettext("Give ISO 3166-1 alpha-3 codes such as ARG,BRA; not recognised: %(codes)s")
                % {"codes": ", ".join(unknown) or "—"}
            )
        return codes


class CycleChangeForm(forms.ModelForm):
    """The change form: the release settings are checked with the framework's before they are stored."""

    class Meta:
        model = Cycle
        fields = ("title", "opens_on", "closes_on", "release_settings")

    def clean_release_settings(self) -> Any:
        from govlens.release.settings import SettingsInvalid, check_override
        from govlens.web.cycles.frameworks import cycle_release_settings

        value = self.cleaned_data.get("release_settings") or {}
        if "release_settings" not in self.changed_data:  # a title edit does not need the framework loaded
            return value
        try:
            plain = check_override(value, f"cycle {self.instance.slug}")
            cycle_release_settings(self.instance, override=plain)
        except SettingsInvalid as error:
            raise forms.ValidationError(str(error)) from None
        except ServiceError as error:
            raise forms.ValidationError(error.message) from None
        return plain


@admin.register(Cycle)
class CycleAdmin(ManagerAdmin):
    list_display = ("slug", "title", "framework_id", "framework_version", "status", "opens_on", "closes_on")
    list_filter = ("status", "framework_id")
    readonly_fields = (
        "slug",
        "framework_id",
        "framework_source",
        "framework_version",
        "framework_fingerprint",
        "countries",
        "status",
    )
    actions = (open_cycles, close_cycles)

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        kwargs["form"] = CycleCreateForm if obj is None else CycleChangeForm
        return super().get_form(request, obj, change=change, **kwargs)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return self.readonly_fields if obj is not None else ()

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is None:
            return ("slug", "title", "framework", "country_codes", "opens_on", "closes_on")
        return super().get_fields(request, obj)

    def save_model(self, request: HttpRequest, obj: Cycle, form: Any, change: bool) -> None:
        if change:
            if "release_settings" in form.changed_data:  # through the service: checked and audited
                try:
                    stored = cycle_settings_set(
                        actor=request.user, cycle=obj, override=form.cleaned_data["release_settings"]
                    )
                except ServiceError as error:
                    raise PermissionDenied(error.message) from error
                obj.release_settings = stored.release_settings
                messages.info(
                    request, gettext("The release settings of the cycle were changed; new releases use them.")
                )
            super().save_model(request, obj, form, change)
            return
        # A new cycle is made by the service: it records the framework and creates the responses.
        data = form.cleaned_data
        try:
            created = cycle_create(
                actor=request.user,
                slug=data["slug"],
                framework=data["framework"],
                countries=data["country_codes"],
                title=data.get("title") or "",
                opens_on=data.get("opens_on"),
                closes_on=data.get("closes_on"),
            )
        except ServiceError as error:
            raise PermissionDenied(error.message) from error
        obj.pk = created.pk

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        if change:
            super().save_related(request, form, formsets, change)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(getattr(request.user, "is_superuser", False))
