"""Backup and restore of the whole platform: one zip archive with the database, the uploads and a manifest.

Archive members:

- ``manifest.json``: format, creation time, database vendor, the applied migrations, and for every other
  member its size and SHA-256;
- ``database.json``: every row of the GovLens apps and of the accounts (users, groups, admin log), in Django's
  serialisation format (primary keys kept, so every reference between rows survives);
- ``uploads/<path>``: every file of the uploads folder (evidence files), under its path relative to it;
- ``manifest.sig``: the HMAC-SHA256 of ``manifest.json`` with the platform's backup key and the key's id. The key
  is never in the archive: ``GOVLENS_BACKUP_KEY``, else the file ``GOVLENS_HOME/backup_key`` (made on the first
  backup), or a key file given to the command. Checksums alone can be recomputed by whoever edits an archive;
  the signature cannot, so an edited row, audit event or added superuser is refused.

:func:`backup_write` reads the database in one transaction (a consistent snapshot), then the uploads.

:func:`restore_read` checks an archive without touching anything: the zip is readable, the members are exactly
the manifest's and each has its size and SHA-256, the rows deserialise, every evidence file the rows name is in
the archive, and the archive's migrations are all applied here. Only then does :func:`restore_apply` replace
the current rows in one transaction (current sessions end: their users may no longer exist) and swap the
uploads folder for the archive's. A damaged, truncated or foreign file raises :class:`BackupError` and leaves
the current data as it was, and so does an archive that is unsigned or signed with another key.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import importlib
import json
import os
import shutil
import tempfile
import uuid
import zipfile
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path, PurePosixPath
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.core.exceptions import ValidationError
from django.core.management.color import no_style
from django.core.serializers.base import DeserializationError, DeserializedObject
from django.db import DatabaseError, connection, models, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils.duration import duration_iso_string

from govlens.home import kept_secret

FORMAT = "govlens-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
SIGNATURE = "manifest.sig"
KEY_ENV = "GOVLENS_BACKUP_KEY"
KEY_FILE = "backup_key"
DATABASE = "database.json"
UPLOADS = "uploads/"
_CHUNK = 1024 * 1024

# Rows kept besides the GovLens apps; content types and permissions are recreated by the migrations and are
# referred to by natural key, sessions are not kept (a restore logs everybody out).
EXTRA_MODELS = ("auth.group", "auth.user", "admin.logentry")
# Models whose references to content types and permissions are written by natural key.
NATURAL_KEY_MODELS = frozenset(EXTRA_MODELS)


class BackupError(Exception):
    """An archive that cannot be written or restored; the message names the file and what is wrong."""


@dataclass(frozen=True)
class BackupSummary:
    """What an archive holds: rows per model (``app_label.model``) and upload files with their total size."""

    path: Path
    rows: dict[str, int]
    files: int
    upload_bytes: int
    created_at: str = ""


@dataclass
class RestorePlan:
    """A verified archive, ready to apply: its rows (deserialised, not saved) and its upload members."""

    path: Path
    summary: BackupSummary
    objects: list[DeserializedObject] = field(default_factory=list)
    uploads: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class BackupKey:
    """The key backups are signed with, and where it came from (for messages)."""

    secret: bytes
    source: str

    @property
    def id(self) -> str:
        """A short fingerprint naming the key in messages and in the signature (never the key itself)."""
        return hashlib.sha256(b"govlens-backup-key:" + self.secret).hexdigest()[:16]


def backup_key(key_file: Path | None = None, *, create: bool = False) -> BackupKey:
    """The signing key: ``key_file`` when given, else ``$GOVLENS_BACKUP_KEY``, else ``GOVLENS_HOME/backup_key``
    (generated when ``create``: the first backup makes it; a restore never does, it needs the writer's key)."""
    if key_file is not None:
        try:
            text = Path(key_file).read_text(encoding="utf-8").strip()
        except (OSError, UnicodeDecodeError) as error:
            reason = getattr(error, "strerror", None) or error
            raise BackupError(f"cannot read the backup key {key_file}: {reason}; nothing was changed") from None
        if not text:
            raise BackupError(f"the backup key file {key_file} is empty")
        return BackupKey(text.encode("utf-8"), str(key_file))
    from_env = os.environ.get(KEY_ENV, "").strip()
    if from_env:
        return BackupKey(from_env.encode("utf-8"), f"${KEY_ENV}")
    path = Path(settings.HOME) / KEY_FILE
    if not path.exists() and not create:
        raise BackupError(
            f"this platform has no backup key ({path} does not exist and {KEY_ENV} is not set): give the key of the "
            "platform that wrote the archive with --key-file; nothing was changed"
        )
    return BackupKey(kept_secret(path).encode("utf-8"), str(path))


def _signature(manifest: bytes, key: BackupKey) -> dict[str, str]:
    digest = hmac.new(key.secret, manifest, hashlib.sha256).hexdigest()
    return {"algorithm": "HMAC-SHA256", "key_id": key.id, "manifest_hmac": digest}


def manifest_sign(manifest: bytes, key: BackupKey) -> bytes:
    """The ``manifest.sig`` member for these exact manifest bytes."""
    return json.dumps(_signature(manifest, key), indent=1).encode("utf-8")


def _check_signature(path: Path, archive: zipfile.ZipFile, manifest: bytes, key: BackupKey) -> None:
    """Refuse an archive whose manifest is not signed with ``key`` (unsigned, another key, or edited)."""
    try:
        signed = json.loads(archive.read(SIGNATURE))
    except KeyError:
        raise _damaged(
            path,
            f"it is not signed (no {SIGNATURE}): it was written before backups were signed or the signature was "
            "removed, and its contents cannot be trusted",
        ) from None
    except (ValueError, UnicodeDecodeError):
        raise _damaged(path, f"{SIGNATURE} is not a signature") from None
    if not isinstance(signed, dict) or signed.get("algorithm") != "HMAC-SHA256":
        raise _damaged(path, f"{SIGNATURE} is not an HMAC-SHA256 signature")
    if signed.get("key_id") != key.id:
        raise _damaged(
            path,
            f"it is signed with another key (key id {str(signed.get('key_id'))[:16]!r}; the key from {key.source} "
            f"has id {key.id!r}): give the key of the platform that wrote it with --key-file",
        )
    expected = _signature(manifest, key)["manifest_hmac"]
    if not hmac.compare_digest(str(signed.get("manifest_hmac", "")), expected):
        raise _damaged(path, "its manifest does not match its signature: the archive was changed after it was written")


def backup_models() -> list[type[models.Model]]:
    """The models a backup holds, in an order where referenced rows come first."""
    chosen: list[type[models.Model]] = [apps.get_model(label) for label in EXTRA_MODELS]
    for config in apps.get_app_configs():
        if config.name.startswith("govlens.web"):
            chosen.extend(model for model in config.get_models() if model._meta.managed and not model._meta.proxy)
    ordered = serializers.sort_dependencies([(None, chosen)], allow_cycles=True)
    return [model for model in ordered if model in chosen]


def _label(model: type[models.Model]) -> str:
    return model._meta.label_lower


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(_CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _applied_migrations() -> dict[str, list[str]]:
    applied: dict[str, list[str]] = {}
    for app_label, name in sorted(MigrationRecorder(connection).applied_migrations()):
        applied.setdefault(app_label, []).append(name)
    return applied


def _upload_files(root: Path) -> Iterator[tuple[str, Path]]:
    if not root.is_dir():
        return
    for path in sorted(root.rglob("*")):
        if path.is_file() and not path.is_symlink():
            yield path.relative_to(root).as_posix(), path


def _dump_rows() -> tuple[bytes, dict[str, int]]:
    """Every row of :func:`backup_models`, read in one transaction (a snapshot on PostgreSQL)."""
    rows: list[Any] = []
    counts: dict[str, int] = {}
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        if connection.vendor == "postgresql" and outermost:
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        for model in backup_models():
            queryset = model._base_manager.order_by("pk")
            natural = _label(model) in NATURAL_KEY_MODELS
            # The "python" serialiser keeps full precision (the JSON one cuts times to milliseconds).
            data = serializers.serialize(
                "python", queryset, use_natural_foreign_keys=natural, use_natural_primary_keys=False
            )
            rows.extend(data)
            counts[_label(model)] = len(data)
    return json.dumps(rows, ensure_ascii=False, indent=0, default=_plain).encode("utf-8"), counts


def _plain(value: Any) -> Any:
    """JSON for the values the serialiser leaves as Python objects: times in full ISO 8601, others as text."""
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, timedelta):
        return duration_iso_string(value)
    if isinstance(value, Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, bytes | memoryview):
        return base64.b64encode(bytes(value)).decode("ascii")
    raise TypeError(f"cannot write a {type(value).__name__} to a backup")


def backup_write(out: Path, key: BackupKey | None = None) -> BackupSummary:
    """Write the archive to ``out`` (through a temporary file beside it, renamed when complete), signed with
    ``key`` (default: the platform's, see :func:`backup_key`)."""
    key = key or backup_key(create=True)
    out = Path(out)
    if out.is_dir():
        raise BackupError(f"{out} is a folder; give the archive's file name, e.g. {out / 'govlens-backup.zip'}")
    if not out.parent.is_dir():
        raise BackupError(f"cannot write {out}: the folder {out.parent} does not exist")
    database, counts = _dump_rows()
    uploads_root = Path(settings.MEDIA_ROOT)
    members: dict[str, dict[str, Any]] = {
        DATABASE: {"size": len(database), "sha256": hashlib.sha256(database).hexdigest()}
    }
    uploads = list(_upload_files(uploads_root))
    total = 0
    for name, path in uploads:
        size = path.stat().st_size
        total += size
        members[UPLOADS + name] = {"size": size, "sha256": _sha256_file(path)}
    created = datetime.now(UTC).isoformat(timespec="seconds")
    manifest = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "created_at": created,
        "database_vendor": connection.vendor,
        "migrations": _applied_migrations(),
        "rows": counts,
        "members": members,
    }
    handle, temporary = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".part", dir=out.parent)
    os.close(handle)
    try:
        with zipfile.ZipFile(temporary, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            manifest_bytes = json.dumps(manifest, indent=1, ensure_ascii=False).encode("utf-8")
            archive.writestr(MANIFEST, manifest_bytes)
            archive.writestr(SIGNATURE, manifest_sign(manifest_bytes, key))
            archive.writestr(DATABASE, database)
            for name, path in uploads:
                archive.write(path, UPLOADS + name)
        with open(temporary, "rb") as written:
            os.fsync(written.fileno())
        os.replace(temporary, out)
    except OSError as error:
        raise BackupError(f"cannot write {out}: {error.strerror or error}") from None
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)
    return BackupSummary(path=out, rows=counts, files=len(uploads), upload_bytes=total, created_at=created)


