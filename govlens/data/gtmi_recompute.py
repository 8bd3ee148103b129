"""Recomputing the GTMI 2022 from its public key indicators, beside the World Bank's published scores.

The bundled ``gtmi-2022`` framework mirrors the World Bank's structure: the GTMI is the simple average of
four focus-area indices (CGSI, PSDI, DCEI, GTEI), each made of its key indicators. GovLens computes it with
the index engine (:mod:`govlens.index`): each key indicator is put on 0-1 with goalposts at the ends of its
answer scale (0-2, 0-3, 0-1; the UN and ITU indices are already 0-1), focus areas are the arithmetic mean of
their indicators, and the GTMI the mean of the focus areas. Groups use the World Bank's cut-offs (A >= 0.75,
B >= 0.50, C >= 0.25, D below).

The result is compared with the published GTMI 2022 by Spearman rank correlation and group agreement. It
cannot match exactly: the World Bank scores focus areas from sub-indicators (I-1.1, I-1.2 ...) that are not
in the public key-indicator data, and a key indicator with more sub-indicators weighs more.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
from scipy.stats import spearmanr

from govlens import tabular
from govlens.data import registry
from govlens.data.gtmi import FOCUS_AREAS, key_indicator_variables
from govlens.data.model import LoadedDataset, MissingReason
from govlens.framework.model import Framework
from govlens.index.results import WORLD_BANK_GROUPS

YEAR = 2022
FRAMEWORK = "gtmi-2022"


@dataclass
class Recomputation:
    table: pd.DataFrame  # unit, ours_<node>, published_<node> for GTMI and the focus areas, groups
    spearman: float  # GTMI: ours vs published
    spearman_by_area: Mapping[str, float]
    group_agreement: float  # share of economies in the same A-D group (World Bank cut-offs on our scores)
    group_agreement_by_rank: float  # same, with groups of the published sizes filled in our rank order
    baseline_spearman: float  # equal weights over all indicators, min-max (no focus-area structure)
    n: int
    method: str
    dropped_indicators: tuple[str, ...] = ()
    notes: list[str] = field(default_factory=list)


def indicator_matrix(indicators: LoadedDataset, year: int = YEAR, not_published_as_zero: bool = False
                     ) -> pd.DataFrame:
    """Units x key indicators for one wave (NaN where missing; with ``not_published_as_zero``, cells coded
    '-' count as 0, the bottom of every scale)."""
    data = indicators.data[indicators.data["year"] == year]
    if not_published_as_zero:
        data = data.assign(value=data["value"].mask(data["missing_reason"] == MissingReason.NOT_PUBLISHED, 0.0))
    matrix = data.pivot(index="unit", columns="variable", values="value")
    ordered = [code for code in key_indicator_variables() if code in matrix.columns]
    return matrix[ordered].sort_index()


def not_published_text(indicators: LoadedDataset, year: int = YEAR) -> str:
    """Which economies have cells coded '-' in a wave, by indicator: 'no value for HKG, MAC in I-16, I-18; PLW in
    I-43' (read from the data, so that no economy is left out of the note)."""
    data = indicators.data
    coded = data[(data["year"] == year) & (data["missing_reason"] == MissingReason.NOT_PUBLISHED)]
    by_units: dict[tuple[str, ...], list[str]] = {}
    for code, units in coded.groupby("variable")["unit"]:
        by_units.setdefault(tuple(sorted(set(units))), []).append(str(code))
    parts = [f"{', '.join(units)} in {', '.join(codes)}" for units, codes in sorted(by_units.items())]
    return "no value for " + "; ".join(parts) if parts else "none in this wave"


def _group(score: float) -> str:
    if np.isnan(score):
        return ""
    return next(label for label, bound in WORLD_BANK_GROUPS if score >= bound)


def _leaf_sources(framework: Framework) -> dict[str, str]:
    """Leaf id -> dataset variable (the leaf's ``source``)."""
    return {leaf.id: leaf.source or leaf.id for leaf in framework.leaves()}


def _goalposts(framework: Framework) -> dict[str, tuple[float, float]]:
    variables = key_indicator_variables()
    posts = {}
    for leaf, source in _leaf_sources(framework).items():
        scale = variables[source].scale if source in variables else None
        posts[leaf] = scale if scale is not None else (0.0, 1.0)
    return posts


def compute_with_engine(values: pd.DataFrame, framework: Framework) -> pd.DataFrame:
    """Scores (units x nodes) from the index engine, with the framework's tree and weights."""
    from govlens.index.pipeline import compute
    from govlens.index.settings import Settings
    from govlens.index.tree import Tree

    tree = Tree.from_framework(framework)
    settings = Settings(normalise="goalposts", goalposts=_goalposts(framework), aggregate="arithmetic")
    return compute(values, tree, settings).scores


def equal_weight_baseline(values: pd.DataFrame) -> pd.Series:
    """Every indicator min-max normalised and averaged with equal weights (no focus areas)."""
    spread = (values.max() - values.min()).replace(0, np.nan)
    return ((values - values.min()) / spread).mean(axis=1)


