"""Predictions of a law on its training data, as a table."""

from __future__ import annotations

import numpy as np
import pandas as pd

from lawfind.data import Dataset
from lawfind.exceptions import DataError
from lawfind.law import Law

__all__ = ["predictions_frame"]


def predictions_frame(law: Law, data: Dataset | pd.DataFrame) -> pd.DataFrame:
    """The law's columns, the observed target, ``prediction`` and ``residual`` (observed − predicted).

    For classification laws ``residual`` is replaced by ``decision_value`` (the law's
    value before the threshold) and ``correct``.

    Parameters
    ----------
    law : Law
    data : Dataset or DataFrame
        Holds the law's columns and its target.
    """
    frame = data.frame if isinstance(data, Dataset) else data
    if law.target not in frame:
        raise DataError(f"the data lack the target column {law.target!r}")
    out = frame[[*law.features, law.target]].copy() if law.target not in law.features else frame[law.features].copy()
    for name in ("prediction", "residual", "decision_value", "correct"):
        if name in out.columns:
            raise DataError(f"the data already have a column {name!r}; rename it to export predictions")
    prediction = law.predict(frame)
    out["prediction"] = prediction
    if law.decision is None:
        out["residual"] = np.asarray(frame[law.target], dtype=float) - prediction
    else:
        out["decision_value"] = law.decision_function(frame)
        out["correct"] = np.asarray(frame[law.target]) == prediction
    return out
