from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from govlens.index.checks import DataChecks


def test_coverage_and_exclusion(small_data: pd.DataFrame) -> None:
    checks = DataChecks(unit_coverage=0.8, rows={"BRA": 3, "MEX": 5}).fit(small_data)
    assert checks.unit_coverage_.to_dict() == {"ARG": 1.0, "BRA": 0.75, "CHL": 1.0, "MEX": 0.75}
    assert checks.indicator_coverage_.to_dict() == {"a": 1.0, "b": 1.0, "c": 0.75, "d": 0.75}
    assert checks.excluded_units_ == ("BRA", "MEX")
    assert list(checks.transform(small_data).index) == ["ARG", "CHL"]
    warnings = [(p.code, p.row) for p in checks.report_.warnings]
    assert warnings == [("low_unit_coverage", 3), ("low_unit_coverage", 5)]


def test_flag_keeps_units(small_data: pd.DataFrame) -> None:
    checks = DataChecks(unit_coverage=0.8, action="flag").fit(small_data)
    assert checks.low_coverage_units_ == ("BRA", "MEX")
    assert len(checks.transform(small_data)) == 4
    assert list(checks.table()["status"]) == ["ok", "flagged", "ok", "flagged"]


def test_constant_indicator_and_unit_without_data() -> None:
    frame = pd.DataFrame({"a": [1.0, 1.0, np.nan], "b": [1.0, 2.0, np.nan]}, index=["x", "y", "z"])
    checks = DataChecks().fit(frame)
    assert ("constant_indicator", "a") in [(p.code, p.column) for p in checks.report_.warnings]
    assert [p.code for p in checks.report_.errors] == ["unit_without_data"]
    assert not checks.report_.valid


def test_bad_parameters_say_what_was_allowed(small_data: pd.DataFrame) -> None:
    with pytest.raises(ValueError, match=r"action must be one of \{exclude, flag\}; got 'drop'"):
        DataChecks(action="drop").fit(small_data)
    with pytest.raises(ValueError, match="unit_coverage must be a number in"):
        DataChecks(unit_coverage=1.5).fit(small_data)


def test_infinite_values_are_errors_naming_unit_indicator_and_row() -> None:
    frame = pd.DataFrame({"a": [1.0, np.inf, 3.0], "b": [-np.inf, 2.0, 1.0]}, index=["x", "y", "z"])
    checks = DataChecks(path="d.csv", rows={"x": 2, "y": 3, "z": 4}).fit(frame)
    found = [(p.code, p.row, p.column, p.path) for p in checks.report_.errors]
    assert found == [("infinite_value", 3, "a", "d.csv"), ("infinite_value", 2, "b", "d.csv")]
    assert "inf of unit 'y' on indicator 'a'" in checks.report_.errors[0].message
    assert "-inf of unit 'x'" in checks.report_.errors[1].message


def test_many_infinite_values_are_summarised_per_indicator() -> None:
    frame = pd.DataFrame({"a": [np.inf] * 25}, index=[f"u{i}" for i in range(25)])
    errors = DataChecks().fit(frame).report_.errors
    assert len(errors) == 21  # 20 named, then one line for the other 5
    assert "5 more infinite values" in errors[-1].message


def test_a_threshold_that_excludes_every_unit_is_an_error(small_data: pd.DataFrame) -> None:
    # BRA and MEX have 3 of 4 indicators (75%); with c and d missing for ARG and CHL every unit is below 80%
    data = small_data.copy()
    data.loc[["ARG", "CHL"], "c"] = np.nan
    checks = DataChecks(unit_coverage=0.8, path="d.csv").fit(data)
    [error] = checks.report_.errors
    assert error.code == "no_unit_left"
    assert "(unit coverage below 80%) excludes all 4 units" in error.message
    assert "75% of the 4 indicators" in error.message
    # flagging keeps them: no error
    assert DataChecks(unit_coverage=0.8, action="flag").fit(data).report_.valid


def test_data_without_units_is_an_error() -> None:
    frame = pd.DataFrame({"a": pd.Series([], dtype=float)})
    assert [p.code for p in DataChecks().fit(frame).report_.errors] == ["data_empty"]
