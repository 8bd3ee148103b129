"""The workbook reader and writer: round trips, header spellings, types, pyxform, unreadable files."""

from __future__ import annotations

import os
import tempfile
from dataclasses import replace
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from govlens.framework.model import (
    Choice,
    ChoiceList,
    Combine,
    Evidence,
    Framework,
    Node,
    NodeKind,
    Question,
    QuestionType,
    Scoring,
    ScoringMethod,
    Section,
    Settings,
)
from govlens.framework.validate import load_checked
from govlens.framework.xlsform_io import language_code, pyxform_problems, read_workbook, write_workbook
from govlens.framework.yaml_io import YES_NO_CHOICES, dump_yaml, read_yaml, read_yaml_text


def test_yaml_to_workbook_to_model_is_equal(small_yaml: Path, small_model: Framework, tmp_path: Path) -> None:
    original = read_yaml(small_yaml).framework
    assert original == small_model
    out = tmp_path / "small.xlsx"
    write_workbook(small_model, out)
    result = read_workbook(out)
    assert result.report.problems == []
    assert result.framework == small_model


def test_workbook_to_workbook_is_equal(small_model: Framework, tmp_path: Path) -> None:
    first, second = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    write_workbook(small_model, first)
    loaded = read_workbook(first).framework
    assert loaded is not None
    write_workbook(loaded, second)
    assert read_workbook(second).framework == small_model


def test_written_workbook_has_the_documented_sheets_and_columns(small_model: Framework, tmp_path: Path) -> None:
    out = tmp_path / "small.xlsx"
    write_workbook(small_model, out)
    workbook = openpyxl.load_workbook(out, read_only=True)
    assert workbook.sheetnames == ["survey", "choices", "settings", "scoring", "indicators"]
    survey = list(workbook["survey"].iter_rows(values_only=True))
    header = survey[0]
    for column in (
        "type",
        "name",
        "label::English (en)",
        "label::Español (es)",
        "label::Português (pt)",
        "label::Français (fr)",
        "hint::Français (fr)",
        "required",
        "relevant",
        "constraint",
        "constraint_message::English (en)",
        "govlens_type",
        "evidence",
        "seed_refs",
    ):
        assert column in header
    rows = {row[header.index("name")]: row for row in survey[1:]}
    type_of = {name: (row[0], row[header.index("govlens_type")]) for name, row in rows.items()}
    assert type_of["org_exists"] == ("select_one yes_no", "yes_no")
    assert type_of["strategy_year"] == ("integer", "year")
    assert type_of["portal"] == ("text", "url")
    assert type_of["channels"] == ("select_multiple coverage", None)
    assert [row[0] for row in survey[1:]].count("begin_group") == 2
    scoring = list(workbook["scoring"].iter_rows(values_only=True))
    assert scoring[0][:4] == ("question", "method", "option", "points")
    assert ("org_scope", "points", "some", 0.5) in [row[:4] for row in scoring]
    workbook.close()


def test_pyxform_accepts_the_written_workbook(small_model: Framework, tmp_path: Path) -> None:
    out = tmp_path / "small.xlsx"
    write_workbook(small_model, out)
    assert pyxform_problems(out) == []


def _labels_form(header: str, make_xlsx: Any) -> Path:
    return make_xlsx(
        {
            "survey": [["type", "name", header], ["text", "q", "Question text"]],
            "settings": [["form_id"], ["t"]],
        }
    )


@pytest.mark.parametrize(
    ("header", "language"),
    [
        ("label", "en"),
        ("label::English", "en"),
        ("label::English (en)", "en"),
        ("label:English", "en"),
        ("LABEL::EN", "en"),
        ("Label::Español (es)", "es"),
        ("label::Portuguese", "pt"),
        ("label:français", "fr"),
    ],
)
def test_label_header_spellings(header: str, language: str, make_xlsx: Any) -> None:
    framework = read_workbook(_labels_form(header, make_xlsx)).framework
    assert framework is not None
    assert dict(framework.question("q").label) == {language: "Question text"}


def test_language_codes() -> None:
    assert language_code("English (en)") == "en"
    assert language_code("Español") == "es"
    assert language_code("chinese") == "chinese"
    assert language_code("default", "fr") == "fr"


