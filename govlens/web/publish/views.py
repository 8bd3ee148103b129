"""HTTP for the public dashboard: read the release named by ``?release=`` (default: the latest published complete
release), ask the selectors for the page's data, render. No login: every published release is public (drafts only
for analysts), and no page writes anything (GET and HEAD only)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from govlens.release import Release
from govlens.web.publish import selectors
from govlens.web.publish.selectors import ReleaseUnavailable


def _not_found(request: HttpRequest, error: ReleaseUnavailable) -> HttpResponse:
    context = {"message": str(error), "releases": selectors.releases_available()}
    return render(request, "publish/not_found.html", context, status=404)


def _release(request: HttpRequest) -> Release:
    return selectors.release_get(request.GET.get("release") or None, user=request.user)


def _yes_no() -> dict[str, str]:
    return {"yes": _("Yes"), "no": _("No")}


def _render(request: HttpRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    # links keep the reader on the release they chose; without a choice they follow the latest
    context["query"] = f"?release={context['release_id']}" if request.GET.get("release") else ""
    # the words come from two catalogues (Django's and the core's): TypographyMiddleware typesets the whole page
    return render(request, template, context)


@require_safe
def overview(request: HttpRequest) -> HttpResponse:
    try:
        release = _release(request)
    except ReleaseUnavailable as error:
        return _not_found(request, error)
    words = (
        _("Index score by country"),
        _(
            "Countries of Latin America and the Caribbean coloured by their index score; the table below the map "
            "gives every value."
        ),
        _("Not in this release"),
    )
    context = selectors.overview_page(release, get_language(), map_words=words)
    return _render(request, "publish/overview.html", context)


@require_safe
def country(request: HttpRequest, iso3: str) -> HttpResponse:
    try:
        release = _release(request)
        # ?peers=CHL&peers=URY (the form's check boxes) or ?peers=CHL,URY
        peers = [code for value in request.GET.getlist("peers") for code in value.split(",") if code.strip()]
        context = selectors.country_page(
            release,
            iso3,
            get_language(),
            yes_no=_yes_no(),
            peers=peers,
            peers_label=_("Peers: {names}"),
            trend_desc=_(
                "Index score in each published cycle; a dashed line joins cycles whose framework changed, which "
                "are not comparable. The table below gives every value."
            ),
        )
    except ReleaseUnavailable as error:
        return _not_found(request, error)
    return _render(request, "publish/country.html", context)


@require_safe
def indicator(request: HttpRequest, node_id: str) -> HttpResponse:
    try:
        release = _release(request)
        context = selectors.indicator_page(release, node_id, get_language(), yes_no=_yes_no())
    except ReleaseUnavailable as error:
        return _not_found(request, error)
    return _render(request, "publish/indicator.html", context)


@require_safe
def analysis(request: HttpRequest) -> HttpResponse:
    try:
        release = _release(request)
    except ReleaseUnavailable as error:
        return _not_found(request, error)
    return _render(request, "publish/analysis.html", selectors.analysis_page(release, get_language()))


@require_safe
def export_download(request: HttpRequest, format: str) -> HttpResponse:
    try:
        release = _release(request)
        file = selectors.export_file(release, format)
    except ReleaseUnavailable as error:
        return _not_found(request, error)
    reply = HttpResponse(file.content, content_type=file.content_type)
    reply["Content-Disposition"] = f'attachment; filename="{file.filename}"'
    return reply


@require_safe
def file_download(request: HttpRequest, release_id: str, name: str) -> HttpResponse:
    """A report or profile written for a release (HTML or PDF, any language): public once the release is
    published, for analysts before."""
    from django.http import FileResponse

    from govlens.web.jobs.selectors import release_files
    from govlens.web.jobs.services import outputs_directory

    try:
        selectors.release_get(release_id, user=request.user)
    except ReleaseUnavailable as error:
        return _not_found(request, error)
    if name not in release_files(release_id):  # only names listed in the folder: no path from the URL
        return _not_found(request, ReleaseUnavailable(f"release {release_id} has no file {name!r}"))
    path = outputs_directory() / release_id / name
    return FileResponse(path.open("rb"), as_attachment=name.endswith(".pdf"), filename=name)
