"""Getting the files of a dataset: from a mirror folder, from the local cache, or downloaded from the source.

* A **mirror** is a folder laid out like ``../shared/data`` (one sub-folder per source). It is given with
  ``--mirror DIR`` or the environment variable ``GOVLENS_DATA_MIRROR`` and read in place.
* The **home store** lives under ``GOVLENS_HOME/cache/data/<dataset>/``. ``pull`` fills it from the mirror or
  by downloading, once: every later command (demo, serve, worker, release) reads it with no environment variable.
  Files are staged in a temporary folder, every file is checked (is it a CSV and not an HTML error page? does it
  have the expected sheet and columns?), and only then the folder is renamed into place: a failed pull leaves the
  store as it was. ``provenance.json`` beside the files records where each came from, when, and its SHA-256.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
import urllib.error
import urllib.request
from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from govlens import home, tabular
from govlens.data.errors import DownloadError, NotAvailable, SourceError
from govlens.data.model import DatasetSpec, FileKind, SourceFile

MIRROR_ENV = "GOVLENS_DATA_MIRROR"
USER_AGENT = "govlens-data/0.1 (+https://github.com/govlens)"
TIMEOUT_SECONDS = 60
_COMPLETE = ".complete"  # marker written last into a cached dataset folder
PROVENANCE = "provenance.json"


def mirror_dir(mirror: Path | str | None = None) -> Path | None:
    """The mirror to read: the argument, else ``GOVLENS_DATA_MIRROR``, else None."""
    raw = str(mirror) if mirror is not None else os.environ.get(MIRROR_ENV, "")
    if not raw:
        return None
    try:
        return home.expand_user_path(raw, "the mirror folder" if mirror is not None else MIRROR_ENV)
    except ValueError as exc:  # '~name' of a user who does not exist: a DataError, which every command reports
        raise NotAvailable(str(exc)) from None


def cache_dir(spec: DatasetSpec) -> Path:
    return home.subdir("cache") / "data" / spec.name


# -- checks ------------------------------------------------------------------------------------------------
def _looks_like_html(head: bytes) -> bool:
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return text.startswith((b"<!doctype html", b"<html", b"<?xml")) or b"<html" in text[:2048]


def _kind_text(kind: FileKind) -> str:
    return {FileKind.CSV: "a CSV file", FileKind.XLSX: "an Excel workbook (.xlsx)", FileKind.RDA: "an R data file"}[
        kind
    ]


def check_file(path: Path, spec: SourceFile) -> None:
    """Raise :class:`SourceError` unless ``path`` is a readable ``spec.kind`` file with the expected layout."""
    where = str(path)
    if not path.is_file():
        raise SourceError(where, _kind_text(spec.kind), "no such file")
    head = path.read_bytes()[:4096]
    if not head:
        raise SourceError(where, _kind_text(spec.kind), "an empty file")
    if _looks_like_html(head):
        raise SourceError(where, _kind_text(spec.kind), "an HTML page (an error or login page, not the data)")
    if spec.kind is FileKind.CSV:
        _check_csv(path, spec)
    elif spec.kind is FileKind.XLSX:
        _check_xlsx(path, spec)
    else:
        _check_rda(path, spec)


def _missing(expected: tuple[str, ...], found: list[str]) -> list[str]:
    present = {str(column).strip() for column in found}
    return [column for column in expected if column not in present]


def short_list(names: list[str] | tuple[str, ...], limit: int = 6, quoted: bool = True) -> str:
    """A readable list of names (columns, variables), shortened when long: 'a', 'b', ... and 40 more."""
    shown = ", ".join(_short(repr(n) if quoted else str(n)) for n in names[:limit])
    return shown + (f" and {len(names) - limit} more" if len(names) > limit else "")


def _short(text: str, limit: int = 60) -> str:
    """A name cut to ``limit`` characters: a damaged header can hold one 'column' of a whole page."""
    return text if len(text) <= limit else f"{text[:limit - 3]}..."


def _check_csv(path: Path, spec: SourceFile) -> None:
    header = [str(cell).strip() for cell in _csv_sheet(path).value_row(0)]
    missing = _missing(spec.columns, header)
    if missing:
        raise SourceError(
            str(path),
            f"the columns {short_list(spec.columns)}",
            f"no column {short_list(missing)} (header: {short_list(header) or 'empty'})",
        )


def _check_xlsx(path: Path, spec: SourceFile) -> None:
    sheet = read_sheet(path, spec.sheet)
    found = [str(value) for value in sheet.value_row(0) if value is not None]
    missing = _missing(spec.columns, found)
    if missing:
        raise SourceError(
            f"{path}:{sheet.name}",
            f"the columns {short_list(spec.columns)}",
            f"no column {short_list(missing)} (header: {short_list(found) or 'empty'})",
        )


def _check_rda(path: Path, spec: SourceFile) -> None:
    import pyreadr

    try:
        objects = pyreadr.read_r(str(path))
    except Exception as exc:  # pyreadr raises its own types for a damaged file
        raise SourceError(str(path), "an R data file (.rda)", f"an unreadable file ({exc})") from None
    name = spec.r_object or next(iter(objects), "")
    if name not in objects:
        raise SourceError(str(path), f"an R object named '{name}'", f"the objects {', '.join(objects) or 'none'}")
    missing = _missing(spec.columns, list(objects[name].columns))
    if missing:
        raise SourceError(f"{path}:{name}", f"the columns {short_list(spec.columns)}",
                          f"no column {short_list(missing)}")


# -- locating files ----------------------------------------------------------------------------------------
def mirror_files(spec: DatasetSpec, mirror: Path) -> dict[str, Path]:
    """The dataset's files in a mirror, each checked; optional files that are absent are left out."""
    folder = mirror / spec.folder
    found: dict[str, Path] = {}
    for source in spec.files:
        path = folder / source.name
        if source.optional and not path.exists():
            continue
        check_file(path, source)
        found[source.name] = path
    return found


