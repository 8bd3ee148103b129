"""Login (throttled), logout and the home page."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from govlens.web.accounts.selectors import user_role, visible_countries
from govlens.web.accounts.services import (
    login_failure_record,
    login_failures_clear,
    login_throttle_check,
    request_address,
)
from govlens.web.collection.models import Response
from govlens.web.cycles.selectors import cycles_visible
from govlens.web.errors import Throttled
from govlens.web.review.selectors import review_messages_recent, review_queue


class ThrottledAuthenticationForm(AuthenticationForm):
    """Django's login form, refusing a username after too many failures (counted in the database)."""

    def clean(self) -> dict[str, Any]:
        username = str(self.data.get("username", ""))
        address = request_address(self.request) if self.request is not None else None
        try:
            login_throttle_check(username=username, address=address)
        except Throttled as error:
            raise ValidationError(error.message, code="throttled") from None
        try:
            cleaned = super().clean()
        except ValidationError:
            login_failure_record(username=username, address=address)
            raise
        login_failures_clear(username=username)
        return cleaned


class LoginView(auth_views.LoginView):
    form_class = ThrottledAuthenticationForm
    template_name = "govlens/login.html"
    redirect_authenticated_user = True


@login_required
def home(request: HttpRequest) -> HttpResponse:
    cycles = list(cycles_visible(user=request.user))
    responses = (
        Response.objects.select_related("cycle", "country")
        .filter(cycle__in=cycles, country__in=visible_countries(request.user))
        .order_by("cycle__slug", "country__iso3")
    )
    context = {
        "role": user_role(request.user),
        "cycles": cycles,
        "responses": responses,
        "queue": review_queue(user=request.user),
        "notifications": review_messages_recent(user=request.user),
    }
    return render(request, "govlens/home.html", context)