@pytest.mark.parametrize(
    ("xlsform_type", "expected"),
    [
        ("select_one colours", QuestionType.SELECT_ONE),
        ("select one colours", QuestionType.SELECT_ONE),
        ("select_multiple colours", QuestionType.SELECT_MULTIPLE),
        ("select all that apply colours", QuestionType.SELECT_MULTIPLE),
        ("integer", QuestionType.INTEGER),
        ("int", QuestionType.INTEGER),
        ("decimal", QuestionType.DECIMAL),
        ("text", QuestionType.TEXT),
    ],
)
def test_select_and_simple_types(xlsform_type: str, expected: QuestionType, make_xlsx: Any) -> None:
    path = make_xlsx(
        {
            "survey": [["type", "name", "label"], [xlsform_type, "q", "Q"]],
            "choices": [["list name", "name", "label"], ["colours", "red", "Red"]],
        }
    )
    framework = read_workbook(path).framework
    assert framework is not None
    question = framework.question("q")
    assert question.type is expected
    if expected.is_select:
        assert question.choices == "colours"


@pytest.mark.parametrize(
    "xlsform_type", ["select_one_from_file places.csv", "geopoint", "gps", "image", "note", "date", "calculate"]
)
def test_unsupported_types_are_named_with_sheet_and_row(xlsform_type: str, make_xlsx: Any) -> None:
    path = make_xlsx({"survey": [["type", "name", "label"], ["text", "a", "A"], [xlsform_type, "b", "B"]]})
    result = read_workbook(path)
    assert result.framework is not None
    assert [q.name for q in result.framework.questions()] == ["a"]
    [problem] = [p for p in result.report if p.code == "unsupported_feature"]
    assert (problem.sheet, problem.row, str(problem.severity)) == ("survey", 3, "warning")


def test_repeat_is_skipped_with_its_row(make_xlsx: Any) -> None:
    path = make_xlsx(
        {
            "survey": [
                ["type", "name", "label"],
                ["text", "before", "Before"],
                ["begin_repeat", "people", "People"],
                ["text", "person", "Person"],
                ["end_repeat", "", ""],
                ["text", "after", "After"],
            ],
        }
    )
    result = read_workbook(path)
    assert result.framework is not None
    assert [q.name for q in result.framework.questions()] == ["before", "after"]
    assert [(p.code, p.row) for p in result.report] == [("unsupported_feature", 3)]


def test_unknown_type_is_an_error(make_xlsx: Any) -> None:
    path = make_xlsx({"survey": [["type", "name", "label"], ["colour wheel", "c", "C"]]})
    report = read_workbook(path).report
    assert [(p.code, p.sheet, p.row) for p in report] == [("invalid_type", "survey", 2)]


def test_groups_become_sections_and_loose_questions_their_own(make_xlsx: Any) -> None:
    path = make_xlsx(
        {
            "survey": [
                ["type", "name", "label", "relevant"],
                ["text", "intro", "Intro", None],
                ["begin group", "g1", "Group one", "${intro} != ''"],
                ["integer", "n", "N", None],
                ["end group", None, None, None],
            ],
        }
    )
    framework = read_workbook(path).framework
    assert framework is not None
    assert [(s.name, [q.name for q in s.questions]) for s in framework.sections] == [
        ("ungrouped", ["intro"]),
        ("g1", ["n"]),
    ]
    assert framework.sections[1].relevant == "${intro} != ''"


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("empty.xlsx", b""),
        ("garbage.xlsx", bytes(range(256)) * 4),
        ("renamed.xlsx", b"type,name,label\ntext,q,Q\n"),
        ("garbage.xls", b"\xd0\xcf\x11\xe0" + b"\x00" * 100),
        ("broken.xlsx", b"PK\x03\x04 not really a zip"),
    ],
)
def test_unreadable_workbooks_are_problems(name: str, content: bytes, tmp_path: Path) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    result = read_workbook(path)
    assert result.framework is None
    assert result.report.codes() == ["unreadable_file"]


def test_workbook_without_survey_sheet(make_xlsx: Any) -> None:
    path = make_xlsx({"Sheet1": [["type", "name", "label"], ["text", "q", "Q"]], "Notes": [["a"], ["b"]]})
    result = read_workbook(path)
    assert result.framework is None
    assert result.report.codes() == ["missing_sheet"]


