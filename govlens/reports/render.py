"""The regional report "Assessment and recommendations" and country profiles, as standalone HTML and PDF.

Pages are rendered from Jinja2 templates (``templates/``) with the stylesheet inlined and the charts drawn as
SVG by :mod:`govlens.reports.charts`, so a page has no external resource at all. The words come from the
gettext catalogues of :mod:`govlens.i18n`; the findings, recommendations, strengths and weaknesses come from
:mod:`govlens.analysis` (rules of the framework, when it has some). Every page names its release (id and hash)
and, when the answers are synthetic, carries the synthetic-data label (in the PDF, in the margin of every page).

Figures printed in tables carry ``data-unit``, ``data-node`` and ``data-measure`` attributes so that tests (and
readers' tools) can trace each one to the release.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from govlens.analysis.narrative import (
    RuleSet,
    RulesInvalid,
    by_finding,
    country_profile,
    load_rules,
    regional_statements,
)
from govlens.analysis.regional import ALL, RegionalStatistics, regional_statistics
from govlens.followup import Progress
from govlens.framework.findings import FINDINGS
from govlens.framework.model import LANGUAGES, Framework, Node, NodeKind, text_in
from govlens.i18n import N_, check_language, country_name, format_number, gettext, typography
from govlens.index.normalise import BOUNDED_METHODS
from govlens.index.settings import Settings as IndexSettings
from govlens.index.settings import UncertaintySettings
from govlens.release import Release
from govlens.reports.chapter import chapter, maturity_groups
from govlens.reports.charts import Bar, Series, bar_chart, grouped_bar_chart, heat_map, radar_chart
from govlens.reports.edits import EditSet, EditsStale, StaleFigure
from govlens.reports.prose import profile_prose

__all__ = [
    "AUTO",
    "FORMATS",
    "MIN_GROUP",
    "UNCERTAIN_INPUTS",
    "ReportData",
    "check_edits",
    "interval_text",
    "profile_context",
    "profile_radar",
    "publish",
    "rank_number",
    "render_page",
    "render_profile",
    "render_report",
    "report_context",
    "report_data",
    "settings_rows",
    "uncertainty_text",
    "write_pdf",
    "write_profile",
    "write_report",
]

PACKAGE_DIR = Path(__file__).parent
TEMPLATES_DIR = PACKAGE_DIR / "templates"
STATIC_DIR = PACKAGE_DIR / "static"
FORMATS: tuple[str, ...] = ("html", "pdf")
AUTO = "auto"  # load the bundled rules of the release's framework when there are some
# a group average (e.g. the OECD members among the release's countries) is shown from this many countries on
MIN_GROUP = 3


@cache
def _environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(TEMPLATES_DIR)),
        autoescape=select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["css_string"] = _css_string
    return env


def _css_string(text: str) -> Markup:
    """A double-quoted CSS string (for ``@page`` margin boxes); safe inside a ``<style>`` element."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ").replace("<", "\\3c ")
    return Markup(f'"{escaped}"')


def _stylesheet() -> str:
    return (STATIC_DIR / "report.css").read_text(encoding="utf-8")


def render_page(name: str, context: Mapping[str, Any], language: str) -> str:
    """A template of the reports (``templates/<name>``) with ``context``, the reports' stylesheet as ``css`` and
    the catalogue's ``_`` in ``language``: for pages of the reports that are not made from a release."""

    page = {"lang": language, "_": _translator(language), "css": Markup(_stylesheet()), **context}
    return _environment().get_template(name).render(**page)


# -- data shared by the report and the profiles -------------------------------------------------------------------
@dataclass(frozen=True)
class ReportData:
    """The release with what every page needs: framework, scale, pillars, groups and the analysis' statistics."""

    release: Release
    framework: Framework
    language: str
    decimals: int
    maximum: float  # top of chart axes
    bounded: bool  # scores on [0, scale]
    pillars: tuple[Node, ...]
    root: str
    lac: tuple[str, ...]  # the release's units in Latin America and the Caribbean
    oecd: tuple[str, ...]  # the release's units that are OECD members
    stats: RegionalStatistics
    rules: RuleSet | None

    def fmt(self, value: float | None) -> str:
        return format_number(value, self.decimals, self.language)

    def score(self, unit: str, node: str) -> float | None:
        return self.release.results.score(unit, node)

    def mean(self, units: Sequence[str], node: str) -> float | None:
        values = [v for unit in units if (v := self.score(unit, node)) is not None]
        return sum(values) / len(values) if values else None

    def name(self, unit: str) -> str:
        return country_name(unit, self.language)


