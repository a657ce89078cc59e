"""Marginal screens against the target: mutual information and sure-independence screening."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from lawfind.exceptions import ConfigError
from lawfind.features._base import BaseSelector, Task, relevance

__all__ = ["MutualInfoFilter", "SISFilter"]


def _check_max_features(value: Any, owner: str) -> None:
    if value is not None and (isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1):
        raise ConfigError(f"max_features of {owner} must be a positive integer or None, got {value!r}")


def _check_seed(value: Any, owner: str) -> None:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 0:
        raise ConfigError(f"random_state of {owner} must be a non-negative integer, got {value!r}")


def _rank_and_cap(scores: np.ndarray, passed: np.ndarray, max_features: int | None) -> tuple[np.ndarray, np.ndarray]:
    """Rank by score (1 = best) and keep at most ``max_features`` of the columns that passed."""
    order = np.argsort(-scores, kind="stable")
    rank = np.empty(len(scores), dtype=int)
    rank[order] = np.arange(1, len(scores) + 1)
    kept = passed.copy()
    if max_features is not None:
        kept &= rank <= max_features
    return kept, rank


class MutualInfoFilter(BaseSelector):
    """Keep the columns that share the most information with the target (nonlinear too).

    Mutual information is estimated with scikit-learn's k-nearest-neighbour estimator
    (``mutual_info_regression`` or ``mutual_info_classif`` by task), in nats.

    Parameters
    ----------
    threshold : float, default=0.01
        Drop a column whose mutual information is below ``threshold`` times the largest
        (a loose screen: with a few hundred rows the estimate of a weak but real linear
        effect is close to that of pure noise, so the sparse path decides those).
    max_features : int or None, default=20
        Keep at most this many columns (the highest mutual information).
    n_neighbors : int, default=3
        Neighbours of the estimator.
    random_state : int, default=0
        Seed of the estimator's tie-breaking noise.
    task : {"regression", "classification"}, optional
        Inferred from the target when None.

    Attributes
    ----------
    decisions_ : DataFrame
        ``score`` is the estimated mutual information (nats).
    """

    step = "mutual_info"
    metric = "mutual information (nats)"

    def __init__(self, threshold: float = 0.01, max_features: int | None = 20, n_neighbors: int = 3,
                 random_state: int = 0, task: Task | None = None) -> None:
        self.threshold = threshold
        self.max_features = max_features
        self.n_neighbors = n_neighbors
        self.random_state = random_state
        self.task = task

    def _check_params(self) -> None:
        if isinstance(self.threshold, bool) or not isinstance(self.threshold, (int, float)) or not 0 <= self.threshold < 1:
            raise ConfigError(f"threshold of MutualInfoFilter must be a number in [0, 1), got {self.threshold!r}")
        _check_max_features(self.max_features, "MutualInfoFilter")
        if isinstance(self.n_neighbors, bool) or not isinstance(self.n_neighbors, (int, np.integer)) or self.n_neighbors < 1:
            raise ConfigError(f"n_neighbors of MutualInfoFilter must be a positive integer, got {self.n_neighbors!r}")
        _check_seed(self.random_state, "MutualInfoFilter")

    def _loosen(self) -> str:
        return ("no column shares information with the target; check the target, lower threshold, or leave the step "
                "'mutual_info' out")

    def _decide(self, X: pd.DataFrame, y: np.ndarray, task: Task):
        from sklearn.feature_selection import mutual_info_classif, mutual_info_regression

        if len(X) <= self.n_neighbors:
            raise ConfigError(f"n_neighbors of MutualInfoFilter ({self.n_neighbors}) must be below the number of "
                              f"rows ({len(X)})")
        estimate = mutual_info_regression if task == "regression" else mutual_info_classif
        target = y if task == "regression" else pd.Series(y).astype(str).to_numpy()
        mi = estimate(X.to_numpy(), target, discrete_features=False, n_neighbors=self.n_neighbors,
                      random_state=int(self.random_state))
        top = float(mi.max())
        floor = self.threshold * top
        passed = (mi > 0) & (mi >= floor)
        kept, rank = _rank_and_cap(mi, passed, self.max_features)
        reasons = []
        for value, ok, keep, r in zip(mi, passed, kept, rank):
            if not ok:
                reasons.append(f"mutual information {value:.3g} below {self.threshold:g}·max ({top:.3g})"
                               if value > 0 else "no mutual information with the target (0)")
            elif not keep:
                reasons.append(f"mutual information {value:.3g} ranks {r} of {len(mi)}; only the top "
                               f"{self.max_features} are kept")
            else:
                reasons.append(f"mutual information {value:.3g} (rank {r} of {len(mi)})")
        return kept, mi, reasons


class SISFilter(BaseSelector):
    """Sure-independence screening: keep the columns most correlated with the target.

    The score is the absolute correlation with the target for regression and the
    correlation ratio (eta) for classification; the ``max_features`` best are kept
    (Fan & Lv 2008).

    Parameters
    ----------
    max_features : int or None, default=20
        Columns to keep; None keeps every column with a score of at least ``threshold``.
    threshold : float, default=0.0
        Drop columns scoring below this, whatever their rank.
    task : {"regression", "classification"}, optional
        Inferred from the target when None.

    Attributes
    ----------
    decisions_ : DataFrame
        ``score`` is the absolute correlation (or eta) with the target.
    """

    step = "sis"
    metric = "|r| with the target (eta for classes)"

    def __init__(self, max_features: int | None = 20, threshold: float = 0.0, task: Task | None = None) -> None:
        self.max_features = max_features
        self.threshold = threshold
        self.task = task

    def _check_params(self) -> None:
        _check_max_features(self.max_features, "SISFilter")
        if isinstance(self.threshold, bool) or not isinstance(self.threshold, (int, float)) or not 0 <= self.threshold < 1:
            raise ConfigError(f"threshold of SISFilter must be a number in [0, 1), got {self.threshold!r}")

    def _loosen(self) -> str:
        return "lower threshold, or leave the step 'sis' out (no column correlates with the target)"

    def _decide(self, X: pd.DataFrame, y: np.ndarray, task: Task):
        score = relevance(X, y, task)
        passed = (score > 0) & (score >= self.threshold)
        kept, rank = _rank_and_cap(score, passed, self.max_features)
        name = "|r|" if task == "regression" else "eta"
        reasons = []
        for value, ok, keep, r in zip(score, passed, kept, rank):
            if not ok:
                reasons.append(f"{name}={value:.3f} with the target, below {self.threshold:g}" if value > 0 else
                               f"no linear relation to the target ({name}=0)")
            elif not keep:
                reasons.append(f"{name}={value:.3f} with the target ranks {r} of {len(score)}; only the top "
                               f"{self.max_features} are kept")
            else:
                reasons.append(f"{name}={value:.3f} with the target (rank {r} of {len(score)})")
        return kept, score, reasons
