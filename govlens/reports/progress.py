"""The follow-up as the reports see it: the register of a release's recommendations (the statements the report
prints) and the context of the next cycle's "Progress since the last review" section.

The section is a separate template (``templates/_progress.html``), included by the report where a theme's
recommendations are printed; :func:`progress_context` gives it one entry per finding (theme) it has progress on.
"""

from __future__ import annotations

from govlens.analysis.narrative import RuleSet, load_rules, regional_statements
from govlens.analysis.regional import ALL
from govlens.followup import Register, register_from
from govlens.release import Release
from govlens.reports.render import AUTO, ReportData, report_data

__all__ = ["register_of", "release_register"]


def register_of(data: ReportData) -> Register:
    """The register of the release behind ``data`` (the recommendations its report prints)."""
    statements = regional_statements(data.stats, data.rules, group=ALL) if data.rules is not None else []
    return register_from(data.release, statements, data.rules)


def release_register(release: Release, *, rules: RuleSet | str | None = AUTO) -> Register:
    """The register of a release, with the bundled rules of its framework unless ``rules`` (a rule set, or the name
    or path of a rules file: FileNotFoundError or RulesInvalid when it cannot be used) are given."""
    if isinstance(rules, str) and rules != AUTO:
        rules = load_rules(rules, release.framework())
    return register_of(report_data(release, "en", rules=rules))
