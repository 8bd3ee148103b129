"""Reads of the public dashboard: releases from ``GOVLENS_HOME/releases`` and the page data computed from them.

Everything here reads; nothing writes (a release is never changed). The numbers come from the release and the
words and charts from the core (``govlens.reports`` and ``govlens.analysis``): the dashboard shows the same
figures, charts and generated statements as the PDF report, only laid out for the web. A release read once
is kept in memory (keyed by its file's size and modification time), and so is its analysis per language.
"""

from __future__ import annotations

import io
import math
import re
import tempfile
import threading
import zipfile
from collections import OrderedDict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.conf import settings
from markupsafe import Markup

from govlens.analysis.trends import CycleScores, trend_table
from govlens.framework.model import LANGUAGES, Framework, Node, NodeKind, Question, text_in
from govlens.framework.scoring import question_options, relevant_questions, score_answer
from govlens.i18n import format_number, gettext
from govlens.release import (
    LATEST,
    Release,
    ReleaseError,
    ReleaseNotFound,
    default_public_release,
    list_releases,
    publication_get,
    publications,
    read_release,
    releases_dir,
    resolve_release,
)
from govlens.reports.chapter import THEMES
from govlens.reports.charts import Bar, Point, Series, bar_chart, line_chart
from govlens.reports.exports import export
from govlens.reports.index_analysis import analysis_figures, analysis_from_report
from govlens.reports.render import (
    ReportData,
    interval_text,
    partial_label,
    profile_context,
    profile_radar,
    report_context,
    report_data,
    settings_rows,
    synthetic_label,
    uncertainty_text,
)
from govlens.reports.words import dashboard_words
from govlens.web.accounts.selectors import AnyUser, is_manager

__all__ = [
    "EXPORTS",
    "ExportFile",
    "ReleaseUnavailable",
    "analysis_page",
    "cache_clear",
    "country_page",
    "export_file",
    "indicator_page",
    "overview_page",
    "release_get",
    "releases_available",
]

