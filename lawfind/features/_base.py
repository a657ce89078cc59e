"""The shared contract of the selection steps: input checks, the target, ``decisions_``.

Every step is a scikit-learn transformer.  ``fit(X, y)`` decides for each column
whether it is kept, with a score and a reason in plain words, and records them in
``decisions_`` (columns :data:`DECISION_COLUMNS`).  ``transform`` keeps the kept
columns (a DataFrame stays a DataFrame).  A step that would keep no column raises
:class:`~lawfind.exceptions.DataError` naming itself and the option to loosen.
"""

from __future__ import annotations

from typing import Any, ClassVar, Literal

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import check_is_fitted

from lawfind.exceptions import ConfigError, DataError

__all__ = ["BaseSelector", "DECISION_COLUMNS", "Task", "infer_task", "relevance", "check_cv", "split_folds"]

Task = Literal["regression", "classification"]
DECISION_COLUMNS = ["step", "feature", "kept", "score", "reason"]
_TASKS = ("regression", "classification")


def _plain(value: Any) -> Any:
    """A numpy scalar as the Python value (for messages: ``4.0``, not ``np.float64(4.0)``)."""
    return value.item() if isinstance(value, np.generic) else value


def _is_numeric(series: pd.Series) -> bool:
    return pd.api.types.is_numeric_dtype(series) and not pd.api.types.is_bool_dtype(series)


def infer_task(y: pd.Series) -> Task:
    """Classification for text, boolean or two-valued targets; regression for other numbers."""
    if not _is_numeric(y) or y.dropna().nunique() == 2:
        return "classification"
    return "regression"


def relevance(X: pd.DataFrame, y: np.ndarray, task: Task) -> np.ndarray:
    """Marginal relevance of each column to the target, in [0, 1].

    Regression: the absolute Pearson correlation.  Classification: the correlation
    ratio eta (the share of the column's spread explained by the class means, square
    rooted; for two classes it equals the absolute point-biserial correlation).
    Constant columns score 0.
    """
    values = X.to_numpy(dtype=float)
    centred = values - values.mean(axis=0)
    total = np.sqrt((centred ** 2).sum(axis=0))
    with np.errstate(invalid="ignore", divide="ignore"):
        if task == "regression":
            target = np.asarray(y, dtype=float)
            target = target - target.mean()
            score = np.abs(centred.T @ target) / (total * np.sqrt((target ** 2).sum()))
        else:
            labels = pd.Series(np.asarray(y)).astype(str).to_numpy()
            between = np.zeros(values.shape[1])
            for label in np.unique(labels):
                rows = labels == label
                between += rows.sum() * (values[rows].mean(axis=0) - values.mean(axis=0)) ** 2
            score = np.sqrt(between) / total
    return np.nan_to_num(np.clip(score, 0.0, 1.0), nan=0.0)


def check_cv(cv: Any, y: np.ndarray, task: Task, step: str) -> int:
    """Check the fold count against the rows (and the classes); return it as an int.

    Regression needs at least two rows per fold; classification needs at least ``cv``
    rows of every class (stratified folds).
    """
    if isinstance(cv, bool) or not isinstance(cv, (int, np.integer)) or cv < 2:
        raise ConfigError(f"cv of step {step!r} must be an integer number of folds >= 2, got {cv!r}")
    cv, n = int(cv), len(y)
    if task == "regression" and n < 2 * cv:
        raise DataError(f"too few rows for {cv}-fold cross-validation in step {step!r}: {n} rows, at least "
                        f"{2 * cv} needed (two per fold); use fewer folds (cv=...) or more data")
    if task == "classification":
        counts = pd.Series(np.asarray(y)).value_counts()
        if counts.min() < cv:
            raise DataError(f"too few rows for {cv}-fold stratified cross-validation in step {step!r}: class "
                            f"{_plain(counts.idxmin())!r} has {int(counts.min())} row(s), at least {cv} needed; use fewer "
                            f"folds (cv=...) or more data")
    return cv


def split_folds(cv: int, task: Task, seed: int) -> Any:
    """The shuffled splitter of a step: KFold, or StratifiedKFold for classification."""
    from sklearn.model_selection import KFold, StratifiedKFold

    return (StratifiedKFold if task == "classification" else KFold)(cv, shuffle=True, random_state=seed)


