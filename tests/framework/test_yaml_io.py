"""The YAML reader and writer: the model read, lines of problems, yes/no names, round trip."""

from __future__ import annotations

from pathlib import Path

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from govlens.framework.model import Framework, QuestionType, ScoringMethod
from govlens.framework.yaml_io import dump_yaml, read_yaml, read_yaml_text, write_yaml


def test_small_yaml_loads_into_the_hand_built_model(small_yaml: Path, small_model: Framework) -> None:
    result = read_yaml(small_yaml)
    assert result.report.problems == []
    assert result.framework == small_model


def test_unquoted_yes_and_no_stay_names(small_text: str) -> None:
    framework = read_yaml_text(small_text).framework
    assert framework is not None
    assert framework.choice_lists["yes_partly_no"].names() == ("yes", "partly", "no")
    org_exists = framework.question("org_exists")
    assert org_exists.scoring is not None
    assert dict(org_exists.scoring.points) == {"yes": 1.0, "no": 0.0}
    assert org_exists.required is True  # `required: yes` is still a boolean where a flag is expected


def test_builtin_yes_no_list_is_injected(small_text: str) -> None:
    framework = read_yaml_text(small_text).framework
    assert framework is not None
    yes_no = framework.choice_lists["yes_no"]
    assert yes_no.names() == ("yes", "no")
    assert dict(yes_no.choices[0].label) == {"en": "Yes", "es": "Sí", "pt": "Sim", "fr": "Oui"}


def test_own_yes_no_list_is_kept() -> None:
    text = """\
id: own
version: "1"
choices:
  yes_no:
    - {name: yes, label: {en: Yes}}
    - {name: no, label: {en: No}}
    - {name: dont_know, label: {en: Do not know}}
"""
    framework = read_yaml_text(text).framework
    assert framework is not None
    assert framework.choice_lists["yes_no"].names() == ("yes", "no", "dont_know")


def test_round_trip_is_equal(small_model: Framework) -> None:
    text = dump_yaml(small_model)
    again = read_yaml_text(text)
    assert again.report.problems == []
    assert again.framework == small_model


def test_writer_quotes_yes_and_no_for_yaml_1_1_readers(small_model: Framework, tmp_path: Path) -> None:
    path = tmp_path / "out.yaml"
    write_yaml(small_model, path)
    plain = yaml.safe_load(path.read_text(encoding="utf-8"))  # a YAML 1.1 reader: yes/no would be booleans
    names = [option["name"] for option in plain["choices"]["yes_partly_no"]]
    assert names == ["yes", "partly", "no"]
    assert plain["version"] == "1.0"


def test_unquoted_version_keeps_its_digits() -> None:
    framework = read_yaml_text("id: v\nversion: 1.10\n").framework
    assert framework is not None
    assert framework.version == "1.10"


def test_problems_carry_the_line_of_the_value() -> None:
    text = """\
id: lines
version: "1"
sections:
  - name: s
    label: {en: S}
    questions:
      - name: q
        type: colour
        label: {en: Q}
        evidence: sometimes
indicators:
  - {id: R, kind: index, label: {en: R}}
  - {id: A, parent: R, weight: heavy, label: {en: A}}
"""
    report = read_yaml_text(text, "f.yaml").report
    located = {(p.code, p.row) for p in report}
    assert ("invalid_type", 8) in located
    assert ("invalid_value", 10) in located
    assert ("invalid_weight", 13) in located
    assert all(str(p).startswith(f"f.yaml:{p.row}: ") for p in report)


def test_yaml_syntax_error_names_its_line() -> None:
    report = read_yaml_text("id: x\nversion: '1'\nsections: [\n  {name: a\n", "bad.yaml").report
    assert report.codes() == ["yaml_syntax"]
    assert report.problems[0].row is not None and report.problems[0].row >= 4


def test_empty_and_binary_files_are_problems(tmp_path: Path) -> None:
    empty = tmp_path / "empty.yaml"
    empty.write_text("", encoding="utf-8")
    binary = tmp_path / "binary.yaml"
    binary.write_bytes(b"\xff\xfe\x00\x81garbage")
    missing = tmp_path / "missing.yaml"
    for path in (empty, binary, missing):
        result = read_yaml(path)
        assert result.framework is None
        assert result.report.codes() == ["unreadable_file"]


def test_top_level_not_a_mapping_is_a_problem() -> None:
    result = read_yaml_text("- just\n- a list\n")
    assert result.framework is None
    assert result.report.codes() == ["invalid_value"]


def test_unknown_field_is_a_warning_with_its_line() -> None:
    report = read_yaml_text("id: w\nversion: '1'\ncolour: blue\n").report
    assert [(p.code, p.row, str(p.severity)) for p in report] == [("unknown_field", 3, "warning")]


def test_question_types_and_methods_are_enums(small_text: str) -> None:
    framework = read_yaml_text(small_text).framework
    assert framework is not None
    assert framework.question("portal").type is QuestionType.URL
    scoring = framework.question("channels").scoring
    assert scoring is not None and scoring.method is ScoringMethod.SHARE_SELECTED


# Names that YAML 1.1 would read as booleans, numbers or null must survive a write and read unchanged.
_TRICKY = st.sampled_from(["yes", "no", "on", "off", "y", "n", "true", "false", "null", "1", "0.5", "1e3", "~"])
_NAMES = st.one_of(_TRICKY, st.from_regex(r"[a-z_][a-z0-9_]{0,8}", fullmatch=True))


@settings(max_examples=60, deadline=None)
@given(st.lists(_NAMES, min_size=1, max_size=6, unique=True))
def test_any_option_names_round_trip(names: list[str]) -> None:
    options = "\n".join(f"    - {{name: {yaml.safe_dump(name).splitlines()[0]}, label: {{en: x}}}}" for name in names)
    framework = read_yaml_text(f"id: t\nversion: '1'\nchoices:\n  l:\n{options}\n").framework
    assert framework is not None
    assert framework.choice_lists["l"].names() == tuple(names)
    again = read_yaml_text(dump_yaml(framework)).framework
    assert again == framework


def test_self_referring_and_exploding_aliases_are_problems() -> None:
    assert read_yaml_text("id: &a [*a]\n").report.codes() == ["yaml_syntax"]
    bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join([f'*{chr(97 + i)}'] * 10)}]\n" for i in range(7)
    )
    result = read_yaml_text(bomb)
    assert result.framework is None
    assert result.report.codes() == ["yaml_syntax"]
