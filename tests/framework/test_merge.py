"""Merging framework parts into one document."""

from __future__ import annotations

from pathlib import Path

import pytest

from govlens.framework.merge import MergeError, merge_documents, merge_files


def test_sections_and_indicators_are_concatenated_choices_united() -> None:
    head = {"id": "x", "version": "1", "choices": {"a": [{"name": "one"}]}, "indicators": [{"id": "R"}]}
    part1 = {"choices": {"b": [{"name": "two"}]}, "sections": [{"name": "s1"}], "indicators": [{"id": "P1"}]}
    part2 = {"choices": {"a": [{"name": "one"}]}, "sections": [{"name": "s2"}], "indicators": [{"id": "P2"}]}
    merged = merge_documents([head, part1, part2])
    assert merged == {
        "id": "x",
        "version": "1",
        "choices": {"a": [{"name": "one"}], "b": [{"name": "two"}]},
        "sections": [{"name": "s1"}, {"name": "s2"}],
        "indicators": [{"id": "R"}, {"id": "P1"}, {"id": "P2"}],
    }


def test_conflicting_choice_lists_name_both_parts(tmp_path: Path) -> None:
    first = tmp_path / "head.yaml"
    first.write_text("id: x\nchoices:\n  a: [{name: one}]\n", encoding="utf-8")
    second = tmp_path / "part.yaml"
    second.write_text("choices:\n  a: [{name: two}]\n", encoding="utf-8")
    with pytest.raises(MergeError, match=r"choice list 'a' differs between head\.yaml and part\.yaml"):
        merge_files([first, second])


def test_yes_no_names_survive_a_merge(tmp_path: Path) -> None:
    part = tmp_path / "p.yaml"
    part.write_text("choices:\n  yn: [{name: yes}, {name: no}]\n", encoding="utf-8")
    assert merge_files([part])["choices"]["yn"] == [{"name": "yes"}, {"name": "no"}]
