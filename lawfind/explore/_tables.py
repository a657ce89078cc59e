"""Descriptive tables for the explorer: column summary, missing values, correlations."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

__all__ = ["numeric_columns", "column_summary", "correlation_long"]


def numeric_columns(frame: pd.DataFrame) -> list[str]:
    """Columns that can be features: numeric and not boolean."""
    types = pd.api.types
    return [str(c) for c in frame.columns if types.is_numeric_dtype(frame[c]) and not types.is_bool_dtype(frame[c])]


def column_summary(frame: pd.DataFrame, units: dict[str, str] | None = None) -> pd.DataFrame:
    """One row per column: type, unit, missing values, distinct values and numeric statistics.

    Parameters
    ----------
    frame : DataFrame
    units : dict, optional
        Column -> unit, shown in a ``unit`` column.
    """
    numeric = set(numeric_columns(frame))
    rows = []
    for column in frame.columns:
        series = frame[column]
        values = pd.to_numeric(series, errors="coerce") if column in numeric else None
        finite = values[np.isfinite(values)] if values is not None else None
        rows.append({
            "column": str(column),
            "type": "numeric" if column in numeric else str(series.dtype),
            "unit": (units or {}).get(str(column), ""),
            "missing": int(series.isna().sum()),
            "distinct": int(series.nunique(dropna=True)),
            "min": float(finite.min()) if finite is not None and len(finite) else np.nan,
            "mean": float(finite.mean()) if finite is not None and len(finite) else np.nan,
            "std": float(finite.std()) if finite is not None and len(finite) > 1 else np.nan,
            "max": float(finite.max()) if finite is not None and len(finite) else np.nan,
        })
    return pd.DataFrame(rows)


def correlation_long(frame: pd.DataFrame, columns: Sequence[str]) -> pd.DataFrame:
    """Pearson correlations of ``columns`` (pairwise complete rows) in long form: ``x``, ``y``, ``r``."""
    columns = [c for c in columns if c in frame.columns]
    matrix = frame[columns].apply(pd.to_numeric, errors="coerce").corr()
    long = matrix.rename_axis("x").reset_index().melt(id_vars="x", var_name="y", value_name="r")
    return long.astype({"x": str, "y": str})
