"""Stability selection: how often a randomized LASSO keeps each column on random half-samples."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from lawfind.exceptions import ConfigError
from lawfind.features._base import BaseSelector, Task, check_cv
from lawfind.features._path import _logistic, cv_path, standardize
from lawfind.features._sparse import check_int

__all__ = ["StabilitySelector"]


class StabilitySelector(BaseSelector):
    """Keep the columns a randomized LASSO selects on most random subsamples.

    Each of ``n_resamples`` rounds draws ``sample_fraction`` of the rows without
    replacement, rescales every standardized column by a random weight in
    ``[weakness, 1]`` and fits a LASSO (L1-logistic for classes) at a fixed penalty;
    a column's score is the share of rounds in which its coefficient is nonzero
    (Meinshausen & Bühlmann 2010).  The penalty is the cross-validated one (one-SE
    rule: the strongest within one standard error of the lowest CV loss) unless given.

    Parameters
    ----------
    n_resamples : int, default=50
    sample_fraction : float, default=0.5
    threshold : float, default=0.6
        Keep columns selected in at least this share of the rounds.
    weakness : float, default=0.5
        Lowest random column weight (1 gives plain subsampled LASSO).
    penalty : float, optional
        The alpha (regression) or C (classification); cross-validated when None.
    cv : int, default=5
        Folds used to choose the penalty.
    random_state : int, default=0
    task : {"regression", "classification"}, optional
        Inferred from the target when None.

    Attributes
    ----------
    penalty_ : float
        The penalty used.
    decisions_ : DataFrame
        ``score`` is the selection frequency.
    """

    step = "stability"
    metric = "selection frequency"

    def __init__(self, n_resamples: int = 50, sample_fraction: float = 0.5, threshold: float = 0.6,
                 weakness: float = 0.5, penalty: float | None = None, cv: int = 5, random_state: int = 0,
                 task: Task | None = None) -> None:
        self.n_resamples = n_resamples
        self.sample_fraction = sample_fraction
        self.threshold = threshold
        self.weakness = weakness
        self.penalty = penalty
        self.cv = cv
        self.random_state = random_state
        self.task = task

    def _check_params(self) -> None:
        check_int(self.n_resamples, "n_resamples", "StabilitySelector", 2)
        check_int(self.random_state, "random_state", "StabilitySelector", 0)
        for name, low in (("sample_fraction", 0.0), ("threshold", 0.0), ("weakness", 0.0)):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not low < value <= 1:
                raise ConfigError(f"{name} of StabilitySelector must be a number in (0, 1], got {value!r}")
        if self.penalty is not None and (isinstance(self.penalty, bool) or not isinstance(self.penalty, (int, float))
                                         or not self.penalty > 0):
            raise ConfigError(f"penalty of StabilitySelector must be a positive number or None, got {self.penalty!r}")

    def _loosen(self) -> str:
        return (f"no column was selected in {self.threshold:.0%} of the subsamples; lower threshold, give a smaller "
                f"penalty, or leave the step 'stability' out")

    def _decide(self, X: pd.DataFrame, y: np.ndarray, task: Task):
        from sklearn.exceptions import ConvergenceWarning
        from sklearn.linear_model import Lasso

        cv = check_cv(self.cv, y, task, self.step)
        values = X.to_numpy()
        if self.penalty is None:
            path = cv_path(values, y, task, l1_ratios=(1.0,), cv=cv, seed=int(self.random_state), n_grid=30)
            penalty = float(path.grid[path.choose("1se")])
        else:
            penalty = float(self.penalty)
        self.penalty_ = penalty
        Xs = standardize(values)
        labels = np.asarray(y).astype(str) if task == "classification" else None
        target = (y - y.mean()) / y.std() if task == "regression" else labels
        rng = np.random.default_rng(int(self.random_state))
        size = max(2, int(round(self.sample_fraction * len(X))))
        counts = np.zeros(X.shape[1])
        done = 0
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            for r in range(int(self.n_resamples)):
                self._report(r / int(self.n_resamples), f"subsample {r + 1} of {self.n_resamples}")
                rows = rng.choice(len(X), size, replace=False)
                weights = rng.uniform(self.weakness, 1.0, X.shape[1])
                if task == "classification":
                    if len(np.unique(labels[rows])) < 2:
                        continue
                    model = _logistic(penalty, len(np.unique(labels)), int(self.random_state))
                    model.fit(Xs[rows] * weights, labels[rows])
                    coef = np.abs(model.coef_).max(axis=0)
                else:
                    coef = np.abs(Lasso(alpha=penalty, max_iter=5000).fit(Xs[rows] * weights, target[rows]).coef_)
                counts += coef > 1e-10
                done += 1
        if done == 0:
            raise ConfigError("every subsample of StabilitySelector held a single class; raise sample_fraction")
        freq = counts / done
        kept = freq >= self.threshold
        name = "alpha" if task == "regression" else "C"
        how = f"{done} subsamples of {self.sample_fraction:.0%} (randomized LASSO, {name}={penalty:.3g})"
        reasons = [f"selected in {f:.0%} of {how}" + ("" if k else f", below {self.threshold:.0%}")
                   for f, k in zip(freq, kept)]
        return kept, freq, reasons