# -- restore -------------------------------------------------------------------------------------------


def _damaged(path: Path, what: str) -> BackupError:
    return BackupError(f"{path} is not a usable GovLens backup: {what}; nothing was changed")


def _safe_member(name: str) -> bool:
    pure = PurePosixPath(name)
    return not pure.is_absolute() and ".." not in pure.parts and "\\" not in name and name == pure.as_posix()


def _read_manifest(path: Path, archive: zipfile.ZipFile, key: BackupKey) -> dict[str, Any]:
    try:
        raw = archive.read(MANIFEST)
    except KeyError:
        raise _damaged(path, f"it has no {MANIFEST}") from None
    _check_signature(path, archive, raw, key)
    try:
        manifest = json.loads(raw)
    except (ValueError, UnicodeDecodeError) as error:
        raise _damaged(path, f"{MANIFEST} is not JSON ({error})") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise _damaged(path, f"{MANIFEST} does not describe a {FORMAT} archive")
    if manifest.get("format_version") != FORMAT_VERSION:
        raise _damaged(path, f"format version must be {FORMAT_VERSION}; got {manifest.get('format_version')!r}")
    members = manifest.get("members")
    if not isinstance(members, dict) or DATABASE not in members:
        raise _damaged(path, f"{MANIFEST} lists no {DATABASE}")
    for name, entry in members.items():
        if not (
            isinstance(entry, dict)
            and isinstance(entry.get("size"), int)
            and isinstance(entry.get("sha256"), str)
            and len(entry["sha256"]) == 64
        ):
            raise _damaged(path, f"{MANIFEST} has no size and SHA-256 for '{name}'")
        if not _safe_member(name) or not (name == DATABASE or (name.startswith(UPLOADS) and len(name) > len(UPLOADS))):
            raise _damaged(path, f"member name '{name}' is not allowed (only {DATABASE} and {UPLOADS}...)")
    return manifest