def _pillars(framework: Framework) -> tuple[Node, ...]:
    pillars = tuple(node for node in framework.nodes if node.kind is NodeKind.PILLAR)
    return pillars or framework.children(framework.root.id)


def _groups(units: Sequence[str]) -> tuple[tuple[str, ...], tuple[str, ...], dict[str, tuple[str, ...]]]:
    """(LAC units, OECD units, named groups for the analysis) among the release's units."""
    try:
        from govlens.data.groups import LAC, OECD, SUBREGIONS, members
    except ImportError:  # the public-data layer is optional for rendering
        return tuple(units), (), {}
    present = set(units)
    named: dict[str, tuple[str, ...]] = {}
    for group in (LAC, OECD, *SUBREGIONS):
        try:
            named[group] = tuple(unit for unit in members(group) if unit in present)
        except (KeyError, ValueError):
            continue
    lac = tuple(unit for unit in units if unit in set(named.get(LAC, ())))
    oecd = tuple(unit for unit in units if unit in set(named.get(OECD, ())))
    return lac or tuple(units), oecd, {name: group for name, group in named.items() if group}


def _rules(framework: Framework, rules: RuleSet | str | None) -> RuleSet | None:
    if rules != AUTO:
        return rules if isinstance(rules, RuleSet) else None
    try:
        return load_rules(framework.id, framework)
    except (FileNotFoundError, RulesInvalid):
        return None


def report_data(release: Release, language: str = "en", *, rules: RuleSet | str | None = AUTO) -> ReportData:
    """Everything the pages of a release need, computed once."""
    check_language(language)
    framework = release.framework()
    settings = release.settings.index
    bounded = settings.normalise in BOUNDED_METHODS
    scale = float(settings.scale)
    decimals = 1 if bounded and scale == 100.0 else 2
    scores = release.results.scores
    maximum = scale if bounded else max(1.0, float(abs(scores.to_numpy(dtype=float)).max(initial=0.0)))
    lac, oecd, groups = _groups(release.results.units)
    # the analysis reads scores on [0, 1] (its thresholds and gaps are on that scale)
    analysis_scores = scores / scale if bounded else scores
    answers = {unit: release.inputs.answers.get(unit, {}) for unit in release.results.units}
    stats = regional_statistics(framework, answers, groups=groups, scores=analysis_scores, release_id=release.id)
    return ReportData(
        release=release,
        framework=framework,
        language=language,
        decimals=decimals,
        maximum=maximum,
        bounded=bounded,
        pillars=_pillars(framework),
        root=framework.root.id,
        lac=lac,
        oecd=oecd,
        stats=stats,
        rules=_rules(framework, rules),
    )


def _translator(language: str) -> Any:
    """The templates' ``_``: a message of the catalogue in ``language``, placeholders filled in."""

    def t(message: str, **values: object) -> str:
        return gettext(message, language, **values)

    return t


def _t(data: ReportData) -> Any:
    return _translator(data.language)


# The method page's settings and their values, named in words rather than by their keys.
SETTING_LABELS: tuple[tuple[str, str], ...] = (
    ("normalise", N_("Normalisation")),
    ("aggregate", N_("Aggregation")),
    ("weights", N_("Weights")),
    ("impute", N_("Imputation of missing values")),
    ("treat", N_("Treatment of outliers")),
    ("scale", N_("Scale of the scores")),
)
SETTING_VALUES: Mapping[str, str] = {
    "goalposts": N_("goalposts (fixed minimum and maximum)"),
    "minmax": N_("min-max over the countries"),
    "zscore": N_("z-scores"),
    "rank": N_("ranks"),
    "distance-to-best": N_("distance to the best country"),
    "arithmetic": N_("arithmetic mean"),
    "geometric": N_("geometric mean"),
    "harmonic": N_("harmonic mean"),
    "copeland": N_("Copeland (pairwise comparison)"),
    "borda": N_("Borda (sum of outranking shares)"),
    "power": N_("generalised (power) mean"),
    "framework": N_("as set in the framework"),
    "equal": N_("equal"),
    "pca": N_("principal components"),
    "none": N_("none"),
    "mean": N_("mean of the countries"),
    "median": N_("median of the countries"),
    "group-mean": N_("group mean"),
    "group-median": N_("group median"),
    "carry-forward": N_("previous cycle's value"),
    "winsorise": N_("winsorisation"),
}
# the uncertain inputs of the engine (the factor names of govlens.index.uncertainty), in words
UNCERTAIN_INPUTS: Mapping[str, str] = {
    "impute": N_("imputation"),
    "treat": N_("treatment of outliers"),
    "winmax": N_("limit of Winsorised points"),
    "skew_thresh": N_("skewness threshold of the treatment"),
    "kurt_thresh": N_("kurtosis threshold of the treatment"),
    "normalise": N_("normalisation"),
    "aggregate": N_("aggregation"),
    "coverage": N_("coverage threshold"),
    "weight_set": N_("choice of weights"),
    "weights": N_("weights"),
    "drop": N_("leaving one indicator out"),
}


