"""``govlens demo``: the whole review on the embedded default, from frameworks to regional statements.

The answers of the demo review are SYNTHETIC (generated from a seed, calibrated to the shares the seed review
reports); every file and every screen that shows them says so.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, TypeVar

import typer

from govlens.cli import demo_followup
from govlens.cli.platform import call_service, prepare_django
from govlens.home import subdir

if TYPE_CHECKING:
    from govlens.release import Release

T = TypeVar("T")

SYNTHETIC_LABEL = "SYNTHETIC DEMO DATA: generated answers, not real country responses"
DEMO_CYCLE = "lac-demo-2026"
# findings whose regional figures the demo prints (the seed's headline shares)
HEADLINE_FINDINGS = ("F01", "F02", "F04", "F07", "F39")


def _step(title: str, action: Callable[[], T]) -> T:
    started = time.perf_counter()
    typer.echo(f"\n== {title}")
    result = action()
    typer.echo(f"   ({time.perf_counter() - started:.1f} s)")
    return result


def _frameworks() -> None:
    from govlens.framework import catalogue, validate

    for path in catalogue.bundled_paths():
        report = validate.validate(path)
        framework = catalogue.load(path)
        typer.echo(f"   {validate.summary(framework, report)}")
        if not report.valid:
            raise typer.Exit(1)


def _public_data(out: Path) -> dict[str, float]:
    from govlens.data import compare, registry

    results = compare.compare(compare.DEFAULT_SELECTORS)
    written = compare.write(results, out / "public-data")
    for result in results:
        table = result.table
        first = table.iloc[0]
        lac, oecd = first.get("lac_mean"), first.get("oecd_mean")
        typer.echo(
            f"   {result.selector:<14} {first.get('variable', '')!s:<10} LAC mean {lac:.3f} vs OECD mean {oecd:.3f}"
            f" ({result.years_used})"
        )
    typer.echo(f"   wrote {len(written)} tables to {out / 'public-data'}")
    import pandas as pd

    egdi = registry.load("egdi").data
    latest = egdi[(egdi["variable"] == "EGDI") & (egdi["year"] == egdi["year"].max())]
    return {str(u): float(v) for u, v in zip(latest["unit"], latest["value"], strict=True) if pd.notna(v)}


def _gtmi(out: Path) -> None:
    from govlens.data import gtmi_recompute

    result = gtmi_recompute.check()
    for line in gtmi_recompute.summary_lines(result)[:3]:
        typer.echo(f"   {line}")
    gtmi_recompute.write_table(result, out / "gtmi-2022-recomputed.csv")


def _review(out: Path, seed: int, replications: int | None, egdi: dict[str, float]) -> Release:
    from govlens.analysis import narrative, synthetic
    from govlens.data import compare
    from govlens.framework import answers, catalogue
    from govlens.release import create_release, save_release
    from govlens.release.settings import resolve_settings
    from govlens.reports import exports

    framework = catalogue.load("lac-dgr")
    responses = synthetic.synthetic_answers(framework, seed=seed, maturity=synthetic.maturity_from(egdi))
    typer.echo(f"   {SYNTHETIC_LABEL}")
    typer.echo(f"   {len(responses.countries)} countries answered {framework.id} {framework.version} (seed {seed})")
    for country, given in responses.answers.items():
        report = answers.validate_answers(framework, given, submitting=True)
        if not report.valid:  # the generator must produce answers a focal point could submit
            raise RuntimeError(f"synthetic answers of {country} do not validate: {report.errors[0]}")

    # the framework's settings, as the web's publish and `govlens release create` take them; the demo's seed
    # also seeds the Monte Carlo
    settings, source = resolve_settings(
        framework, where=str(catalogue.resolve("lac-dgr")), replications=replications, seed=seed
    )
    replications = settings.uncertainty.replications if settings.uncertainty is not None else 0
    release = create_release(
        framework,
        responses.answers,
        cycle=DEMO_CYCLE,
        settings=settings,
        synthetic=True,
        metadata={**responses.metadata, "settings_source": source.to_dict()},
        benchmarks=compare.compare(compare.DEFAULT_SELECTORS),
    )
    path = save_release(release)
    typer.echo(f"   release {release.id} (sha256 {release.hash[:12]}) -> {path}")

    review = out / "review"
    review.mkdir(parents=True, exist_ok=True)
    for fmt, name in (("csv", "results.csv"), ("xlsx", "results.xlsx"), ("sdmx-csv", "results.sdmx.csv")):
        exports.export(release, fmt, review / name)
    exports.export(release, "datapackage", review / "datapackage")

    index_id = framework.root.id
    results = release.results
    top = results.ranks[index_id].sort_values().head(5)
    typer.echo(f"   index {index_id}: top 5 with 90% rank interval over {replications} replications")
    for unit, rank in top.items():
        interval = results.interval(str(unit), index_id)
        span = f"[{interval[0]:.0f}-{interval[1]:.0f}]" if interval is not None else ""
        typer.echo(f"     {rank:>3.0f}  {unit}  {span}")

    from govlens.reports.render import report_data

    data = report_data(release, "en")
    if data.rules is not None:
        from govlens.analysis import directions

        statements = narrative.regional_statements(data.stats, data.rules)
        headline = narrative.by_finding(statements)
        for finding in HEADLINE_FINDINGS:
            for statement in headline.get(finding, [])[:1]:
                typer.echo(f"   {finding}: {statement.in_language('en')}")
        table = directions.load_directions(framework.id, data.rules)
        agreement = directions.finding_agreement(directions.check_directions(statements, table))
        agree = sum(agreement.values())
        typer.echo(f"   the statements follow the seed's direction on {agree} of {len(agreement)} findings")
    return release


def _publish(release: Release, out: Path, languages: tuple[str, ...], profiles: int) -> None:
    from govlens.reports.render import publish

    ranks = release.results.ranks
    # the best, the middle and the last ranked countries show the range of profiles
    units = list(ranks[ranks.columns[-1]].sort_values().index)
    chosen = sorted({units[0], units[len(units) // 2], units[-1]})[:profiles] if units else []
    written = publish(release, out / "reports", languages=languages, countries=chosen)
    typer.echo(f"   wrote {len(written)} files (report in {', '.join(languages)}; profiles of {', '.join(chosen)})")
    typer.echo(f"   open {out / 'reports' / 'report-en.html'}")


PLATFORM_CYCLE = "demo-2026"
DEMO_COUNTRIES = ("ARG", "BRA", "CHL", "COL", "MEX", "URY")
DEMO_ACCOUNTS = (
    ("demo-analyst", "analyst", None, ()),
    ("demo-reviewer", "reviewer", None, DEMO_COUNTRIES),
    ("demo-focal-arg", "focal-point", "ARG", ()),
    ("demo-focal-bra", "focal-point", "BRA", ()),
)


def demo_platform(framework: str = "lac-dgr") -> None:
    """Create (or refresh) the demo cycle and demo accounts and print how to log in; for ``govlens demo``.

    Passwords are generated on every run and printed once; existing demo accounts get the new password.
    """
    import secrets

    prepare_django()
    from django.contrib.auth.models import User

    from govlens.web.accounts.services import membership_set, user_create
    from govlens.web.cycles.models import Cycle
    from govlens.web.cycles.services import cycle_create

    if not Cycle.objects.filter(slug=PLATFORM_CYCLE).exists():
        call_service(
            lambda: cycle_create(
                actor=None,
                slug=PLATFORM_CYCLE,
                framework=framework,
                countries=list(DEMO_COUNTRIES),
                title="Demo: digital government review of Latin America and the Caribbean 2026",
            )
        )
    listed = ", ".join(DEMO_COUNTRIES)
    typer.echo(f"Review platform: cycle '{PLATFORM_CYCLE}' ({listed}). Start it with `govlens serve`,")
    typer.echo("then log in at http://127.0.0.1:8000/ with one of these demo accounts:")
    for username, role, country, countries in DEMO_ACCOUNTS:
        password = secrets.token_urlsafe(12)
        existing = User.objects.filter(username=username).first()
        if existing is None:
            call_service(
                partial(
                    user_create,
                    actor=None,
                    username=username,
                    password=password,
                    role=role,
                    country=country,
                    countries=list(countries),
                )
            )
        else:
            existing.set_password(password)
            existing.save(update_fields=["password"])
            call_service(
                partial(
                    membership_set, actor=None, user=existing, role=role, country=country, countries=list(countries)
                )
            )
        scope = f" ({country})" if country else (f" ({', '.join(countries)})" if countries else "")
        typer.echo(f"  {username:<16} {password:<18} {role}{scope}")


def demo(
    out: Annotated[
        Path | None,
        typer.Option("--out", help="Folder for the files (default: GOVLENS_HOME/outputs/demo).", file_okay=False),
    ] = None,
    seed: Annotated[int, typer.Option("--seed", help="Seed of the synthetic answers and of the Monte Carlo.")] = 2023,
    replications: Annotated[
        int | None,
        typer.Option(
            "--replications",
            min=10,
            help="Monte Carlo replications of the uncertainty analysis (default: the framework's).",
        ),
    ] = None,
    serve: Annotated[
        bool, typer.Option("--serve/--no-serve", help="Then serve the dashboard and platform on 127.0.0.1:8000.")
    ] = False,
) -> None:
    """Run the demo review: frameworks, public data, GTMI check, and a synthetic LAC review with its index."""
    from govlens.data.errors import DataError

    target = (out or subdir("outputs") / "demo").resolve()
    target.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    try:
        _step("Frameworks", _frameworks)
        egdi = _step("Public data: LAC against the OECD", lambda: _public_data(target))
        _step("GTMI 2022 recomputed from its key indicators", lambda: _gtmi(target))
        release = _step(
            "Demo review of lac-dgr (synthetic answers): release with uncertainty analysis",
            lambda: _review(target, seed, replications, egdi),
        )
        _step("Regional report and country profiles (HTML and PDF)", lambda: _publish(release, target, ("en", "es"), 3))
        followed = _step(
            "Follow-up: synthetic action plans and a second cycle",
            lambda: demo_followup.follow_up(release, target, seed),
        )
        _step("Review platform (embedded SQLite under GOVLENS_HOME)", demo_platform)
        if followed is not None:
            demo_followup.follow_up_platform(release, followed[1])
    except DataError as exc:
        typer.echo(f"error: {exc}", err=True)
        typer.echo(
            "hint: store the public datasets once with `govlens data pull` (or `govlens data pull --mirror DIR`)",
            err=True,
        )
        raise typer.Exit(1) from None
    typer.echo(f"\nDemo finished in {time.perf_counter() - started:.1f} s; files in {target}")
    if serve:
        from govlens.cli import serve_cmd

        typer.echo("Dashboard: http://127.0.0.1:8000/results/ (Ctrl-C stops the server)")
        serve_cmd.serve()
    else:
        typer.echo("Browse the dashboard and the platform: govlens serve, then http://127.0.0.1:8000/results/")
