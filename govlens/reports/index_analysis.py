"""The analysis of a composite index as figures and tables: the framework sunburst, the indicator distributions,
the correlations of the indicators with the pillars and the index, the rank intervals of the uncertainty analysis
and the Sobol indices of the sensitivity analysis, each chart with the table of its data.

One implementation for every place that shows them: the audit report of ``govlens index audit --html`` (from a
run of the engine) and the analysis page of a release on the dashboard (from the release's results). Both hand
over the same :class:`AnalysisData`; the words come from the core's catalogues, in the language asked for.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from markupsafe import Markup

from govlens.framework.model import text_in
from govlens.i18n import N_, format_number, gettext
from govlens.index.audit import pearson
from govlens.index.tree import Tree
from govlens.index.weight import effective_weights
from govlens.reports.analysis_charts import (
    Distribution,
    RankInterval,
    SobolIndex,
    TreeItem,
    Value,
    correlation_map,
    distribution_chart,
    rank_interval_chart,
    sensitivity_chart,
    sunburst,
)
from govlens.reports.render import (
    UNCERTAIN_INPUTS,
    ReportData,
    rank_number,
    render_page,
    settings_rows,
    uncertainty_text,
)

if TYPE_CHECKING:
    from govlens.index.audit import Audit
    from govlens.index.pipeline import IndexResult
    from govlens.index.settings import UncertaintySettings
    from govlens.index.uncertainty import UncertaintyResult

__all__ = [
    "INTERVAL_COLUMNS",
    "AnalysisData",
    "analysis_figures",
    "analysis_from_report",
    "analysis_from_result",
    "audit_tables",
    "render_audit",
]

# the rank columns of an uncertainty analysis the rank chart reads, one row per unit at the index
INTERVAL_COLUMNS: tuple[str, ...] = ("nominal_rank", "median_rank", "rank_p05", "rank_p95")
QUARTILE_KEYS: tuple[str, ...] = ("min", "q1", "median", "q3", "max")


@dataclass(frozen=True)
class AnalysisData:
    """What the figures are drawn from: the tree with its weights, the scores (units x nodes, indicators as
    normalised, on the output scale), optionally the ranks of an uncertainty analysis (``INTERVAL_COLUMNS`` by
    unit, at the index) and a sensitivity analysis (``govlens.index.sensitivity.SENSITIVITY_COLUMNS``)."""

    tree: Tree
    weights: Mapping[str, float]
    scores: pd.DataFrame
    language: str = "en"
    decimals: int = 2
    maximum: float = 1.0  # the top of the score scale (scores above it widen the axis)
    labels: Mapping[str, str] = field(default_factory=dict)  # node -> label (default: the tree's, else the id)
    names: Mapping[str, str] = field(default_factory=dict)  # unit -> name (default: the unit's id)
    intervals: pd.DataFrame | None = None
    sensitivity: pd.DataFrame | None = None

    def label(self, node: str) -> str:
        return self.labels.get(node) or self.tree.nodes[node].label or node

    def name(self, unit: str) -> str:
        return self.names.get(unit) or unit

    def fmt(self, value: float | None) -> str:
        return format_number(value, self.decimals, self.language)

    def t(self, message: str, **values: object) -> str:
        return gettext(message, self.language, **values)


def _float(value: object) -> float | None:
    number = float(value)  # type: ignore[arg-type]
    return None if math.isnan(number) else number


def _share(value: float, language: str) -> str:
    return format_number(100 * value, 1, language) + "%"


def _framework(data: AnalysisData) -> dict[str, Any]:
    _ = data.t
    tree = data.tree
    nodes = list(tree.node_ids)
    raw = np.array([float(data.weights.get(node, tree.weight(node))) for node in nodes])
    effective = dict(zip(nodes, effective_weights(tree, raw), strict=True))
    weight = dict(zip(nodes, raw, strict=True))
    items, rows = [], []
    order = [tree.root]
    for node in order:  # the root, then level by level, each node's children in the tree's order
        order.extend(tree.children(node))
    for node in order:
        parent = tree.parent(node)
        siblings = tree.children(parent) if parent is not None else (node,)
        total = sum(max(weight[s], 0.0) for s in siblings)
        of_parent = max(weight[node], 0.0) / total if total > 0 else 0.0
        note = _(
            "weight {weight}; {parent} of its parent, {index} of the index",
            weight=format_number(weight[node], 2, data.language),
            parent=_share(of_parent, data.language),
            index=_share(effective[node], data.language),
        )
        items.append(TreeItem(node, parent, data.label(node), weight[node], note if parent is not None else ""))
        if parent is not None:
            rows.append(
                {
                    "id": node,
                    "label": data.label(node),
                    "parent": data.label(parent),
                    "depth": tree.depth(node),
                    "weight": format_number(weight[node], 2, data.language),
                    "of_parent": _share(of_parent, data.language),
                    "of_index": _share(effective[node], data.language),
                }
            )
    svg = sunburst(
        items,
        title=_("The framework: each ring a level, each node's angle its weight's share of its parent's"),
        desc=_("The index is in the centre. The table that follows gives every weight and share."),
    )
    return {"svg": Markup(svg), "rows": rows}


def _distributions(data: AnalysisData) -> dict[str, Any]:
    _ = data.t
    leaves = [leaf for leaf in data.tree.leaves if leaf in data.scores.columns]
    values = data.scores.loc[:, leaves].to_numpy(dtype=float)
    units = [str(unit) for unit in data.scores.index]
    present = values[~np.isnan(values)]
    minimum = min(0.0, float(present.min())) if present.size else 0.0
    maximum = max(data.maximum, float(present.max())) if present.size else data.maximum
    rows, table = [], []
    for j, leaf in enumerate(leaves):
        column = values[:, j]
        rows.append(
            Distribution(
                leaf,
                data.label(leaf),
                [Value(unit, data.name(unit), _float(column[i])) for i, unit in enumerate(units)],
            )
        )
        found = column[~np.isnan(column)]
        quartiles = np.quantile(found, [0, 0.25, 0.5, 0.75, 1]) if found.size else [math.nan] * 5
        table.append(
            {
                "id": leaf,
                "label": data.label(leaf),
                "n": int(found.size),
                **{key: data.fmt(_float(q)) for key, q in zip(QUARTILE_KEYS, quartiles, strict=True)},
            }
        )
    svg = distribution_chart(
        rows,
        minimum=minimum,
        maximum=maximum,
        title=_("Distribution of each indicator's scores"),
        desc=_(
            "One row per indicator: the box spans the middle half of the countries with the median marked, the "
            "whiskers reach the last scores within one and a half box lengths, and each dot is a country (outliers "
            "in orange). The table that follows gives the quartiles."
        ),
        fmt=data.fmt,
    )
    return {"svg": Markup(svg), "rows": table}


def _correlations(data: AnalysisData) -> dict[str, Any]:
    _ = data.t
    tree = data.tree
    columns = [node for node in (*tree.children(tree.root), tree.root) if not tree.is_leaf(node)]
    leaves = [leaf for leaf in tree.leaves if leaf in data.scores.columns]
    matrix = [
        [_float(pearson(data.scores[leaf].to_numpy(dtype=float), data.scores[node].to_numpy(dtype=float)))
         for node in columns]
        for leaf in leaves
    ]
    svg = correlation_map(
        [(leaf, data.label(leaf)) for leaf in leaves],
        [(node, node) for node in columns],
        matrix,
        title=_("Correlation of each indicator with the pillars and the index"),
        desc=_(
            "Pearson correlation over the countries with both scores, from -1 (red) through 0 (white) to 1 (blue); "
            "a dash where it is not defined. The table that follows gives every value."
        ),
        fmt=data.fmt,
    )
    rows = [
        {"id": leaf, "label": data.label(leaf), "values": [data.fmt(value) for value in values]}
        for leaf, values in zip(leaves, matrix, strict=True)
    ]
    return {"svg": Markup(svg), "columns": [(node, data.label(node)) for node in columns], "rows": rows}


def _ranks(data: AnalysisData) -> dict[str, Any] | None:
    _ = data.t
    if data.intervals is None or data.intervals.empty:
        return None
    frame = data.intervals.loc[:, list(INTERVAL_COLUMNS)].astype(float)
    rows = sorted(
        (
            RankInterval(str(unit), data.name(str(unit)), *(_float(v) for v in row))
            for unit, row in zip(frame.index, frame.to_numpy(), strict=True)
        ),
        key=lambda r: (math.inf if r.median is None else r.median, math.inf if r.nominal is None else r.nominal, r.key),
    )

    def fmt(value: float | None) -> str:
        return "–" if value is None else rank_number(value, data.language)

    legend = (_("5–95% interval"), _("median rank"), _("nominal rank"))
    svg = rank_interval_chart(
        rows,
        units=len(data.scores.index),
        title=_("Index rank of each country under uncertainty"),
        desc=_(
            "One row per country, by median rank: the line spans the 5th to the 95th percentile of its ranks over "
            "the replications of the uncertainty analysis, the dot is the median rank and the diamond the rank with "
            "the nominal settings. The table that follows gives every value."
        ),
        legend=legend,
        axis_label=_("Rank"),
        fmt=fmt,
    )
    table = [
        {"unit": r.key, "name": r.label, "nominal": fmt(r.nominal), "median": fmt(r.median), "low": fmt(r.low),
         "high": fmt(r.high)}
        for r in rows
    ]
    return {"svg": Markup(svg), "rows": table}


def input_label(name: str, language: str) -> str:
    """An uncertain input in words (its name when GovLens does not know it)."""
    return gettext(UNCERTAIN_INPUTS[name], language) if name in UNCERTAIN_INPUTS else name


def _sensitivity(data: AnalysisData) -> dict[str, Any] | None:
    _ = data.t
    if data.sensitivity is None or data.sensitivity.empty:
        return None
    rows = [
        SobolIndex(
            str(record["input"]),
            input_label(str(record["input"]), data.language),
            _float(record["first_order"]),
            _float(record["first_order_conf"]),
            _float(record["total_order"]),
            _float(record["total_order_conf"]),
        )
        for record in data.sensitivity.to_dict("records")
    ]
    series = (_("first-order index"), _("total-order index"))
    svg = sensitivity_chart(
        rows,
        title=_("Sensitivity of the index ranks to each uncertain input"),
        desc=_(
            "Sobol indices of the mean shift of the countries' ranks: the first-order index is the share of its "
            "variance due to the input alone, the total-order index adds the input's interactions with the others; "
            "the whiskers are 95% intervals. The table that follows gives every value."
        ),
        fmt=data.fmt,
        series=series,
    )

    def pm(value: float | None, conf: float | None) -> str:
        return data.fmt(value) + (f" ± {data.fmt(conf)}" if value is not None and conf is not None else "")

    table = [
        {"input": r.key, "label": r.label, "first": pm(r.first, r.first_conf), "total": pm(r.total, r.total_conf)}
        for r in rows
    ]
    return {"svg": Markup(svg), "rows": table}


def analysis_figures(data: AnalysisData) -> dict[str, Any]:
    """Every figure with its table (``svg`` and ``rows``); ``ranks`` and ``sensitivity`` are None without the
    analysis they show."""
    return {
        "framework": _framework(data),
        "distributions": _distributions(data),
        "correlations": _correlations(data),
        "ranks": _ranks(data),
        "sensitivity": _sensitivity(data),
    }


def analysis_from_result(
    result: IndexResult,
    *,
    language: str = "en",
    uncertainty: UncertaintyResult | None = None,
    sensitivity: pd.DataFrame | None = None,
) -> AnalysisData:
    """The figures' data from a run of the engine (and of its uncertainty and sensitivity analyses)."""
    intervals = None
    if uncertainty is not None:
        table = uncertainty.table
        at_root = table[table["node"] == result.tree.root]
        intervals = at_root.set_index("unit").loc[:, list(INTERVAL_COLUMNS)]
    return AnalysisData(
        tree=result.tree,
        weights={str(node): float(value) for node, value in result.weights.items()},
        scores=result.scores,
        language=language,
        decimals=2 if float(result.settings.scale) == 1.0 else 1,
        maximum=float(result.settings.scale),
        intervals=intervals,
        sensitivity=sensitivity if sensitivity is not None else (uncertainty.sensitivity if uncertainty else None),
    )


