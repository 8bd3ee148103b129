"""docs/architecture.md is what scripts/architecture_doc.py prints, and every step of its setting path exists."""

from __future__ import annotations

from pathlib import Path

import pytest

from scripts.architecture_doc import LAYERS, SETTING_PATH, defines, render
from tests.test_architecture import LAYERS as ENFORCED_LAYERS

DOC = Path(__file__).resolve().parents[2] / "docs" / "architecture.md"


def test_doc_matches_the_code() -> None:
    assert DOC.read_text(encoding="utf-8") == render(), (
        "regenerate: python scripts/architecture_doc.py > docs/architecture.md"
    )


def test_doc_shows_the_layers_the_test_enforces() -> None:
    assert LAYERS == ENFORCED_LAYERS


@pytest.mark.parametrize(("dotted", "what"), SETTING_PATH)
def test_every_step_of_the_setting_path_exists(dotted: str, what: str) -> None:
    assert defines(dotted), f"{dotted} ({what}) is not a function or class of GovLens"


def test_defines_refuses_names_that_do_not_exist() -> None:
    assert defines("govlens.release.compute.create_release")
    assert not defines("govlens.release.compute.no_such_function")
    assert not defines("govlens.release.settings.ReleaseSettings.no_such_method")
    assert not defines("govlens.no_such_module.thing")
