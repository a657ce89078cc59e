"""The checks that come before any cross-validation fold is made."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from lawfind.exceptions import ConfigError, DataError

__all__ = ["check_folds_possible"]


def check_folds_possible(y: Any, task: str, cv: int) -> None:
    """Raise a clear error when ``cv`` folds cannot be made from ``y`` (before any fitting).

    Raises
    ------
    ConfigError
        If ``cv`` is not an integer of at least 2.
    DataError
        If there are fewer rows than folds, if a classification target has a single
        class, or if a class has fewer rows than folds (stratified folds need one per fold).
    """
    if isinstance(cv, bool) or not isinstance(cv, (int, np.integer)) or cv < 2:
        raise ConfigError(f"cv (the number of folds) must be an integer of at least 2, got {cv!r}")
    n = len(y)
    if n < cv:
        raise DataError(f"too few rows for {cv} folds: the data have {n} row(s); use --cv {max(n, 2)} or fewer "
                        f"(API: cv=...), or add rows")
    if task != "classification":
        return
    counts = pd.Series(np.asarray(y, dtype=object)).value_counts()
    if len(counts) < 2:
        raise DataError(f"the classification target has a single class ({counts.index[0]!r} in all {n} rows); a law "
                        f"and a black box cannot be compared without a second class")
    if counts.min() < cv:
        raise DataError(f"too few rows for {cv} stratified folds: class {counts.idxmin()!r} has only {counts.min()} "
                        f"row(s); use --cv {max(int(counts.min()), 2)} or fewer (API: cv=...)")
