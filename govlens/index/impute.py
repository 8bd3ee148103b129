"""Imputation of missing indicator values: none, mean or median (overall or within a group such as region
or income group), or carry forward the value of the previous cycle."""

from __future__ import annotations

import numpy as np
import pandas as pd

from govlens.index.errors import check_choice
from govlens.index.settings import IMPUTE_METHODS


class Imputer:
    """Fill missing values column by column.

    ``groups``: unit -> group label, required by the group methods (a unit without a group, or a group
    without any value for an indicator, stays missing, as in COINr's group imputation).
    ``previous``: last cycle's frame (units x indicators), required by ``carry-forward``.
    """

    def __init__(
        self,
        *,
        method: str = "none",
        groups: pd.Series | None = None,
        previous: pd.DataFrame | None = None,
    ) -> None:
        self.method = method
        self.groups = groups
        self.previous = previous

    def fit(self, data: pd.DataFrame) -> Imputer:
        check_choice("impute method", self.method, IMPUTE_METHODS)
        if self.method.startswith("group-") and self.groups is None:
            raise ValueError(f"impute method {self.method!r} needs groups (a group column); got none")
        if self.method == "carry-forward" and self.previous is None:
            raise ValueError("impute method 'carry-forward' needs the previous cycle's data; got none")
        self.columns_ = tuple(data.columns)
        self.fill_: pd.Series | pd.DataFrame | None = None
        if self.method in ("mean", "median"):
            self.fill_ = data.mean() if self.method == "mean" else data.median()
        elif self.method.startswith("group-"):
            assert self.groups is not None
            grouped = data.groupby(self.groups.reindex(data.index))
            self.fill_ = grouped.mean() if self.method == "group-mean" else grouped.median()
        return self

    def transform(self, data: pd.DataFrame) -> pd.DataFrame:
        filled = data.copy()
        if self.method == "none":
            pass
        elif self.method in ("mean", "median"):
            values = data.to_numpy(dtype=float)
            assert isinstance(self.fill_, pd.Series)
            fill = self.fill_.reindex(data.columns).to_numpy(dtype=float)
            filled = pd.DataFrame(
                np.where(np.isnan(values), fill[np.newaxis, :], values), index=data.index, columns=data.columns
            )
        elif self.method.startswith("group-"):
            assert self.groups is not None
            labels = self.groups.reindex(data.index)
            assert isinstance(self.fill_, pd.DataFrame)
            per_unit = self.fill_.reindex(labels.to_numpy())
            per_unit.index = data.index
            filled = filled.fillna(per_unit)
        else:
            assert self.previous is not None
            previous = self.previous.reindex(index=data.index, columns=data.columns)
            filled = filled.fillna(previous)
        self.imputed_ = data.isna() & filled.notna()
        return filled

    def fit_transform(self, data: pd.DataFrame) -> pd.DataFrame:
        return self.fit(data).transform(data)

    def table(self) -> pd.DataFrame:
        """Imputed points as rows (unit, indicator, method)."""
        rows, columns = np.nonzero(self.imputed_.to_numpy())
        units = [str(u) for u in self.imputed_.index]
        indicators = [str(c) for c in self.imputed_.columns]
        return pd.DataFrame(
            [(units[r], indicators[c], self.method) for r, c in zip(rows, columns, strict=True)],
            columns=["unit", "indicator", "method"],
        )
