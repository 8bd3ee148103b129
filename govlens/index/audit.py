"""Statistical audit of a computed index (OECD/JRC Handbook, step 7 "multivariate analysis"):

- correlations of each node with its parent and with its siblings, over the units where both are present:
  Pearson's r, Spearman's rho and Kendall's tau-b, each with its two-sided p-value (scipy.stats: the t test of
  r and of rho, the exact test of tau without ties for small samples, else its normal approximation);
- Cronbach's alpha of each aggregate over its children (complete cases, sample variances):
  alpha = k / (k - 1) * (1 - sum of child variances / variance of the children's sum);
- PCA of each aggregate's children: share of variance explained by the first component of their
  correlation matrix (complete cases);
- flags: a node that correlates negatively with its parent ("negative") or weakly, |r| < ``weak_below``
  ("weak"), plus the data checks, treated and imputed points of the run.

All statistics use the normalised indicator scores and the aggregate scores of the run audited.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from govlens.index.errors import check_choice, check_number
from govlens.index.pipeline import IndexResult
from govlens.index.treat import kurtosis, skewness
from govlens.index.weight import effective_weights, first_component


def _pairs(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
    """The values of the units where both are present; None with fewer than 3 such units or no variance."""
    both = ~np.isnan(x) & ~np.isnan(y)
    if both.sum() < 3:
        return None
    a, b = x[both], y[both]
    if a.max() == a.min() or b.max() == b.min():
        return None
    return a, b


def pearson(x: np.ndarray, y: np.ndarray) -> float:
    """Pearson correlation over the pairs where both are present (NaN with fewer than 3 pairs or no variance)."""
    return correlation(x, y, "pearson")


CORRELATION_COLUMNS = (
    "node",
    "other",
    "relation",
    "n",
    "r",
    "r_p",
    "spearman",
    "spearman_p",
    "kendall",
    "kendall_p",
)
_UNDEFINED = {name: float("nan") for name in CORRELATION_COLUMNS[4:]}


CORRELATION_METHODS: tuple[str, ...] = ("pearson", "spearman", "kendall")
_COLUMN = {"pearson": "r", "spearman": "spearman", "kendall": "kendall"}


def _test(method: str) -> Any:
    """scipy.stats' test of one correlation (imported here: scipy.stats takes a while, and few runs need it)."""
    from scipy import stats

    return {"pearson": stats.pearsonr, "spearman": stats.spearmanr, "kendall": stats.kendalltau}[method]


def column_correlations(a: np.ndarray, b: np.ndarray, method: str = "pearson") -> np.ndarray:
    """The correlation (``CORRELATION_METHODS``) of each column of ``a`` (n, k) with the same column of ``b``, over
    the rows where both are present; NaN with fewer than 3 such rows or no variance. Vectorised (the weight
    optimiser evaluates it thousands of times); equal to scipy.stats' pearsonr, spearmanr and kendalltau (tau-b)."""
    check_choice("correlation", method, CORRELATION_METHODS)
    both = ~np.isnan(a) & ~np.isnan(b)
    # no variance: every value present the same (compared exactly; a mean can miss a constant by rounding)
    varies = np.ones(a.shape[1], dtype=bool)
    for values in (a, b):
        highest = np.where(both, values, -np.inf).max(axis=0, initial=-np.inf)
        lowest = np.where(both, values, np.inf).min(axis=0, initial=np.inf)
        varies &= highest > lowest
    if method == "spearman":  # Pearson's r of the mid-ranks among the rows where both are present
        from scipy.stats import rankdata

        a = rankdata(np.where(both, a, np.nan), axis=0, nan_policy="omit")
        b = rankdata(np.where(both, b, np.nan), axis=0, nan_policy="omit")
    count = both.sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        if method == "kendall":  # tau-b: sum of sign products over pairs / sqrt(pairs untied in a x untied in b)
            found = np.empty(a.shape[1])
            for j in range(a.shape[1]):
                x, y = a[both[:, j], j], b[both[:, j], j]
                sx = np.sign(x[:, None] - x[None, :])
                sy = np.sign(y[:, None] - y[None, :])
                found[j] = (sx * sy).sum() / np.sqrt((sx * sx).sum() * (sy * sy).sum())
        else:
            da = np.where(both, a - np.where(both, a, 0.0).sum(axis=0) / count, 0.0)
            db = np.where(both, b - np.where(both, b, 0.0).sum(axis=0) / count, 0.0)
            found = (da * db).sum(axis=0) / np.sqrt((da * da).sum(axis=0) * (db * db).sum(axis=0))
    return np.where((count >= 3) & varies, np.clip(found, -1.0, 1.0), np.nan)


