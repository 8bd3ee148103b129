"""The validator: every planted defect reported with its code and location; valid frameworks pass."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from govlens.framework.model import Framework, Node, NodeKind, Question, QuestionType, Scoring, ScoringMethod
from govlens.framework.report import Report
from govlens.framework.validate import load_checked, summary, validate, validate_framework

L4 = ["label::English (en)", "label::Español (es)", "label::Português (pt)", "label::Français (fr)"]


def labels(text: str, fr: bool = True) -> list[str | None]:
    return [text, f"{text} es", f"{text} pt", f"{text} fr" if fr else None]


def broken_sheets() -> dict[str, list[list[Any]]]:
    """A workbook with one planted defect per row; the expected table below names each row."""
    survey_header = ["type", "name", *L4, "relevant", "constraint", "seed_refs", "govlens_type"]
    return {
        "settings": [
            ["form_title", "form_id", "version", "default_language", "govlens_framework", "govlens_languages"],
            ["Broken", "broken", "1", "English (en)", 1, "en es pt fr"],
        ],
        "survey": [
            survey_header,
            ["begin_group", "s1", *labels("Section"), None, None, None, None],  # row 2
            ["select_one yes_no", "q1", *labels("Q1"), None, None, None, "yes_no"],  # row 3
            ["integer", "q1", *labels("Q1 again"), None, None, None, None],  # row 4: duplicate name
            ["select_one nolist", "q3", *labels("Q3"), None, None, None, None],  # row 5: unknown list
            ["select_one cov", "q4", *labels("Q4"), None, None, None, None],  # row 6
            ["text", "q5", *labels("Q5"), "${ghost} = 'x'", None, None, None],  # row 7: unknown reference
            ["integer", "q6", *labels("Q6"), None, ". >= and", None, None],  # row 8: does not parse
            ["select_one yes_no", "q7", *labels("Q7", fr=False), None, None, None, "yes_no"],  # row 9: no French
            ["select_one yes_no", "q8", *labels("Q8"), None, None, "F99", "yes_no"],  # row 10: unknown finding
            ["end_group", None, None, None, None, None, None, None, None, None],  # row 11
        ],
        "choices": [
            ["list_name", "name", *L4],
            ["cov", "all", *labels("All")],
            ["cov", "some", *labels("Some")],
            ["cov", "none", *labels("None")],
            ["yes_no", "yes", *labels("Yes")],
            ["yes_no", "no", *labels("No")],
        ],
        "scoring": [
            ["question", "method", "option", "points"],
            ["q1", "points", "yes", 1],
            ["q1", "points", "no", 0],
            ["q4", "points", "all", 1],  # row 4: 'none' is missing from the points
            ["q4", "points", "some", 0.5],
            ["q7", "points", "yes", 1],
            ["q7", "points", "no", 0],
            ["q8", "points", "yes", 1],
            ["q8", "points", "no", 0],
        ],
        "indicators": [
            ["id", "kind", "parent", "weight", "questions", *L4],
            ["R", "index", None, None, None, *labels("R")],
            ["P1", "pillar", "R", 1, None, *labels("P1")],
            ["A", "indicator", "P1", -1, "q1", *labels("A")],  # row 4: weight -1
            ["B", "indicator", "P1", "abc", "q7", *labels("B")],  # row 5: weight 'abc'
            ["C", "sub_pillar", "D", 1, None, *labels("C")],  # row 6: C -> D -> C
            ["D", "sub_pillar", "C", 1, None, *labels("D")],  # row 7
            ["E", "indicator", "X", 1, "q8", *labels("E")],  # row 8: parent X does not exist
            ["F", "indicator", "P1", 1, None, *labels("F")],  # row 9: leaf without scoring
        ],
    }


# (code, sheet, row, severity) worked out from the rows above
PLANTED = [
    ("duplicate_name", "survey", 4, "error"),
    ("unknown_choice_list", "survey", 5, "error"),
    ("unknown_reference", "survey", 7, "error"),
    ("expression_syntax", "survey", 8, "error"),
    ("missing_label_language", "survey", 9, "warning"),
    ("unknown_seed_ref", "survey", 10, "error"),
    ("scoring_choice_missing", "scoring", 4, "error"),
    ("invalid_weight", "indicators", 4, "error"),
    ("invalid_weight", "indicators", 5, "error"),
    ("tree_cycle", "indicators", 6, "error"),
    ("tree_dangling_parent", "indicators", 8, "error"),
    ("leaf_without_scoring", "indicators", 9, "error"),
]


@pytest.fixture
def broken_report(make_xlsx: Any) -> Report:
    return validate(make_xlsx(broken_sheets(), "broken.xlsx"))


@pytest.mark.parametrize(("code", "sheet", "row", "severity"), PLANTED)
def test_each_planted_defect_is_reported_at_its_row(
    broken_report: Report, code: str, sheet: str, row: int, severity: str
) -> None:
    found = [(p.code, p.sheet, p.row, str(p.severity)) for p in broken_report]
    assert (code, sheet, row, severity) in found


def test_broken_workbook_reports_nothing_unexpected(broken_report: Report) -> None:
    errors = sorted((p.code, p.sheet, p.row) for p in broken_report.errors)
    assert errors == sorted((code, sheet, row) for code, sheet, row, severity in PLANTED if severity == "error")
    assert not broken_report.valid


def test_messages_name_the_file_sheet_and_row(broken_report: Report) -> None:
    line = next(str(p) for p in broken_report if p.code == "unknown_seed_ref")
    assert line.endswith(
        "broken.xlsx:survey:10: unknown_seed_ref: question 'q8' cites 'F99', which is not a finding (F01..F43)"
    )


def test_the_small_framework_is_valid(small_yaml: Path) -> None:
    result = load_checked(small_yaml)
    assert result.report.problems == []
    assert result.framework is not None
    assert (
        summary(result.framework, result.report)
        == "small 1.0: valid — 2 sections, 8 questions, 4 indicators, 0 warnings"
    )


def test_validate_never_raises_on_garbage(tmp_path: Path) -> None:
    for name, content in (("a.yaml", b"\x00\x01: ["), ("b.xlsx", b"\x00" * 64), ("c.txt", b"id: x")):
        path = tmp_path / name
        path.write_bytes(content)
        report = validate(path)
        assert not report.valid
    assert validate(tmp_path / "c.txt").codes() == ["unknown_file_type"]


# -- rules checked on a model built in code -------------------------------------------------------------


def _codes(framework: Framework) -> list[str]:
    return validate_framework(framework).codes()


def test_points_listing_an_unknown_option(small_model: Framework) -> None:
    section = small_model.sections[0]
    scope = section.questions[1]
    bad = replace(
        scope, scoring=Scoring(ScoringMethod.POINTS, points={"whole_gov": 1, "some": 0.5, "none": 0, "all": 1})
    )
    framework = replace(
        small_model,
        sections=(
            replace(section, questions=(section.questions[0], bad, section.questions[2])),
            small_model.sections[1],
        ),
    )
    assert _codes(framework) == ["scoring_unknown_choice"]


def test_two_roots_and_a_root_that_is_not_an_index(small_model: Framework) -> None:
    extra = Node("OTHER", NodeKind.PILLAR, {"en": "o", "es": "o", "pt": "o", "fr": "o"}, source="X")
    assert _codes(replace(small_model, nodes=(*small_model.nodes, extra))) == ["tree_root"]
    no_root = tuple(replace(node, parent="I1") if node.parent is None else node for node in small_model.nodes)
    assert "tree_root" in _codes(replace(small_model, nodes=no_root))


def test_direction_must_be_one_or_minus_one(small_model: Framework) -> None:
    nodes = tuple(replace(node, direction=0) if node.id == "I2" else node for node in small_model.nodes)
    assert _codes(replace(small_model, nodes=nodes)) == ["invalid_direction"]


def test_indicator_naming_an_unknown_question(small_model: Framework) -> None:
    nodes = tuple(
        replace(node, questions=(*node.questions, "ghost")) if node.id == "I1" else node for node in small_model.nodes
    )
    assert _codes(replace(small_model, nodes=nodes)) == ["unknown_question"]


def test_scoring_method_must_fit_the_question_type(small_model: Framework) -> None:
    section = small_model.sections[1]
    notes = section.questions[-1]
    scored = replace(notes, scoring=Scoring(ScoringMethod.THRESHOLDS, thresholds=((1, 1),)))
    framework = replace(
        small_model, sections=(small_model.sections[0], replace(section, questions=(*section.questions[:-1], scored)))
    )
    assert _codes(framework) == ["invalid_scoring"]


def test_questionnaire_only_is_valid_with_a_warning(small_model: Framework) -> None:
    plain = Question("q", QuestionType.TEXT, {"en": "q", "es": "q", "pt": "q", "fr": "q"})
    framework = replace(small_model, nodes=(), sections=(replace(small_model.sections[0], questions=(plain,)),))
    report = validate_framework(framework)
    assert report.valid
    assert report.codes() == ["no_scoring"]


def test_framework_declaring_fewer_languages_is_warned(small_model: Framework) -> None:
    report = validate_framework(replace(small_model, languages=("en", "es")))
    assert report.valid
    assert report.codes() == ["missing_label_language"]


# -- a name in two sections: each named by its section ------------------------------------------------------
def _with_extra_question(small_model: Framework, first: str, second: str) -> Framework:
    """small_model with a text question named `first` in its first section and `second` in its second."""
    one, two = small_model.sections[0], small_model.sections[1]
    extra = Question(first, QuestionType.TEXT, {"en": "Extra", "es": "Extra", "pt": "Extra", "fr": "Extra"})
    return replace(
        small_model,
        sections=(
            replace(one, questions=(*one.questions, extra)),
            replace(two, questions=(*two.questions, replace(extra, name=second))),
            *small_model.sections[2:],
        ),
    )


def test_a_name_in_two_sections_is_valid_named_by_each_section(small_model: Framework) -> None:
    one, two = small_model.sections[0].name, small_model.sections[1].name
    assert _codes(_with_extra_question(small_model, f"{one}/note", f"{two}/note")) == []


@pytest.mark.parametrize(
    ("first", "second", "expected"),
    [
        ("note", "note", ["duplicate_name", "duplicate_name"]),  # each must be named by its section
        ("note", "{two}/note", ["duplicate_name"]),
        ("{one}/note", "other", ["needless_qualifier"]),  # no other section holds 'note'
        ("{one}/9note", "{two}/9note", ["invalid_name", "invalid_name"]),
        ("elsewhere/note", "{two}/note", ["invalid_name", "needless_qualifier"]),  # not its own section
    ],
)
def test_names_in_two_sections_must_be_named_by_their_section(
    small_model: Framework, first: str, second: str, expected: list[str]
) -> None:
    names = {"one": small_model.sections[0].name, "two": small_model.sections[1].name}
    framework = _with_extra_question(small_model, first.format(**names), second.format(**names))
    codes = _codes(framework)
    assert sorted(code for code in codes if code in ("duplicate_name", "needless_qualifier", "invalid_name")) == sorted(
        expected
    )
    if "duplicate_name" in expected and "/" not in first:
        [problem, *_] = [p for p in validate_framework(framework) if p.code == "duplicate_name"]
        assert f"name each by its section: '{names['one']}/note'" in problem.message