def test_the_only_sheet_of_a_workbook_is_its_survey_as_pyxform_reads_it(make_xlsx: Any) -> None:
    result = read_workbook(make_xlsx({"Sheet1": [["type", "name", "label"], ["text", "q", "Q"]]}))
    assert result.framework is not None
    assert [q.name for q in result.framework.questions()] == ["q"]
    [warning] = [p for p in result.report if p.code == "sheet_read_as_survey"]
    assert (warning.sheet, str(warning.severity)) == ("Sheet1", "warning")


def test_plain_xlsform_gets_an_id_from_form_id(make_xlsx: Any) -> None:
    path = make_xlsx(
        {
            "survey": [["type", "name", "label"], ["text", "q", "Q"]],
            "settings": [["form_title", "form_id"], ["My Survey", "My_Survey_2024"]],
        }
    )
    framework = read_workbook(path).framework
    assert framework is not None
    assert (framework.id, framework.version, dict(framework.title)) == ("my-survey-2024", "0", {"en": "My Survey"})


def test_legacy_xls_is_read() -> None:
    corpus = os.environ.get("GOVLENS_XLSFORM_CORPUS", "")
    path = Path(corpus) / "yes_or_no_question.xls"
    if not corpus or not path.is_file():
        pytest.skip("GOVLENS_XLSFORM_CORPUS is not set or lacks yes_or_no_question.xls")
    result = read_workbook(path)
    assert result.framework is not None
    # the form: `select one from yes_or_no` named good_day, labels in a `label:english` column
    question = next(result.framework.questions())
    assert (question.name, question.type, question.choices) == ("good_day", QuestionType.SELECT_ONE, "yes_or_no")
    assert dict(question.label) == {"en": "have you had a good day today?"}
    assert result.framework.choice_lists["yes_or_no"].names() == ("yes", "no")


def test_pyxform_error_is_reported_with_sheet_and_row(make_xlsx: Any) -> None:
    from govlens.framework.validate import validate

    # a label naming an unknown question: GovLens does not read labels as expressions, pyxform refuses it
    path = make_xlsx({"survey": [["type", "name", "label"], ["text", "a", "A"], ["text", "b", "Hello ${ghost}"]]})
    [problem] = validate(path).errors
    assert (problem.code, problem.sheet, problem.row) == ("xlsform_error", "survey", 3)
    assert "ghost" in problem.message


# -- property: any framework survives YAML and workbook round trips ------------------------------------------

_TEXT = (
    st.text(
        alphabet=st.characters(categories=("L", "N", "P", "S", "Zs"), exclude_characters="\r\x85\u2028\u2029"),
        min_size=1,
        max_size=12,
    )
    .map(str.strip)
    .filter(bool)
)
_NAME = st.from_regex(r"[a-z][a-z0-9_]{0,6}", fullmatch=True)
_OPTION = st.one_of(st.sampled_from(["yes", "no", "on", "off", "1", "2.5", "true", "none"]), _NAME)
_SCORE = st.sampled_from([0, 0.25, 0.5, 1])


@st.composite
def _texts(draw: st.DrawFn) -> dict[str, str]:
    languages = draw(st.lists(st.sampled_from(["en", "es", "pt", "fr"]), unique=True, max_size=4))
    return {language: draw(_TEXT) for language in languages}