def correlation(x: np.ndarray, y: np.ndarray, method: str = "pearson") -> float:
    """One correlation coefficient (``CORRELATION_METHODS``) over the pairs where both are present (NaN with fewer
    than 3 pairs or no variance)."""
    return float(column_correlations(x[:, None], y[:, None], method)[0])


def correlations(x: np.ndarray, y: np.ndarray) -> dict[str, float | int]:
    """Pearson's r, Spearman's rho and Kendall's tau-b with their two-sided p-values, and the number of pairs n,
    over the pairs where both are present (NaN with fewer than 3 pairs or no variance, as :func:`pearson`)."""
    n = int((~np.isnan(x) & ~np.isnan(y)).sum())
    pairs = _pairs(x, y)
    if pairs is None:
        return {"n": n, **_UNDEFINED}
    found: dict[str, float | int] = {"n": n}
    for method in CORRELATION_METHODS:
        outcome = _test(method)(*pairs)
        found[_COLUMN[method]] = float(outcome.statistic)
        found[f"{_COLUMN[method]}_p"] = float(outcome.pvalue)
    return found


def cronbach_alpha(values: np.ndarray) -> float:
    """Cronbach's alpha of the columns of ``values`` (n, k) over complete rows (NaN when undefined)."""
    complete = values[~np.isnan(values).any(axis=1)]
    n, k = complete.shape
    if k < 2 or n < 2:
        return float("nan")
    total_variance = float(np.var(complete.sum(axis=1), ddof=1))
    if total_variance == 0:
        return float("nan")
    return float(k / (k - 1) * (1 - np.var(complete, axis=0, ddof=1).sum() / total_variance))


@dataclass
class Audit:
    correlations: pd.DataFrame  # CORRELATION_COLUMNS: node, other, relation (parent|sibling), n, r, r_p, ...
    reliability: pd.DataFrame  # node, children, complete_cases, cronbach_alpha, pca_first_share
    flags: pd.DataFrame  # node, parent, r, p (of r), flag
    coverage: pd.DataFrame  # unit, coverage, nonzero_share, status, reason (the screening of units)
    treatment: pd.DataFrame  # per indicator: skew/kurtosis before and after, action
    treated_points: pd.DataFrame
    imputed_points: pd.DataFrame
    weights: pd.DataFrame  # node, parent, weight, effective_weight (share of the index)
    statistics: pd.DataFrame  # per indicator: the data as given (see indicator_statistics)

    def summary(self) -> list[str]:
        """A few readable lines for the terminal."""
        lines = []
        status = self.coverage["status"]
        screened = f"{int((status == 'excluded').sum())} screened out, {int((status == 'flagged').sum())} flagged"
        lines.append(
            f"units: {len(self.coverage)} ({screened}); "
            f"imputed points: {len(self.imputed_points)}; treated indicators: "
            f"{int(self.treatment['action'].isin(('winsorised', 'log')).sum())} of {len(self.treatment)}"
        )
        reverted = int((self.treatment["action"] == "reverted").sum())
        if reverted:
            lines.append(f"kept untreated: {reverted} indicators that Winsorising would have made constant")
        for row in self.reliability.itertuples(index=False):
            lines.append(
                f"{row.node}: {row.children} children, Cronbach's alpha {row.cronbach_alpha:.2f}, "
                f"first component {row.pca_first_share:.0%} of variance"
            )
        if self.flags.empty:
            lines.append("no node correlates negatively or weakly with its parent")
        for row in self.flags.itertuples(index=False):
            strength = f"r = {row.r:.2f}, p = {row.p:.2g}"
            lines.append(f"flag: {row.node} correlates {row.flag}ly with {row.parent} ({strength})")
        return lines

    def to_excel(self, path: str | Path) -> None:
        """One sheet per table (openpyxl)."""
        with pd.ExcelWriter(path, engine="openpyxl") as writer:
            pd.DataFrame({"summary": self.summary()}).to_excel(writer, sheet_name="summary", index=False)
            self.flags.to_excel(writer, sheet_name="flags", index=False)
            self.correlations.to_excel(writer, sheet_name="correlations", index=False)
            self.reliability.to_excel(writer, sheet_name="reliability", index=False)
            self.weights.to_excel(writer, sheet_name="weights", index=False)
            self.statistics.to_excel(writer, sheet_name="statistics", index=False)
            self.coverage.to_excel(writer, sheet_name="coverage", index=False)
            self.treatment.to_excel(writer, sheet_name="treatment", index=False)
            self.treated_points.to_excel(writer, sheet_name="treated_points", index=False)
            self.imputed_points.to_excel(writer, sheet_name="imputed_points", index=False)


