"""The content hash of a release: SHA-256 over the canonical JSON of inputs + settings + results.

The creation time and the id are left out, so two releases of the same content have the same hash.
"""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING

from govlens.release.serialise import canonical

if TYPE_CHECKING:
    from govlens.release.model import ReleaseInputs, ReleaseResults
    from govlens.release.settings import ReleaseSettings

__all__ = ["content_hash"]


def content_hash(inputs: ReleaseInputs, settings: ReleaseSettings, results: ReleaseResults) -> str:
    """SHA-256 of the canonical JSON (sorted keys, no spaces, UTF-8) of inputs, settings and results."""
    payload = {"inputs": inputs.to_dict(), "settings": settings.to_dict(), "results": results.to_dict()}
    return hashlib.sha256(canonical(payload)).hexdigest()
