"""The catalogue: bundled frameworks by name, any file by path, parts never loaded."""

from __future__ import annotations

from pathlib import Path

import pytest

from govlens.framework.catalogue import (
    BUNDLED_DIR,
    FrameworkInvalid,
    FrameworkNotFound,
    bundled_names,
    load,
    load_result,
    resolve,
)
from govlens.framework.model import Framework


def test_bundled_names_are_the_top_level_yaml_files() -> None:
    expected = sorted(p.stem for p in BUNDLED_DIR.glob("*.yaml"))
    assert bundled_names() == expected
    assert "lac-dgr" in bundled_names() and "gtmi-2022" in bundled_names()


def test_parts_are_not_frameworks(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, small_text: str) -> None:
    (tmp_path / "parts").mkdir()
    (tmp_path / "parts" / "small-head.yaml").write_text(small_text, encoding="utf-8")
    (tmp_path / "small.yaml").write_text(small_text, encoding="utf-8")
    (tmp_path / "notes.txt").write_text("not a framework", encoding="utf-8")
    monkeypatch.setattr("govlens.framework.catalogue.BUNDLED_DIR", tmp_path)
    assert bundled_names() == ["small"]
    assert load("small").id == "small"
    with pytest.raises(FrameworkNotFound):
        resolve("small-head")


def test_load_by_path(small_yaml: Path, small_model: Framework) -> None:
    assert load(small_yaml) == small_model
    assert load(str(small_yaml)) == small_model


def test_unknown_name_raises_a_lookup_error_naming_the_choices() -> None:
    with pytest.raises(FrameworkNotFound, match="lac-dgr") as info:
        load("no-such-framework")
    assert isinstance(info.value, LookupError)


def test_invalid_framework_raises_with_the_report(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("id: bad\nversion: '1'\nindicators:\n  - {id: A, parent: B}\n", encoding="utf-8")
    with pytest.raises(FrameworkInvalid) as info:
        load(path)
    assert "tree_dangling_parent" in info.value.report.codes()


def test_load_result_never_raises(tmp_path: Path) -> None:
    assert load_result("no-such-framework").report.codes() == ["framework_not_found"]
    assert load_result(tmp_path / "missing.xlsx").report.codes() == ["unreadable_file"]
    result = load_result("lac-dgr")
    assert result.framework is not None and result.report.valid
