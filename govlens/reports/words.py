"""The fixed words the dashboard shares with the report, by key (its templates use ``words.<key>``).

The texts are messages of the gettext catalogues (:mod:`govlens.i18n`), so the dashboard and the PDF say the same
thing in the same words."""

from __future__ import annotations

from collections.abc import Mapping

from govlens.i18n import N_, gettext

__all__ = ["DASHBOARD_WORDS", "dashboard_words"]

# The dashboard's fixed words by key (its templates look them up as ``words.<key>``), from the catalogue.
DASHBOARD_WORDS: Mapping[str, str] = {
    "assessment": N_("Assessment"),
    "gaps": N_("Gaps"),
    "first_steps": N_("What to do first"),
    "average_index": N_("average index score"),
    "benchmark_in_both": N_("Counted in both means (LAC countries that were OECD members in that year)"),
    "benchmark_intro": N_(
        "Published indicators, frozen with this release. Each mean is over the countries of the group with a "
        "value (n); the gap is the LAC mean minus the OECD mean; the frontier is the best LAC country."
    ),
    "benchmark_section": N_("Latin America and the Caribbean and the OECD in public data"),
    "content_hash": N_("Content hash (SHA-256)"),
    "countries": N_("Countries"),
    "countries_covered": N_("countries covered"),
    "country": N_("Country"),
    "created": N_("Created"),
    "cycle": N_("Cycle"),
    "evidence": N_("Evidence"),
    "finding": N_("Finding"),
    "findings_section": N_("Findings and recommendations"),
    "framework": N_("Framework"),
    "frontier": N_("LAC frontier"),
    "gap": N_("Gap"),
    "heatmap_intro": N_("Pillar scores by country; darker cells are higher scores."),
    "heatmap_title": N_("Pillar scores by country"),
    "highest_index": N_("highest index score"),
    "index_intro": N_(
        "Each bar is a country's index score. The right-hand panel shows its rank (dot) and, when the release "
        "has an uncertainty analysis, the range of ranks it takes in 90% of the simulations (line)."
    ),
    "index_section": N_("The index: scores and ranks"),
    "indicator": N_("Indicator"),
    "lac_average": N_("LAC average"),
    "lac_mean": N_("LAC mean (n)"),
    "missing": N_("no data"),
    "no_rules": N_("No finding rules are available for this framework, so this section is empty."),
    "none_found": N_("None stands out from the group at this release."),
    "oecd_mean": N_("OECD mean (n)"),
    "pillar": N_("Pillar"),
    "pillar_section": N_("Pillars: where each country stands"),
    "profile_title": N_("Country profile"),
    "radar_section": N_("Pillars against the regional average"),
    "rank": N_("Rank"),
    "rank_interval": N_("Rank interval (5th–95th percentile)"),
    "recommendation": N_("Recommendation"),
    "release": N_("Release"),
    "score": N_("Score"),
    "source": N_("Source"),
    "strengths": N_("Strengths"),
    "weaknesses": N_("Weaknesses"),
    # the sections and tables of the analysis charts (the dashboard's analysis page, the audit report)
    "framework_section": N_("Framework and weights"),
    "distributions_section": N_("Distributions of the indicators"),
    "correlations_section": N_("Correlations"),
    "uncertainty_section": N_("Uncertainty of the ranks"),
    "sensitivity_section": N_("Sensitivity of the ranks"),
    "table_weights": N_("Table of the weights"),
    "table_quartiles": N_("Table of the quartiles"),
    "table_correlations": N_("Table of the correlations"),
    "table_ranks": N_("Table of the ranks"),
    "node": N_("Node"),
    "part_of": N_("Part of"),
    "weight": N_("Weight"),
    "of_parent": N_("Share of its parent"),
    "of_index": N_("Share of the index"),
    "values": N_("Values"),
    "lowest": N_("Lowest"),
    "q1": N_("First quartile"),
    "median": N_("Median"),
    "q3": N_("Third quartile"),
    "highest": N_("Highest"),
    "nominal_rank": N_("nominal rank"),
    "median_rank": N_("median rank"),
    "p05": N_("5th percentile"),
    "p95": N_("95th percentile"),
    "uncertain_input": N_("Uncertain input"),
    "first_order": N_("first-order index"),
    "total_order": N_("total-order index"),
    "engine_settings": N_("Engine settings"),
    "uncertainty_analysis": N_("Uncertainty analysis"),
    "not_run": N_("not run for this release"),
}


def dashboard_words(language: str) -> dict[str, str]:
    """The dashboard's fixed words in the language."""
    return {key: gettext(message, language) for key, message in DASHBOARD_WORDS.items()}
