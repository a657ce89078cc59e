"""Black boxes and a law scored on the same cross-validation folds, one table row each."""

from __future__ import annotations

import time
import warnings
from collections.abc import Mapping, Sequence
from typing import Any, Union

import numpy as np
import pandas as pd
import sympy as sp
from sklearn.base import BaseEstimator

from lawfind.baselines._models import BaselineModel, Task, default_models, model_size
from lawfind.exceptions import ConfigError, DataError
from lawfind.law import Law, refit_constants

__all__ = ["Folds", "make_folds", "check_fold_count", "cross_validate_baselines", "cross_validate_law", "fold_scores",
           "summarize", "table_columns", "undefined_predictions_note"]

Folds = Sequence[tuple[np.ndarray, np.ndarray]]
CVLike = Union[int, Any, Folds, None]

#: Metrics per task; each becomes ``<metric>_mean`` and ``<metric>_sd`` columns.
METRICS: dict[str, tuple[str, ...]] = {"regression": ("r2", "rmse", "mae"),
                                        "classification": ("accuracy", "balanced_accuracy")}


def table_columns(task: Task) -> list[str]:
    """Columns of the comparison table for ``task``."""
    stats = [f"{m}_{s}" for m in METRICS[task] for s in ("mean", "sd")]
    return ["model", "kind", "status", "n_folds", *stats, "fit_seconds", "size", "size_unit", "note"]


def check_fold_count(y: Any, task: Task, cv: Any) -> None:
    """Raise one clear error when ``cv`` shuffled folds of ``y`` cannot all be scored.

    Regression needs two held-out rows per fold (R² is undefined on one row), so at most
    ``n // 2`` folds; stratified classification folds need ``cv`` rows of every class.

    Raises
    ------
    ConfigError
        If ``cv`` is not an integer of at least 2.
    DataError
        With the largest fold count the data allow (or why there is none).
    """
    if isinstance(cv, bool) or not isinstance(cv, (int, np.integer)) or cv < 2:
        raise ConfigError(f"cv (the number of folds) must be an integer of at least 2, got {cv!r}")
    n = len(y)
    if task != "classification":
        if n < 2 * cv:
            fix = f"use at most {n // 2} folds (CLI: --cv; API: cv=...)" if n >= 4 else "add rows"
            raise DataError(f"too few rows for {cv}-fold cross-validation: the data have {n} row(s), at least "
                            f"{2 * cv} needed (R² needs two held-out rows per fold); {fix}")
        return
    counts = pd.Series(np.asarray(y).astype(str)).value_counts()
    fewest = int(counts.min())
    if fewest < cv:
        fix = (f"use at most {fewest} folds (CLI: --cv; API: cv=...) or add rows of that class" if fewest >= 2
               else "a class with one row cannot be cross-validated: add rows of it, or drop or merge that class")
        raise DataError(f"too few rows for {cv}-fold stratified cross-validation: class {counts.idxmin()!r} has "
                        f"only {fewest} row(s), at least {cv} needed; {fix}")


def make_folds(y: Any, *, task: Task = "regression", cv: CVLike = 5, seed: int = 0,
               X: Any = None) -> list[tuple[np.ndarray, np.ndarray]]:
    """Materialise ``cv`` into a list of ``(train, test)`` index arrays.

    Parameters
    ----------
    y : array-like of shape (n_samples,)
    task : {"regression", "classification"}, default="regression"
    cv : int, splitter or list of (train, test), default=5
        An int gives shuffled ``KFold`` (``StratifiedKFold`` for classification) with
        ``seed``; a splitter's ``split(X, y)`` is used as is; a list is checked and kept.
    seed : int, default=0
    X : array-like, optional
        Passed to the splitter's ``split`` (group splitters may need it).
    """
    from sklearn.model_selection import KFold, StratifiedKFold

    n = len(y)
    if cv is None:
        cv = 5
    if isinstance(cv, (int, np.integer)) and not isinstance(cv, bool):
        check_fold_count(y, task, cv)
        splitter = (StratifiedKFold if task == "classification" else KFold)(int(cv), shuffle=True, random_state=seed)
        labels = np.asarray(y).astype(str) if task == "classification" else y  # object labels: as classes
        folds = list(splitter.split(np.zeros((n, 1)), labels))
    elif hasattr(cv, "split"):
        folds = list(cv.split(np.zeros((n, 1)) if X is None else X, y))
    else:
        folds = list(cv)
    out = []
    for k, fold in enumerate(folds):
        try:
            train, test = (np.asarray(part, dtype=int) for part in fold)
        except (TypeError, ValueError):
            raise ConfigError(f"fold {k} is not a (train indices, test indices) pair") from None
        if len(train) == 0 or len(test) == 0 or min(train.min(), test.min()) < 0 or max(train.max(), test.max()) >= n:
            raise ConfigError(f"fold {k} has empty or out-of-range indices for {n} rows")
        out.append((train, test))
    if not out:
        raise ConfigError("cv gave no folds")
    return out