# what ?release= may hold: ``latest`` or a release id (never a path)
_REFERENCE = re.compile(r"latest|[A-Za-z0-9][A-Za-z0-9._-]*-r[1-9][0-9]*")
_ISO3 = re.compile(r"[A-Z]{3}")
# format -> (content type, file extension)
EXPORTS: Mapping[str, tuple[str, str]] = {
    "csv": ("text/csv; charset=utf-8", "csv"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
    "sdmx-csv": ("application/vnd.sdmx.data+csv; version=2.0.0; charset=utf-8", "sdmx.csv"),
    "sdmx-csv-1.0": ("application/vnd.sdmx.data+csv; version=1.0.0; charset=utf-8", "sdmx-1.0.csv"),
    "sdmx-structure": ("application/vnd.sdmx.structure+xml; version=2.1", "sdmx-structure.xml"),
    "datapackage": ("application/zip", "datapackage.zip"),
}
# the classes of the score distribution on an indicator page
BANDS = 5
# chart elements whose ids must be unique when a page shows several charts of one kind
_CHART_IDS = ("bar-chart", "heat-map", "radar-chart", "grouped-bar-chart")


class ReleaseUnavailable(LookupError):
    """No such release (or country, or node) to show: the page answers 404 with this message."""


def _directory() -> Path:
    configured = getattr(settings, "GOVLENS_RELEASES_DIR", None)
    return Path(configured) if configured else releases_dir()


@lru_cache(maxsize=8)
def _read(path: str, mtime_ns: int, size: int) -> Release:
    return read_release(Path(path))


# who asks: a user (public pages pass the visitor), or the platform itself (every release visible)
SYSTEM = object()


def _published(release_id: str) -> bool:
    try:
        return publication_get(release_id, _directory()).published
    except (ReleaseNotFound, ReleaseError):
        return False


def release_get(reference: str | None = None, *, user: AnyUser | object | None = SYSTEM) -> Release:
    """The release named by ``reference`` (an id; None or ``latest`` mean the default: the latest *published*
    complete release). Drafts, releases in validation and unpublished partial releases are shown to analysts and
    administrators only; to anyone else they do not exist."""
    wanted = reference or LATEST
    if not _REFERENCE.fullmatch(wanted):
        raise ReleaseUnavailable(f"release must be 'latest' or an id such as lac-2026-r1; got {wanted!r}")
    if wanted == LATEST:
        chosen = default_public_release(_directory())
        if chosen is None:
            raise ReleaseUnavailable("no release has been published yet")
        wanted = chosen
    elif user is not SYSTEM and not is_manager(user) and not _published(wanted):
        known = ", ".join(release_id for release_id, _ in releases_available()) or "none"
        raise ReleaseUnavailable(f"no release {wanted!r}; published releases: {known}")
    try:
        path = resolve_release(wanted, _directory())
        stat = path.stat()
        return _read(str(path), stat.st_mtime_ns, stat.st_size)
    except ReleaseNotFound as error:
        raise ReleaseUnavailable(str(error)) from error
    except (OSError, ReleaseError) as error:
        raise ReleaseUnavailable(f"release {wanted!r} cannot be read: {error}") from error


def releases_available() -> list[tuple[str, str]]:
    """(id, creation date) of every published release, newest first (the dashboard's list of releases)."""
    return [
        (release_id, created[:10])
        for release_id, created, publication in reversed(publications(_directory()))
        if publication.published
    ]


# (release id, content hash, language) -> the analysis of the release, at most _DATA_KEPT of them
_DATA: dict[tuple[str, str, str], ReportData] = {}
_DATA_KEPT = 16


_DATA_LOCK = threading.Lock()


def _report_data(release: Release, language: str) -> ReportData:
    key = (release.id, release.hash, language)
    with _DATA_LOCK:
        found = _DATA.get(key)
    if found is None:
        found = report_data(release, language)  # outside the lock: two threads may both compute it, once
        with _DATA_LOCK:
            while len(_DATA) >= _DATA_KEPT:
                _DATA.pop(next(iter(_DATA)))
            _DATA[key] = found
    return found


def cache_clear() -> None:
    """Forget the releases read and their analyses (tests; a server sees new files by their time and size)."""
    with _DATA_LOCK:
        _DATA.clear()
    _read.cache_clear()
    with _PAGES_LOCK:
        _PAGES.clear()
    from django.core.cache import cache

    cache.clear()  # the rendered page bodies ({% cache %} in the templates)


def _language(language: str) -> str:
    code = (language or "en").split("-")[0].lower()
    return code if code in LANGUAGES else "en"


def _unique_ids(svg: str, prefix: str) -> Markup:
    """A chart with its element ids prefixed, so that several charts of one kind can share a page."""
    for name in _CHART_IDS:
        svg = svg.replace(f'"{name}-title', f'"{prefix}-{name}-title').replace(
            f" {name}-desc", f" {prefix}-{name}-desc"
        )
        svg = svg.replace(f'id="{name}-desc"', f'id="{prefix}-{name}-desc"')
    return Markup(svg)


def _common(data: ReportData) -> dict[str, Any]:
    release, language = data.release, data.language
    return {
        "release": release,
        "release_id": release.id,
        "short_hash": release.hash[:16],
        "created_date": release.created[:10],
        "synthetic_label": synthetic_label(release, language),
        "partial_label": partial_label(release, language),
        "framework_title": text_in(data.framework.title, language),
        "framework_version": data.framework.version,
        "words": dashboard_words(language),
        "lang": language,
        "releases": releases_available(),
        "root": data.root,
        "root_label": text_in(data.framework.root.label, language),
        "scale_max": data.fmt(data.maximum),
    }


def _ranked(data: ReportData, node: str) -> list[str]:
    results = data.release.results
    return sorted(results.units, key=lambda unit: (results.rank(unit, node) or math.inf, unit))


def _ranking(data: ReportData, node: Node, prefix: str) -> dict[str, Any]:
    """The bar chart (score, rank, rank interval) of every country at a node, and the same as table rows."""
    results, language = data.release.results, data.language
    ordered = _ranked(data, node.id)
    rows, bars = [], []
    for unit in ordered:
        interval = results.interval(unit, node.id)
        rows.append(
            {
                "unit": unit,
                "name": data.name(unit),
                "score": data.fmt(data.score(unit, node.id)),
                "rank": results.rank(unit, node.id) or "–",
                "interval": interval_text(interval, language),
            }
        )
        bars.append(
            Bar(
                key=unit,
                label=data.name(unit),
                value=data.score(unit, node.id),
                rank=results.rank(unit, node.id),
                low=interval[0] if interval else None,
                high=interval[1] if interval else None,
            )
        )
    label = text_in(node.label, language)
    svg = bar_chart(
        bars,
        maximum=data.maximum,
        title=f"{label}: {gettext('Index score and rank of each country', language)}",
        desc=gettext("The data of this chart are in the table that follows it.", language),
        fmt=data.fmt,
        units=len(results.units),
        rank_label=gettext("Rank", language),
    )
    return {"id": node.id, "label": label, "rows": rows, "svg": _unique_ids(svg, prefix)}


# -- the regional overview ----------------------------------------------------------------------------------------
def _map(data: ReportData, title: str, desc: str, no_data: str) -> dict[str, Any]:
    from govlens.web.publish.choropleth import choropleth, legend_classes

    values = {unit: data.score(unit, data.root) for unit in data.release.results.units}
    # classes over the observed range: on the whole scale, most of a region can fall into one class
    observed = [v for v in values.values() if v is not None and not math.isnan(v)]
    minimum, maximum = (min(observed), max(observed)) if observed else (0.0, data.maximum)
    svg = choropleth(
        values,
        minimum=minimum,
        maximum=maximum,
        names=data.name,
        fmt=data.fmt,
        title=title,
        desc=desc,
        no_data=no_data,
    )
    classes = [
        {
            "low": data.fmt(item.low),
            "high": data.fmt(item.high),
            "colour": item.colour,
            "countries": [(unit, data.name(unit)) for unit in item.countries],
        }
        for item in reversed(legend_classes(values, minimum=minimum, maximum=maximum))
    ]
    return {"svg": Markup(svg), "classes": classes}


# Pages computed once per release content, language and options: a release never changes (its hash is in the
# key), so only the list of releases, which grows, is added afresh to every page served from here.
_PAGES: OrderedDict[tuple[object, ...], dict[str, Any]] = OrderedDict()
_PAGES_MAX = 32
_PAGES_LOCK = threading.Lock()


def _cached_page(key: tuple[object, ...], build: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    with _PAGES_LOCK:
        page = _PAGES.get(key)
        if page is not None:
            _PAGES.move_to_end(key)
    if page is None:
        page = build()
        with _PAGES_LOCK:
            _PAGES[key] = page
            while len(_PAGES) > _PAGES_MAX:
                _PAGES.popitem(last=False)
    return {**page, "releases": releases_available()}


def overview_page(release: Release, language: str, *, map_words: Sequence[str] = ("", "", "")) -> dict[str, Any]:
    """Index and pillar rankings with rank intervals, the map, the heat map and the regional findings.

    ``map_words`` are the map's title, description and no-data label in the interface language."""
    key = ("overview", release.id, release.hash, language, tuple(map_words))
    return _cached_page(key, lambda: _overview_page(release, language, tuple(map_words)))


def _overview_page(release: Release, language: str, map_words: Sequence[str]) -> dict[str, Any]:
    data = _report_data(release, _language(language))
    report = report_context(data)
    # a statement about a question links to the indicator page that lists who answered what
    node_of = {name: leaf.id for leaf in data.framework.leaves() for name in leaf.questions}
    findings = []
    for finding in report["findings"]:
        items = []
        for item in finding["items"]:
            countries = [unit for unit in str(item["countries"]).split() if unit]
            subject = str(item["subject"])
            evidence = subject if item["subject_kind"] == "indicator" else node_of.get(subject, "")
            anchor = f"#q-{subject}" if item["subject_kind"] == "question" and evidence else ""
            items.append(
                {
                    **item,
                    "country_links": [(unit, data.name(unit)) for unit in countries],
                    "evidence_node": evidence,
                    "evidence_anchor": anchor,
                }
            )
        findings.append({**finding, "items": items})
    # the findings under the themes of the report's chapter, as the report presents them
    by_ref = {finding["ref"]: finding for finding in findings}
    finding_themes = [
        {"id": theme.id, "title": gettext(theme.title, data.language), "findings": found}
        for theme in THEMES
        if (found := [by_ref[ref] for ref in theme.findings if ref in by_ref])
    ]
    pillars = [_ranking(data, pillar, f"pillar-{i}") for i, pillar in enumerate(data.pillars)]
    context = _common(data)
    context.update(
        {
            "rows": report["rows"],
            "pillars": report["pillars"],
            "bar_svg": _unique_ids(str(report["bar_svg"]), "index"),
            "heat_svg": _unique_ids(str(report["heat_svg"]), "pillars"),
            "pillar_rankings": pillars,
            "map": _map(data, *map_words),
            "findings": findings,
            "finding_themes": finding_themes,
            "has_rules": report["has_rules"],
            "has_intervals": report["has_intervals"],
            "key_count": report["key_count"],
            "key_mean": report["key_mean"],
            "key_best": report["key_best"],
            "key_best_score": report["key_best_score"],
            "benchmarks": report["benchmarks"],
        }
    )
    return context


# -- the method and analysis of a release -------------------------------------------------------------------------
def analysis_page(release: Release, language: str) -> dict[str, Any]:
    """The method (engine settings, uncertainty design) and the analysis charts of a release, each with its
    table: framework sunburst, indicator distributions, correlations and, when the release was made with an
    uncertainty analysis, the rank intervals (and the Sobol indices when it has them)."""
    key = ("analysis", release.id, release.hash, language)
    return _cached_page(key, lambda: _analysis_page(release, language))


def _analysis_page(release: Release, language: str) -> dict[str, Any]:
    data = _report_data(release, _language(language))
    context = _common(data)
    context.update(
        {
            "figures": analysis_figures(analysis_from_report(data)),
            "settings_rows": settings_rows(release.settings.index, data.language),
            "uncertainty_text": uncertainty_text(release.settings.uncertainty, data.language),
        }
    )
    return context


# -- a country ----------------------------------------------------------------------------------------------------
def _choice_labels(framework: Framework, question: Question, language: str) -> dict[str, str]:
    name = question.choice_list
    choice_list = framework.choice_lists.get(name) if name else None
    if choice_list is None:
        return {}
    return {choice.name: text_in(choice.label, language) or choice.name for choice in choice_list.choices}


def _answer_text(
    framework: Framework, question: Question, value: object, language: str, yes_no: Mapping[str, str]
) -> str:
    if value is None or value == "" or value == ():
        return ""
    labels = {**yes_no, **_choice_labels(framework, question, language)} if question.type.is_select else {}
    if isinstance(value, tuple):
        return "; ".join(labels.get(str(option), str(option)) for option in value)
    if question.type.is_select:
        return labels.get(str(value), str(value))
    if isinstance(value, float):
        return format_number(value, 0 if value.is_integer() else 2, language)
    return str(value)


def _drill_down(data: ReportData, country: str, yes_no: Mapping[str, str]) -> list[dict[str, Any]]:
    """Per indicator (grouped under its pillar): its score and each question's label, answer and score."""
    framework, language, results = data.framework, data.language, data.release.results
    answers = data.release.inputs.answers.get(country, {})
    relevant = relevant_questions(framework, answers)
    questions = {question.name: question for question in framework.questions()}
    pillar_of: dict[str, str] = {}
    pillar_ids = {pillar.id for pillar in data.pillars}
    for leaf in framework.leaves():
        pillar_of[leaf.id] = next((n.id for n in framework.ancestors(leaf.id) if n.id in pillar_ids), data.root)
    groups: list[dict[str, Any]] = []
    used: set[str] = set()
    for pillar in (*data.pillars, framework.root):
        indicators = []
        for leaf in framework.leaves():
            if pillar_of[leaf.id] != pillar.id or not leaf.questions:
                continue
            rows = []
            for name in leaf.questions:
                question = questions.get(name)
                if question is None:
                    continue
                used.add(name)
                rows.append(_question_row(data, question, answers, relevant, yes_no))
            indicators.append(
                {
                    "id": leaf.id,
                    "label": text_in(leaf.label, language),
                    "score": data.fmt(data.score(country, leaf.id)),
                    "rank": results.rank(country, leaf.id) or "–",
                    "questions": rows,
                }
            )
        if indicators:
            groups.append({"id": pillar.id, "label": text_in(pillar.label, language), "indicators": indicators})
    others = [
        _question_row(data, question, answers, relevant, yes_no)
        for question in framework.questions()
        if question.name not in used and question.name in answers
    ]
    if others:
        groups.append({"id": "", "label": "", "indicators": [{"id": "", "label": "", "questions": others}]})
    return groups


def _question_row(
    data: ReportData,
    question: Question,
    answers: Mapping[str, object],
    relevant: frozenset[str],
    yes_no: Mapping[str, str],
) -> dict[str, Any]:
    framework, language = data.framework, data.language
    value = answers.get(question.name) if question.name in relevant else None
    score = None
    if question.scoring is not None:
        try:
            score = score_answer(question, value, framework.settings, options=question_options(framework, question))
        except ValueError:
            score = None
    return {
        "name": question.name,
        "label": text_in(question.label, language),
        "answer": _answer_text(framework, question, value, language, yes_no),
        "asked": question.name in relevant,
        "scored": question.scoring is not None,
        "score": format_number(score, 2, language) if score is not None else "–",
    }


def country_page(
    release: Release,
    country: str,
    language: str,
    *,
    yes_no: Mapping[str, str] | None = None,
    peers: Sequence[str] = (),
    peers_label: str = "{names}",
    trend_desc: str = "",
) -> dict[str, Any]:
    """The profile of a country of the release (radar, rank and interval, strengths, weaknesses,
    recommendations), its trend over the published cycles and its answers.

    ``yes_no`` labels the built-in yes/no options; ``peers`` (ISO3 codes of the release) add their average to
    the radar and the pillar table, named by ``peers_label`` with ``{names}`` filled in."""
    code = country.upper()
    if not _ISO3.fullmatch(code) or code not in release.results.units:
        raise ReleaseUnavailable(f"release {release.id} has no country {country!r}")
    data = _report_data(release, _language(language))
    profile = profile_context(data, code)
    context = _common(data)
    keys = (
        "country", "country_name", "index_score", "index_rank", "unit_count", "interval", "interval_low",
        "interval_high", "pillar_rows", "oecd_label", "strengths", "weaknesses", "recommendations", "prose",
        "group",
    )  # fmt: skip
    context.update({key: profile[key] for key in keys})
    chosen = [unit for unit in dict.fromkeys(p.strip().upper() for p in peers) if unit in release.results.units]
    chosen = [unit for unit in chosen if unit != code]
    radar = str(profile["radar_svg"])
    peer_label = ""
    if chosen:
        peer_label = peers_label.format(names=", ".join(data.name(unit) for unit in chosen))
        peers_series = Series(peer_label, [data.mean(chosen, pillar.id) for pillar in data.pillars])
        radar = profile_radar(data, code, [peers_series])
        context["pillar_rows"] = [
            {**row, "peers": data.fmt(data.mean(chosen, row["id"]))} for row in profile["pillar_rows"]
        ]
    context["radar_svg"] = _unique_ids(radar, "profile")
    context["peers"] = chosen
    context["peer_label"] = peer_label
    context["peer_choices"] = sorted(
        ((unit, data.name(unit)) for unit in release.results.units if unit != code), key=lambda item: item[1]
    )
    context["lac_count"] = len(data.lac)
    context["oecd_count"] = len(data.oecd)
    context["trend"] = _trend(data, code)
    if len(context["trend"]) > 1:
        points = [Point(row["cycle"], row["cycle"], row["value"], row["break"]) for row in context["trend"]]
        title = f"{data.name(code)}: {text_in(data.framework.root.label, data.language)}"
        chart = line_chart(points, maximum=data.maximum, title=title, desc=trend_desc, fmt=data.fmt)
        context["trend_svg"] = Markup(chart)
    context["drill_down"] = _drill_down(data, code, yes_no or {})
    return context


def _trend(data: ReportData, country: str) -> list[dict[str, Any]]:
    """The country's index score in each published cycle of the same framework, up to this release: per cycle
    its newest release (this one for its own cycle), with the change and a break where the framework changed."""
    release = data.release
    chosen: dict[str, Release] = {}
    for release_id, created in list_releases(_directory()):
        if created > release.created or release_id == release.id or not _published(release_id):
            continue
        try:
            other = release_get(release_id)
        except ReleaseUnavailable:
            continue
        if other.inputs.framework_id == release.inputs.framework_id and other.cycle != release.cycle:
            chosen[other.cycle] = other  # oldest first, so the newest release of a cycle wins
    chosen[release.cycle] = release
    ordered = sorted(chosen.values(), key=lambda item: item.created)
    cycles = [
        CycleScores(
            cycle=item.cycle,
            framework_id=item.inputs.framework_id,
            framework_version=item.inputs.framework_version,
            scores=item.results.scores,
            fingerprint=item.inputs.framework_fingerprint,
        )
        for item in ordered
    ]
    table = trend_table(cycles)
    rows = table[(table["unit"] == country) & (table["node"] == data.root)]
    by_cycle = {item.cycle: item for item in ordered}
    found = []
    for record in rows.to_dict("records"):
        change = float(record["change"])
        found.append(
            {
                "cycle": record["cycle"],
                "release": by_cycle[str(record["cycle"])].id,
                "version": record["framework_version"],
                "value": float(record["value"]),
                "score": data.fmt(float(record["value"])),
                "change": "–" if math.isnan(change) else ("+" if change > 0 else "") + data.fmt(change),
                "break": bool(record["break"]),
            }
        )
    return found


# -- an indicator -------------------------------------------------------------------------------------------------
def indicator_page(
    release: Release, node_id: str, language: str, *, yes_no: Mapping[str, str] | None = None
) -> dict[str, Any]:
    """One node of the tree (index, pillar, sub-pillar or indicator): the distribution of its scores over the
    release's countries, bands of countries, and for a question-fed indicator who answered what."""
    data = _report_data(release, _language(language))
    framework = data.framework
    known = {node.id: node for node in framework.nodes}
    node = known.get(node_id)
    if node is None or node_id not in release.results.nodes:
        raise ReleaseUnavailable(f"release {release.id} has no indicator {node_id!r}")
    language = data.language
    summary = data.stats.score_summary(node_id)
    scores = {unit: data.score(unit, node_id) for unit in release.results.units}
    minimum = 0.0 if data.bounded else min((v for v in scores.values() if v is not None), default=0.0)
    step = (data.maximum - minimum) / BANDS
    bands: list[dict[str, Any]] = []
    for i in range(BANDS):
        low, high = minimum + i * step, minimum + (i + 1) * step
        inside = [
            unit
            for unit in _ranked(data, node_id)
            if (v := scores[unit]) is not None and (low <= v < high or (i == BANDS - 1 and v == high))
        ]
        bands.append({"low": data.fmt(low), "high": data.fmt(high), "countries": [(u, data.name(u)) for u in inside]})
    missing = [(unit, data.name(unit)) for unit, value in scores.items() if value is None]
    questions = []
    for name in node.questions:
        try:
            question = framework.question(name)
        except KeyError:
            continue
        questions.append(_who_answered_what(data, question, yes_no or {}))
    # the summary figure is on the analysis' scale ([0, 1] for bounded scores): back to the release's scale
    factor = float(data.release.settings.index.scale) if data.bounded else 1.0

    def scaled(value: float | None) -> str:
        return data.fmt(None if value is None else value * factor)

    context = _common(data)
    context.update(
        {
            "node": node,
            "node_label": text_in(node.label, language),
            "node_description": text_in(node.description, language) if node.description else "",
            "node_kind": node.kind.value,
            "parents": [(n.id, text_in(n.label, language)) for n in reversed(framework.ancestors(node_id))],
            "children": [(n.id, text_in(n.label, language)) for n in framework.children(node_id)],
            "ranking": _ranking(data, node, "node"),
            "summary": {
                "n": summary.n,
                "mean": scaled(summary.mean),
                "median": scaled(summary.median),
                "min": scaled(summary.min),
                "max": scaled(summary.max),
                "min_countries": [(u, data.name(u)) for u in summary.min_countries],
                "max_countries": [(u, data.name(u)) for u in summary.max_countries],
            },
            "bands": bands,
            "missing": missing,
            "questions": questions,
            "is_indicator": node.kind is NodeKind.INDICATOR,
        }
    )
    return context


def _who_answered_what(data: ReportData, question: Question, yes_no: Mapping[str, str]) -> dict[str, Any]:
    framework, language, stats = data.framework, data.language, data.stats
    options: list[dict[str, Any]] = []
    numbers: dict[str, Any] | None = None
    if question.type.is_select:
        labels = {**yes_no, **_choice_labels(framework, question, language)}
        for option in question_options(framework, question) or ():
            figure = stats.options_figure(question.name, [option])
            options.append(
                {
                    "option": option,
                    "label": labels.get(option, option),
                    "count": figure.count,
                    "total": figure.total,
                    "text": figure.text(language),
                    "countries": [(unit, data.name(unit)) for unit in figure.countries],
                }
            )
    elif question.type.is_number:
        summary = stats.number_summary(question.name)
        numbers = {
            "n": summary.n,
            "values": [
                (unit, data.name(unit), _answer_text(framework, question, value, language, yes_no))
                for unit, value in sorted(summary.values.items(), key=lambda item: (-item[1], item[0]))
            ],
        }
    return {
        "name": question.name,
        "label": text_in(question.label, language),
        "options": options,
        "numbers": numbers,
    }


# -- downloads ----------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class ExportFile:
    content: bytes
    content_type: str
    filename: str


def export_file(release: Release, format: str) -> ExportFile:
    """The release in one of ``EXPORTS`` (the data package zipped), written by ``govlens.reports.exports``."""
    if format not in EXPORTS:
        raise ReleaseUnavailable(f"format must be one of {{{', '.join(EXPORTS)}}}; got {format!r}")
    from govlens.web.followup.selectors import published_core_plans  # the follow-up reads releases from here

    content_type, extension = EXPORTS[format]
    plans = published_core_plans(cycle_slug=release.cycle)  # what analysts published of the cycle's follow-up
    with tempfile.TemporaryDirectory(prefix="govlens-export-") as folder:
        target = Path(folder) / ("package" if format == "datapackage" else f"export.{extension}")
        written = export(release, format, target, plans=plans)
        if format == "datapackage":
            buffer = io.BytesIO()
            with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
                for path in sorted(written.parent.iterdir()):
                    archive.write(path, f"{release.id}/{path.name}")
            content = buffer.getvalue()
        else:
            content = written.read_bytes()
    return ExportFile(content, content_type, f"{release.id}.{extension}")