def setting_value(value: object, language: str) -> str:
    """A setting's value in words in ``language`` ("minmax" -> "min-max over the countries"); others as they are."""
    text = str(value)
    return gettext(SETTING_VALUES[text], language) if text in SETTING_VALUES else text


def synthetic_label(release: Release, language: str) -> str:
    """The label every page of a release made from synthetic answers prints ('' for real answers): the release's own
    in ``language``, else the catalogue's."""
    if not release.synthetic:
        return ""
    return release.inputs.synthetic_label.get(language) or gettext(
        "SYNTHETIC DEMO DATA: these are not the answers of any country.", language
    )


def partial_label(release: Release, language: str) -> str:
    """The label every page and file of a partial release prints ('' for a complete release)."""
    if not release.partial:
        return ""
    missing = ", ".join(f"{country_code} ({status})" for country_code, status in release.not_approved.items())
    return gettext(
        "PARTIAL RELEASE: made before every country was approved; not included: {missing}.",
        language,
        missing=missing,
    )


def settings_rows(settings: IndexSettings, language: str) -> list[tuple[str, str, str]]:
    """(key, label, value) of the engine settings a method table shows, in words."""
    return [
        (key, gettext(label, language), setting_value(getattr(settings, key), language))
        for key, label in SETTING_LABELS[:-1]
    ] + [("scale", gettext(SETTING_LABELS[-1][1], language), format_number(float(settings.scale), 0, language))]


def uncertainty_text(uncertainty: UncertaintySettings | None, language: str) -> str:
    """The design of an uncertainty analysis in words ("" without one)."""
    if uncertainty is None:
        return ""
    inputs = [
        gettext("weights ±{range}", language, range=format_number(uncertainty.weight_range, 2, language))
        if name == "weights"
        else gettext(UNCERTAIN_INPUTS[name], language)
        for name, active in (
            ("impute", bool(uncertainty.impute)),
            ("treat", len(uncertainty.treat) > 1),
            ("winmax", len(uncertainty.winmax) > 1),
            ("skew_thresh", len(uncertainty.skew_thresh) > 1),
            ("kurt_thresh", len(uncertainty.kurt_thresh) > 1),
            ("normalise", bool(uncertainty.normalise)),
            ("aggregate", bool(uncertainty.aggregate)),
            ("coverage", len(uncertainty.coverage_threshold) > 1),
            ("weight_set", len(uncertainty.weight_sets) > 1),
            ("weights", uncertainty.weight_range > 0),
            ("drop", uncertainty.drop_indicator),
        )
        if active
    ]
    text = gettext(
        "{replications} Monte Carlo replications (seed {seed}); uncertain inputs: {inputs}",
        language,
        replications=uncertainty.replications,
        seed=uncertainty.seed,
        inputs=", ".join(inputs) or "–",
    )
    if uncertainty.sobol_base:
        sobol = gettext("; Sobol sensitivity analysis with {base} base samples", language, base=uncertainty.sobol_base)
        text = typography(text + sobol, language)
    return text


