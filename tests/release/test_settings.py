"""Release settings from one source: GovLens's default, the framework's ``index:``/``uncertainty:`` sections, the
cycle's override, then one run's options; each bad value refused naming the file (or cycle), the key and why."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from govlens.framework import catalogue
from govlens.framework.model import Framework
from govlens.framework.validate import load_checked
from govlens.framework.xlsform_io import read_workbook, write_workbook
from govlens.framework.yaml_io import dump_yaml, read_yaml_text
from govlens.release.settings import (
    SettingsInvalid,
    check_override,
    release_settings_for,
    resolve_settings,
    settings_problems,
)
from tests.release.conftest import tiny_framework

DECLARED = {
    "index": {"normalise": "rank", "aggregate": "geometric", "level_aggregate": ["arithmetic", "geometric"]},
    "uncertainty": {"replications": 64, "seed": 9, "normalise": ["rank", "minmax"], "drop_indicator": True},
}


def _declaring() -> Framework:
    return dataclasses.replace(
        tiny_framework(), index_settings=DECLARED["index"], uncertainty_settings=DECLARED["uncertainty"]
    )


@pytest.mark.parametrize("name", ["lac-dgr", "gtmi-2022"])
def test_the_bundled_frameworks_declare_the_demo_defaults(name: str) -> None:
    framework = catalogue.load(name)
    assert framework.index_settings == {"normalise": "goalposts"}
    settings, source = resolve_settings(framework, where=name)
    assert settings == release_settings_for(1000, 0)
    # the demo passes its seed (and may pass replications): the same numbers as before the framework carried them
    assert resolve_settings(framework, where=name, replications=200, seed=2023)[0] == release_settings_for(200, 2023)
    assert source.framework == f"{name} {framework.version}"
    assert "index.normalise" in source.from_framework and source.from_cycle == ()


def test_a_framework_without_sections_keeps_the_default_and_its_fingerprint() -> None:
    framework = tiny_framework()
    assert resolve_settings(framework, where="tiny.yaml")[0] == release_settings_for()
    assert "index_settings" not in framework.to_dict()  # fingerprints of frameworks made before stay


def test_the_framework_sections_are_used() -> None:
    settings, source = resolve_settings(_declaring(), where="tiny.yaml")
    assert (settings.index.normalise, settings.index.aggregate) == ("rank", "geometric")
    assert settings.index.level_aggregate == ("arithmetic", "geometric")
    design = settings.uncertainty
    assert design is not None
    assert (design.replications, design.seed, design.normalise, design.drop_indicator) == (
        64,
        9,
        ("rank", "minmax"),
        True,
    )
    # keys the framework leaves out keep the default design for its settings
    assert design.aggregate == ("geometric", "arithmetic") and design.weight_range == 0.25  # the nominal first
    assert set(source.from_framework) == {
        "index.normalise",
        "index.aggregate",
        "index.level_aggregate",
        "uncertainty.replications",
        "uncertainty.seed",
        "uncertainty.normalise",
        "uncertainty.drop_indicator",
    }


def test_the_cycle_overrides_the_framework_and_the_run_overrides_both() -> None:
    override = {"index": {"normalise": "minmax"}, "uncertainty": {"replications": 32}}
    settings, source = resolve_settings(
        _declaring(),
        where="tiny.yaml",
        cycle=override,
        cycle_where="cycle c",
        seed=5,
    )
    assert settings.index.normalise == "minmax" and settings.index.aggregate == "geometric"
    assert settings.uncertainty is not None
    assert (settings.uncertainty.replications, settings.uncertainty.seed) == (32, 5)
    assert source.from_cycle == ("index.normalise", "uncertainty.replications")
    assert source.from_run == ("uncertainty.seed",)
    ran = resolve_settings(_declaring(), where="t", cycle=override, replications=7)[0]
    assert ran.uncertainty is not None and ran.uncertainty.replications == 7
    # a list may be written as one text (a workbook cell, a command-line value)
    listed = resolve_settings(tiny_framework(), where="t", cycle={"uncertainty": {"normalise": "rank, minmax"}})[0]
    assert listed.uncertainty is not None and listed.uncertainty.normalise == ("rank", "minmax")


@pytest.mark.parametrize(
    ("override", "expected"),
    [
        ({"index": {"normalize": "rank"}}, "cycle c: index.normalize: not a setting of the index section; allowed: "),
        ({"index": {"normalise": "bogus"}}, "cycle c: index.normalise: normalise must be one of {minmax, zscore"),
        ({"index": {"winmax": [1, 2]}}, "cycle c: index.winmax: winmax takes one value, not a list"),
        ({"index": {"level_power": "1, x"}}, "cycle c: index.level_power: level_power must list numbers; got 'x'"),
        ({"uncertainty": {"replications": 0}}, "cycle c: uncertainty.replications: replications must be an integer"),
        ({"uncertainty": {"drop_indicator": "maybe"}}, "cycle c: uncertainty.drop_indicator: drop_indicator must be"),
        ({"uncertainty": {"aggregate": ["borda"]}}, "cycle c: uncertainty.aggregate: uncertain aggregate must be"),
        ({"weights": {"x": 1}}, "cycle c: weights: not a section of release settings; allowed: index, uncertainty"),
        ({"index": "rank"}, "cycle c: index: must be a mapping of setting name to value"),
        (
            {"index": {"normalise": "zscore", "groups": "cutoffs"}},
            "tiny.yaml with cycle c: index: groups 'cutoffs' need scores on 0..1",
        ),
    ],
)
def test_bad_settings_are_refused_naming_where_the_key_and_why(override: object, expected: str) -> None:
    with pytest.raises(SettingsInvalid) as caught:
        resolve_settings(tiny_framework(), where="tiny.yaml", cycle=override, cycle_where="cycle c")  # type: ignore[arg-type]
    assert str(caught.value).startswith(expected), str(caught.value)


def test_check_override_keeps_only_the_sections_given() -> None:
    assert check_override({"index": {"normalise": "rank"}, "uncertainty": {}}, "c") == {"index": {"normalise": "rank"}}
    with pytest.raises(SettingsInvalid, match="must be a mapping of sections"):
        check_override(["index"], "cycle c")


def _yaml_with(sections: str) -> str:
    text = dump_yaml(tiny_framework())
    return text.replace("choices:\n", sections + "choices:\n", 1)


def test_a_framework_file_with_a_bad_setting_names_the_file_line_key_and_why(tmp_path: Path) -> None:
    path = tmp_path / "mine.yaml"
    path.write_text(_yaml_with("index:\n  normalise: goalpost\n"), encoding="utf-8")
    result = load_checked(path)
    assert result.report.valid  # the framework itself reads: the engine's options are the release layer's
    [problem] = settings_problems(result, str(path))
    line = path.read_text(encoding="utf-8").splitlines().index("  normalise: goalpost") + 1
    assert (problem.path, problem.row) == (str(path), line)
    assert "index.normalise: normalise must be one of" in problem.message and "got 'goalpost'" in problem.message
    with pytest.raises(SettingsInvalid, match=r"mine\.yaml: index\.normalise"):
        resolve_settings(catalogue.load(path), where=str(path))


def test_the_sections_survive_yaml_and_the_workbook(tmp_path: Path) -> None:
    framework = _declaring()
    text = dump_yaml(framework)
    assert "index:\n  normalise: rank\n" in text
    again = read_yaml_text(text).framework
    assert again is not None and again.fingerprint() == framework.fingerprint()
    book = tmp_path / "tiny.xlsx"
    write_workbook(framework, book)
    read = read_workbook(book)
    assert read.framework is not None, read.report
    assert read.framework.fingerprint() == framework.fingerprint()
    assert resolve_settings(read.framework, where="tiny.xlsx") == resolve_settings(framework, where="t")


def test_the_weights_setting_names_a_weight_set_of_the_framework(tmp_path: Path) -> None:
    framework = dataclasses.replace(
        tiny_framework(), weight_sets={"policy": {"P1": 3.0}}, index_settings={"weights": "policy"}
    )
    assert resolve_settings(framework, where="tiny.yaml")[0].index.weights == "policy"
    wrong = dataclasses.replace(framework, index_settings={"weights": "polcy"})
    with pytest.raises(SettingsInvalid, match=r"index\.weights must be among \{framework, equal, pca, policy\}"):
        resolve_settings(wrong, where="tiny.yaml")
    # the uncertainty analysis draws among weight sets and Winsorisation limits (written as text or numbers)
    drawing = dataclasses.replace(
        framework, uncertainty_settings={"weight_sets": "framework, policy", "winmax": "3, 5"}
    )
    design = resolve_settings(drawing, where="tiny.yaml")[0].uncertainty
    assert design is not None and design.weight_sets == ("framework", "policy") and design.winmax == (3, 5)
    assert "winmax" in design.to_dict() and "winmax" not in release_settings_for().uncertainty.to_dict()  # type: ignore[union-attr]
    unknown = dataclasses.replace(framework, uncertainty_settings={"weight_sets": ["equal", "polcy"]})
    with pytest.raises(SettingsInvalid, match=r"uncertainty\.weight_sets must be among .*; got 'polcy'"):
        resolve_settings(unknown, where="tiny.yaml")
    # the sets survive YAML and the workbook; a framework without them keeps its fingerprint
    assert "weight_sets" not in tiny_framework().to_dict()
    text = dump_yaml(framework)
    assert "weight_sets:\n  policy:\n    P1: 3\n" in text
    again = read_yaml_text(text).framework
    assert again is not None and again.weight_sets == {"policy": {"P1": 3.0}}
    book = tmp_path / "tiny.xlsx"
    write_workbook(framework, book)
    read = read_workbook(book)
    assert read.framework is not None, read.report
    assert read.framework.fingerprint() == framework.fingerprint()


def test_bad_weight_sets_are_located_framework_problems() -> None:
    text = _yaml_with("weight_sets:\n  equal:\n    P1: 2\n  mine:\n    P1: -1\n    PX: 1\n")
    result = read_yaml_text(text, "mine.yaml")
    assert result.framework is not None
    lines = text.splitlines()
    problems = {(p.code, p.row) for p in result.report.problems}
    assert ("invalid_value", lines.index("  equal:") + 1) in problems  # a weight method, not a set's name
    assert ("invalid_weight", lines.index("    P1: -1") + 1) in problems
    from govlens.framework.validate import validate_framework

    report = validate_framework(result.framework, result.source, "mine.yaml")
    assert [(p.code, p.row) for p in report.problems if p.code == "unknown_weight_set_node"] == [
        ("unknown_weight_set_node", lines.index("    PX: 1") + 1)
    ]


def test_index_settings_from_a_settings_file_section_or_flat() -> None:
    from govlens.index.settings import Settings
    from govlens.release.settings import index_settings_from

    base = Settings(scale=100.0)
    flat = index_settings_from({"normalise": "rank", "level_coverage": "0.5, 0"}, "b.yaml", base)
    assert (flat.normalise, flat.level_coverage, flat.scale) == ("rank", (0.5, 0.0), 100.0)
    assert index_settings_from({"index": {"normalise": "rank"}}, "b.yaml").normalise == "rank"
    assert index_settings_from(None, "empty.yaml", base) == base
    with pytest.raises(SettingsInvalid, match=r"b\.yaml: index\.aggregate: aggregate must be one of"):
        index_settings_from({"aggregate": "mean"}, "b.yaml")


def test_a_setting_that_is_not_a_value_is_a_located_framework_problem() -> None:
    result = read_yaml_text(_yaml_with("index:\n  normalise:\n    nested: 1\nuncertainty: 3\n"), "mine.yaml")
    problems = [(p.code, p.row) for p in result.report.errors]
    text = _yaml_with("index:\n  normalise:\n    nested: 1\nuncertainty: 3\n").splitlines()
    assert ("invalid_value", text.index("  normalise:") + 1) in problems
    assert ("invalid_value", text.index("uncertainty: 3") + 1) in problems