def fold_scores(y_true: np.ndarray, y_pred: np.ndarray, task: Task) -> dict[str, float]:
    """The metrics of one held-out fold (NaN predictions make regression scores NaN)."""
    from sklearn.metrics import accuracy_score, balanced_accuracy_score

    if task == "classification":
        # labels as text: object arrays of numbers and integer predictions compare as the same classes
        y_true, y_pred = np.asarray(y_true).astype(str), np.asarray(y_pred).astype(str)
        return {"accuracy": float(accuracy_score(y_true, y_pred)),
                "balanced_accuracy": float(balanced_accuracy_score(y_true, y_pred))}
    y_true, y_pred = np.asarray(y_true, dtype=float), np.asarray(y_pred, dtype=float)
    if not np.all(np.isfinite(y_pred)):
        return {"r2": np.nan, "rmse": np.nan, "mae": np.nan}
    residual = y_pred - y_true
    total = float(np.sum((y_true - y_true.mean()) ** 2))
    r2 = 1.0 - float(residual @ residual) / total if total > 0 else np.nan
    return {"r2": r2, "rmse": float(np.sqrt(np.mean(residual**2))), "mae": float(np.mean(np.abs(residual)))}


def undefined_predictions_note(predictions: Sequence[np.ndarray], note: str = "") -> str:
    """``note`` with why a law's scores are NaN appended: the held-out rows of each fold where it gives no finite value.

    ``note`` comes back unchanged when every prediction is finite.

    >>> import numpy as np
    >>> undefined_predictions_note([np.array([1.0, 2.0]), np.array([np.nan, 3.0, np.inf])], "complexity 4")
    'complexity 4; NaN scores: the law gives no finite value at 2 of 3 held-out rows in fold 1 (rows outside its \
domain, e.g. the logarithm or square root of a negative number, or a division by zero)'
    """
    parts = [f"{int(np.sum(~np.isfinite(p)))} of {len(p)} held-out rows in fold {k}"
             for k, p in enumerate(np.asarray(p, dtype=float) for p in predictions) if not np.all(np.isfinite(p))]
    if not parts:
        return note
    reason = ("NaN scores: the law gives no finite value at " + ", ".join(parts) + " (rows outside its domain, e.g. "
              "the logarithm or square root of a negative number, or a division by zero)")
    return f"{note}; {reason}" if note else reason


def summarize(name: str, kind: str, task: Task, scores: Sequence[Mapping[str, float]], *, seconds: float = np.nan,
              size: float = np.nan, size_unit: str = "", status: str = "ok", note: str = "") -> dict[str, Any]:
    """One table row: mean and standard deviation (ddof=1) of each metric over the folds."""
    row: dict[str, Any] = {"model": name, "kind": kind, "status": status, "n_folds": len(scores)}
    for metric in METRICS[task]:
        values = np.array([s[metric] for s in scores], dtype=float)
        row[f"{metric}_mean"] = float(values.mean()) if len(values) else np.nan
        row[f"{metric}_sd"] = float(values.std(ddof=1)) if len(values) > 1 else np.nan
    row.update(fit_seconds=seconds, size=size, size_unit=size_unit, note=note)
    return row


def _check_xy(X: Any, y: Any, task: Task) -> tuple[np.ndarray, np.ndarray]:
    if task not in METRICS:
        raise ConfigError(f"task must be 'regression' or 'classification', got {task!r}")
    X_arr = np.asarray(X, dtype=float)
    y_arr = np.asarray(y, dtype=float if task == "regression" else object)
    if X_arr.ndim != 2 or len(X_arr) != len(y_arr):
        raise DataError(f"X must be 2-D with one row per target value; got X {X_arr.shape} and y {y_arr.shape}")
    if not np.all(np.isfinite(X_arr)) or (task == "regression" and not np.all(np.isfinite(y_arr))):
        raise DataError("X and y must be finite (drop or impute missing values first, e.g. dropna=True)")
    if task == "classification":
        y_arr = np.asarray(pd.Series(y).to_numpy())
    return X_arr, y_arr