def analysis_from_report(data: ReportData) -> AnalysisData:
    """The figures' data from a release (as the report and the dashboard read it): its framework's tree and
    labels, the weights and scores it froze and, when it was made with an uncertainty analysis, the rank
    intervals at the index (and the Sobol indices of its sensitivity analysis)."""
    release, language = data.release, data.language
    results = release.results
    tree = Tree.from_framework(data.framework)
    intervals = None
    if results.intervals is not None:
        frame = results.intervals
        at_root = frame[frame.index.get_level_values("node") == data.root]
        units = [str(unit) for unit in at_root.index.get_level_values("unit")]
        ranks = [results.rank(unit, data.root) for unit in units]
        intervals = pd.DataFrame(
            {
                "nominal_rank": [math.nan if rank is None else float(rank) for rank in ranks],
                **{column: at_root[column].to_numpy(dtype=float) for column in INTERVAL_COLUMNS[1:]},
            },
            index=pd.Index(units, name="unit"),
        )
    return AnalysisData(
        tree=tree,
        weights=dict(results.weights),
        scores=results.scores,
        language=language,
        decimals=data.decimals,
        maximum=data.maximum,
        labels={node.id: text_in(node.label, language) for node in data.framework.nodes},
        names={unit: data.name(unit) for unit in results.units},
        intervals=intervals,
        sensitivity=results.sensitivity,
    )


