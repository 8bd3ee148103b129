"""The page of every problem code (docs/error-codes.md), generated from the one catalogue so it cannot go stale.

Each layer registers its codes in the catalogue of :mod:`govlens.framework.errors` when its errors module is
imported; only the top layer may import them all, so the list of those modules lives here.
``python -m govlens.cli.error_codes > docs/error-codes.md`` regenerates the page.
"""

from __future__ import annotations

from types import ModuleType

from govlens.analysis import errors as analysis_errors
from govlens.data import errors as data_errors
from govlens.followup import errors as followup_errors
from govlens.framework import answers
from govlens.framework.errors import render_error_codes
from govlens.index import errors as index_errors
from govlens.release import errors as release_errors
from govlens.web import error_codes as web_errors

# lowest layer first, as the page lists them: layer -> the module that registers its codes (imported above, so
# that the catalogue holds every code once this module is imported)
LAYER_MODULES: dict[str, ModuleType] = {
    "framework": answers,  # its file and tree codes are in govlens.framework.errors itself
    "index": index_errors,
    "data": data_errors,
    "analysis": analysis_errors,
    "release": release_errors,
    "followup": followup_errors,
    "web": web_errors,
}


def render() -> str:
    return render_error_codes(tuple(LAYER_MODULES))


if __name__ == "__main__":
    print(render(), end="")
