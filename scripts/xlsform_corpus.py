"""Write docs/xlsform-corpus.md: for every real XLSForm of the corpus, pyxform's and ODK Validate's verdicts on
the form beside GovLens's on importing it, then pyxform's and ODK Validate's on the workbook GovLens exports.

    GOVLENS_XLSFORM_CORPUS=../shared/xlsform-corpus python scripts/xlsform_corpus.py > docs/xlsform-corpus.md

The forms are pyxform's example forms (``$GOVLENS_XLSFORM_CORPUS``, not committed: see its PROVENANCE.md) and
the forms from the field committed under ``tests/framework/fixtures/xlsform-field`` (with their provenance).
ODK Validate is the jar that ships in the pyxform wheel, run by Java once for all the forms (a JVM per form
would take a minute). ``tests/scripts/test_xlsform_corpus.py`` checks the targets and that the page is current.
"""

from __future__ import annotations

import dataclasses
import os
import re
import shutil
import subprocess
import sys
import tempfile
import traceback
import warnings
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FIELD = ROOT / "tests" / "framework" / "fixtures" / "xlsform-field"
FORM_SUFFIXES = (".xls", ".xlsx")
# the GovLens codes a form that pyxform converts may be refused for (docs/framework-workbook.md)
LIMITATIONS = frozenset({"empty_framework", "duplicate_name"})
_MESSAGE_WIDTH = 90


@dataclass(frozen=True)
class Form:
    group: str  # "pyxform" (its example forms) or "field" (forms from public repositories)
    path: Path

    @property
    def label(self) -> str:
        return f"{self.group}/{self.path.name}"


@dataclass(frozen=True)
class Verdict:
    """One row of the table. Each verdict is 'ok' or a short reason; '-' where there was nothing to check."""

    form: str
    pyxform: str
    odk_validate: str
    govlens: str
    govlens_codes: tuple[str, ...]  # the error codes when GovLens refuses the form
    export_govlens: str  # GovLens reading its export back: the same framework, valid
    export_pyxform: str
    export_odk_validate: str

    @property
    def pyxform_converts(self) -> bool:
        return self.pyxform == "ok"

    @property
    def govlens_loads(self) -> bool:
        return self.govlens.startswith("loaded")


def corpus_forms(corpus: Path | None = None, field: Path = FIELD) -> list[Form]:
    """The forms of the corpus folder (``$GOVLENS_XLSFORM_CORPUS`` by default) and of the field folder."""
    if corpus is None and os.environ.get("GOVLENS_XLSFORM_CORPUS"):
        corpus = Path(os.environ["GOVLENS_XLSFORM_CORPUS"])
    found: list[Form] = []
    for group, folder in (("pyxform", corpus), ("field", field)):
        if folder is not None and folder.is_dir():
            paths = sorted(p for p in folder.iterdir() if p.suffix.lower() in FORM_SUFFIXES)
            found.extend(Form(group, path) for path in paths)
    return found


def _short(text: str, path: Path | None = None) -> str:
    """One line of at most _MESSAGE_WIDTH characters, without the folders of ``path`` (they differ by machine)."""
    if path is not None:
        text = text.replace(str(path.parent) + os.sep, "")
    line = " ".join(text.split()).replace("|", "\\|")
    return line if len(line) <= _MESSAGE_WIDTH else line[: _MESSAGE_WIDTH - 1].rstrip() + "…"


def pyxform_xform(path: Path) -> tuple[str | None, str]:
    """(the XForm pyxform makes of a form, 'ok'), or (None, pyxform's error)."""
    from pyxform.xls2xform import convert

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            result = convert(xlsform=str(path), warnings=[])
    except Exception as exc:  # pyxform raises PyXFormError and, on odd input, built-in errors
        return None, _short(f"{type(exc).__name__}: {exc}", path)
    return str(result.xform), "ok"


def java_available() -> bool:
    return shutil.which("java") is not None


def _odk_validate_jar() -> str:
    from pyxform.validators.odk_validate import ODK_VALIDATE_PATH

    return str(ODK_VALIDATE_PATH)


def _run_odk_validate(paths: Sequence[Path]) -> subprocess.CompletedProcess[str]:
    command = ["java", "-Djava.awt.headless=true", "-jar", _odk_validate_jar(), *map(str, paths)]
    return subprocess.run(command, capture_output=True, text=True, timeout=900, check=False)


def _failed_files(output: str) -> set[str]:
    """The files ODK Validate lists after 'The following files failed validation:'."""
    lines = output.splitlines()
    try:
        start = next(i for i, line in enumerate(lines) if line.startswith("The following files failed validation"))
    except StopIteration:
        return set()
    failed: set[str] = set()
    for line in lines[start + 1 :]:
        if not line.strip() or line.startswith("Result:"):
            break
        failed.add(line.strip())
    return failed