def cached_files(spec: DatasetSpec) -> dict[str, Path] | None:
    folder = cache_dir(spec)
    if not (folder / _COMPLETE).exists():
        return None
    return {source.name: folder / source.name for source in spec.files if (folder / source.name).exists()}


def locate(spec: DatasetSpec, mirror: Path | str | None = None) -> dict[str, Path]:
    """Files to load: the mirror when one is set, else the cache; :class:`NotAvailable` otherwise."""
    folder = mirror_dir(mirror)
    if folder is not None:
        return mirror_files(spec, folder)
    cached = cached_files(spec)
    if cached is not None:
        return cached
    raise NotAvailable(
        f"dataset '{spec.name}' is not stored under GOVLENS_HOME yet ({cache_dir(spec)}): run `govlens data pull` "
        f"once for every dataset (or `govlens data pull {spec.name}`), from the publishers or with `--mirror DIR` "
        "from a folder laid out like ../shared/data"
    )


# -- pulling into the cache --------------------------------------------------------------------------------
def download(url: str, target: Path) -> None:
    """Download ``url`` to ``target`` (no retries: a failed download is reported, not hidden)."""
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response, target.open("wb") as out:
            shutil.copyfileobj(response, out)
    except (urllib.error.URLError, OSError, TimeoutError) as exc:
        raise DownloadError(f"cannot download {url}: {exc}") from None


def pull(spec: DatasetSpec, mirror: Path | str | None = None) -> dict[str, Path]:
    """Fill the cache with the dataset: copied from the mirror when one is set, else downloaded.

    Every file is staged and checked first; the cache folder is replaced only when all files passed.
    """
    folder = mirror_dir(mirror)
    target = cache_dir(spec)
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".staging-{spec.name}-", dir=target.parent))
    try:
        for source in spec.files:
            staged = staging / source.name
            if folder is not None:
                origin = folder / spec.folder / source.name
                if source.optional and not origin.exists():
                    continue
                if not origin.is_file():
                    raise SourceError(str(origin), _kind_text(source.kind), "no such file in the mirror")
                shutil.copyfile(origin, staged)
            elif source.url is None:
                if source.optional:
                    continue
                raise DownloadError(f"{source.name} has no download address ({source.description}); use a mirror")
            else:
                try:
                    download(source.url, staged)
                except DownloadError:
                    if not source.optional:
                        raise
                    continue  # an optional copy that cannot be fetched is left out; the loader reports it
            try:
                check_file(staged, source)
            except SourceError as exc:
                origin_name = str(folder / spec.folder / source.name) if folder is not None else source.url or ""
                raise SourceError(f"{origin_name} ({source.name})", exc.expected, exc.found) from None
        _write_provenance(spec, staging, folder)
        (staging / _COMPLETE).write_text("ok\n", encoding="utf-8")
        _swap_into_place(staging, target)
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)
    cached = cached_files(spec)
    assert cached is not None
    return cached