class BaseSelector(TransformerMixin, BaseEstimator):
    """Base of the selection steps (subclasses implement :meth:`_decide`).

    Attributes
    ----------
    decisions_ : DataFrame
        One row per input column: ``step``, ``feature``, ``kept``, ``score``, ``reason``.
    support_ : ndarray of bool
        Which input columns are kept.
    task_ : {"regression", "classification"} or None
        The task the step worked on (None when it does not use the target).
    feature_names_in_ : ndarray of str
    n_features_in_ : int
    """

    #: Name of the step in reports and in ``select(steps=...)``.
    step: ClassVar[str] = "base"
    #: What the score measures (axis label of plots).
    metric: ClassVar[str] = "score"
    #: Whether ``fit`` needs a target.
    needs_y: ClassVar[bool] = True
    #: Whether non-numeric columns are accepted (and dropped with a reason).
    accepts_text: ClassVar[bool] = False
    #: Whether the step needs rows without missing values.
    needs_complete: ClassVar[bool] = True

    # ----------------------------------------------------------------- to implement
    def _check_params(self) -> None:
        """Raise ConfigError for a bad option (called first in ``fit``)."""

    def _decide(self, X: pd.DataFrame, y: np.ndarray | None, task: Task | None
                ) -> tuple[np.ndarray, np.ndarray, list[str]]:
        """Return (kept mask, scores, reasons), one entry per column of ``X``."""
        raise NotImplementedError

    def _loosen(self) -> str:
        """What to change when the step drops every column."""
        return f"leave the step {self.step!r} out"

    # ----------------------------------------------------------------- the contract
    def fit(self, X: Any, y: Any = None) -> "BaseSelector":
        """Decide which columns of ``X`` to keep.

        Parameters
        ----------
        X : DataFrame or array-like of shape (n_samples, n_features)
            Candidate features (arrays get the names ``x0, x1, ...``).
        y : array-like of shape (n_samples,), optional
            The target (required by every step that ranks columns by their relation to it).

        Returns
        -------
        self
        """
        self._check_params()
        frame = self._as_frame(X)
        self.feature_names_in_ = np.asarray(frame.columns, dtype=object)
        self.n_features_in_ = frame.shape[1]
        target, task = self._target(y, len(frame))
        if not self.accepts_text:
            text = [c for c in frame.columns if not _is_numeric(frame[c])]
            if text:
                raise DataError(f"step {self.step!r} needs numeric columns; {text[:5]} are not numeric: encode them "
                                f"as numbers, leave them out, or run the 'constant' step first (it drops them)")
        if self.needs_complete:
            values = frame.to_numpy(dtype=float)
            bad = ~np.isfinite(values)
            if bad.any():
                columns = [str(c) for c in frame.columns[bad.any(axis=0)]]
                raise DataError(f"step {self.step!r} needs complete rows: {int(bad.any(axis=1).sum())} row(s) have "
                                f"missing or infinite values in {columns[:5]}; drop those rows (dropna=True) or let "
                                f"the 'constant' step drop mostly-missing columns")
            frame = frame.astype(float)
        kept, scores, reasons = self._decide(frame, target, task)
        kept = np.asarray(kept, dtype=bool)
        self.support_ = kept
        self.task_ = task
        self.decisions_ = pd.DataFrame({
            "step": self.step,
            "feature": [str(c) for c in frame.columns],
            "kept": kept,
            "score": np.asarray(scores, dtype=float),
            "reason": list(reasons),
        }, columns=DECISION_COLUMNS)
        if not kept.any():
            best = self.decisions_.sort_values("score", ascending=False, kind="stable").iloc[0]
            top = (f"the best, {best['feature']!r}, has {self.metric} {best['score']:.3g}" if best["score"] > 0
                   else f"every {self.metric} is 0")
            raise DataError(f"step {self.step!r} dropped every feature ({len(kept)} in; {top}); {self._loosen()}")
        return self

    def transform(self, X: Any) -> Any:
        """Keep the kept columns (a DataFrame stays a DataFrame, an array an array)."""
        check_is_fitted(self, "support_")
        if isinstance(X, pd.DataFrame):
            names = [str(c) for c in X.columns]
            missing = [c for c in self.feature_names_in_ if c not in names]
            if missing:
                raise DataError(f"step {self.step!r} was fitted with column(s) {missing[:5]} that the data lacks")
            return X.set_axis(names, axis=1)[list(self.get_feature_names_out())]
        values = self._as_array(X)
        if values.shape[1] != self.n_features_in_:
            raise DataError(f"X has {values.shape[1]} features, but {type(self).__name__} is expecting "
                            f"{self.n_features_in_} features as input (the columns of step {self.step!r}'s fit)")
        return values[:, self.support_]

    def get_support(self) -> np.ndarray:
        """Boolean mask of the kept input columns."""
        check_is_fitted(self, "support_")
        return self.support_.copy()

    def get_feature_names_out(self, input_features: Any = None) -> np.ndarray:
        """Names of the kept columns."""
        check_is_fitted(self, "support_")
        return np.asarray(self.feature_names_in_[self.support_], dtype=object)

    # ----------------------------------------------------------------- helpers
    def _report(self, fraction: float, message: str) -> None:
        """Progress of a long loop inside ``fit`` (shown when :func:`select` runs the step)."""
        callback = getattr(self, "_progress_callback", None)
        if callback is not None:
            callback(fraction, message)

    @staticmethod
    def _as_array(X: Any) -> np.ndarray:
        """A 2-D array from array-like input (numbers in object arrays become floats)."""
        from scipy import sparse

        if sparse.issparse(X):
            raise DataError("sparse input is not supported by lawfind.features; convert it with X.toarray()")
        values = np.asarray(X)
        if np.iscomplexobj(values):
            raise DataError("Complex data not supported by lawfind.features")
        if values.ndim != 2:
            raise DataError(f"X must be a table (2-D), got an array of shape {values.shape}. Reshape your data, e.g. "
                            f"X.reshape(-1, 1) for a single column")
        if values.dtype == object:
            try:
                values = values.astype(float)
            except (TypeError, ValueError):
                pass  # text stays text: the steps say which columns are not numeric
        return values

    @classmethod
    def _as_frame(cls, X: Any) -> pd.DataFrame:
        if isinstance(X, pd.DataFrame):
            frame = X.set_axis([str(c) for c in X.columns], axis=1)
        else:
            values = cls._as_array(X)
            frame = pd.DataFrame(values, columns=[f"x{i}" for i in range(values.shape[1])])
        if frame.shape[1] == 0:
            raise DataError(f"no feature columns to select from: 0 feature(s) (shape=({len(frame)}, 0)) while a "
                            f"minimum of 1 is required.")
        duplicates = sorted({c for c in frame.columns if list(frame.columns).count(c) > 1})
        if duplicates:
            raise DataError(f"duplicate column names {duplicates}; rename them so each is unique")
        if len(frame) < 2:
            raise DataError(f"X has {len(frame)} sample(s) (rows); feature selection needs at least 2")
        return frame.reset_index(drop=True)

    def _target(self, y: Any, n_rows: int) -> tuple[np.ndarray | None, Task | None]:
        if y is None:
            if self.needs_y:
                raise DataError(f"step {self.step!r} needs the target y: call fit(X, y)")
            return None, None
        series = pd.Series(np.asarray(y).ravel() if not isinstance(y, pd.Series) else y.to_numpy())
        if len(series) != n_rows:
            raise DataError(f"the target has {len(series)} values but X has {n_rows} rows")
        task = getattr(self, "task", None) or infer_task(series)
        if task not in _TASKS:
            raise ConfigError(f"task of step {self.step!r} must be one of {list(_TASKS)} or None, got {task!r}")
        if series.isna().any():
            raise DataError(f"the target has {int(series.isna().sum())} missing value(s); drop those rows first")
        if task == "regression":
            if not _is_numeric(series):
                raise DataError("the target is not numeric; for class labels use task='classification' (CLI: --task classification)")
            values = series.to_numpy(dtype=float)
            if not np.isfinite(values).all():
                raise DataError("the target has infinite values; drop those rows first")
            if np.ptp(values) == 0:
                raise DataError(f"the target is constant ({_plain(values[0])!r}): no feature can explain it")
            return values, task
        if series.nunique() < 2:
            raise DataError(f"the target has a single class ({_plain(series.iloc[0])!r}); classification needs at "
                            f"least two")
        return series.to_numpy(), task