def _common(data: ReportData) -> dict[str, Any]:
    release = data.release
    language = data.language
    return {
        "lang": language,
        "_": _t(data),
        "css": Markup(_stylesheet()),
        "release": release,
        "short_hash": release.hash[:16],
        "synthetic_label": synthetic_label(release, language),
        "partial_label": partial_label(release, language),
        "framework_title": text_in(data.framework.title, language),
        "framework": data.framework,
        "settings_rows": settings_rows(release.settings.index, language),
        "uncertainty_text": uncertainty_text(release.settings.uncertainty, language)
        or gettext("not run for this release", language),
        "settings_source_text": _settings_source_text(release, language),
        "status": gettext("synthetic (demo)", language)
        if release.synthetic
        else gettext("approved answers of the cycle", language),
        "created_date": release.created[:10],
    }


def _settings_source_text(release: Release, language: str) -> str:
    """Where the release's settings came from (recorded at creation; empty for releases made before)."""
    source = release.inputs.metadata.get("settings_source")
    if not isinstance(source, Mapping):
        return ""
    parts = [gettext("the defaults of the framework {framework}", language, framework=source.get("framework", ""))]
    for key, message in (
        ("from_cycle", N_("changed for the cycle: {keys}")),
        ("from_run", N_("changed for this release: {keys}")),
    ):
        if source.get(key):
            parts.append(gettext(message, language, keys=", ".join(str(k) for k in source[key])))
    return "; ".join(parts)


def _rank_text(rank: int | None) -> str:
    return "–" if rank is None else str(rank)


def interval_text(interval: tuple[float, float] | None, language: str) -> str:
    """A rank interval as "2–4" ("–" without one)."""
    if interval is None:
        return "–"
    low, high = interval
    return f"{rank_number(low, language)}–{rank_number(high, language)}"


def rank_number(value: float, language: str) -> str:
    """A rank percentile: whole numbers without decimals, others with one."""
    return str(int(value)) if float(value).is_integer() else format_number(value, 1, language)


def _statement_item(statement: Any, language: str) -> dict[str, Any]:
    figure = statement.figure
    provenance = statement.provenance
    return {
        "kind": statement.kind,
        "text": typography(statement.in_language(language), language),
        "citation": statement.citation(language),
        "rule": provenance.rule or "",
        "finding": provenance.finding or "",
        "subject": provenance.subject,
        "subject_kind": provenance.subject_kind,
        "count": getattr(figure, "count", None),
        "total": getattr(figure, "total", None),
        "quantifier": statement.quantifier or "",
        "countries": " ".join(statement.countries),
        "detail": statement.detail.get(language, "") if statement.detail else "",
    }


# -- the regional report ------------------------------------------------------------------------------------------
def report_context(data: ReportData, edits: EditSet | None = None) -> dict[str, Any]:
    release, language, root = data.release, data.language, data.root
    results = release.results
    units = list(results.units)
    ordered = sorted(units, key=lambda unit: (results.rank(unit, root) or math.inf, unit))
    rows = []
    for unit in ordered:
        interval = results.interval(unit, root)
        rows.append(
            {
                "unit": unit,
                "name": data.name(unit),
                "score": data.fmt(data.score(unit, root)),
                "rank": _rank_text(results.rank(unit, root)),
                "interval": interval_text(interval, language),
                "pillars": [(pillar.id, data.fmt(data.score(unit, pillar.id))) for pillar in data.pillars],
            }
        )
    bars = [
        Bar(
            key=unit,
            label=data.name(unit),
            value=data.score(unit, root),
            rank=results.rank(unit, root),
            low=(interval := results.interval(unit, root)) and interval[0],
            high=interval and interval[1],
        )
        for unit in ordered
    ]
    _ = _t(data)
    bar_svg = bar_chart(
        bars,
        maximum=data.maximum,
        title=_("Index score and rank of each country"),
        desc=_("The data of this chart are in the table that follows it."),
        fmt=data.fmt,
        units=len(units),
        rank_label=_("Rank"),
    )
    pillar_columns = [(pillar.id, pillar.id) for pillar in data.pillars]
    heat_svg = heat_map(
        [(unit, data.name(unit)) for unit in ordered],
        pillar_columns,
        [[data.score(unit, pillar.id) for pillar in data.pillars] for unit in ordered],
        maximum=data.maximum if data.bounded else max(data.maximum, 1.0),
        minimum=0.0 if data.bounded else -data.maximum,
        title=_("Pillar scores by country"),
        desc=_("The data of this chart are in the table that follows it."),
        fmt=data.fmt,
    )
    index_scores = [v for unit in units if (v := data.score(unit, root)) is not None]
    best = ordered[0] if ordered else ""
    findings: list[dict[str, Any]] = []
    if data.rules is not None:
        statements = regional_statements(data.stats, data.rules, group=ALL, names=country_name)
        for ref, items in by_finding(statements).items():
            findings.append(
                {
                    "ref": ref,
                    "topic": gettext(FINDINGS[ref], language) if ref in FINDINGS else "",
                    "items": [_statement_item(statement, language) for statement in items],
                }
            )
    benchmarks = [_benchmark_table(table, data) for table in release.inputs.benchmarks]
    context = _common(data)
    context.update(
        {
            "title": _("Assessment and recommendations"),
            "benchmarks": benchmarks,
            "rows": rows,
            "pillars": [{"id": pillar.id, "label": text_in(pillar.label, language)} for pillar in data.pillars],
            "root_label": text_in(data.framework.root.label, language),
            "bar_svg": Markup(bar_svg),
            "heat_svg": Markup(heat_svg),
            "key_count": len(units),
            "key_mean": data.fmt(sum(index_scores) / len(index_scores)) if index_scores else "–",
            "key_best": data.name(best) if best else "–",
            "key_best_score": data.fmt(data.score(best, root)) if best else "–",
            "findings": findings,
            "chapter": chapter(data, edits),
            "has_rules": data.rules is not None,
            "has_intervals": results.intervals is not None,
        }
    )
    return context