def _write_provenance(spec: DatasetSpec, staging: Path, mirror: Path | None) -> None:
    import datetime as dt
    import json

    files = {}
    for source in spec.files:
        staged = staging / source.name
        if not staged.is_file():
            continue
        origin = str(mirror / spec.folder / source.name) if mirror is not None else source.url or ""
        files[source.name] = {"origin": origin, "sha256": sha256(staged), "bytes": staged.stat().st_size}
    record = {
        "dataset": spec.name,
        "title": spec.title,
        "publisher": spec.publisher,
        "licence": spec.licence,
        "source": spec.source_url,
        "pulled_from": "mirror" if mirror is not None else "publisher",
        "pulled_at": dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z"),
        "files": files,
    }
    text = json.dumps(record, indent=1, ensure_ascii=False, sort_keys=True)
    (staging / PROVENANCE).write_text(text + "\n", encoding="utf-8")


def provenance(spec: DatasetSpec) -> dict[str, object] | None:
    """Where the stored copy of a dataset came from (None when it was never pulled)."""
    import json

    path = cache_dir(spec) / PROVENANCE
    if not (cache_dir(spec) / _COMPLETE).exists() or not path.is_file():
        return None
    loaded: dict[str, object] = json.loads(path.read_text(encoding="utf-8"))
    return loaded


def _swap_into_place(staging: Path, target: Path) -> None:
    old = target.with_name(target.name + ".old")
    if old.exists():
        shutil.rmtree(old)
    if target.exists():
        target.rename(old)
    staging.rename(target)
    if old.exists():
        shutil.rmtree(old, ignore_errors=True)


# Public datasets are a few hundred rows of a few dozen columns; the bounds only stop a damaged or hostile file.
LIMITS = tabular.Limits(rows=1_000_000, columns=5_000, cells=2_000_000)


def _csv_sheet(path: Path) -> tabular.Sheet:
    try:
        return tabular.read_csv(path.read_bytes(), filename=str(path), limits=LIMITS, delimiters=(",",))
    except tabular.Unreadable as exc:
        raise SourceError(str(path), "a well-formed UTF-8 CSV file", str(exc).removeprefix(f"{path}")
                          .lstrip(", ")) from None


def read_sheet(path: Path, sheet: str | None = None) -> tabular.Sheet:
    """A sheet of a workbook (``sheet``, else the first); SourceError when it is absent or unreadable."""
    try:
        book = tabular.read_workbook(path.read_bytes(), filename=str(path), limits=LIMITS,
                                     sheets=[sheet] if sheet is not None else None, first=sheet is None)
    except tabular.Unreadable as exc:
        raise SourceError(str(path), "an Excel workbook (.xlsx)", f"an unreadable workbook ({exc})") from None
    if not book.sheets:
        raise SourceError(str(path), f"a sheet named '{sheet}'" if sheet else "a worksheet",
                          f"the sheets {', '.join(book.names) or 'none'}")
    return next(iter(book.sheets.values()))


def sheet_frame(sheet: tabular.Sheet, fill: object = None, skip_blank: bool = False) -> pd.DataFrame:
    """A sheet as a frame of its cells: the first row names the columns (stripped), each later row (blank ones
    too unless ``skip_blank``) has the index of its position after the header, so that its file row is
    index + 2; missing cells are ``fill``."""
    header = [str(cell).strip() if cell is not None else "" for cell in sheet.value_row(0)]
    records = {i - 1: row for i, row in enumerate(sheet.rows) if i and (row or not skip_blank)}
    frame = pd.DataFrame([row + [fill] * (len(header) - len(row)) for row in records.values()],
                         index=pd.Index(list(records), dtype="int64"), columns=header, dtype=object)
    return frame


def read_table(path: Path) -> pd.DataFrame:
    """A CSV file as text cells (no NA guessing, byte-order mark removed, missing cells ""); SourceError when it
    does not parse or a row has more values than the header names (which pandas would shift a column over)."""
    sheet = _csv_sheet(path)
    width = len(sheet.value_row(0))
    for index, row in enumerate(sheet.rows[1:], start=1):
        if len(row) > width:
            line = sheet.lines[index] if sheet.lines else index + 1
            raise SourceError(str(path), "a well-formed CSV file (no more fields on a row than in the header)",
                              f"{len(row)} fields on line {line}, {width} in the header")
    return sheet_frame(sheet, fill="", skip_blank=True)


def parse_year(raw: object, path: str, row: int, column: str) -> int:
    """A year cell as an int; SourceError naming the file, row and column otherwise."""
    try:
        number = float(str(raw).strip())
    except ValueError:
        number = float("nan")
    if number != number or not number.is_integer() or not 1900 <= number <= 2100:
        raise SourceError(f"{path}:{row}", f"a year in column '{column}'", repr(raw))
    return int(number)


def sha256(path: Path) -> str:
    """SHA-256 of a file's bytes: recorded with every load so a release can say exactly what it read."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def describe_files(files: Mapping[str, Path]) -> str:
    return ", ".join(str(path) for path in files.values())