def cross_validate_baselines(
    X: Any,
    y: Any,
    *,
    task: Task = "regression",
    cv: CVLike = 5,
    models: Sequence[str] | Mapping[str, BaseEstimator] | None = None,
    seed: int = 0,
) -> pd.DataFrame:
    """Score black-box models by cross-validation, on the folds given.

    Parameters
    ----------
    X : array-like or DataFrame of shape (n_samples, n_features)
    y : array-like of shape (n_samples,)
    task : {"regression", "classification"}, default="regression"
    cv : int, splitter (KFold, StratifiedKFold...) or list of (train, test), default=5
        Pass the same list to :func:`cross_validate_law` to score a law on the same folds.
    models : sequence of str or mapping of str to estimator, optional
        See :func:`default_models`.
    seed : int, default=0
        Seed of the folds (when ``cv`` is an int) and of the models.

    Returns
    -------
    DataFrame
        One row per model with the columns of :func:`table_columns`: mean and sd over
        the folds of R², RMSE and MAE (accuracy and balanced accuracy for
        classification), mean fit seconds per fold, the model size (mean over folds)
        and what it counts.  Skipped models (too many rows, package not installed) and
        failed ones keep a row with ``status`` "skipped"/"failed" and the reason in ``note``.

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> X = rng.uniform(1, 2, (60, 2)); y = 3 * X[:, 0] + rng.normal(0, 0.1, 60)
    >>> table = cross_validate_baselines(X, y, cv=3, models=["linear"])
    >>> round(float(table.loc[0, "r2_mean"]), 2) > 0.9
    True
    """
    X_arr, y_arr = _check_xy(X, y, task)
    folds = make_folds(y_arr, task=task, cv=cv, seed=seed, X=X_arr)
    rows = []
    for model in default_models(task, models):
        rows.append(_cross_validate_model(model, X_arr, y_arr, folds, task, seed))
    return pd.DataFrame(rows, columns=table_columns(task))


def _cross_validate_model(model: BaselineModel, X: np.ndarray, y: np.ndarray, folds: Folds, task: Task,
                          seed: int) -> dict[str, Any]:
    reason = model.skip_reason(max(len(train) for train, _ in folds))
    if reason is not None:
        return summarize(model.name, "black box", task, [], status="skipped", note=reason)
    scores, seconds, sizes, unit = [], [], [], ""
    for k, (train, test) in enumerate(folds):
        try:
            estimator = model.build(seed + k)
            started = time.perf_counter()
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # convergence chatter of MLP/GP/logistic on small folds
                estimator.fit(X[train], y[train])
            seconds.append(time.perf_counter() - started)
            scores.append(fold_scores(y[test], estimator.predict(X[test]), task))
            size, unit = model_size(estimator)
            sizes.append(size)
        except (ValueError, ArithmeticError, np.linalg.LinAlgError, MemoryError) as exc:
            first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            return summarize(model.name, "black box", task, [], status="failed", note=f"fold {k}: {first}")
    return summarize(model.name, "black box", task, scores, seconds=float(np.mean(seconds)),
                     size=float(np.mean(sizes)), size_unit=unit)


def law_columns(law: Law, frame: pd.DataFrame) -> np.ndarray:
    """An array whose column ``i`` holds the law's ``x{i}`` (unused columns are zeros)."""
    indices = [int(k[1:]) for k in law.variables]
    out = np.zeros((len(frame), max(indices, default=-1) + 1))
    for key, column in law.variables.items():
        if column not in frame.columns:
            raise DataError(f"the data lack the column {column!r} that the law {law.equation(6)!r} needs")
        out[:, int(key[1:])] = pd.to_numeric(frame[column], errors="coerce").to_numpy(dtype=float)
    return out


def refit_law(law: Law, frame: pd.DataFrame, y: Any) -> Law:
    """The same law structure with its float constants refit on ``frame``/``y``."""
    expression: sp.Expr = refit_constants(law.expression, law_columns(law, frame), np.asarray(y, dtype=float))
    return Law(expression, dict(law.variables), target=law.target, origin=law.origin)