def _check_members(path: Path, archive: zipfile.ZipFile, members: Mapping[str, Mapping[str, Any]]) -> None:
    present = [info.filename for info in archive.infolist() if not info.is_dir()]
    if len(present) != len(set(present)):
        raise _damaged(path, "a member appears twice")
    extra = sorted(set(present) - set(members) - {MANIFEST, SIGNATURE})
    missing = sorted(set(members) - set(present))
    if extra or missing:
        parts = [
            f"missing {', '.join(missing[:5])}" if missing else "",
            f"unlisted {', '.join(extra[:5])}" if extra else "",
        ]
        raise _damaged(path, "its members differ from the manifest: " + "; ".join(p for p in parts if p))
    for name, entry in members.items():
        digest = hashlib.sha256()
        size = 0
        with archive.open(name) as member:
            for chunk in iter(lambda: member.read(_CHUNK), b""):
                digest.update(chunk)
                size += len(chunk)
        if size != entry["size"] or digest.hexdigest() != entry["sha256"]:
            raise _damaged(path, f"'{name}' does not match its SHA-256 in the manifest")


def _check_migrations(path: Path, recorded: Any) -> None:
    if not isinstance(recorded, dict):
        raise _damaged(path, f"{MANIFEST} does not list the applied migrations")
    applied = _applied_migrations()
    unknown = sorted(
        f"{app_label}.{name}"
        for app_label, names in recorded.items()
        for name in (names if isinstance(names, list) else [])
        if name not in applied.get(app_label, [])
    )
    if unknown:
        raise BackupError(
            f"{path} was written by a newer database schema ({', '.join(unknown[:5])} not applied here); "
            "upgrade GovLens and run its migrations first; nothing was changed"
        )


