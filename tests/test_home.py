from __future__ import annotations

from pathlib import Path

import pytest

from govlens.home import ENV_VAR, default_home, home_dir, subdir


def test_home_follows_environment_variable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENV_VAR, str(tmp_path / "state"))
    assert home_dir() == tmp_path / "state"
    assert (tmp_path / "state").is_dir()
    assert subdir("cache") == tmp_path / "state" / "cache"
    assert (tmp_path / "state" / "cache").is_dir()


def test_default_home_is_per_user_data_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ENV_VAR)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert default_home() == tmp_path / "xdg" / "govlens"
    assert home_dir(create=False) == tmp_path / "xdg" / "govlens"
    assert not (tmp_path / "xdg").exists()


def test_no_home_folder_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ENV_VAR)
    monkeypatch.delenv("XDG_DATA_HOME", raising=False)

    def no_home() -> Path:
        raise RuntimeError("Could not determine home directory.")

    monkeypatch.setattr(Path, "home", staticmethod(no_home))
    with pytest.raises(ValueError, match="set GOVLENS_HOME"):
        home_dir(create=False)


def test_each_test_has_its_own_home(isolated_home: Path) -> None:
    assert home_dir() == isolated_home


def test_unknown_user_in_a_home_path_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    from govlens.home import expand_user_path

    with pytest.raises(ValueError, match="nosuchuser"):
        expand_user_path("~nosuchuser/x", "GOVLENS_HOME")
    monkeypatch.setenv(ENV_VAR, "~nosuchuser/state")
    with pytest.raises(ValueError, match="nosuchuser"):
        home_dir()


def test_home_option_with_an_unknown_user_exits_with_a_message() -> None:
    from typer.testing import CliRunner

    from govlens.cli import app

    result = CliRunner().invoke(app, ["--home", "~nosuchuser/x", "framework", "list"])
    assert result.exit_code == 1
    assert "nosuchuser" in result.output
    assert "Traceback" not in result.output