def cross_validate_law(law: Law, X_frame: pd.DataFrame, y: Any, folds: CVLike = 5, *, seed: int = 0,
                       name: str | None = None, refit: bool = True,
                       threshold_metric: str = "accuracy") -> dict[str, Any]:
    """Score a law's *structure* on cross-validation folds: constants refit on each training fold.

    Parameters
    ----------
    law : Law
        A regression law; its columns are looked up by name in ``X_frame``.
    X_frame : DataFrame
    y : array-like of shape (n_samples,)
    folds : int, splitter or list of (train, test), default=5
        Use the folds given to :func:`cross_validate_baselines` for a fair table.
    seed : int, default=0
        Seed of the folds when ``folds`` is an int.
    name : str, optional
        Row label; ``"law: <equation>"`` by default.
    refit : bool, default=True
        False scores the law with its constants as they are (e.g. a published law).
        For a classification law (one with a ``decision``) the threshold is what is refit.
    threshold_metric : {"accuracy", "balanced_accuracy"}, default="accuracy"
        What the refit threshold of a classification law maximizes on each training fold.

    Returns
    -------
    dict
        One row for the table of :func:`cross_validate_baselines` (``pd.DataFrame([row])``),
        with ``kind="law"`` and ``size`` the number of float constants.
    """
    if law.decision is not None:
        return _cross_validate_classifier(law, X_frame, y, folds, seed=seed, name=name, refit=refit,
                                          metric=threshold_metric)
    y_arr = np.asarray(y, dtype=float)
    if len(X_frame) != len(y_arr):
        raise DataError(f"X_frame has {len(X_frame)} rows but y has {len(y_arr)}")
    fold_list = make_folds(y_arr, cv=folds, seed=seed)
    frame = X_frame.reset_index(drop=True)
    scores, seconds, predictions = [], [], []
    for train, test in fold_list:
        started = time.perf_counter()
        fitted = refit_law(law, frame.iloc[train], y_arr[train]) if refit else law
        seconds.append(time.perf_counter() - started)
        predictions.append(np.asarray(fitted.predict(frame.iloc[test]), dtype=float))
        scores.append(fold_scores(y_arr[test], predictions[-1], "regression"))
    note = undefined_predictions_note(predictions, f"complexity {law.complexity}; " + (
        "constants refit on each training fold" if refit else "constants as published (not refit)"))
    return summarize(name or f"law: {law.equation(4)}", "law", "regression", scores,
                     seconds=float(np.mean(seconds)) if refit else np.nan,
                     size=float(len(law.constants)), size_unit="constants", note=note)


def refit_threshold(law: Law, frame: pd.DataFrame, y: Any, metric: str = "accuracy") -> Law:
    """The same classification law with its threshold refit (best ``metric`` on ``frame``/``y``).

    The descriptor is kept; which side is ``above`` is chosen again, so a refit cannot do
    worse on the training rows than predicting the majority class.
    """
    from lawfind.search.sisso import best_thresholds

    if law.decision is None:
        raise ConfigError("refit_threshold needs a classification law (a law with a decision)")
    labels = np.asarray(y, dtype=object)
    positive_label = law.decision.above
    values = law.decision_function(frame)
    finite = np.isfinite(values)
    rule = best_thresholds(values[finite][None, :], labels[finite] == positive_label, metric)
    other = law.decision.below
    above, below = (positive_label, other) if rule.positive_above[0] else (other, positive_label)
    from lawfind.law import Decision

    return law.with_decision(Decision(float(rule.threshold[0]), below, above, metric))


def _cross_validate_classifier(law: Law, X_frame: pd.DataFrame, y: Any, folds: CVLike, *, seed: int,
                               name: str | None, refit: bool, metric: str) -> dict[str, Any]:
    labels = np.asarray(y, dtype=object)
    if len(X_frame) != len(labels):
        raise DataError(f"X_frame has {len(X_frame)} rows but y has {len(labels)}")
    classes = {str(law.decision.below), str(law.decision.above)}
    present = {str(v) for v in labels}
    if not present <= classes:
        shown = sorted(present)[:5]
        raise DataError(f"the law's classes {sorted(classes)} are not the labels of y (e.g. {shown}); pass the "
                        "class labels the law was found with")
    fold_list = make_folds(labels.astype(str), task="classification", cv=folds, seed=seed)
    frame = X_frame.reset_index(drop=True)
    scores, seconds = [], []
    for train, test in fold_list:
        started = time.perf_counter()
        fitted = refit_threshold(law, frame.iloc[train], labels[train], metric) if refit else law
        seconds.append(time.perf_counter() - started)
        predicted = fitted.predict(frame.iloc[test])
        scores.append(fold_scores(labels[test].astype(str), np.asarray(predicted, dtype=object).astype(str),
                                  "classification"))
    note = f"complexity {law.complexity}; " + (f"threshold refit ({metric}) on each training fold" if refit
                                               else "threshold as given (not refit)")
    return summarize(name or f"law: {law.equation(4)}", "law", "classification", scores,
                     seconds=float(np.mean(seconds)) if refit else np.nan, size=1.0, size_unit="threshold",
                     note=note)
