"""The command line starts quickly: the heavy libraries load only when a command that needs them runs."""

from __future__ import annotations

import subprocess
import sys

HEAVY = ("pandas", "numpy", "scipy", "openpyxl", "pyxform", "jinja2", "weasyprint", "django")

PROBE = f"""
import sys
from typer.testing import CliRunner
import govlens.cli
result = CliRunner().invoke(govlens.cli.app, sys.argv[1:])
assert result.exit_code == 0, result.output
print(",".join(name for name in {HEAVY!r} if name in sys.modules))
"""


def _loaded_after(*args: str) -> set[str]:
    done = subprocess.run([sys.executable, "-c", PROBE, *args], capture_output=True, text=True, check=True)
    return {name for name in done.stdout.strip().split(",") if name}


def test_help_loads_no_heavy_library() -> None:
    assert _loaded_after("--help") == set()
    assert _loaded_after("data", "--help") == set()
    assert _loaded_after("index", "compute", "--help") == set()


def test_a_command_loads_what_it_needs() -> None:
    # the probe itself can tell: a command that reads the datasets brings pandas and numpy with it
    assert {"pandas", "numpy"} <= _loaded_after("data", "list")


MAIN_PROBE = """
import sys
from govlens.cli import main
try:
    main()
except SystemExit:
    pass
print("modules:" + ",".join(sorted(m for m in sys.modules if m.startswith("govlens.cli.") and m.endswith("_cmd"))))
"""


def _command_modules_after(*args: str) -> set[str]:
    done = subprocess.run([sys.executable, "-c", MAIN_PROBE, *args], capture_output=True, text=True, check=True)
    line = done.stdout.splitlines()[-1].removeprefix("modules:")
    return set(line.split(",")) - {""}


def test_a_command_imports_only_its_own_module() -> None:
    assert _command_modules_after("index", "--help") == {"govlens.cli.index_cmd"}
    assert _command_modules_after("--home", "/tmp", "restore", "--help") == {"govlens.cli.backup_cmd"}
    # help and unknown commands build the whole tree, so that they can list every command
    assert len(_command_modules_after("--help")) > 10
    assert len(_command_modules_after("indx")) > 10
    assert _command_modules_after("--version") == set()