@st.composite
def frameworks(draw: st.DrawFn) -> Framework:
    options = draw(st.lists(_OPTION, min_size=1, max_size=4, unique=True))
    lists = {"opts": ChoiceList("opts", tuple(Choice(name, draw(_texts())) for name in options))}
    names = draw(st.lists(_NAME, min_size=1, max_size=6, unique=True))
    questions = []
    for name in names:
        qtype = draw(st.sampled_from(list(QuestionType)))
        scoring: Scoring | None = None
        if qtype.is_select and draw(st.booleans()):
            points = {
                option: draw(_SCORE) for option in (options if qtype is not QuestionType.YES_NO else ["yes", "no"])
            }
            scoring = Scoring(ScoringMethod.POINTS, points=points, unanswered=draw(st.none() | _SCORE))
        elif qtype.is_number and draw(st.booleans()):
            bounds = sorted(draw(st.lists(st.integers(1900, 2100), min_size=1, max_size=3, unique=True)))
            scoring = Scoring(ScoringMethod.THRESHOLDS, thresholds=tuple((float(b), draw(_SCORE)) for b in bounds))
        elif draw(st.booleans()):
            scoring = Scoring(ScoringMethod.ANSWERED)
        questions.append(
            Question(
                name=name,
                type=qtype,
                label=draw(_texts()),
                hint=draw(_texts()),
                choices="opts" if qtype in (QuestionType.SELECT_ONE, QuestionType.SELECT_MULTIPLE) else None,
                required=draw(st.booleans()),
                relevant=draw(st.none() | st.just(f"${{{names[0]}}} != ''")),
                evidence=draw(st.sampled_from(list(Evidence))),
                seed_refs=tuple(draw(st.lists(st.sampled_from(["F01", "F07", "F43"]), unique=True, max_size=2))),
                scoring=scoring,
            )
        )
    split = draw(st.integers(0, len(questions)))
    sections = tuple(
        Section(f"s{index}", draw(_texts()), tuple(part), relevant=draw(st.none() | st.just("1 = 1")))
        for index, part in enumerate((questions[:split], questions[split:]))
        if part
    )
    nodes = [Node("ROOT", NodeKind.INDEX, draw(_texts()))]
    for index, question in enumerate(questions):
        nodes.append(
            Node(
                f"I{index}",
                NodeKind.INDICATOR,
                draw(_texts()),
                parent="ROOT",
                weight=draw(st.floats(0.01, 100, allow_nan=False)),
                direction=draw(st.sampled_from([1, -1])),
                questions=(question.name,),
                combine=draw(st.sampled_from(list(Combine))),
                description=draw(_texts()),
            )
        )
    return Framework(
        id=draw(st.from_regex(r"[a-z0-9][a-z0-9-]{0,8}", fullmatch=True)),
        version=draw(st.sampled_from(["1", "2026.1", "1.10", "0.0.1"])),
        title=draw(_texts()),
        sections=sections,
        choice_lists={**lists, "yes_no": YES_NO_CHOICES},
        nodes=tuple(nodes),
        settings=Settings(unanswered_score=draw(st.none() | _SCORE)),
        description=draw(_texts()),
        source=draw(st.just("") | _TEXT),
    )


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(frameworks())
def test_any_framework_round_trips_through_workbook_and_yaml(framework: Framework) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "f.xlsx"
        write_workbook(framework, path)
        from_workbook = read_workbook(path)
    assert from_workbook.framework == framework, [str(p) for p in from_workbook.report.errors]
    assert read_yaml_text(dump_yaml(framework)).framework == framework


def test_text_that_looks_like_a_formula_stays_text(small_model: Framework, tmp_path: Path) -> None:
    section = small_model.sections[0]
    question = replace(section.questions[0], label={"en": "=5 years", "es": "=5 años", "pt": "=5", "fr": "=5"})
    framework = replace(
        small_model, sections=(replace(section, questions=(question, *section.questions[1:])), small_model.sections[1])
    )
    path = tmp_path / "formula.xlsx"
    write_workbook(framework, path)
    loaded = read_workbook(path).framework
    assert loaded is not None
    assert dict(loaded.question("org_exists").label)["en"] == "=5 years"


def test_required_expression_is_an_unsupported_feature(make_xlsx: Any) -> None:
    path = make_xlsx(
        {
            "survey": [
                ["type", "name", "label", "required"],
                ["text", "a", "A", "yes"],
                ["text", "b", "B", "${a} != ''"],
            ],
        }
    )
    result = read_workbook(path)
    assert result.framework is not None
    assert [q.required for q in result.framework.questions()] == [True, False]
    assert [(p.code, p.row, p.column) for p in result.report] == [("unsupported_feature", 3, "required")]


# -- issue 18: forms from the field --------------------------------------------------------------------------
def test_an_excel_boolean_in_relevant_is_false_as_pyxform_reads_it(make_xlsx: Any) -> None:
    path = make_xlsx(
        {
            "survey": [
                ["type", "name", "label", "relevant"],
                ["begin_group", "g", "G", True],
                ["text", "a", "A", False],
                ["end_group", "", "", None],
            ]
        }
    )
    result = read_workbook(path)
    assert result.framework is not None, [str(p) for p in result.report]
    assert result.framework.sections[0].relevant == "true()"
    assert next(result.framework.questions()).relevant == "false()"


