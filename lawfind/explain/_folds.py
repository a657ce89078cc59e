"""The checks that come before any cross-validation fold is made."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from lawfind.exceptions import DataError

__all__ = ["check_folds_possible"]


def check_folds_possible(y: Any, task: str, cv: int) -> None:
    """Raise a clear error when ``cv`` folds cannot be made from ``y`` (before any fitting).

    Raises
    ------
    ConfigError
        If ``cv`` is not an integer of at least 2.
    DataError
        If a regression fold would hold out fewer than two rows, if a classification target
        has a single class, or if a class has fewer rows than folds (stratified folds need one
        per fold); the message gives the largest fold count the data allow.
    """
    from lawfind.baselines._cv import check_fold_count

    if task == "classification":
        counts = pd.Series(np.asarray(y, dtype=object)).value_counts()
        if len(counts) < 2:
            raise DataError(f"the classification target has a single class ({counts.index[0]!r} in all {len(y)} "
                            f"rows); a law and a black box cannot be compared without a second class")
    check_fold_count(y, "classification" if task == "classification" else "regression", cv)
