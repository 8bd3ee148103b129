"""HTTP of a release after its job: the release page (state, files, validation comments, publish) for analysts,
and the validation page of a country for its focal point."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from govlens.release import PublicationState, Release
from govlens.web.accounts.selectors import is_manager
from govlens.web.error_page import error_page
from govlens.web.errors import Invalid, NotAllowed, ServiceError, problem_row
from govlens.web.jobs import publication
from govlens.web.jobs.selectors import release_files


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
        return error_page(request, error)
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
        "settings_source": release.inputs.metadata.get("settings_source") or {},
        **_edits_summary(release),
    }
    return render(request, "jobs/release.html", context)


def _edits_summary(release: Release) -> dict[str, object]:
    """How many passages of the report analysts edited, and those a publication would refuse."""
    from govlens.web.jobs import report_edits

    edits = report_edits.cycle_edits(release.cycle)
    from govlens.reports.edits import stale_passages

    problems = report_edits.edits_stale(release, edits) if edits is not None else []
    return {
        "edit_count": len(edits.edits) if edits else 0,
        "edit_problems": [str(problem) for problem in problems],
        "stale_count": stale_passages(problems),
    }


@login_required
@require_POST
def release_action(request: HttpRequest, release_id: str) -> HttpResponse:
    """Open the validation round, resolve a comment, or publish (the form's ``action``)."""
    action = request.POST.get("action", "")

    def run() -> str:
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
            return _("The release is open for validation by the countries.")
        if action == "resolve":
            publication.validation_resolve(
                actor=request.user,
                review_id=int(request.POST.get("review", "0") or 0),
                resolution=request.POST.get("resolution", ""),
                reply=request.POST.get("reply", ""),
            )
            return _("The comment is resolved.")
        if action == "publish":
            publication.release_publish(
                actor=request.user,
                release_id=release_id,
                confirm_open_comments=request.POST.get("confirm_open_comments") == "yes",
            )
            return _("The release is published.")
        raise _unknown_action(action)

    return _act(request, run, reverse("release-page", args=[release_id]))


def _unknown_action(action: str) -> Invalid:
    return Invalid(_("Unknown action."), problems=[problem_row("bad_action", field="action", value=action)])


def _act(request: HttpRequest, run: Callable[[], str], back: str) -> HttpResponse:
    """Run a form's action: its message on success, the problems of an invalid input, then back to ``back``; an
    error page for a refusal."""
    try:
        messages.success(request, run())
    except Invalid as error:
        _invalid(request, error)
    except ServiceError as error:
        return error_page(request, error)
    return redirect(back)


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
            return error_page(request, error)
        return redirect(reverse("release-validation", args=[release_id, iso3.upper()]))
    try:
        context = publication.validation_view(
            user=request.user, release_id=release_id, country=iso3, language=get_language() or "en"
        )
    except ServiceError as error:
        return error_page(request, error)
    profile = [name for name in release_files(release_id) if name.startswith(f"profile-{iso3.upper()}-")]
    context["profile_files"] = profile
    reviews = context["reviews"]
    context["rows"] = [(item, reviews.get(item.key)) for item in context["items"]]  # type: ignore[attr-defined]
    return render(request, "jobs/validation.html", context)


# -- the text of the draft's report: analysts' edits ----------------------------------------------------------------
@login_required
@require_http_methods(["GET"])
def text_page(request: HttpRequest, release_id: str) -> HttpResponse:
    """Every passage of the report in one language (``?lang=``), generated and as edited, with the forms to edit,
    revert, import and export."""
    from govlens.web.jobs import report_edits

    language = request.GET.get("lang") or (get_language() or "en")[:2]
    try:
        context = report_edits.edit_page(user=request.user, release_id=release_id, language=language)
    except ServiceError as error:
        return error_page(request, error)
    counts: dict[str, int] = context["counts"]  # type: ignore[assignment]
    context["language_tabs"] = [(code, str(name), counts.get(code, 0)) for code, name in settings.LANGUAGES]
    context["editable"] = context["state"] != PublicationState.PUBLISHED.value
    return render(request, "jobs/text.html", context)


@login_required
@require_POST
def text_action(request: HttpRequest, release_id: str) -> HttpResponse:
    """Save an edit, revert one to the generated text, or import an edits file (the form's ``action``)."""
    from govlens.web.jobs import report_edits

    action = request.POST.get("action", "")
    language = request.POST.get("language", "en")
    target = request.POST.get("target", "")

    def run() -> str:
        if action == "save":
            row = report_edits.report_edit_save(
                actor=request.user,
                release_id=release_id,
                target=target,
                language=language,
                text=request.POST.get("text", ""),
            )
            if row is None:
                return _("The passage is the generated text again.")
            return _("The edit is saved and the draft's report written again.")
        if action == "revert":
            report_edits.report_edit_revert(actor=request.user, release_id=release_id, target=target, language=language)
            return _("The passage is back to the generated text.")
        if action == "import":
            upload = request.FILES.get("file")
            if upload is None:
                raise Invalid(
                    _("Choose an edits file (YAML) to import."),
                    problems=[problem_row("edit_invalid", field="file", reason="no file chosen")],
                )
            count = report_edits.report_edits_import(
                actor=request.user,
                release_id=release_id,
                content=upload.read(report_edits.MAX_IMPORT_BYTES + 1),
                filename=upload.name or "edits.yaml",
            )
            return ngettext("%(count)s edit imported.", "%(count)s edits imported.", count) % {"count": count}
        raise _unknown_action(action)

    anchor = f"#passage-{target}" if action == "save" and target else ""
    return _act(request, run, f"{reverse('release-text', args=[release_id])}?lang={language}{anchor}")


@login_required
@require_http_methods(["GET"])
def text_export(request: HttpRequest, release_id: str) -> HttpResponse:
    """The cycle's edits as the CLI's edits file (``govlens report --edits``)."""
    from govlens.web.jobs import report_edits

    try:
        content = report_edits.edits_export(user=request.user, release_id=release_id)
    except ServiceError as error:
        return error_page(request, error)
    reply = HttpResponse(content, content_type="application/yaml; charset=utf-8")
    reply["Content-Disposition"] = f'attachment; filename="edits-{release_id}.yaml"'
    return reply
