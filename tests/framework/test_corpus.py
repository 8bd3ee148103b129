"""Real XLSForms (pyxform's example forms, in $GOVLENS_XLSFORM_CORPUS): none ends in an exception, forms
pyxform accepts load as questionnaires, unsupported features are named with sheet and row, broken forms are
reported as problems."""

from __future__ import annotations

import functools
import os
import warnings
from pathlib import Path

import pytest
import xlrd

from govlens.framework.validate import load_checked
from govlens.framework.yaml_io import LoadResult

CORPUS = Path(os.environ.get("GOVLENS_XLSFORM_CORPUS", "/nonexistent-corpus"))
FORMS = sorted(p.name for p in CORPUS.glob("*") if p.suffix in (".xls", ".xlsx")) if CORPUS.is_dir() else []

# Deliberately broken forms; pyxform (without ODK Validate) lets the first through. bad_calc.xlsx has only a
# calculate row, which GovLens skips (naming the calculation it cannot parse): nothing is left to review.
# (survey_no_name.xlsx is no longer one: as pyxform, GovLens reads the only sheet of a workbook as its survey.)
BROKEN = {
    "bad_calc.xlsx": "empty_framework",
    "unknown_question_type.xls": "invalid_type",
}
# GovLens's documented limitations (docs/framework-workbook.md): a form pyxform converts may be refused for these
# alone, each by its own code: no question GovLens supports, one name in two groups.
LIMITATIONS = {"empty_framework", "duplicate_name"}

needs_corpus = pytest.mark.skipif(not FORMS, reason="GOVLENS_XLSFORM_CORPUS is not set or holds no forms")


@functools.cache
def _loaded(name: str) -> LoadResult:
    """One read per form for all the tests of this module (the result is not modified by the tests)."""
    return load_checked(CORPUS / name)


def pyxform_accepts(path: Path) -> bool:
    """The oracle: does pyxform convert the form?"""
    from pyxform.xls2xform import convert

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            convert(xlsform=str(path), warnings=[])
    except Exception:
        return False
    return True


@needs_corpus
@pytest.mark.parametrize("name", FORMS or ["<none>"])
def test_form(name: str) -> None:
    path = CORPUS / name
    result = _loaded(name)  # an exception here fails the test: no form may end in a traceback
    report = result.report
    for problem in report:
        assert str(problem).startswith(str(path))
        if problem.code == "unsupported_feature":
            assert problem.sheet is not None and problem.row is not None, str(problem)
    if name in BROKEN:
        assert not report.valid
        assert BROKEN[name] in report.codes()
    elif pyxform_accepts(path) and not report.valid:
        assert {p.code for p in report.errors} <= LIMITATIONS, [str(p) for p in report.errors]
    elif pyxform_accepts(path):
        assert result.framework is not None
        assert "no_scoring" in [p.code for p in report.warnings]
    else:
        assert not report.valid


def _survey_rows(path: Path) -> list[tuple[int, str]]:
    """(spreadsheet row, type) of a legacy form's survey sheet, read independently with xlrd."""
    sheet = xlrd.open_workbook(str(path)).sheet_by_name("survey")
    header = [str(value).strip().lower() for value in sheet.row_values(0)]
    column = header.index("type")
    return [(index + 1, str(sheet.cell_value(index, column)).strip()) for index in range(1, sheet.nrows)]


@needs_corpus
@pytest.mark.parametrize(
    ("name", "type_prefix"), [("gps.xls", "gps"), ("simple_loop.xls", "begin"), ("tutorial.xls", "begin repeat")]
)
def test_unsupported_feature_is_at_the_row_of_the_form(name: str, type_prefix: str) -> None:
    path = CORPUS / name
    if not path.is_file():
        pytest.skip(f"{name} is not in the corpus")
    expected_row = next(row for row, kind in _survey_rows(path) if kind.lower().startswith(type_prefix))
    report = _loaded(name).report
    rows = [(p.sheet, p.row) for p in report if p.code == "unsupported_feature"]
    assert ("survey", expected_row) in rows


@needs_corpus
@pytest.mark.parametrize("name", FORMS or ["<none>"])
def test_loaded_form_round_trips(name: str, tmp_path: Path) -> None:
    from govlens.framework.xlsform_io import read_workbook, write_workbook
    from govlens.framework.yaml_io import dump_yaml, read_yaml_text

    framework = _loaded(name).framework
    if framework is None:
        pytest.skip(f"{name} does not load (reported as a problem)")
    write_workbook(framework, tmp_path / "again.xlsx")
    assert read_workbook(tmp_path / "again.xlsx").framework == framework
    assert read_yaml_text(dump_yaml(framework)).framework == framework


@needs_corpus
def test_a_calculation_of_a_skipped_row_is_named_not_an_error() -> None:
    if not (CORPUS / "bad_calc.xlsx").is_file():
        pytest.skip("bad_calc.xlsx is not in the corpus")
    report = _loaded("bad_calc.xlsx").report
    assert "expression_syntax" not in report.codes()
    assert any("its calculation does not parse here" in p.message for p in report.warnings)