def test_a_default_language_naming_no_column_is_a_warning_that_keeps_its_case(make_xlsx: Any) -> None:
    path = make_xlsx(
        {
            "survey": [["type", "name", "label::العربية"], ["text", "a", "سؤال"]],
            "settings": [["form_title", "default_language"], ["F", "Arabic"]],
        }
    )
    result = read_workbook(path)
    assert result.framework is not None and result.report.valid, [str(p) for p in result.report]
    [warning] = [p for p in result.report if p.code == "default_language_unused"]
    assert warning.message == (
        "default_language 'Arabic' names none of the form's languages (العربية); العربية is the default"
    )
    assert (warning.sheet, warning.row, str(warning.severity)) == ("settings", 2, "warning")
    assert result.framework.default_language == "العربية"


def test_a_group_whose_questions_were_all_skipped_is_no_section(make_xlsx: Any, tmp_path: Path) -> None:
    path = make_xlsx(
        {
            "survey": [
                ["type", "name", "label"],
                ["begin_group", "where", "Where"],
                ["geopoint", "spot", "Spot"],
                ["end_group", "", ""],
                ["begin_group", "main", "Main"],
                ["text", "a", "A"],
                ["end_group", "", ""],
            ]
        }
    )
    result = load_checked(path)
    assert result.framework is not None
    assert [s.name for s in result.framework.sections] == ["main"]
    assert result.source.get(("sections", 0, "questions", 0)).row == 6  # the located rows follow the renumbering
    write_workbook(result.framework, tmp_path / "again.xlsx")
    survey = openpyxl.load_workbook(tmp_path / "again.xlsx")["survey"]
    assert [row[0] for row in survey.iter_rows(min_row=2, values_only=True)] == ["begin_group", "text", "end_group"]


def test_an_empty_form_is_refused_on_import_as_its_export_would_be(make_xlsx: Any) -> None:
    path = make_xlsx({"survey": [["type", "name", "label"], ["note", "hello", "Hello"]]})
    report = load_checked(path).report
    assert "empty_framework" in [p.code for p in report.errors]


def test_one_name_in_two_groups_is_named_by_each_group(make_xlsx: Any, tmp_path: Path) -> None:
    rows = [["type", "name", "label"], ["begin_group", "g1", "G1"], ["integer", "x", "X"], ["end_group", "", ""]]
    rows += [["begin_group", "g2", "G2"], ["integer", "x", "X again"], ["text", "y", "Y"], ["end_group", "", ""]]
    scoring = [["question", "method", "low", "high"], ["g2/x", "linear", 0, 10]]
    indicators = [["id", "kind", "parent", "questions", "label"], ["I", "index", None, None, "I"]]
    indicators += [["A", "indicator", "I", "g2/x", "A"]]
    result = load_checked(make_xlsx({"survey": rows, "scoring": scoring, "indicators": indicators}))
    assert result.framework is not None and result.report.valid, [str(p) for p in result.report.errors]
    assert [q.name for q in result.framework.questions()] == ["g1/x", "g2/x", "y"]
    assert result.framework.question("g2/x").scoring is not None
    assert result.framework.question("g1/x").scoring is None
    [warning] = [p for p in result.report if p.code == "qualified_name"]
    assert (warning.row, warning.column) == (3, "name")
    assert warning.message.endswith("GovLens names each by its group: 'g1/x', 'g2/x'")
    # the export's XLSForm names are the questions' own (pyxform refuses a '/' in a name) and read back the same
    write_workbook(result.framework, tmp_path / "again.xlsx")
    survey = openpyxl.load_workbook(tmp_path / "again.xlsx")["survey"]
    assert [row[1] for row in survey.iter_rows(min_row=2, values_only=True)][1:4] == ["x", "g1", "g2"]
    again = load_checked(tmp_path / "again.xlsx")
    assert again.framework == result.framework and again.report.valid, [str(p) for p in again.report.errors]


def test_one_name_twice_in_one_section_is_refused_naming_why(make_xlsx: Any) -> None:
    rows = [["type", "name", "label"], ["begin_group", "g1", "G1"], ["text", "x", "X"]]
    rows += [["begin_group", "inner", "Inner"], ["text", "x", "X again"], ["end_group", "", ""], ["end_group", "", ""]]
    report = load_checked(make_xlsx({"survey": rows})).report
    [problem] = [p for p in report.errors if p.code == "duplicate_name"]
    assert problem.row == 5
    assert "names are unique within a section (its nested groups are part of it)" in problem.message