# -- the audit's own tables ---------------------------------------------------------------------------------------
_ACTIONS: Mapping[str, str] = {
    "none": N_("not treated"),
    "winsorised": N_("winsorised"),
    "log": N_("log-transformed"),
    "reverted": N_("kept untreated (treating would have left it constant)"),
}
_FLAGS: Mapping[str, str] = {"negative": N_("negative"), "weak": N_("weak")}


def audit_tables(audit: Audit, data: AnalysisData) -> dict[str, list[dict[str, Any]]]:
    """The statistical audit's tables as rows of text in the data's language: reliability of each aggregate, each
    component's correlations with its aggregate (Pearson, Spearman, Kendall, with p-values), flagged correlations,
    indicator statistics and the treatment of each indicator."""
    language = data.language

    def number(record: Mapping[Any, Any], key: str, decimals: int = 2) -> str:
        return format_number(_float(record[key]), decimals, language)

    def share(record: Mapping[Any, Any], key: str) -> str:
        value = _float(record[key])
        return "–" if value is None else _share(value, language)

    def names(text: object) -> str:
        return ", ".join(data.label(name.strip()) for name in str(text).split(",") if name.strip())

    def word(words: Mapping[str, str], value: object) -> str:
        return gettext(words[str(value)], language) if str(value) in words else str(value)

    reliability = [
        {
            "node": data.label(str(r["node"])),
            "children": int(r["children"]),
            "complete": int(r["complete_cases"]),
            "alpha": number(r, "cronbach_alpha"),
            "pca": share(r, "pca_first_share"),
        }
        for r in audit.reliability.to_dict("records")
    ]
    flags = [
        {
            "node": data.label(str(r["node"])),
            "parent": data.label(str(r["parent"])),
            "r": number(r, "r"),
            "p": number(r, "p", 3) if "p" in r else "–",
            "flag": word(_FLAGS, r["flag"]),
        }
        for r in audit.flags.to_dict("records")
    ]

    def p_value(record: Mapping[Any, Any], key: str) -> str:
        value = _float(record[key])
        if value is not None and value < 0.001:
            return "< " + format_number(0.001, 3, language)
        return format_number(value, 3, language)

    correlations = [
        {
            "node": data.label(str(r["node"])),
            "parent": data.label(str(r["other"])),
            "n": int(r["n"]),
            **{key: number(r, key) for key in ("r", "spearman", "kendall")},
            **{key: p_value(r, key) for key in ("r_p", "spearman_p", "kendall_p")},
        }
        for r in audit.correlations.to_dict("records")
        if r["relation"] == "parent"
    ]
    statistics = [
        {
            "node": data.label(str(r["indicator"])),
            "n": int(r["n"]),
            **{key: number(r, key) for key in ("min", "max", "mean", "sd", "skewness", "kurtosis")},
            "missing": share(r, "missing_share"),
            "zeros": share(r, "zero_share"),
            "unique": int(r["unique"]),
            "outliers": int(r["outliers"]),
            "collinear": names(r["collinear_with"]),
        }
        for r in audit.statistics.to_dict("records")
    ]
    treatment = [
        {
            "node": data.label(str(r["indicator"])),
            "action": word(_ACTIONS, r["action"]),
            "points": int(r["points"]),
            "skew": number(r, "skew_before"),
            "kurtosis": number(r, "kurtosis_before"),
        }
        for r in audit.treatment.to_dict("records")
    ]
    return {
        "reliability": reliability,
        "correlations": correlations,
        "flags": flags,
        "statistics": statistics,
        "treatment": treatment,
    }