def _benchmark_table(table: Mapping[str, Any], data: ReportData) -> dict[str, Any]:
    """A frozen public-data comparison, formatted (values keep their dataset's scale: 3 significant decimals)."""
    language = data.language

    def fmt(value: object) -> str:
        if value is None:
            return "–"
        number = float(value)  # type: ignore[arg-type]
        return format_number(number, 1 if abs(number) >= 10 else 2, language)

    rows = []
    for row in table.get("rows", []):
        rows.append(
            {
                "variable": row.get("variable") or "",
                "label": gettext(str(row.get("label") or row.get("variable") or ""), language),
                "lac_mean": fmt(row.get("lac_mean")),
                "lac_n": row.get("lac_n") if row.get("lac_n") is not None else 0,
                "oecd_mean": fmt(row.get("oecd_mean")),
                "oecd_n": row.get("oecd_n") if row.get("oecd_n") is not None else 0,
                "gap": fmt(row.get("gap")),
                "frontier": (
                    f"{country_name(str(row['frontier_unit']), language)} ({fmt(row.get('frontier_value'))})"
                    if row.get("frontier_unit")
                    else "–"
                ),
            }
        )
    # the same countries for every variable (the usual case) make one line; otherwise one entry per variable
    in_both = {
        gettext(str(row.get("label") or row.get("variable") or ""), language): str(row.get("in_both") or "").split()
        for row in table.get("rows", [])
    }
    distinct = {tuple(units) for units in in_both.values()}
    names = {label: ", ".join(country_name(unit, language) for unit in units) for label, units in in_both.items()}
    if len(distinct) == 1:
        in_both_text = next(iter(names.values()), "")
    else:
        in_both_text = "; ".join(f"{label}: {text}" for label, text in names.items() if text)
    return {
        "selector": table.get("selector", ""),
        "title": f"{gettext(str(table.get('title') or table.get('dataset', '')), language)}, "
        f"{table.get('years_used', table.get('year', ''))}",
        "citation": table.get("citation", ""),
        "rows": rows,
        "in_both": in_both_text,
    }


def render_report(
    release: Release,
    language: str = "en",
    *,
    rules: RuleSet | str | None = AUTO,
    edits: EditSet | None = None,
    allow_stale: bool = False,
    progress: Progress | None = None,
) -> str:
    """The regional report "Assessment and recommendations" as one standalone HTML document.

    With ``edits`` the analysts' passages replace the generated ones; an edited passage whose figures the release
    does not support raises :class:`EditsStale` (unless ``allow_stale``, for an analyst's preview). With the
    ``progress`` on the last review's recommendations (``govlens.followup``), each theme has its "Progress since the
    last review"."""
    data = report_data(release, language, rules=rules)
    return _render_report(data, edits, allow_stale, progress)


def _render_report(
    data: ReportData, edits: EditSet | None, allow_stale: bool = False, progress: Progress | None = None
) -> str:
    from govlens.reports.progress import progress_sections  # it builds on this module

    context = report_context(data, edits)
    context["progress"] = progress_sections(progress, data)
    if context["chapter"].stale and not allow_stale:
        raise EditsStale(context["chapter"].stale, edits.path if edits is not None else "")
    return _environment().get_template("report.html").render(context)


