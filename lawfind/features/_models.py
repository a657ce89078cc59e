"""Model-based steps with a tree ensemble: RFE-CV and held-out permutation importance (slow)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from lawfind.exceptions import ConfigError
from lawfind.features._base import BaseSelector, Task, check_cv, split_folds
from lawfind.features._sparse import check_int

__all__ = ["RFECVSelector", "PermutationSelector", "default_forest"]


def default_forest(task: Task, seed: int, n_estimators: int = 50) -> Any:
    """A random forest for ``task`` (one thread: the machine may be shared)."""
    from sklearn.ensemble import RandomForestClassifier, RandomForestRegressor

    model = RandomForestRegressor if task == "regression" else RandomForestClassifier
    return model(n_estimators=n_estimators, min_samples_leaf=2, random_state=seed, n_jobs=1)


def _model(estimator: Any, task: Task, seed: int, n_estimators: int) -> Any:
    from sklearn.base import clone

    if estimator is None:
        return default_forest(task, seed, n_estimators)
    if not hasattr(estimator, "fit"):
        raise ConfigError(f"estimator must be a scikit-learn estimator (with fit), got {type(estimator).__name__}")
    return clone(estimator)


def _labels(y: np.ndarray, task: Task) -> np.ndarray:
    return np.asarray(y).astype(str) if task == "classification" else y


_SCORE = {"regression": "R²", "classification": "accuracy"}


class RFECVSelector(BaseSelector):
    """Recursive feature elimination with a tree model, the number of columns chosen by CV.

    Columns are removed one at a time, least important (impurity importance) first;
    the number kept is the one with the best cross-validated score (R² or accuracy).

    Parameters
    ----------
    estimator : estimator, optional
        Needs ``feature_importances_`` or ``coef_``; a random forest by default.
    cv : int, default=5
    n_estimators : int, default=50
        Trees of the default forest.
    min_features : int, default=1
    random_state : int, default=0
    task : {"regression", "classification"}, optional
        Inferred from the target when None.

    Attributes
    ----------
    n_features_ : int
        Columns kept.
    decisions_ : DataFrame
        ``score`` is the RFE rank: 1 for kept columns, k for the column removed k-1 rounds before the end.
    """

    step = "rfecv"
    metric = "RFE rank (1 = kept)"

    def __init__(self, estimator: Any = None, cv: int = 5, n_estimators: int = 50, min_features: int = 1,
                 random_state: int = 0, task: Task | None = None) -> None:
        self.estimator = estimator
        self.cv = cv
        self.n_estimators = n_estimators
        self.min_features = min_features
        self.random_state = random_state
        self.task = task

    def _check_params(self) -> None:
        check_int(self.n_estimators, "n_estimators", "RFECVSelector", 1)
        check_int(self.min_features, "min_features", "RFECVSelector", 1)
        check_int(self.random_state, "random_state", "RFECVSelector", 0)

    def _decide(self, X: pd.DataFrame, y: np.ndarray, task: Task):
        from sklearn.feature_selection import RFECV

        cv = check_cv(self.cv, y, task, self.step)
        seed = int(self.random_state)
        model = _model(self.estimator, task, seed, int(self.n_estimators))
        rfe = RFECV(model, step=1, min_features_to_select=min(int(self.min_features), X.shape[1]),
                    cv=split_folds(cv, task, seed), n_jobs=1)
        rfe.fit(X.to_numpy(), _labels(y, task))
        self.n_features_ = int(rfe.n_features_)
        scores = np.asarray(rfe.cv_results_["mean_test_score"])
        n_values = np.asarray(rfe.cv_results_["n_features"])
        best = float(scores[n_values == rfe.n_features_][0])
        metric = _SCORE[task]
        reasons = []
        for rank in rfe.ranking_:
            if rank == 1:
                reasons.append(f"kept by RFE: the CV {metric} is best ({best:.3f}) with {rfe.n_features_} of "
                               f"{X.shape[1]} features")
            else:
                with_it = rfe.n_features_ + rank - 1
                got = scores[n_values == with_it]
                shown = f" (CV {metric} {got[0]:.3f} with it)" if len(got) else ""
                reasons.append(f"eliminated by RFE, rank {rank}: the best CV {metric} ({best:.3f}) needs only "
                               f"{rfe.n_features_} features{shown}")
        return rfe.support_, rfe.ranking_.astype(float), reasons


class PermutationSelector(BaseSelector):
    """Keep the columns whose shuffling hurts a tree model on held-out folds.

    For every fold, the model is fitted on the training rows and each column is
    shuffled ``n_repeats`` times in the held-out rows; the importance is the drop in
    R² (accuracy for classes).  A column is kept when its mean importance is more
    than two standard errors above zero and at least ``threshold`` times the largest.

    Parameters
    ----------
    estimator : estimator, optional
        A random forest by default.
    cv : int, default=5
    n_repeats : int, default=5
    threshold : float, default=0.01
    n_estimators : int, default=50
        Trees of the default forest.
    random_state : int, default=0
    task : {"regression", "classification"}, optional
        Inferred from the target when None.

    Attributes
    ----------
    importances_ : ndarray of shape (n_features, cv * n_repeats)
    decisions_ : DataFrame
        ``score`` is the mean held-out importance.
    """

    step = "permutation"
    metric = "held-out permutation importance"

    def __init__(self, estimator: Any = None, cv: int = 5, n_repeats: int = 5, threshold: float = 0.01,
                 n_estimators: int = 50, random_state: int = 0, task: Task | None = None) -> None:
        self.estimator = estimator
        self.cv = cv
        self.n_repeats = n_repeats
        self.threshold = threshold
        self.n_estimators = n_estimators
        self.random_state = random_state
        self.task = task

    def _check_params(self) -> None:
        check_int(self.n_repeats, "n_repeats", "PermutationSelector", 1)
        check_int(self.n_estimators, "n_estimators", "PermutationSelector", 1)
        check_int(self.random_state, "random_state", "PermutationSelector", 0)
        if isinstance(self.threshold, bool) or not isinstance(self.threshold, (int, float)) or not 0 <= self.threshold < 1:
            raise ConfigError(f"threshold of PermutationSelector must be a number in [0, 1), got {self.threshold!r}")

    def _loosen(self) -> str:
        return ("shuffling no column hurts the held-out score (the model may not predict the target at all); lower "
                "threshold, or leave the step 'permutation' out")

    def _decide(self, X: pd.DataFrame, y: np.ndarray, task: Task):
        from sklearn.inspection import permutation_importance

        cv = check_cv(self.cv, y, task, self.step)
        seed = int(self.random_state)
        values, target = X.to_numpy(), _labels(y, task)
        blocks = []
        for k, (train, test) in enumerate(split_folds(cv, task, seed).split(values, target)):
            self._report(k / cv, f"fold {k + 1} of {cv}")
            model = _model(self.estimator, task, seed, int(self.n_estimators)).fit(values[train], target[train])
            result = permutation_importance(model, values[test], target[test], n_repeats=int(self.n_repeats),
                                            random_state=seed + k, n_jobs=1)
            blocks.append(result.importances)
        self.importances_ = np.hstack(blocks)
        mean = self.importances_.mean(axis=1)
        se = self.importances_.std(axis=1, ddof=1) / np.sqrt(self.importances_.shape[1])
        top = float(mean.max())
        floor = self.threshold * top
        kept = (mean > 2 * se) & (mean > 0) & (mean >= floor)
        drop = f"drop in held-out {_SCORE[task]}"
        reasons = []
        for m, s, keep in zip(mean, se, kept):
            text = f"permutation importance {m:.3g} ± {s:.2g} ({drop})"
            if keep:
                reasons.append(text)
            elif m <= 2 * s or m <= 0:
                reasons.append(text + ", not above zero by two standard errors")
            else:
                reasons.append(text + f", below {self.threshold:g}·max ({top:.3g})")
        return kept, mean, reasons
