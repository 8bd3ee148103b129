"""The bundled frameworks (``govlens/framework/bundled/*.yaml``) and loading a framework by name or path.

A name is a bundled framework's file name without extension (``lac-dgr``); anything with a framework
extension (.yaml, .yml, .xlsx, .xls) or an existing file is read as a path. The ``bundled/parts/`` folder
holds pieces of frameworks being assembled and is never listed or loaded.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from govlens.framework.errors import Collector, message
from govlens.framework.model import Framework
from govlens.framework.report import Report
from govlens.framework.validate import EXTENSIONS, load_checked
from govlens.framework.yaml_io import LoadResult
from govlens.home import expand_user_path

BUNDLED_DIR = Path(__file__).parent / "bundled"


class FrameworkNotFound(LookupError):
    """Neither a bundled framework name nor a readable framework file."""


class FrameworkInvalid(ValueError):
    """The framework was read but has errors; ``report`` holds every problem."""

    def __init__(self, report: Report):
        first = report.errors[0] if report.errors else None
        super().__init__(f"{len(report.errors)} problem(s) in the framework" + (f"; first: {first}" if first else ""))
        self.report = report


@dataclass(frozen=True)
class BundledFramework:
    name: str
    path: Path


def bundled_paths() -> list[Path]:
    """The bundled framework files, sorted by name (only the top folder: parts are not frameworks)."""
    if not BUNDLED_DIR.is_dir():
        return []
    return sorted(path for path in BUNDLED_DIR.iterdir() if path.is_file() and path.suffix in (".yaml", ".yml"))


def bundled_names() -> list[str]:
    return [path.stem for path in bundled_paths()]


def resolve(name_or_path: str | Path) -> Path:
    """The file of a bundled name or a path; raises FrameworkNotFound naming what is available."""
    text = str(name_or_path)
    for path in bundled_paths():
        if path.stem == text:
            return path
    not_found = FrameworkNotFound(
        message(
            "framework_not_found",
            name=text,
            bundled=", ".join(bundled_names()) or "none",
            allowed=", ".join(EXTENSIONS),
        )
    )
    try:
        candidate = expand_user_path(text, "the framework")
    except ValueError as exc:  # ~name of a user this system does not know
        raise FrameworkNotFound(f"{not_found}: {exc}") from None
    if _is_file(candidate) or candidate.suffix.lower() in EXTENSIONS:
        return candidate
    raise not_found


def _is_file(path: Path) -> bool:
    """Whether ``path`` is a file; False for a name the system refuses (too long, say) instead of OSError."""
    try:
        return path.is_file()
    except OSError:
        return False


def load_result(name_or_path: str | Path) -> LoadResult:
    """Read and check a framework by name or path; problems (including a name that is not found) are in the
    report, nothing raises."""
    try:
        path = resolve(name_or_path)
    except FrameworkNotFound:
        col = Collector(str(name_or_path))
        col.add(
            "framework_not_found",
            name=str(name_or_path),
            bundled=", ".join(bundled_names()) or "none",
            allowed=", ".join(EXTENSIONS),
        )
        return LoadResult(None, col.report)
    return load_checked(path)


def load(name_or_path: str | Path) -> Framework:
    """A valid framework by bundled name or path.

    Raises FrameworkNotFound (a LookupError) when there is no such framework, FrameworkInvalid (with the
    report) when it has errors.
    """
    path = resolve(name_or_path)
    if not _is_file(path):
        raise FrameworkNotFound(f"no such file: {path}")
    result = load_checked(path)
    if result.framework is None or not result.report.valid:
        raise FrameworkInvalid(result.report)
    return result.framework


def load_framework(name_or_path: str | Path) -> Framework:
    """Same as :func:`load`."""
    return load(name_or_path)
