"""Background jobs from the shell: ``govlens worker`` runs the database queue; ``govlens release create CYCLE``
makes a release of a cycle's approved answers at once, with a progress bar for each step.

Thin: prepare Django, call one service, print the outcome; refusals print their message and exit with code 1.
"""

from __future__ import annotations

from typing import Annotated, Any, ClassVar

import typer

from govlens.cli.web_cmd import _call, _django

LANGUAGES_HELP = "Report languages, comma separated (en, es, pt, fr)."


def worker(
    once: Annotated[bool, typer.Option("--once", help="Run the jobs already queued, then exit.")] = False,
    interval: Annotated[float, typer.Option(help="Seconds between two looks at an empty queue.")] = 1.0,
    max_tasks: Annotated[int, typer.Option(help="Exit after this many jobs (0: no limit).")] = 0,
) -> None:
    """Run queued jobs (release computation, reports). Start several workers, here or on other machines
    sharing the database: each job is claimed by exactly one of them."""
    if interval <= 0:
        typer.echo(f"error: --interval must be more than 0 seconds; got {interval}", err=True)
        raise typer.Exit(1)
    if max_tasks < 0:
        typer.echo(f"error: --max-tasks must be 0 (no limit) or more; got {max_tasks}", err=True)
        raise typer.Exit(1)
    _django(migrate=True)
    from django.core.exceptions import ImproperlyConfigured

    from govlens.web.jobs.services import job_timings
    from govlens.web.jobs.worker import worker_run

    try:
        job_timings()  # a bad GOVLENS_JOB_* value is refused before any job is claimed
    except ImproperlyConfigured as error:
        typer.echo(f"error: {error}", err=True)
        raise typer.Exit(1) from None
    ran = worker_run(once=once, interval=interval, max_tasks=max_tasks or None)
    if once:
        typer.echo(f"ran {ran} queued job(s)")


def _languages(text: str) -> list[str]:
    return [code.strip().lower() for code in text.split(",") if code.strip()]


def release_create(
    cycle: Annotated[str, typer.Argument(help="The cycle whose approved answers make the release.")],
    languages: Annotated[str, typer.Option("--languages", "--lang", help=LANGUAGES_HELP)] = "en,es",
    replications: Annotated[int, typer.Option(help="Replications of the uncertainty analysis.")] = 1000,
    seed: Annotated[int, typer.Option(help="Random seed of the uncertainty analysis.")] = 0,
) -> None:
    """Make a release of CYCLE now (the same job a worker runs), with a progress bar for each step."""
    _django(migrate=True)
    from govlens.web.jobs.services import release_job_run, release_request

    job = _call(
        lambda: release_request(
            actor=None, cycle=cycle, languages=_languages(languages), replications=replications, seed=seed
        )
    )
    typer.echo(f"job {job.pk}: {len(job.countries)} approved countries ({', '.join(job.countries)})")
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
    typer.echo(f"release {done.release_id}: {len(done.files)} files in {done.output_dir}")


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