def _odk_reason(stderr: str) -> str:
    """The first error line of one form's ODK Validate run."""
    for line in stderr.splitlines():
        text = line.strip()
        if text and not text.startswith(">>") and not text.startswith("The following files") and text != "Result:":
            text = re.sub(r"^(?:[a-z]\w*\.)+\w*(?:Exception|Error): ", "", text)  # the Java class of the error
            return _short(text.removesuffix(" The XML is invalid."))
    return "invalid"


def odk_validate(paths: Sequence[Path]) -> dict[Path, str]:
    """ODK Validate's verdict on each XForm: 'ok' or its first error. One JVM checks them all; a form it
    refuses is checked again alone, so its message is its own (the batch interleaves the forms' output)."""
    if not paths:
        return {}
    batch = _run_odk_validate(paths)
    failed = _failed_files(batch.stdout + batch.stderr)
    if batch.returncode != 0 and not failed:
        raise RuntimeError(f"ODK Validate failed without naming a form: {_short(batch.stderr or batch.stdout)}")
    verdicts: dict[Path, str] = {}
    for path in paths:
        if str(path) in failed or path.name in failed:
            alone = _run_odk_validate([path])
            verdicts[path] = _odk_reason(alone.stderr) if alone.returncode != 0 else "ok"
        else:
            verdicts[path] = "ok"
    return verdicts


@dataclass(frozen=True)
class _Import:
    verdict: str
    codes: tuple[str, ...] = ()  # the error codes when GovLens refuses the form
    written: bool = False  # whether the export was written
    reads_back: str = "-"  # GovLens on its own export: 'ok' when it loads, valid, as the same framework


def govlens_verdict(path: Path, export: Path) -> _Import:
    """GovLens's verdict on importing the form; a form it loads is exported to ``export`` and read back."""
    from govlens.framework.validate import load_checked, validate_framework
    from govlens.framework.xlsform_io import read_workbook, write_workbook

    try:
        result = load_checked(path)
        report, framework = result.report, result.framework
        if not report.valid or framework is None:
            codes = tuple(sorted({problem.code for problem in report.errors}))
            return _Import(f"refused: {', '.join(codes)}", codes)
        write_workbook(framework, export)
        again = read_workbook(export)  # pyxform's verdict on the export is a column of its own
        if again.framework is None or again.framework != framework:
            reads_back = "differs from the import"
        else:
            checked = validate_framework(again.framework, again.source, str(export))
            errors = {problem.code for problem in [*again.report.errors, *checked.errors]}
            reads_back = "refused: " + ", ".join(sorted(errors)) if errors else "ok"
    except Exception as exc:  # the target is that none happens: the table shows it if one does
        frame = traceback.extract_tb(exc.__traceback__)[-1]
        return _Import(f"traceback: {type(exc).__name__} at {Path(frame.filename).name}:{frame.lineno}", ("traceback",))
    skipped = sum(1 for problem in report.warnings if problem.code == "unsupported_feature")
    questions = sum(1 for _ in framework.questions())
    verdict = f"loaded: {len(framework.sections)} sections, {questions} questions, {skipped} skipped"
    return _Import(verdict, written=True, reads_back=reads_back)


def verdicts(forms: Iterable[Form], work: Path, *, with_odk_validate: bool = True) -> list[Verdict]:
    """The verdicts on every form; XForms and exports are written under ``work``. ODK Validate's columns are
    filled in once every XForm is written, by one run over them all."""
    rows: list[tuple[Verdict, Path | None, Path | None]] = []  # the verdict, the XForms of the form and its export
    xforms: list[Path] = []
    for index, form in enumerate(forms):
        xform, pyxform = pyxform_xform(form.path)
        original = _write(work / f"{index:03d}-original.xml", xform, xforms)
        export = work / f"{index:03d}-export.xlsx"
        imported = govlens_verdict(form.path, export)
        export_pyxform, exported = "-", None
        if imported.written:
            again, export_pyxform = pyxform_xform(export)
            exported = _write(work / f"{index:03d}-export.xml", again, xforms)
        verdict = Verdict(
            form=form.label,
            pyxform=pyxform,
            odk_validate="-",
            govlens=imported.verdict,
            govlens_codes=imported.codes,
            export_govlens=imported.reads_back,
            export_pyxform=export_pyxform,
            export_odk_validate="-",
        )
        rows.append((verdict, original, exported))
    checked = odk_validate(xforms) if with_odk_validate else {}

    def odk(path: Path | None) -> str:
        return "-" if path is None else checked.get(path, "not run")

    return [
        dataclasses.replace(verdict, odk_validate=odk(original), export_odk_validate=odk(exported))
        for verdict, original, exported in rows
    ]


