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
