"""``govlens backup --out FILE`` and ``govlens restore FILE``: the platform's database and uploads in one archive.

Thin: prepare Django (``platform.prepare_django``), call :mod:`govlens.web.backup`, print the outcome. A damaged or
foreign archive prints what is wrong and exits 1 with the current data untouched.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from govlens.cli.platform import prepare_django


def _describe(rows: dict[str, int], files: int, upload_bytes: int) -> str:
    def count(*labels: str) -> int:
        return sum(rows.get(label, 0) for label in labels)

    return (
        f"{count('cycles.cycle')} cycle(s), {count('collection.response')} response(s), "
        f"{count('collection.answer')} answer(s), {count('audit.auditevent')} audit event(s), "
        f"{count('auth.user')} user(s), {files} uploaded file(s) ({upload_bytes} bytes)"
    )


KeyFile = Annotated[
    Path | None,
    typer.Option(
        "--key-file",
        help="The signing key (a text file); default $GOVLENS_BACKUP_KEY, else GOVLENS_HOME/backup_key.",
        dir_okay=False,
    ),
]


def backup(
    out: Annotated[Path, typer.Option("--out", help="The archive to write (a .zip file).", dir_okay=False)],
    key_file: KeyFile = None,
) -> None:
    """Write the platform's database rows, uploads and a checksummed, signed manifest to one archive."""
    prepare_django(migrate=True)
    from govlens.web.backup import BackupError, backup_key, backup_write

    try:
        summary = backup_write(out, backup_key(key_file, create=True))
    except BackupError as error:
        typer.echo(f"error: {error}", err=True)
        raise typer.Exit(1) from None
    typer.echo(f"backup written to {summary.path}: {_describe(summary.rows, summary.files, summary.upload_bytes)}")


def restore(
    file: Annotated[Path, typer.Argument(help="An archive written by `govlens backup`.", dir_okay=False)],
    yes: Annotated[bool, typer.Option("--yes", help="Replace the current data without asking.")] = False,
    key_file: KeyFile = None,
) -> None:
    """Replace the platform's data with an archive's, after checking its signature and every member of it; logs
    everybody out. An archive not signed with the key (this platform's, or --key-file) is refused.

    Stop `govlens serve` first: requests arriving during the restore would see the old data or none.
    """
    prepare_django(migrate=True)
    from govlens.web.backup import BackupError, backup_key, restore_apply, restore_read

    try:
        plan = restore_read(file, backup_key(key_file))
    except BackupError as error:
        typer.echo(f"error: {error}", err=True)
        raise typer.Exit(1) from None
    described = _describe(plan.summary.rows, plan.summary.files, plan.summary.upload_bytes)
    typer.echo(f"{file} is intact and signed (written {plan.summary.created_at or 'at an unknown time'}): {described}")
    if not yes and not typer.confirm("Replace ALL current data and uploads with this backup?", default=False):
        typer.echo("nothing was changed")
        raise typer.Exit(1)
    try:
        restore_apply(plan)
    except BackupError as error:
        typer.echo(f"error: {error}", err=True)
        raise typer.Exit(1) from None
    typer.echo(f"restored from {file}")