def recompute(framework: Framework, indicators: LoadedDataset, scores: LoadedDataset, year: int = YEAR,
              not_published_as_zero: bool = True) -> Recomputation:
    """Compute the framework on one wave and compare with the published scores.

    ``not_published_as_zero``: the UN and ITU indices have no value ('-') for HKG, MAC, TWN, PSE and XKX (and the
    ITU index, I-43, none for PLW either; the note lists them from the data). The
    published scores of these five economies sit where a 0 would put them (e.g. Taiwan, China ranks 74th
    published, 82nd with 0 and 38th when the missing index is skipped), so by default a '-' counts as 0.
    """
    matrix = indicator_matrix(indicators, year, not_published_as_zero)
    sources = _leaf_sources(framework)
    values = pd.DataFrame({leaf: matrix[source] for leaf, source in sources.items() if source in matrix.columns})
    empty = tuple(leaf for leaf in values.columns if values[leaf].isna().all())
    notes = []
    if not_published_as_zero:
        notes.append(f"cells coded '-' ({not_published_text(indicators, year)}) count as 0, as the published "
                     "scores imply")
    if empty:
        # I-26 (digital ID) is empty in 2022: the World Bank lists it for information only
        notes.append(f"indicators without any value in {year}, left out: {', '.join(empty)}")
        framework = _without_leaves(framework, empty)
        values = values.drop(columns=list(empty))
    ours = compute_with_engine(values, framework)
    method = "govlens.index pipeline: goalposts (answer scale), arithmetic means, framework weights"
    published = scores.data[scores.data["year"] == year].pivot(index="unit", columns="variable", values="value")
    groups = scores.categories[(scores.categories["year"] == year) & (scores.categories["variable"] == "group")]
    published_group = groups.set_index("unit")["category"]
    root = framework.root.id
    units = ours.index.intersection(published.index)
    table = pd.DataFrame(index=units)
    for node in (root, *FOCUS_AREAS):
        table[f"ours_{node}"] = ours.loc[units, node]
        table[f"published_{node}"] = published.loc[units, node]
    table["ours_group"] = table[f"ours_{root}"].map(_group)
    table["published_group"] = published_group.reindex(units)
    table = table.rename_axis("unit").reset_index()
    rho = float(spearmanr(table[f"ours_{root}"], table[f"published_{root}"], nan_policy="omit").statistic)
    by_area = {
        area: float(spearmanr(table[f"ours_{area}"], table[f"published_{area}"], nan_policy="omit").statistic)
        for area in FOCUS_AREAS
    }
    agreement = float((table["ours_group"] == table["published_group"]).mean())
    table["ours_group_by_rank"] = _groups_by_rank(table[f"ours_{root}"], table["published_group"])
    agreement_by_rank = float((table["ours_group_by_rank"] == table["published_group"]).mean())
    plain = indicator_matrix(indicators, year)
    baseline = equal_weight_baseline(plain.drop(columns=[c for c in plain.columns if plain[c].isna().all()]))
    base_rho = float(spearmanr(baseline.loc[units], published.loc[units, root], nan_policy="omit").statistic)
    return Recomputation(table, rho, by_area, agreement, agreement_by_rank, base_rho, len(units), method, empty,
                         notes)


def _groups_by_rank(scores: pd.Series, published: pd.Series) -> list[str]:
    """Groups of the published sizes (e.g. 69 A, 46 B ...) given to the units in the order of ``scores``."""
    sizes = published.value_counts()
    labels = [label for label in sorted(sizes.index) for _ in range(int(sizes[label]))]
    order = scores.rank(ascending=False, method="first").astype(int) - 1
    return [labels[position] if position < len(labels) else "" for position in order]


def _without_leaves(framework: Framework, leaves: tuple[str, ...]) -> Framework:
    from dataclasses import replace

    return replace(framework, nodes=tuple(node for node in framework.nodes if node.id not in leaves))


def check(mirror: Path | str | None = None) -> Recomputation:
    """Load the framework and both GTMI datasets, recompute 2022 and compare with the published scores."""
    from govlens.framework.catalogue import load

    framework = load(FRAMEWORK)
    return recompute(framework, registry.load("gtmi-indicators", mirror), registry.load("gtmi-scores", mirror))


def write_table(result: Recomputation, out: Path) -> Path:
    """Ours beside the published scores and groups, one row per economy (CSV, 6 decimals)."""
    out.parent.mkdir(parents=True, exist_ok=True)
    tabular.write_frame(result.table.round(6), out)
    return out


def summary_lines(result: Recomputation) -> list[str]:
    lines = [
        f"GTMI {YEAR} recomputed from the public key indicators ({result.n} economies)",
        f"method: {result.method}",
        f"Spearman rank correlation with the published GTMI: {result.spearman:.4f}",
        f"  equal-weight min-max baseline (no focus areas):  {result.baseline_spearman:.4f}",
    ]
    lines += [f"  {area}: {rho:.4f}" for area, rho in result.spearman_by_area.items()]
    lines.append(f"group agreement (A >= 0.75, B >= 0.50, C >= 0.25, D): {result.group_agreement:.1%}")
    lines.append(f"group agreement with the published group sizes, in our rank order: "
                 f"{result.group_agreement_by_rank:.1%}")
    lines += [f"note: {note}" for note in result.notes]
    lines.append("The remaining difference: the World Bank scores focus areas from sub-indicators that are not in "
                 "the public data (a key indicator weighs by its sub-indicators there, and partial answers score "
                 "lower), so our scores run higher (cut-off groups disagree by one step) while ranks agree closely.")
    return lines
