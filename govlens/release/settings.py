"""The settings a release is computed with: the index engine's and the uncertainty analysis' (seed included),
and how they are written into the release file. Both types are the engine's own (``govlens.index.settings``):
a release records them, it does not redefine them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from govlens.index.settings import Settings as IndexSettings
from govlens.index.settings import UncertaintySettings

__all__ = ["IndexSettings", "ReleaseSettings", "UncertaintySettings", "release_settings_for"]


@dataclass(frozen=True)
class ReleaseSettings:
    """The engine settings of a release; ``uncertainty`` None means no uncertainty analysis."""

    index: IndexSettings = field(default_factory=IndexSettings)
    uncertainty: UncertaintySettings | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "index": self.index.to_dict(),
            "uncertainty": self.uncertainty.to_dict() if self.uncertainty is not None else None,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ReleaseSettings:
        raw = data.get("uncertainty")
        return cls(
            index=IndexSettings.from_dict(data.get("index", {})),
            uncertainty=UncertaintySettings.from_dict(raw) if raw is not None else None,
        )


def release_settings_for(replications: int = 1000, seed: int = 0) -> ReleaseSettings:
    """The one default of a release of questionnaire answers, for the web's publish, ``govlens release create``
    and ``govlens demo`` alike: goalposts on the answer scale (question scores are already on 0..1, so a country's
    score does not depend on which other countries are in the release: min-max over one or two countries leaves
    nothing), and the engine's default uncertainty design for those settings with ``replications`` and ``seed``.
    The release records both."""
    index = IndexSettings(normalise="goalposts")
    return ReleaseSettings(index=index, uncertainty=UncertaintySettings.defaults_for(index, replications, seed))
