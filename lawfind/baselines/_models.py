"""The default black-box models and how their size is counted.

Every model is a scikit-learn estimator built fresh for each fold (``clone``), with
its small hyper-parameter searches (ridge penalty, neighbours, SVM ``C``) done inside
the training fold, so the outer cross-validation score stays honest.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
from sklearn.base import BaseEstimator

from lawfind.exceptions import ConfigError

__all__ = ["BaselineModel", "default_models", "model_size", "GP_MAX_ROWS", "Task"]

Task = Literal["regression", "classification"]

#: Gaussian processes above this many (training) rows are skipped: their cost grows as n³.
GP_MAX_ROWS = 2000


@dataclass(frozen=True)
class BaselineModel:
    """A named black-box model.

    Parameters
    ----------
    name : str
        Row label in the comparison table.
    build : callable
        ``build(seed) -> estimator``: a fresh, unfitted scikit-learn estimator.
    max_rows : int, optional
        Skip the model (recorded with the reason) on more training rows than this.
    requires : str, optional
        Import name of an optional package; the model is skipped (with the reason)
        when it is not installed.
    """

    name: str
    build: Callable[[int], BaseEstimator]
    max_rows: int | None = None
    requires: str | None = None

    def skip_reason(self, n_rows: int) -> str | None:
        """Why the model cannot run on ``n_rows`` training rows here (None if it can)."""
        if self.requires is not None and importlib.util.find_spec(self.requires) is None:
            return f"{self.requires} is not installed (pip install {self.requires})"
        if self.max_rows is not None and n_rows > self.max_rows:
            return f"{n_rows} training rows > {self.max_rows} (cost grows as n³)"
        return None


def _scaled(model: BaseEstimator) -> BaseEstimator:
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    return make_pipeline(StandardScaler(), model)


def _scaled_target(model: BaseEstimator) -> BaseEstimator:
    from sklearn.compose import TransformedTargetRegressor
    from sklearn.preprocessing import StandardScaler

    return TransformedTargetRegressor(_scaled(model), transformer=StandardScaler())


def _regressors() -> list[BaselineModel]:
    from sklearn.ensemble import HistGradientBoostingRegressor, RandomForestRegressor
    from sklearn.gaussian_process import GaussianProcessRegressor
    from sklearn.gaussian_process.kernels import RBF, ConstantKernel, WhiteKernel
    from sklearn.linear_model import LinearRegression, RidgeCV
    from sklearn.model_selection import GridSearchCV
    from sklearn.neighbors import KNeighborsRegressor
    from sklearn.neural_network import MLPRegressor
    from sklearn.svm import SVR
    from sklearn.tree import DecisionTreeRegressor

    def gp(seed: int) -> BaseEstimator:
        kernel = ConstantKernel() * RBF() + WhiteKernel()
        return _scaled(GaussianProcessRegressor(kernel, normalize_y=True, random_state=seed))

    return [
        BaselineModel("linear", lambda s: LinearRegression()),
        BaselineModel("ridge", lambda s: _scaled(RidgeCV(alphas=np.logspace(-4, 4, 17)))),
        BaselineModel("k-NN", lambda s: _scaled(GridSearchCV(
            KNeighborsRegressor(), {"n_neighbors": [3, 5, 10, 20], "weights": ["uniform", "distance"]}, cv=3))),
        BaselineModel("SVR", lambda s: _scaled_target(GridSearchCV(
            SVR(), {"C": [0.3, 3.0, 30.0], "gamma": ["scale"]}, cv=3))),
        BaselineModel("decision tree", lambda s: DecisionTreeRegressor(min_samples_leaf=3, random_state=s)),
        BaselineModel("random forest", lambda s: RandomForestRegressor(n_estimators=200, random_state=s)),
        BaselineModel("hist. gradient boosting", lambda s: HistGradientBoostingRegressor(random_state=s)),
        BaselineModel("MLP", lambda s: _scaled_target(MLPRegressor(
            hidden_layer_sizes=(32, 32), solver="lbfgs", alpha=1e-2, max_iter=500, random_state=s))),
        BaselineModel("Gaussian process", gp, max_rows=GP_MAX_ROWS),
        BaselineModel("XGBoost", lambda s: _optional("xgboost", "XGBRegressor", s), requires="xgboost"),
        BaselineModel("LightGBM", lambda s: _optional("lightgbm", "LGBMRegressor", s), requires="lightgbm"),
    ]


def _classifiers() -> list[BaselineModel]:
    from sklearn.ensemble import HistGradientBoostingClassifier, RandomForestClassifier
    from sklearn.gaussian_process import GaussianProcessClassifier
    from sklearn.linear_model import LogisticRegressionCV
    from sklearn.model_selection import GridSearchCV
    from sklearn.neighbors import KNeighborsClassifier
    from sklearn.neural_network import MLPClassifier
    from sklearn.svm import SVC
    from sklearn.tree import DecisionTreeClassifier

    return [
        BaselineModel("logistic", lambda s: _scaled(LogisticRegressionCV(Cs=9, cv=3, max_iter=2000))),
        BaselineModel("k-NN", lambda s: _scaled(GridSearchCV(
            KNeighborsClassifier(), {"n_neighbors": [3, 5, 10, 20], "weights": ["uniform", "distance"]}, cv=3))),
        BaselineModel("SVC", lambda s: _scaled(GridSearchCV(SVC(), {"C": [0.3, 3.0, 30.0]}, cv=3))),
        BaselineModel("decision tree", lambda s: DecisionTreeClassifier(min_samples_leaf=3, random_state=s)),
        BaselineModel("random forest", lambda s: RandomForestClassifier(n_estimators=200, random_state=s)),
        BaselineModel("hist. gradient boosting", lambda s: HistGradientBoostingClassifier(random_state=s)),
        BaselineModel("MLP", lambda s: _scaled(MLPClassifier(
            hidden_layer_sizes=(32, 32), solver="lbfgs", alpha=1e-2, max_iter=500, random_state=s))),
        BaselineModel("Gaussian process", lambda s: _scaled(GaussianProcessClassifier(random_state=s)),
                      max_rows=GP_MAX_ROWS),
        BaselineModel("XGBoost", lambda s: _optional("xgboost", "XGBClassifier", s), requires="xgboost"),
        BaselineModel("LightGBM", lambda s: _optional("lightgbm", "LGBMClassifier", s), requires="lightgbm"),
    ]


def _optional(module: str, cls: str, seed: int) -> BaseEstimator:
    estimator = getattr(importlib.import_module(module), cls)
    options: dict[str, Any] = {"random_state": seed, "n_jobs": 1}
    if module == "lightgbm":
        options["verbose"] = -1
    return estimator(**options)


def default_models(task: Task = "regression",
                   models: Sequence[str] | Mapping[str, BaseEstimator] | None = None) -> list[BaselineModel]:
    """The black-box models to compare, by name.

    Parameters
    ----------
    task : {"regression", "classification"}, default="regression"
    models : sequence of str or mapping of str to estimator, optional
        ``None``: every default model.  A sequence picks default models by name
        (``["ridge", "random forest"]``).  A mapping gives your own estimators (each is
        ``clone``-d for every fold; its ``random_state`` is left as you set it).

    Returns
    -------
    list of BaselineModel

    Raises
    ------
    ConfigError
        For an unknown task or model name.
    """
    if task not in ("regression", "classification"):
        raise ConfigError(f"task must be 'regression' or 'classification', got {task!r}")
    zoo = _regressors() if task == "regression" else _classifiers()
    if models is None:
        return zoo
    if isinstance(models, Mapping):
        from sklearn.base import clone

        return [BaselineModel(str(name), lambda s, est=est: clone(est)) for name, est in models.items()]
    if isinstance(models, str):
        models = [models]
    by_name = {m.name: m for m in zoo}
    unknown = [name for name in models if name not in by_name]
    if unknown:
        raise ConfigError(f"unknown {task} baseline(s) {unknown}; available: {list(by_name)}")
    return [by_name[name] for name in models]


def model_size(estimator: Any) -> tuple[int, str]:
    """The size of a fitted model as ``(count, what is counted)``.

    Parameters (coefficients) for linear models and networks, nodes for trees and
    ensembles, stored numbers for memory-based models (k-NN, SVM, Gaussian process).
    Pipelines, grid searches and target transformers are unwrapped.
    """
    from sklearn.compose import TransformedTargetRegressor
    from sklearn.model_selection import GridSearchCV
    from sklearn.pipeline import Pipeline

    if isinstance(estimator, TransformedTargetRegressor):
        return model_size(estimator.regressor_)
    if isinstance(estimator, Pipeline):
        return model_size(estimator.steps[-1][1])
    if isinstance(estimator, GridSearchCV):
        return model_size(estimator.best_estimator_)
    if hasattr(estimator, "estimators_") and hasattr(estimator.estimators_[0], "tree_"):
        return int(sum(tree.tree_.node_count for tree in estimator.estimators_)), "nodes"
    if hasattr(estimator, "tree_"):
        return int(estimator.tree_.node_count), "nodes"
    if hasattr(estimator, "_predictors"):  # HistGradientBoosting
        return int(sum(len(p.nodes) for stage in estimator._predictors for p in stage)), "nodes"
    if hasattr(estimator, "coefs_"):  # MLP
        return int(sum(w.size for w in estimator.coefs_) + sum(b.size for b in estimator.intercepts_)), "parameters"
    if hasattr(estimator, "support_vectors_"):
        return int(estimator.support_vectors_.size + np.size(estimator.dual_coef_) + 1), "stored numbers"
    if hasattr(estimator, "_fit_X"):  # k-NN
        return int(np.size(estimator._fit_X) + np.size(getattr(estimator, "_y", 0))), "stored numbers"
    if hasattr(estimator, "X_train_"):  # Gaussian process regression
        return int(np.size(estimator.X_train_) + np.size(estimator.alpha_)), "stored numbers"
    if hasattr(estimator, "base_estimator_") and hasattr(estimator.base_estimator_, "X_train_"):
        return int(np.size(estimator.base_estimator_.X_train_) * 2), "stored numbers"
    if hasattr(estimator, "coef_"):
        return int(np.size(estimator.coef_) + np.size(getattr(estimator, "intercept_", 0))), "parameters"
    return -1, "unknown"
