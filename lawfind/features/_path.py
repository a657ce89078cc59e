"""Cross-validated regularization paths (elastic net / L1-logistic) on standardized columns."""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import Literal

import numpy as np

from lawfind.features._base import Task, split_folds

__all__ = ["RegPath", "cv_path", "standardize"]

Rule = Literal["min", "1se"]


@dataclass(frozen=True)
class RegPath:
    """A regularization path, strongest penalty first.

    Attributes
    ----------
    name : {"alpha", "C"}
        The penalty parameter (alpha: larger is stronger; C: smaller is stronger).
    grid : ndarray of shape (n_grid,)
    coefs : ndarray of shape (n_features, n_grid)
        Largest absolute standardized coefficient (over classes) along the path.
    loss_mean, loss_se : ndarray of shape (n_grid,)
        Cross-validated loss (mean squared error or log-loss) and its standard error.
    l1_ratio : float
    """

    name: str
    grid: np.ndarray
    coefs: np.ndarray
    loss_mean: np.ndarray
    loss_se: np.ndarray
    l1_ratio: float

    def choose(self, rule: Rule) -> int:
        """Index on the grid: the lowest loss (``min``), or the strongest penalty within one SE of it (``1se``)."""
        best = int(np.nanargmin(self.loss_mean))
        if rule == "min":
            return best
        limit = self.loss_mean[best] + self.loss_se[best]
        return int(np.flatnonzero(self.loss_mean <= limit)[0])

    def entry(self, tol: float = 1e-10) -> np.ndarray:
        """Grid index where each column first gets a nonzero coefficient (``len(grid)`` if never)."""
        nonzero = np.abs(self.coefs) > tol
        return np.where(nonzero.any(axis=1), nonzero.argmax(axis=1), len(self.grid))


def standardize(values: np.ndarray) -> np.ndarray:
    """Columns centred and scaled to unit variance (constant columns left at zero)."""
    sd = values.std(axis=0)
    return (values - values.mean(axis=0)) / np.where(sd > 0, sd, 1.0)


def cv_path(X: np.ndarray, y: np.ndarray, task: Task, *, l1_ratios: tuple[float, ...], cv: int, seed: int,
            n_grid: int = 50) -> RegPath:
    """Cross-validate an elastic-net path (regression) or an L1-logistic path (classification)."""
    Xs = standardize(np.asarray(X, dtype=float))
    if task == "regression":
        return _enet_path(Xs, y, l1_ratios, cv, seed, n_grid)
    return _logistic_path(Xs, y, cv, seed, min(n_grid, 25))


def _enet_path(Xs: np.ndarray, y: np.ndarray, l1_ratios: tuple[float, ...], cv: int, seed: int,
               n_grid: int) -> RegPath:
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.linear_model import ElasticNetCV, enet_path

    ys = (y - y.mean()) / y.std()
    model = ElasticNetCV(l1_ratio=list(l1_ratios), alphas=n_grid, cv=split_folds(cv, "regression", seed),
                         max_iter=5000, n_jobs=1, random_state=seed)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        model.fit(Xs, ys)
        which = list(l1_ratios).index(model.l1_ratio_)
        alphas = np.atleast_2d(model.alphas_)[which]
        mse = model.mse_path_ if len(l1_ratios) > 1 else model.mse_path_[None]
        mse = mse[which]  # (n_alphas, n_folds)
        _, coefs, _ = enet_path(Xs, ys, l1_ratio=model.l1_ratio_, alphas=alphas, max_iter=5000)
    return RegPath("alpha", alphas, np.abs(coefs), mse.mean(axis=1), mse.std(axis=1, ddof=1) / np.sqrt(cv),
                   float(model.l1_ratio_))


def _logistic(C: float, n_classes: int, seed: int):
    from sklearn.linear_model import LogisticRegression

    solver = "liblinear" if n_classes == 2 else "saga"
    return LogisticRegression(C=C, l1_ratio=1.0, solver=solver, max_iter=2000, random_state=seed)


def _logistic_path(Xs: np.ndarray, y: np.ndarray, cv: int, seed: int, n_grid: int) -> RegPath:
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.metrics import log_loss
    from sklearn.svm import l1_min_c

    labels = np.asarray(y).astype(str)
    classes = np.unique(labels)
    grid = l1_min_c(Xs, labels, loss="log") * np.logspace(0.02, 3, n_grid)
    folds = list(split_folds(cv, "classification", seed).split(Xs, labels))
    losses = np.empty((n_grid, len(folds)))
    coefs = np.empty((Xs.shape[1], n_grid))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        for g, C in enumerate(grid):
            for k, (train, test) in enumerate(folds):
                model = _logistic(C, len(classes), seed).fit(Xs[train], labels[train])
                losses[g, k] = log_loss(labels[test], model.predict_proba(Xs[test]), labels=model.classes_)
            coefs[:, g] = np.abs(_logistic(C, len(classes), seed).fit(Xs, labels).coef_).max(axis=0)
    return RegPath("C", grid, coefs, losses.mean(axis=1), losses.std(axis=1, ddof=1) / np.sqrt(len(folds)), 1.0)
