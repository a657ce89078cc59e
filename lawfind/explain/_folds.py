"""A classification law scored on cross-validation folds, and the checks that come before any fold."""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from lawfind.baselines import fold_scores, summarize
from lawfind.exceptions import ConfigError, DataError
from lawfind.law import Decision, Law

__all__ = ["cross_validate_classification_law", "refit_threshold", "check_folds_possible"]


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


def refit_threshold(law: Law, values: np.ndarray, y: np.ndarray, metric: str = "balanced_accuracy") -> Law:
    """The law with the threshold of its decision refit on ``(values, y)``; its score function is kept."""
    from lawfind.search.sisso._threshold import best_thresholds

    if law.decision is None:
        raise ConfigError("refit_threshold needs a classification law (one with a decision)")
    labels = (law.decision.below, law.decision.above)
    positive = np.array([v == labels[1] for v in y], dtype=bool)
    rules = best_thresholds(values[None, :], positive, metric)
    threshold = float(rules.threshold[0])
    below, above = labels if bool(rules.positive_above[0]) else labels[::-1]
    return Law(law.expression, dict(law.variables), target=law.target, origin=law.origin,
               decision=Decision(threshold, below, above))


def cross_validate_classification_law(law: Law, X_frame: pd.DataFrame, y: Any,
                                      folds: Sequence[tuple[np.ndarray, np.ndarray]], *, name: str | None = None,
                                      metric: str = "balanced_accuracy") -> dict[str, Any]:
    """Score a classification law on the folds given: its threshold refit on each training fold.

    The score function (descriptor, or linear combination of descriptors) was found on all
    rows and is kept as it is; only the threshold and its orientation are refit on each
    training fold, by the same exhaustive threshold search the sisso engine uses.

    Returns
    -------
    dict
        One row for the table of :func:`lawfind.baselines.cross_validate_baselines`
        (``kind="law"``, size = number of float constants plus the threshold).
    """
    if law.decision is None:
        raise ConfigError("cross_validate_classification_law needs a classification law; use "
                          "lawfind.baselines.cross_validate_law for a regression law")
    y_arr = np.asarray(pd.Series(y).to_numpy())
    frame = X_frame.reset_index(drop=True)
    if len(frame) != len(y_arr):
        raise DataError(f"X_frame has {len(frame)} rows but y has {len(y_arr)}")
    values = law.decision_function(frame)
    if not np.all(np.isfinite(values)):
        raise DataError(f"the law {law.equation(6)!r} is not finite on every row; it cannot be cross-validated")
    scores, seconds = [], []
    for train, test in folds:
        started = time.perf_counter()
        fitted = refit_threshold(law, values[train], y_arr[train], metric)
        seconds.append(time.perf_counter() - started)
        scores.append(fold_scores(y_arr[test], fitted.decision.apply(values[test]), "classification"))
    note = (f"complexity {law.complexity}; score function found on all rows, threshold refit on each training "
            f"fold ({metric})")
    return summarize(name or f"law: {law.equation(4)}", "law", "classification", scores,
                     seconds=float(np.mean(seconds)), size=float(len(law.constants) + 1),
                     size_unit="constants + threshold", note=note)