def test_missing_translations_are_summarised_per_language(make_xlsx: Any) -> None:
    rows = [["type", "name", "label::English (en)", "label::Español (es)"]]
    rows += [["text", f"q{n}", f"Q{n}", None] for n in range(40)]
    report = load_checked(make_xlsx({"survey": rows})).report
    spanish = [p for p in report if p.code == "missing_label_language" and p.message.endswith(" in es")]
    assert len(spanish) == 1
    assert "(and 41 more texts)" in spanish[0].message  # the title, the section label and 40 questions follow


def test_an_expression_reading_a_skipped_row_is_dropped_and_named(make_xlsx: Any, tmp_path: Path) -> None:
    rows = [
        ["type", "name", "label", "relevant", "constraint", "calculation"],
        ["begin_group", "g", "G", "${when} != ''", None, None],
        ["calculate", "total", None, None, None, "1 + 1"],
        ["date", "when", "When?", None, None, None],
        ["integer", "n", "How many, of ${total}?", "${total} > 1", ". < ${total}", None],
        ["integer", "m", "And ${n}?", "${n} > 0", None, None],
        ["end_group", None, None, None, None, None],
    ]
    result = load_checked(make_xlsx({"survey": rows}))
    assert result.framework is not None and result.report.valid, [str(p) for p in result.report.errors]
    section = result.framework.sections[0]
    n, m = section.questions
    assert (section.relevant, n.relevant, n.constraint) == (None, None, None)
    assert n.label == {"en": "How many, of …?"}
    assert (m.relevant, m.label) == ("${n} > 0", {"en": "And ${n}?"})  # a kept question's reference stays
    named = [(p.row, p.column, p.message) for p in result.report if "skipped '" in p.message]
    where = [(row, column) for row, column, _ in named]
    assert where == [(2, "relevant"), (5, "relevant"), (5, "constraint"), (5, None)]
    assert "a relevant reading skipped 'total' (on 'n')" in named[1][2]
    assert named[1][2].endswith("the relevant is not applied (always asked)")
    write_workbook(result.framework, tmp_path / "again.xlsx")
    assert not [p for p in pyxform_problems(tmp_path / "again.xlsx") if str(p.severity) == "error"]


def test_curly_quotes_in_an_expression_are_straight_quotes_as_pyxform_reads_them(make_xlsx: Any) -> None:
    rows = [
        ["type", "name", "label", "relevant"],
        ["select_one yes_no", "a", "A", None],
        ["text", "b", "B", "${a} = \u2018yes\u2019 or ${a} = \u201cno\u201d"],
    ]
    choices = [["list_name", "name", "label"], ["yes_no", "yes", "Yes"], ["yes_no", "no", "No"]]
    result = load_checked(make_xlsx({"survey": rows, "choices": choices}))
    assert result.report.valid, [str(p) for p in result.report.errors]
    assert result.framework is not None
    assert result.framework.question("b").relevant == "${a} = 'yes' or ${a} = \"no\""


def test_a_regular_expression_govlens_refuses_to_run_drops_the_constraint(make_xlsx: Any) -> None:
    rows = [["type", "name", "label", "constraint"], ["text", "phone", "Phone", "regex(., '^([0-9]+)+$')"]]
    result = load_checked(make_xlsx({"survey": rows}))
    assert result.report.valid, [str(p) for p in result.report.errors]
    assert result.framework is not None and result.framework.question("phone").constraint is None
    [warning] = [p for p in result.report if p.code == "unsupported_feature"]
    assert (warning.row, warning.column) == (2, "constraint")
    assert "could match in exponential time" in warning.message


def test_an_option_without_a_label_is_labelled_by_its_name(make_xlsx: Any, tmp_path: Path) -> None:
    path = make_xlsx(
        {
            "survey": [["type", "name", "label"], ["select_one mood", "q", "Q"]],
            "choices": [["list_name", "name", "label", "media::image"], ["mood", "happy", None, "happy.png"]],
        }
    )
    result = load_checked(path)
    assert result.framework is not None
    assert result.framework.choice_lists["mood"].choices[0].label == {"en": "happy"}
    [warning] = [p for p in result.report if p.code == "unlabelled_choice"]
    assert (warning.sheet, warning.row) == ("choices", 2)
    write_workbook(result.framework, tmp_path / "again.xlsx")
    assert read_workbook(tmp_path / "again.xlsx").framework == result.framework