def _deserialise(path: Path, data: bytes) -> list[DeserializedObject]:
    allowed = {_label(model) for model in backup_models()}
    try:
        rows = json.loads(data)
    except (ValueError, UnicodeDecodeError) as error:
        raise _damaged(path, f"{DATABASE} is not JSON ({error})") from None
    if not isinstance(rows, list):
        raise _damaged(path, f"{DATABASE} must be a list of rows")
    for index, row in enumerate(rows):
        label = row.get("model") if isinstance(row, dict) else None
        if label not in allowed:
            raise _damaged(path, f"{DATABASE} row {index + 1} is of '{label}', which a backup does not hold")
    try:
        return list(serializers.deserialize("python", rows, ignorenonexistent=False, handle_forward_references=True))
    except (DeserializationError, ValidationError, LookupError, TypeError, ValueError) as error:
        raise _damaged(path, f"{DATABASE} does not fit this database: {error}") from None


def _check_evidence(path: Path, objects: Iterable[DeserializedObject], uploads: Iterable[str]) -> None:
    from govlens.web.collection.models import EvidenceFile
    from govlens.web.followup.models import PlanEvidenceFile

    present = set(uploads)
    for item in objects:
        if isinstance(item.object, EvidenceFile | PlanEvidenceFile):
            name = item.object.file.name
            if UPLOADS + name not in present:
                raise _damaged(path, f"evidence file '{name}' of row {item.object.pk} is not in the archive")


def restore_read(path: Path, key: BackupKey | None = None) -> RestorePlan:
    """Check an archive completely (signed with ``key``, default the platform's) and load its rows into memory;
    writes nothing."""
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"no such file: {path}")
    key = key or backup_key()
    try:
        with zipfile.ZipFile(path) as archive:
            manifest = _read_manifest(path, archive, key)
            members: dict[str, dict[str, Any]] = manifest["members"]
            _check_members(path, archive, members)
            _check_migrations(path, manifest.get("migrations"))
            objects = _deserialise(path, archive.read(DATABASE))
    except zipfile.BadZipFile as error:
        raise _damaged(path, f"the zip archive is damaged or truncated ({error})") from None
    except (zipfile.LargeZipFile, EOFError, OSError, NotImplementedError) as error:
        raise _damaged(path, f"it cannot be read ({type(error).__name__}: {error})") from None
    uploads = sorted(name for name in members if name.startswith(UPLOADS))
    _check_evidence(path, objects, uploads)
    counts: dict[str, int] = {}
    for item in objects:
        counts[_label(type(item.object))] = counts.get(_label(type(item.object)), 0) + 1
    total = sum(int(members[name]["size"]) for name in uploads)
    summary = BackupSummary(
        path=path, rows=counts, files=len(uploads), upload_bytes=total, created_at=str(manifest.get("created_at", ""))
    )
    return RestorePlan(path=path, summary=summary, objects=objects, uploads=uploads)