STATISTICS_COLUMNS = (
    "indicator",
    "n",
    "missing_share",
    "min",
    "max",
    "mean",
    "sd",
    "skewness",
    "kurtosis",
    "unique",
    "zero_share",
    "outliers",
    "collinear_with",
)


def indicator_statistics(values: pd.DataFrame, collinear: float = 0.9) -> pd.DataFrame:
    """One row per indicator (COINr's ``get_stats``): values present, share missing, min, max, mean, sample sd,
    type-2 skewness and kurtosis, distinct values, share of zeros, outliers (values beyond 1.5 interquartile
    ranges from the quartiles) and the indicators it correlates with at |Pearson r| >= ``collinear``."""
    rows = []
    array = values.to_numpy(dtype=float)
    names = [str(c) for c in values.columns]
    for j, name in enumerate(names):
        x = array[:, j]
        present = x[~np.isnan(x)]
        if present.size:
            q1, q3 = np.quantile(present, [0.25, 0.75])
            spread = q3 - q1
            outliers = int(np.sum((present < q1 - 1.5 * spread) | (present > q3 + 1.5 * spread)))
        else:
            outliers = 0
        others = [
            other
            for k, other in enumerate(names)
            if k != j and abs(pearson(x, array[:, k])) >= collinear  # NaN compares False
        ]
        rows.append(
            {
                "indicator": name,
                "n": int(present.size),
                "missing_share": float(1 - present.size / max(x.size, 1)),
                "min": float(present.min()) if present.size else float("nan"),
                "max": float(present.max()) if present.size else float("nan"),
                "mean": float(present.mean()) if present.size else float("nan"),
                "sd": float(present.std(ddof=1)) if present.size > 1 else float("nan"),
                "skewness": skewness(x),
                "kurtosis": kurtosis(x),
                "unique": int(np.unique(present).size),
                "zero_share": float(np.mean(present == 0)) if present.size else float("nan"),
                "outliers": outliers,
                "collinear_with": ", ".join(others),
            }
        )
    return pd.DataFrame(rows, columns=list(STATISTICS_COLUMNS))


def audit(result: IndexResult, weak_below: float = 0.3) -> Audit:
    """Audit a computed index (see the module docstring)."""
    check_number("weak_below", weak_below, low=0.0, high=1.0)
    tree = result.tree
    scores = result.scores
    rows: list[dict[str, object]] = []
    flags: list[dict[str, object]] = []
    for node in tree.node_ids:
        parent = tree.parent(node)
        if parent is None:
            continue
        with_parent = correlations(scores[node].to_numpy(), scores[parent].to_numpy())
        rows.append({"node": node, "other": parent, "relation": "parent", **with_parent})
        r = with_parent["r"]
        if not np.isnan(r) and (r < 0 or abs(r) < weak_below):
            flag = "negative" if r < 0 else "weak"
            flags.append({"node": node, "parent": parent, "r": r, "p": with_parent["r_p"], "flag": flag})
        for sibling in tree.children(parent):
            if sibling != node:
                with_sibling = correlations(scores[node].to_numpy(), scores[sibling].to_numpy())
                rows.append({"node": node, "other": sibling, "relation": "sibling", **with_sibling})
    reliability: list[dict[str, object]] = []
    for node in tree.aggregates:
        children = scores[list(tree.children(node))].to_numpy()
        found = first_component(children)
        reliability.append(
            {
                "node": node,
                "children": children.shape[1],
                "complete_cases": int((~np.isnan(children).any(axis=1)).sum()),
                "cronbach_alpha": cronbach_alpha(children),
                "pca_first_share": found[1] if found is not None else float("nan"),
            }
        )
    weights = pd.DataFrame(
        {
            "node": list(result.weights.index),
            "parent": [tree.parent(n) or "" for n in result.weights.index],
            "weight": result.weights.to_numpy(),
            "effective_weight": effective_weights(tree, result.weights.to_numpy()),
        }
    )
    prepared = result.prepared
    return Audit(
        correlations=pd.DataFrame(rows, columns=list(CORRELATION_COLUMNS)),
        reliability=pd.DataFrame(
            reliability, columns=["node", "children", "complete_cases", "cronbach_alpha", "pca_first_share"]
        ),
        flags=pd.DataFrame(flags, columns=["node", "parent", "r", "p", "flag"]),
        coverage=prepared.screener.table(),
        treatment=prepared.treater.table(),
        treated_points=prepared.treater.points(),
        imputed_points=prepared.imputer.table(),
        weights=weights[weights["parent"] != ""].reset_index(drop=True),
        statistics=indicator_statistics(prepared.raw.loc[prepared.units]),
    )
