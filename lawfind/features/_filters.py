"""Unsupervised filters: missing / constant / near-constant columns, and correlated groups."""

from __future__ import annotations

from typing import Any, Literal

import numpy as np
import pandas as pd

from lawfind.exceptions import ConfigError
from lawfind.features._base import BaseSelector, Task, _is_numeric, relevance

__all__ = ["ConstantFilter", "CorrelationFilter"]


def _fraction(value: Any, name: str, owner: str, *, low_open: bool = False) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)) or not (
            0 < value <= 1 if low_open else 0 <= value <= 1):
        bound = "in (0, 1]" if low_open else "in [0, 1]"
        raise ConfigError(f"{name} of {owner} must be a number {bound}, got {value!r}")
    return float(value)


class ConstantFilter(BaseSelector):
    """Drop non-numeric, mostly-missing, constant and near-constant columns.

    Parameters
    ----------
    max_missing : float, default=0.5
        Drop a column when more than this share of its values is missing (NaN or infinite).
    max_dominant : float, default=0.95
        Drop a column when its most common value covers more than this share of the
        rows that have a value (near-constant: too few rows carry any variation).

    Attributes
    ----------
    decisions_ : DataFrame
        ``score`` is the share of rows that have a value different from the most common
        one (0 for a constant column).

    Examples
    --------
    >>> import pandas as pd
    >>> X = pd.DataFrame({"a": [1.0, 2, 3, 4], "c": [5.0, 5, 5, 5]})
    >>> ConstantFilter().fit(X).decisions_["reason"].tolist()
    ['4 distinct values', 'constant (1 distinct value)']
    """

    step = "constant"
    metric = "share of rows off the most common value"
    needs_y = False
    accepts_text = True
    needs_complete = False

    def __init__(self, max_missing: float = 0.5, max_dominant: float = 0.95) -> None:
        self.max_missing = max_missing
        self.max_dominant = max_dominant

    def _check_params(self) -> None:
        _fraction(self.max_missing, "max_missing", "ConstantFilter")
        _fraction(self.max_dominant, "max_dominant", "ConstantFilter", low_open=True)

    def _loosen(self) -> str:
        return ("raise max_missing / max_dominant, clean the table (every column is missing, constant, near-constant "
                "or not numeric), or leave the step 'constant' out")

    def _decide(self, X: pd.DataFrame, y: np.ndarray | None, task: Task | None):
        kept, scores, reasons = [], [], []
        n = len(X)
        for column in X.columns:
            series = X[column]
            if not _is_numeric(series):
                example = series.dropna().iloc[0] if series.notna().any() else None
                kind = "boolean" if pd.api.types.is_bool_dtype(series) else f"e.g. {example!r}"
                kept.append(False)
                scores.append(0.0)
                reasons.append(f"not numeric ({kind})")
                continue
            values = series.to_numpy(dtype=float)
            present = values[np.isfinite(values)]
            missing = 1.0 - len(present) / n
            if len(present) == 0:
                kept.append(False)
                scores.append(0.0)
                reasons.append("all values missing")
                continue
            counts = pd.Series(present).value_counts()
            distinct, dominant = len(counts), counts.iloc[0] / len(present)
            scores.append((len(present) - counts.iloc[0]) / n)
            if missing > self.max_missing:
                kept.append(False)
                reasons.append(f"mostly missing ({missing:.0%} of rows, above {self.max_missing:.0%})")
            elif distinct == 1:
                kept.append(False)
                reasons.append("constant (1 distinct value)")
            elif dominant > self.max_dominant:
                kept.append(False)
                reasons.append(f"near-constant ({counts.index[0]:.6g} in {dominant:.1%} of rows, above "
                               f"{self.max_dominant:.0%})")
            else:
                kept.append(True)
                reasons.append(f"{distinct} distinct values" + (f", {missing:.0%} missing" if missing else ""))
        return np.array(kept), np.array(scores), reasons


class CorrelationFilter(BaseSelector):
    """Group columns correlated above a threshold; keep one representative per group.

    Columns are visited from the most to the least related to the target (absolute
    correlation, or the correlation ratio for classes, to three decimals; column order
    breaks ties and is used without a target).
    A column is dropped when it correlates at ``threshold`` or more with an already
    kept representative; the report names the representative and the whole group.

    Parameters
    ----------
    threshold : float, default=0.95
        Absolute correlation from which two columns are one group.
    method : {"pearson", "spearman"}, default="pearson"
    task : {"regression", "classification"}, optional
        Inferred from the target when None.

    Attributes
    ----------
    groups_ : dict of str to list of str
        Each representative with the members of its group (itself first).
    decisions_ : DataFrame
        ``score`` is the largest absolute correlation with another column.
    """

    step = "correlation"
    metric = "largest |r| with another feature"
    needs_y = False

    def __init__(self, threshold: float = 0.95, method: Literal["pearson", "spearman"] = "pearson",
                 task: Task | None = None) -> None:
        self.threshold = threshold
        self.method = method
        self.task = task

    def _check_params(self) -> None:
        _fraction(self.threshold, "threshold", "CorrelationFilter", low_open=True)
        if self.method not in ("pearson", "spearman"):
            raise ConfigError(f"method of CorrelationFilter must be 'pearson' or 'spearman', got {self.method!r}")

    def _decide(self, X: pd.DataFrame, y: np.ndarray | None, task: Task | None):
        names = list(X.columns)
        corr = np.abs(X.corr(method=self.method).to_numpy())
        corr = np.nan_to_num(corr, nan=0.0)  # constant columns correlate with nothing
        np.fill_diagonal(corr, 0.0)
        order = np.arange(len(names))
        if y is not None:
            rel = np.round(relevance(X, y, task), 3)  # near-ties go to the earlier column
            order = np.argsort(-rel, kind="stable")
        representative: dict[int, int] = {}
        for i in order:
            reps = [j for j in set(representative.values()) if corr[i, j] >= self.threshold]
            representative[i] = max(reps, key=lambda j: corr[i, j]) if reps else i
        groups: dict[int, list[int]] = {}
        for i in order:
            groups.setdefault(representative[i], []).append(i)
        self.groups_ = {names[r]: [names[m] for m in members] for r, members in groups.items()}
        basis = "most related to the target" if y is not None else "first in column order"
        kept, reasons = [], []
        for i, name in enumerate(names):
            rep = representative[i]
            group = ", ".join(names[m] for m in groups[rep])
            if rep == i:
                kept.append(True)
                reasons.append(f"represents the group {{{group}}} ({basis})" if len(groups[rep]) > 1 else
                               f"no other feature with |r| >= {self.threshold:g}")
            else:
                kept.append(False)
                reasons.append(f"correlated with {names[rep]} (|r|={corr[i, rep]:.3f}); {names[rep]} represents the "
                               f"group {{{group}}}")
        return np.array(kept), corr.max(axis=1) if len(names) > 1 else np.zeros(1), reasons