def _write(path: Path, xform: str | None, written: list[Path]) -> Path | None:
    if xform is None:
        return None
    path.write_text(xform, encoding="utf-8")
    written.append(path)
    return path


def misses(verdict: Verdict) -> list[str]:
    """Where a form falls short of the target (empty when it meets it): a form pyxform converts loads, or is
    refused for a documented limitation alone; no traceback; every export reads back in GovLens as the same
    framework, converts with pyxform and passes ODK Validate."""
    found: list[str] = []
    if verdict.govlens.startswith("traceback"):
        found.append(verdict.govlens)
    if verdict.pyxform_converts and not verdict.govlens_loads and not set(verdict.govlens_codes) <= LIMITATIONS:
        found.append(f"GovLens {verdict.govlens} (not a documented limitation)")
    if verdict.govlens_loads and verdict.export_govlens != "ok":
        found.append(f"GovLens on its export: {verdict.export_govlens}")
    if verdict.govlens_loads and verdict.export_pyxform != "ok":
        found.append(f"pyxform on the export: {verdict.export_pyxform}")
    if verdict.govlens_loads and verdict.export_odk_validate != "ok":
        found.append(f"ODK Validate on the export: {verdict.export_odk_validate}")
    return found


def render(rows: Sequence[Verdict]) -> str:
    """The page docs/xlsform-corpus.md."""
    converts = [row for row in rows if row.pyxform_converts]
    loaded = [row for row in converts if row.govlens_loads]
    limited = [row for row in converts if not row.govlens_loads and set(row.govlens_codes) <= LIMITATIONS]
    exported = [row for row in rows if row.govlens_loads]
    export_ok = [
        row for row in exported if (row.export_govlens, row.export_pyxform, row.export_odk_validate) == ("ok",) * 3
    ]
    short = [row.form for row in rows if misses(row)]
    lines = [
        "# XLSForm corpus: pyxform, ODK Validate and GovLens side by side",
        "",
        "<!-- generated by scripts/xlsform_corpus.py; do not edit by hand -->",
        "",
        "Real XLSForms read by GovLens, each checked by pyxform (ODK's reference converter) and ODK Validate (the",
        "XForm checker of ODK Collect, the jar in the pyxform wheel) before and after GovLens: the form as published,",
        "GovLens's import (`govlens framework validate`), then the workbook GovLens exports from what it loaded,",
        "read back by GovLens (the same framework, valid). `pyxform/` forms are pyxform's example forms",
        "(`$GOVLENS_XLSFORM_CORPUS`); `field/` forms come from public repositories",
        "(`tests/framework/fixtures/xlsform-field/PROVENANCE.md`). `ok` is a pass, `-` nothing to check; `skipped`",
        "counts the rows GovLens does not ask (`unsupported_feature` warnings).",
        "",
        "The target (`tests/scripts/test_xlsform_corpus.py`): every form pyxform converts loads in GovLens or is",
        "refused for a documented limitation alone (`" + "`, `".join(sorted(LIMITATIONS)) + "`, see",
        "`docs/framework-workbook.md`); no form ends in a traceback; every export reads back in GovLens as the same",
        "framework, converts again with pyxform and passes ODK Validate.",
        "",
        f"- forms: {len(rows)}; pyxform converts {len(converts)}",
        f"- GovLens loads {len(loaded)} of those; refuses {len(limited)} for a documented limitation",
        f"- exports read back by GovLens, converted by pyxform and passed by ODK Validate: {len(export_ok)} of "
        f"{len(exported)}",
        f"- forms short of the target: {len(short)}" + (f" ({', '.join(short)})" if short else ""),
        "",
        "| form | pyxform | ODK Validate | GovLens import | export: GovLens | export: pyxform | export: ODK Validate |",
        "|---|---|---|---|---|---|---|",
    ]
    for row in rows:
        cells = (
            row.pyxform,
            row.odk_validate,
            row.govlens,
            row.export_govlens,
            row.export_pyxform,
            row.export_odk_validate,
        )
        lines.append(f"| `{row.form}` | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def main() -> int:
    forms = corpus_forms()
    if not forms:
        print("no forms: set GOVLENS_XLSFORM_CORPUS", file=sys.stderr)
        return 1
    if not java_available():
        print("java is not installed: ODK Validate needs it (Debian: default-jre-headless)", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory() as work:
        sys.stdout.write(render(verdicts(forms, Path(work))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
