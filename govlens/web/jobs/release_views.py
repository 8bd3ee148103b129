"""HTTP of a release after its job: the release page (state, files, validation comments, publish) for analysts,
and the validation page of a country for its focal point."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from govlens.release import PublicationState
from govlens.web.accounts.selectors import is_manager
from govlens.web.errors import Invalid, NotAllowed, ServiceError, problem_row
from govlens.web.jobs import publication
from govlens.web.jobs.selectors import release_files


def _error_page(request: HttpRequest, error: ServiceError) -> HttpResponse:
    return render(request, "govlens/error.html", {"error": error}, status=error.status)


def _invalid(request: HttpRequest, error: Invalid) -> None:
    messages.error(request, error.message)
    for problem in error.problems:
        if problem.get("message"):
            messages.error(request, str(problem["message"]))


@login_required
@require_http_methods(["GET"])
def release_page(request: HttpRequest, release_id: str) -> HttpResponse:
    try:
        if not is_manager(request.user):
            raise NotAllowed(_("Only analysts and administrators see the release page."))
        release = publication.release_read(release_id)
        state = publication.release_state(release_id)
    except ServiceError as error:
        return _error_page(request, error)
    round_ = publication.validation_round(release_id)
    reviews = list(round_.reviews.select_related("author").order_by("country", "item")) if round_ else []
    context = {
        "release": release,
        "state": state.value,
        "published": state is PublicationState.PUBLISHED,
        "round": round_,
        "reviews": reviews,
        "open_count": sum(1 for review in reviews if review.open),
        "files": release_files(release_id),
        "default_deadline": (dt.date.today() + dt.timedelta(days=14)).isoformat(),
        "dashboard": f"{reverse('publish:overview')}?release={release_id}",
    }
    return render(request, "jobs/release.html", context)


@login_required
@require_POST
def release_action(request: HttpRequest, release_id: str) -> HttpResponse:
    """Open the validation round, resolve a comment, or publish (the form's ``action``)."""
    action = request.POST.get("action", "")
    try:
        if action == "validation":
            raw = request.POST.get("deadline", "")
            try:
                deadline = dt.date.fromisoformat(raw)
            except ValueError:
                raise Invalid(
                    _("The deadline must be a date."),
                    problems=[problem_row("bad_date", field="deadline", value=raw)],
                ) from None
            publication.validation_open(actor=request.user, release_id=release_id, deadline=deadline)
            messages.success(request, _("The release is open for validation by the countries."))
        elif action == "resolve":
            publication.validation_resolve(
                actor=request.user,
                review_id=int(request.POST.get("review", "0") or 0),
                resolution=request.POST.get("resolution", ""),
                reply=request.POST.get("reply", ""),
            )
            messages.success(request, _("The comment is resolved."))
        elif action == "publish":
            publication.release_publish(
                actor=request.user,
                release_id=release_id,
                confirm_open_comments=request.POST.get("confirm_open_comments") == "yes",
            )
            messages.success(request, _("The release is published."))
        else:
            raise Invalid(_("Unknown action."), problems=[problem_row("bad_action", field="action", value=action)])
    except Invalid as error:
        _invalid(request, error)
    except ServiceError as error:
        return _error_page(request, error)
    return redirect(reverse("release-page", args=[release_id]))


@login_required
@require_http_methods(["GET", "POST"])
def validation_page(request: HttpRequest, release_id: str, iso3: str) -> HttpResponse:
    if request.method == "POST":
        try:
            publication.validation_review(
                actor=request.user,
                release_id=release_id,
                country=iso3,
                item=request.POST.get("item", ""),
                decision=request.POST.get("decision", ""),
                comment=request.POST.get("comment", ""),
            )
            messages.success(request, _("Your answer is recorded."))
        except Invalid as error:
            _invalid(request, error)
        except ServiceError as error:
            return _error_page(request, error)
        return redirect(reverse("release-validation", args=[release_id, iso3.upper()]))
    try:
        context = publication.validation_view(
            user=request.user, release_id=release_id, country=iso3, language=get_language() or "en"
        )
    except ServiceError as error:
        return _error_page(request, error)
    profile = [name for name in release_files(release_id) if name.startswith(f"profile-{iso3.upper()}-")]
    context["profile_files"] = profile
    reviews = context["reviews"]
    context["rows"] = [(item, reviews.get(item.key)) for item in context["items"]]  # type: ignore[attr-defined]
    return render(request, "jobs/validation.html", context)