def check_edits(release: Release, edits: EditSet, languages: Sequence[str] = LANGUAGES) -> list[StaleFigure]:
    """Every edited passage of ``edits`` whose figures ``release`` does not support, in every language."""
    problems: list[StaleFigure] = []
    for language in languages:
        problems.extend(chapter(report_data(release, language), edits).stale)
    return problems


# -- country profiles ---------------------------------------------------------------------------------------------
def profile_radar(data: ReportData, country: str, extra: Sequence[Series] = ()) -> str:
    """The profile's chart: the country's pillar scores against the LAC average and, with enough members, the
    OECD average (plus ``extra`` series, such as the dashboard's chosen peers); a radar from three pillars on."""
    language = data.language
    series = [
        Series(data.name(country), [data.score(country, pillar.id) for pillar in data.pillars]),
        Series(gettext("LAC average", language), [data.mean(data.lac, pillar.id) for pillar in data.pillars]),
    ]
    if len(data.oecd) >= MIN_GROUP:
        label = gettext("OECD members in this release (average of {n})", language, n=len(data.oecd))
        series.append(Series(label, [data.mean(data.oecd, pillar.id) for pillar in data.pillars]))
    series.extend(extra)
    draw = radar_chart if len(data.pillars) >= 3 else grouped_bar_chart  # a radar needs three axes
    return draw(
        [pillar.id for pillar in data.pillars],
        series,
        maximum=data.maximum,
        title=gettext("Pillar scores of {country} against group averages", language, country=data.name(country)),
        desc=gettext("The data of this chart are in the table that follows it.", language),
        fmt=data.fmt,
    )


def profile_context(data: ReportData, country: str) -> dict[str, Any]:
    release, language, root = data.release, data.language, data.root
    results = release.results
    if country not in results.units:
        raise ValueError(f"country must be one of the release's units {{{', '.join(results.units)}}}; got {country!r}")
    _ = _t(data)
    name = data.name(country)
    oecd_label = ""
    if len(data.oecd) >= MIN_GROUP:
        oecd_label = _("OECD members in this release (average of {n})", n=len(data.oecd))
    radar_svg = profile_radar(data, country)
    pillar_rows = []
    for pillar in data.pillars:
        own, lac_mean = data.score(country, pillar.id), data.mean(data.lac, pillar.id)
        pillar_rows.append(
            {
                "id": pillar.id,
                "label": text_in(pillar.label, language),
                "score": data.fmt(own),
                "rank": _rank_text(results.rank(country, pillar.id)),
                "interval": interval_text(results.interval(country, pillar.id), language),
                "lac": data.fmt(lac_mean),
                "oecd": data.fmt(data.mean(data.oecd, pillar.id)) if oecd_label else "",
                "gap": data.fmt(own - lac_mean) if own is not None and lac_mean is not None else "–",
            }
        )
    interval = results.interval(country, root)
    strengths: list[dict[str, Any]] = []
    weaknesses: list[dict[str, Any]] = []
    recommendations: list[dict[str, Any]] = []
    try:
        profile = country_profile(data.stats, country, data.rules, group=ALL)
    except ValueError:
        profile = None
    group = next(((g.letter, g.label) for g in maturity_groups(data) if country in dict(g.countries)), None)
    if profile is not None:
        strengths = [_statement_item(s, language) for s in profile.strengths]
        weaknesses = [_statement_item(s, language) for s in profile.weaknesses]
        recommendations = [_statement_item(s, language) for s in profile.recommendations]
    context = _common(data)
    context.update(
        {
            "title": _("Country profile: {country}", country=name),
            "prose": profile_prose(data, country, profile, group),
            "group": group,
            "country": country,
            "country_name": name,
            "index_score": data.fmt(data.score(country, root)),
            "index_rank": _rank_text(results.rank(country, root)),
            "unit_count": len(results.units),
            "interval": interval,
            "interval_low": rank_number(interval[0], language) if interval else "",
            "interval_high": rank_number(interval[1], language) if interval else "",
            "root_label": text_in(data.framework.root.label, language),
            "radar_svg": Markup(radar_svg),
            "pillar_rows": pillar_rows,
            "oecd_label": oecd_label,
            "strengths": strengths,
            "weaknesses": weaknesses,
            "recommendations": recommendations,
        }
    )
    return context


