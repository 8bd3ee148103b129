"""Public datasets as the index engine's input, read by the data layer."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from govlens.data.index_input import dataset_for_tree
from govlens.index.errors import IndexInputError
from govlens.index.io import load_tree, looks_like_file


@pytest.mark.skipif(
    not (Path(os.environ.get("GOVLENS_DATA_MIRROR", "/nonexistent")) / "gtmi").is_dir(),
    reason="needs the public data mirror (GOVLENS_DATA_MIRROR)",
)
def test_reads_a_public_dataset_for_a_framework() -> None:
    tree = load_tree("gtmi-2022")
    data = dataset_for_tree("gtmi-indicators-2022", tree)
    assert list(data.values.columns) == list(tree.leaves)
    assert len(data.values) > 150 and "KOR" in data.values.index
    assert data.values.notna().any(axis=1).all()  # units without any value are left out
    assert not looks_like_file("gtmi-indicators-2022") and looks_like_file("scores.xlsx")
    with pytest.raises(IndexInputError) as caught:
        dataset_for_tree("no-such-dataset", tree)
    assert caught.value.report.codes() == ["dataset_not_found"]