def _trigger_sql() -> tuple[list[str], list[str]]:
    """The append-only triggers of the audit trail for this database: (drop statements, create statements)."""
    migration = importlib.import_module("govlens.web.audit.migrations.0002_append_only_triggers")
    vendor = connection.vendor
    if vendor == "sqlite":
        return list(migration.SQLITE_DROP), list(migration.SQLITE)
    if vendor == "postgresql":
        return list(migration.POSTGRES_DROP), list(migration.POSTGRES)
    return [], []


def _tables(chosen: Iterable[type[models.Model]]) -> list[str]:
    tables: list[str] = []
    for model in chosen:
        tables.append(model._meta.db_table)
        for many in model._meta.local_many_to_many:
            through = many.remote_field.through
            if through is not None and through._meta.auto_created:
                tables.append(through._meta.db_table)
    return list(dict.fromkeys(tables))


def _extract_uploads(plan: RestorePlan, staging: Path) -> None:
    with zipfile.ZipFile(plan.path) as archive:
        for name in plan.uploads:
            target = staging / name[len(UPLOADS) :]
            target.parent.mkdir(parents=True, exist_ok=True)
            with archive.open(name) as source, target.open("wb") as sink:
                shutil.copyfileobj(source, sink, _CHUNK)


def _replace_rows(plan: RestorePlan) -> None:
    chosen = backup_models()
    drop, create = _trigger_sql()
    quote = connection.ops.quote_name
    with transaction.atomic():
        with connection.cursor() as cursor:
            for statement in drop:
                cursor.execute(statement)
            # Sessions go too: after a restore a session could name a user who no longer exists (or another one).
            for table in [*reversed(_tables(chosen)), "django_session"]:
                cursor.execute(f"DELETE FROM {quote(table)}")  # table names come from the models
        pending = []
        for item in plan.objects:
            item.save()
            if item.deferred_fields:
                pending.append(item)
        for item in pending:
            item.save_deferred_fields()
        with connection.cursor() as cursor:
            for statement in connection.ops.sequence_reset_sql(no_style(), chosen):
                cursor.execute(statement)
            for statement in create:
                cursor.execute(statement)
        connection.check_constraints(table_names=_tables(chosen))


def restore_apply(plan: RestorePlan) -> BackupSummary:
    """Replace the current rows and uploads with the verified archive's (rows in one transaction)."""
    uploads_root = Path(settings.MEDIA_ROOT)
    uploads_root.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".uploads-restore-", dir=uploads_root.parent))
    try:
        try:
            _extract_uploads(plan, staging)
        except OSError as error:
            raise BackupError(
                f"cannot unpack the uploads of {plan.path} beside {uploads_root}: {error.strerror or error}; "
                "nothing was changed"
            ) from None
        try:
            _replace_rows(plan)
        except (DatabaseError, ValueError) as error:
            raise BackupError(
                f"the database refused the rows of {plan.path} ({type(error).__name__}: {error}); "
                "the transaction was rolled back and nothing was changed"
            ) from None
        # The rows are in; now the files. The old folder is moved aside first and removed last.
        aside = Path(tempfile.mkdtemp(prefix=".uploads-previous-", dir=uploads_root.parent))
        if uploads_root.exists():
            os.replace(uploads_root, aside / "uploads")
        os.replace(staging, uploads_root)
        shutil.rmtree(aside, ignore_errors=True)
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)
    return plan.summary


def restore(path: Path, key: BackupKey | None = None) -> BackupSummary:
    """Verify ``path`` completely, then replace the platform's data with it (see the module docstring)."""
    return restore_apply(restore_read(path, key))
