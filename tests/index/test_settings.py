from __future__ import annotations

import dataclasses
import json
import subprocess
import sys

import pytest

from govlens.index.settings import NORMALISE_METHODS, Settings, UncertaintySettings, cli_options


def test_settings_round_trip_through_plain_json() -> None:
    settings = Settings(
        normalise="goalposts", scale=100, winmax=3, skew_thresh=2.25, goalposts={"b": (0, 2), "a": (1, 5)}
    )
    data = json.loads(json.dumps(settings.to_dict()))
    assert data["goalposts"] == {"a": [1.0, 5.0], "b": [0.0, 2.0]}
    assert data["scale"] == 100.0 and isinstance(data["scale"], float)
    assert Settings.from_dict(data) == settings


def test_from_dict_refuses_unknown_and_bad_settings() -> None:
    with pytest.raises(ValueError, match=r"settings must be among \{.*\}; got 'normalize'"):
        Settings.from_dict({"normalize": "minmax"})
    with pytest.raises(ValueError, match=r"normalise must be one of \{minmax, .*\}; got 'zscor'"):
        Settings.from_dict({"normalise": "zscor"})
    with pytest.raises(ValueError, match="goalposts must be"):
        Settings(goalposts={"a": (2.0, 1.0)}).validate()
    assert Settings.from_dict({}) == Settings()


def test_every_cli_option_is_a_setting_with_a_flag_and_help() -> None:
    names = [f.name for f in cli_options()]
    assert names == [f.name for f in dataclasses.fields(Settings) if f.name != "goalposts"]
    for f in cli_options():
        assert f.metadata["flag"] == "--" + f.name.replace("_", "-")
        assert f.metadata["help"]
    normalise = next(f for f in cli_options() if f.name == "normalise")
    assert normalise.metadata["help"] == "|".join(NORMALISE_METHODS)


def test_one_default_set_of_uncertain_inputs() -> None:
    plain = UncertaintySettings.defaults_for(Settings(), replications=500, seed=3)
    assert (plain.replications, plain.seed) == (500, 3)
    assert plain.normalise == ("minmax", "rank")
    assert plain.aggregate == ("arithmetic", "geometric")
    assert plain.weight_range == 0.25 and plain.impute == () and not plain.drop_indicator
    goalposts = UncertaintySettings.defaults_for(Settings(normalise="goalposts", aggregate="harmonic"))
    assert goalposts.normalise == ("goalposts", "minmax", "rank")
    assert goalposts.aggregate == ("harmonic", "arithmetic", "geometric")
    # an outranking nominal method is not a mean the analysis can draw
    assert UncertaintySettings.defaults_for(Settings(aggregate="copeland")).aggregate == ("arithmetic", "geometric")
    assert plain.varies() and not UncertaintySettings().varies()


def test_uncertainty_settings_round_trip_and_validation() -> None:
    inputs = UncertaintySettings(replications=10, seed=1, impute=("mean", "median"), drop_indicator=True)
    assert UncertaintySettings.from_dict(json.loads(json.dumps(inputs.to_dict()))) == inputs
    with pytest.raises(ValueError, match="replications must be an integer >= 1; got 0"):
        UncertaintySettings(replications=0).validate()
    with pytest.raises(ValueError, match=r"uncertain aggregate must be one of .*; got 'copeland'"):
        UncertaintySettings(aggregate=("copeland",)).validate()


def test_the_settings_module_loads_without_numpy_or_pandas() -> None:
    # the CLI builds its options from it before the engine is imported
    code = "import sys, govlens.index.settings; print('numpy' in sys.modules or 'pandas' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"


def test_a_sobol_analysis_is_a_setting_written_only_when_asked_for() -> None:
    plain = UncertaintySettings(replications=10, weight_range=0.2)
    assert "sobol_base" not in plain.to_dict()  # the settings of releases made before keep their hash
    asked = dataclasses.replace(plain, sobol_base=64)
    assert asked.to_dict()["sobol_base"] == 64 and UncertaintySettings.from_dict(asked.to_dict()) == asked
    for bad in (1, -2, True, 2.5):
        with pytest.raises(ValueError, match=r"sobol_base must be 0 .* or an integer >= 2; got"):
            dataclasses.replace(plain, sobol_base=bad).validate()  # type: ignore[arg-type]