def render_audit(
    result: IndexResult,
    audit: Audit,
    *,
    framework: str,
    source: str,
    language: str = "en",
    uncertainty: UncertaintyResult | None = None,
    design: UncertaintySettings | None = None,
) -> str:
    """The audit report of a run of the engine as one HTML file that needs no network: the figures with their
    tables, the consistency of each aggregate, the flags, the statistics of the data and their treatment, and,
    with an uncertainty analysis (and its sensitivity analysis), the rank intervals and the Sobol indices.
    ``framework`` and ``source`` name the inputs as the user gave them; ``design`` is the uncertainty analysis'
    settings."""
    data = analysis_from_result(result, language=language, uncertainty=uncertainty)
    context = {
        "root_label": data.label(result.tree.root),
        "framework": framework,
        "source": source,
        "units": len(result.scores.index),
        "indicators": len(result.tree.leaves),
        "excluded": int((audit.coverage["status"] != "ok").sum()),
        "imputed": len(audit.imputed_points),
        "settings_rows": [(label, value) for _, label, value in settings_rows(result.settings, language)],
        "uncertainty_text": uncertainty_text(design, language) if uncertainty is not None else "",
        "figures": analysis_figures(data),
        "tables": audit_tables(audit, data),
    }
    return render_page("audit.html", context, language)
