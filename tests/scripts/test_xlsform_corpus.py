"""The XLSForm corpus against pyxform and ODK Validate: every form meets the target of scripts/xlsform_corpus.py,
docs/xlsform-corpus.md is the table these verdicts make, and the forms from the field are those of their
provenance. ODK Validate runs once for all the forms (one JVM), in a fixture the tests of this module share."""

from __future__ import annotations

import dataclasses
import hashlib
import os
import re
from pathlib import Path

import pytest

from scripts.xlsform_corpus import (
    FIELD,
    ROOT,
    Verdict,
    corpus_forms,
    java_available,
    misses,
    odk_validate,
    render,
    verdicts,
)

DOC = ROOT / "docs" / "xlsform-corpus.md"
FORMS = corpus_forms()
HAS_CORPUS = any(form.group == "pyxform" for form in FORMS)


def _needs_java() -> None:
    """ODK Validate needs Java: skipped without it on a workstation, a failure in CI (.ci/run installs it)."""
    if java_available():
        return
    if os.environ.get("CI"):
        pytest.fail("java is not installed: ODK Validate needs it (Debian: default-jre-headless)")
    pytest.skip("java is not installed (ODK Validate needs it)")


@pytest.fixture(scope="module")
def table(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Verdict]:
    _needs_java()
    rows = verdicts(FORMS, tmp_path_factory.mktemp("xlsform-corpus"))
    return {row.form: row for row in rows}


@pytest.mark.parametrize("label", [form.label for form in FORMS])
def test_form_meets_the_target(table: dict[str, Verdict], label: str) -> None:
    assert misses(table[label]) == []


def test_the_field_forms_load_and_pass_odk_validate(table: dict[str, Verdict]) -> None:
    field = [row for row in table.values() if row.form.startswith("field/")]
    assert len(field) >= 12
    exported = [row for row in field if row.govlens_loads]
    assert len(exported) >= 10
    assert all(row.export_odk_validate == "ok" for row in exported)


def test_the_doc_is_the_table_of_these_verdicts(table: dict[str, Verdict]) -> None:
    if not HAS_CORPUS:
        pytest.skip("GOVLENS_XLSFORM_CORPUS is not set: the table holds pyxform's example forms too")
    assert DOC.read_text(encoding="utf-8") == render(list(table.values())), (
        "regenerate: GOVLENS_XLSFORM_CORPUS=../shared/xlsform-corpus python scripts/xlsform_corpus.py "
        "> docs/xlsform-corpus.md"
    )


def test_every_field_form_is_in_its_provenance_with_its_checksum() -> None:
    listed = dict(re.findall(r"^\| `([^`]+)` \|.*\| `([0-9a-f]{64})` \|$", (FIELD / "PROVENANCE.md").read_text(), re.M))
    files = {path.name for path in FIELD.iterdir() if path.suffix in (".xls", ".xlsx")}
    assert set(listed) == files
    for name, digest in listed.items():
        assert hashlib.sha256((FIELD / name).read_bytes()).hexdigest() == digest, name


_XFORM = """<?xml version="1.0"?>
<h:html xmlns="http://www.w3.org/2002/xforms" xmlns:h="http://www.w3.org/1999/xhtml">
<h:head><h:title>t</h:title><model><instance><data id="t"><g><q/></g><meta><instanceID/></meta></data></instance>
<bind nodeset="/data/g/q" type="string"/><bind nodeset="/data/meta/instanceID" type="string" readonly="true()"/>
</model></h:head><h:body><group ref="/data/g">{body}</group></h:body></h:html>
"""


def test_odk_validate_names_the_form_it_refuses_in_a_batch(tmp_path: Path) -> None:
    _needs_java()
    good, empty, other = tmp_path / "good.xml", tmp_path / "empty.xml", tmp_path / "other.xml"
    good.write_text(_XFORM.format(body='<input ref="/data/g/q"><label>Q</label></input>'))
    empty.write_text(_XFORM.format(body=""))
    other.write_text(_XFORM.format(body='<input ref="/data/g/q"><label>R</label></input>'))
    found = odk_validate([good, empty, other])
    assert found[good] == found[other] == "ok"
    assert found[empty].startswith("Group has no children!")


MEETS = Verdict(
    form="field/x.xlsx",
    pyxform="ok",
    odk_validate="ok",
    govlens="loaded: 1 sections, 2 questions, 0 skipped",
    govlens_codes=(),
    export_govlens="ok",
    export_pyxform="ok",
    export_odk_validate="ok",
)


@pytest.mark.parametrize(
    ("changes", "miss"),
    [
        ({}, None),
        ({"govlens": "refused: duplicate_name", "govlens_codes": ("duplicate_name",)}, None),
        ({"govlens": "refused: invalid_type", "govlens_codes": ("invalid_type",)}, "not a documented limitation"),
        ({"pyxform": "PyXFormError: x", "govlens": "refused: invalid_type", "govlens_codes": ("invalid_type",)}, None),
        ({"govlens": "traceback: KeyError at x.py:1", "govlens_codes": ("traceback",)}, "traceback"),
        ({"export_govlens": "differs from the import"}, "GovLens on its export"),
        ({"export_pyxform": "PyXFormError: y", "export_odk_validate": "-"}, "pyxform on the export"),
        ({"export_odk_validate": "Group has no children!"}, "ODK Validate on the export"),
    ],
)
def test_misses_names_what_falls_short(changes: dict[str, object], miss: str | None) -> None:
    found = misses(dataclasses.replace(MEETS, **changes))
    if miss is None:
        assert found == []
    else:
        assert any(miss in text for text in found), found