def render_profile(release: Release, country: str, language: str = "en", *, rules: RuleSet | str | None = AUTO) -> str:
    """One country's profile as a standalone HTML document."""
    data = report_data(release, language, rules=rules)
    return _environment().get_template("profile.html").render(profile_context(data, country))


# -- files ----------------------------------------------------------------------------------------------------
def write_pdf(html: str, path: Path) -> Path:
    """Print an HTML page to PDF with WeasyPrint (needs the pango library of the system)."""
    from weasyprint import HTML

    path.parent.mkdir(parents=True, exist_ok=True)
    HTML(string=html, base_url=str(PACKAGE_DIR)).write_pdf(str(path))
    return path


def _write(html: str, out: Path, format: str) -> Path:
    if format not in FORMATS:
        raise ValueError(f"format must be one of {{{', '.join(FORMATS)}}}; got {format!r}")
    if format == "pdf":
        return write_pdf(html, out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(html, encoding="utf-8")
    return out


def write_report(
    release: Release,
    out: Path,
    language: str = "en",
    format: str = "html",
    *,
    rules: RuleSet | str | None = AUTO,
    edits: EditSet | None = None,
    follow_up: Progress | None = None,
) -> Path:
    """The regional report as ``out`` (HTML or PDF); nothing is written when an edit is stale."""
    if format not in FORMATS:
        raise ValueError(f"format must be one of {{{', '.join(FORMATS)}}}; got {format!r}")
    html = render_report(release, language, rules=rules, edits=edits, progress=follow_up)
    return _write(html, out, format)


def write_profile(
    release: Release,
    country: str,
    out: Path,
    language: str = "en",
    format: str = "html",
    *,
    rules: RuleSet | str | None = AUTO,
) -> Path:
    """A country profile as ``out`` (HTML or PDF)."""
    if format not in FORMATS:
        raise ValueError(f"format must be one of {{{', '.join(FORMATS)}}}; got {format!r}")
    return _write(render_profile(release, country, language, rules=rules), out, format)


def publish(
    release: Release,
    out_dir: Path,
    *,
    languages: Sequence[str] = ("en",),
    countries: Sequence[str] | None = None,
    formats: Sequence[str] = FORMATS,
    rules: RuleSet | str | None = AUTO,
    edits: EditSet | None = None,
    allow_stale: bool = False,
    progress: Callable[[str, int, int], None] | None = None,
    follow_up: Progress | None = None,
) -> list[Path]:
    """Write the regional report and the profiles of ``countries`` (default: every unit of the release) in each
    language and format: ``report-<lang>.<format>`` and ``profile-<ISO3>-<lang>.<format>`` in ``out_dir``.

    ``progress(name, done, total)`` is called after each file, for a progress bar; ``follow_up`` gives the report
    its "Progress since the last review". With ``edits``, a stale one stops everything before a file is written,
    unless ``allow_stale`` (the drafts of the platform, whose publication checks the edits again)."""
    for language in languages:
        check_language(language)
    for format in formats:
        if format not in FORMATS:
            raise ValueError(f"format must be one of {{{', '.join(FORMATS)}}}; got {format!r}")
    chosen = list(release.results.units if countries is None else countries)
    unknown = [country for country in chosen if country not in release.results.units]
    if unknown:
        raise ValueError(
            f"countries must be among the release's units {{{', '.join(release.results.units)}}}; "
            f"got {', '.join(map(repr, unknown))}"
        )
    if edits is not None and not allow_stale:  # every language is checked before anything is written
        problems = check_edits(release, edits, languages)
        if problems:
            raise EditsStale(problems, edits.path)
    total = len(languages) * len(formats) * (1 + len(chosen))
    written: list[Path] = []
    for language in languages:
        data = report_data(release, language, rules=rules)
        pages = [("report", _render_report(data, edits, allow_stale, progress=follow_up))]
        for country in chosen:
            html = _environment().get_template("profile.html").render(profile_context(data, country))
            pages.append((f"profile-{country}", html))
        for name, html in pages:
            for format in formats:
                path = _write(html, out_dir / f"{name}-{language}.{format}", format)
                written.append(path)
                if progress is not None:
                    progress(path.name, len(written), total)
    return written
