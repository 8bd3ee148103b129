"""``govlens release list|show|verify|create``: releases, the frozen answers, settings and results of a cycle.

``create`` makes a release of a cycle's approved answers at once (the same job a worker runs, with a progress bar
for each step); the others read the releases under ``GOVLENS_HOME/releases``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any, ClassVar, NoReturn, TypeVar

import typer

from govlens.cli.platform import call_service, prepare_django
from govlens.cli.problems import echo_problems

T = TypeVar("T")

app = typer.Typer(help="Releases: frozen answers, settings and results of a cycle.", no_args_is_help=True)
LANGUAGES_HELP = "Report languages, comma separated (en, es, pt, fr)."


def fail(message: str) -> NoReturn:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(1)


def guarded(action: Callable[[], T]) -> T:
    """Run ``action``, turning the expected errors of bad input into a message and exit code 1."""
    from govlens.release import ReleaseError, ReleaseNotFound

    try:
        return action()
    except ReleaseError as exc:
        lines = [str(problem) for problem in exc.report.problems] or [str(exc)]
        fail("\n".join(lines))
    except (ReleaseNotFound, ValueError, OSError) as exc:
        fail(str(exc))


@app.command("list")
def release_list() -> None:
    """List the releases under GOVLENS_HOME, oldest first."""
    from govlens.release import list_releases

    releases = list_releases()
    if not releases:
        typer.echo("no release yet (govlens demo makes one)")
    for release_id, created in releases:
        typer.echo(f"{release_id}\t{created}")


@app.command("show")
def release_show(release: Annotated[str, typer.Argument(help="Release id, 'latest' or a .json file.")]) -> None:
    """Summarise a release: framework, units, settings, hash."""
    from govlens.release import load_release

    found = guarded(lambda: load_release(release))
    typer.echo(f"release:   {found.id} (created {found.created})")
    typer.echo(f"sha256:    {found.hash}")
    framework = found.framework()
    typer.echo(f"framework: {framework.id} {framework.version}")
    typer.echo(f"units:     {len(found.results.units)} ({', '.join(found.results.units)})")
    typer.echo(f"settings:  {found.settings.to_dict()}")
    if found.synthetic:
        typer.echo(f"data:      {found.synthetic_label('en')}")


@app.command("verify")
def release_verify(release: Annotated[str, typer.Argument(help="Release id, 'latest' or a .json file.")]) -> None:
    """Recompute a release from its inputs and settings; exit 1 unless every number is the same bit for bit."""
    from govlens.release import load_release, verify

    found = guarded(lambda: load_release(release))
    report = verify(found)
    if not report.valid:
        echo_problems(report.problems)
        raise typer.Exit(1)
    typer.echo(f"{found.id}: recomputed, same numbers bit for bit (sha256 {found.hash})")


def _languages(text: str) -> list[str]:
    return [code.strip().lower() for code in text.split(",") if code.strip()]


@app.command("create")
def release_create(
    cycle: Annotated[str, typer.Argument(help="The cycle whose approved answers make the release.")],
    languages: Annotated[str, typer.Option("--languages", "--lang", help=LANGUAGES_HELP)] = "en,es",
    replications: Annotated[
        int | None,
        typer.Option(help="Replications of the uncertainty analysis (default: the cycle's, from its framework)."),
    ] = None,
    seed: Annotated[
        int | None, typer.Option(help="Random seed of the uncertainty analysis (default: the cycle's).")
    ] = None,
    partial: Annotated[
        bool,
        typer.Option(
            "--partial", help="Make a release although some countries are not approved (labelled partial everywhere)."
        ),
    ] = False,
) -> None:
    """Make a release of CYCLE now (the same job a worker runs), with a progress bar for each step."""
    prepare_django(migrate=True)
    from govlens.web.jobs.services import release_job_run, release_request

    job = call_service(
        lambda: release_request(
            actor=None,
            cycle=cycle,
            languages=_languages(languages),
            replications=replications,
            seed=seed,
            partial=partial,
        )
    )
    typer.echo(f"job {job.pk}: {len(job.countries)} approved countries ({', '.join(job.countries)})")
    index = job.settings.get("index", {})
    changed = [*job.settings_source.get("from_cycle", []), *job.settings_source.get("from_run", [])]
    typer.echo(
        f"settings: normalise {index.get('normalise')}, aggregate {index.get('aggregate')}, {job.replications} "
        f"replications, seed {job.seed} (framework {job.settings_source.get('framework', '')}"
        + (f"; changed: {', '.join(changed)}" if changed else "")
        + ")"
    )
    bars = _Bars()
    try:
        done = release_job_run(job_id=job.pk, progress=bars)
    except Exception as error:  # recorded on the job and in the audit trail; the user sees the message only
        bars.close()
        typer.echo(f"error: release of {cycle} failed: {error}", err=True)
        raise typer.Exit(1) from None
    bars.close()
    if done is None:
        typer.echo(f"job {job.pk} was taken by a running worker; follow it on /jobs/{job.pk}/")
        return
    typer.echo(f"release {done.release_id} (draft): {len(done.files)} files in {done.output_dir}")
    if done.partial:
        missing = ", ".join(f"{iso3} ({status})" for iso3, status in done.not_approved.items())
        typer.echo(f"PARTIAL release: not approved {missing}")
    typer.echo(f"publish it with: govlens release publish {done.release_id}")


@app.command("publish")
def release_publish(
    release: Annotated[str, typer.Argument(help="The release id, e.g. lac-2026-r1.")],
    confirm_open_comments: Annotated[
        bool, typer.Option("--confirm-open-comments", help="Publish although validation comments are open.")
    ] = False,
) -> None:
    """Publish a draft release: it becomes public, and the dashboard's default when it is the newest complete one."""
    prepare_django(migrate=True)
    from govlens.web.jobs.publication import release_publish as publish

    call_service(lambda: publish(actor=None, release_id=release, confirm_open_comments=confirm_open_comments))
    typer.echo(f"{release}: published")


class _Bars:
    """One typer progress bar per step of the job."""

    LABELS: ClassVar[dict[str, str]] = {
        "answers": "approved answers",
        "release": "release (uncertainty)",
        "save": "saving",
        "reports": "reports",
    }

    def __init__(self) -> None:
        self.step = ""
        self.shown = 0
        self.bar: Any = None

    def __call__(self, step: str, done: int, total: int, detail: str = "") -> None:
        if step != self.step:
            self.close()
            self.step = step
            self.shown = 0
            self.bar = typer.progressbar(length=max(total, 1), label=self.LABELS.get(step, step).ljust(22))
            self.bar.__enter__()
        if self.bar is not None and done > self.shown:
            self.bar.update(done - self.shown)
            self.shown = done

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)
            self.bar = None
