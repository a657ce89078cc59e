"""SHAP values of a fitted black-box model: TreeExplainer for trees, closed form for linear models,
Exact or Permutation otherwise."""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import Any, Literal

import numpy as np
import pandas as pd

from lawfind._progress import ProgressCallback
from lawfind.exceptions import ConfigError
from lawfind.explain._result import Explanation, additivity_error
from lawfind.explain._shap import EXACT_MAX_FEATURES, as_matrix, import_shap, masker, run_in_chunks, tolerance

__all__ = ["explain_model", "model_output", "is_tree_model", "is_linear_model", "Algorithm", "TREE_MODELS"]

Algorithm = Literal["auto", "tree", "linear", "exact", "permutation"]
_ALGORITHMS = ("auto", "tree", "linear", "exact", "permutation")
#: Pipeline steps that transform each feature by an affine map (a linear model after them stays linear).
_AFFINE_STEPS = frozenset({"StandardScaler", "MinMaxScaler", "MaxAbsScaler", "RobustScaler"})

#: Estimator classes explained by ``shap.TreeExplainer`` (exact interventional values, fast).
TREE_MODELS = frozenset({
    "DecisionTreeRegressor", "DecisionTreeClassifier", "ExtraTreeRegressor", "ExtraTreeClassifier",
    "RandomForestRegressor", "RandomForestClassifier", "ExtraTreesRegressor", "ExtraTreesClassifier",
    "GradientBoostingRegressor", "GradientBoostingClassifier",
    "HistGradientBoostingRegressor", "HistGradientBoostingClassifier",
    "XGBRegressor", "XGBClassifier", "LGBMRegressor", "LGBMClassifier",
})


def is_tree_model(model: Any) -> bool:
    """True for tree models and tree ensembles that ``shap.TreeExplainer`` handles."""
    return type(model).__name__ in TREE_MODELS


def is_linear_model(model: Any) -> bool:
    """True when the model's explained output is an affine function of its inputs: a scikit-learn
    linear model (regressor, or classifier through its decision function), alone or after
    per-feature scalers, inside a grid search or an affine target transformer."""
    from sklearn.linear_model._base import LinearClassifierMixin, LinearModel

    if hasattr(model, "best_estimator_"):
        return is_linear_model(model.best_estimator_)
    if type(model).__name__ == "TransformedTargetRegressor":
        transformer = getattr(model, "transformer_", None)
        return (model.func is None and (transformer is None or type(transformer).__name__ in _AFFINE_STEPS)
                and is_linear_model(model.regressor_))
    if hasattr(model, "steps"):
        return (all(step == "passthrough" or type(step).__name__ in _AFFINE_STEPS for _, step in model.steps[:-1])
                and is_linear_model(model.steps[-1][1]))
    return isinstance(model, (LinearModel, LinearClassifierMixin))


def _final_step(model: Any) -> Any:
    while True:
        if hasattr(model, "steps"):
            model = model.steps[-1][1]
        elif hasattr(model, "best_estimator_"):
            model = model.best_estimator_
        elif hasattr(model, "regressor_"):
            model = model.regressor_
        else:
            return model


def _as_input(model: Any) -> Callable[[np.ndarray], Any]:
    """Matrices as the model saw them when fitted (a DataFrame with its column names, if any)."""
    names = getattr(model, "feature_names_in_", None)
    if names is None:
        return lambda Z: Z
    columns = list(names)
    return lambda Z: pd.DataFrame(Z, columns=columns)


def model_output(model: Any, positive: Any = None) -> tuple[Callable[[np.ndarray], np.ndarray], str, int, int]:
    """The function of a model that SHAP explains, and what it is.

    Regressors: ``predict``.  Binary classifiers: the decision function (log-odds for
    logistic regression and gradient boosting) when the model has one, else the probability
    of the ``positive`` class; signs are set so that larger values favour ``positive``.

    Returns
    -------
    function : callable
        ``function(X) -> ndarray`` of shape (n_samples,).
    explained : str
        E.g. ``"prediction"``, ``"probability of class 1"``.
    class_index : int
        Column of ``positive`` in ``model.classes_`` (0 for regressors).
    sign : int
        +1, or -1 when a decision function favours the other class.
    """
    from sklearn.base import is_classifier

    wrap = _as_input(model)
    if not is_classifier(model):
        return (lambda Z: np.asarray(model.predict(wrap(Z)), dtype=float).reshape(-1)), "prediction", 0, 1
    classes = list(model.classes_)
    if len(classes) != 2:
        raise ConfigError(f"SHAP explanations of classifiers cover two classes; the model has {len(classes)}: "
                          f"{classes}")
    if positive is None:
        positive = classes[1]
    if isinstance(positive, np.generic):
        positive = positive.item()
    matches = [k for k, c in enumerate(classes) if c == positive]
    if not matches:
        raise ConfigError(f"positive class {positive!r} is not one of the model's classes {classes}")
    k = matches[0]
    if hasattr(model, "decision_function"):
        sign = 1 if k == 1 else -1
        final = type(_final_step(model)).__name__
        kind = " (log-odds)" if ("Logistic" in final or "GradientBoosting" in final) else ""
        return ((lambda Z: sign * np.asarray(model.decision_function(wrap(Z)), dtype=float).reshape(-1)),
                f"decision function{kind} of class {positive!r}", k, sign)
    return ((lambda Z: np.asarray(model.predict_proba(wrap(Z)), dtype=float)[:, k]),
            f"probability of class {positive!r}", k, 1)


def _pick(algorithm: str, model: Any, n_features: int) -> str:
    if algorithm not in _ALGORITHMS:
        raise ConfigError(f"algorithm must be one of {list(_ALGORITHMS)}, got {algorithm!r}")
    if algorithm == "tree" and not is_tree_model(model):
        raise ConfigError(f"algorithm='tree' needs a tree model ({sorted(TREE_MODELS)}), got {type(model).__name__}")
    if algorithm == "linear" and not is_linear_model(model):
        raise ConfigError(f"algorithm='linear' needs a linear model (optionally after per-feature scalers), got "
                          f"{type(model).__name__}")
    if algorithm != "auto":
        return algorithm
    if is_tree_model(model):
        return "tree"
    if is_linear_model(model):
        return "linear"
    return "exact" if n_features <= EXACT_MAX_FEATURES else "permutation"


def explain_model(
    model: Any,
    X: Any,
    background: Any,
    *,
    name: str | None = None,
    positive: Any = None,
    algorithm: Algorithm = "auto",
    max_evals: int = 500,
    seed: int = 0,
    progress: ProgressCallback | None = None,
) -> Explanation:
    """Interventional SHAP values of a fitted scikit-learn model (regressor or binary classifier).

    Parameters
    ----------
    model : fitted estimator
    X : DataFrame or 2-D array
        The rows to explain (column names become the feature names).
    background : DataFrame or 2-D array
        Reference rows, e.g. a sample of the training data; use the *same* background for
        the law (:func:`explain_law`) so both explanations answer the same question.
    name : str, optional
        Model name in the result (the class name by default).
    positive : label, optional
        For classifiers, the class whose output is explained (``classes_[1]`` by default).
    algorithm : {"auto", "tree", "exact", "permutation"}, default="auto"
        ``auto``: ``shap.TreeExplainer(feature_perturbation="interventional")`` for tree
        models; ``linear`` for linear models (see :func:`is_linear_model`): their values in
        closed form, ``f(m with feature i set to x_i) − f(m)`` with ``m`` the background's
        mean, exact for an affine ``f`` (and what ``shap.LinearExplainer`` gives with an
        independent masker); ``shap.explainers.Exact`` up to 10 features,
        ``shap.explainers.Permutation`` above; the last two use
        ``shap.maskers.Independent(background)``.
    max_evals : int, default=500
        Model evaluations per row for the permutation explainer.
    seed : int, default=0
        Seed of the permutation explainer.
    progress : callable, optional
        ``progress(fraction, message)``.

    Returns
    -------
    Explanation
        Its ``max_additivity_error`` says how closely ``values.sum(1) + base_values``
        matches the model's output on each row.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.ensemble import RandomForestRegressor
    >>> rng = np.random.default_rng(0)
    >>> X = rng.uniform(0, 1, (80, 3)); y = 2 * X[:, 0] + X[:, 1]
    >>> model = RandomForestRegressor(n_estimators=20, random_state=0).fit(X, y)
    >>> e = explain_model(model, X[:10], X[:40])
    >>> e.method, e.perturbation, e.additive
    ('tree', 'interventional', True)
    """
    matrix, names, index = as_matrix(X)
    bg, bg_names, _ = as_matrix(background, what="background")
    if bg.shape[1] != matrix.shape[1]:
        raise ConfigError(f"the background has {bg.shape[1]} columns but X has {matrix.shape[1]}")
    if isinstance(background, pd.DataFrame) and isinstance(X, pd.DataFrame) and bg_names != names:
        raise ConfigError(f"the background's columns {list(bg_names)} differ from X's {list(names)}")
    method = _pick(algorithm, model, matrix.shape[1])
    function, explained, k, sign = model_output(model, positive)
    shap = import_shap()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # feature-name and convergence chatter of the wrapped models
        if method == "tree":
            explainer = shap.TreeExplainer(model, data=_as_input(model)(bg), feature_perturbation="interventional")

            def explain(rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
                result = explainer(_as_input(model)(rows), check_additivity=False)
                values, base = np.asarray(result.values), np.asarray(result.base_values)
                if values.ndim == 3:  # one slice per class
                    return values[:, :, k], base[:, k] if base.ndim == 2 else base
                return sign * values, sign * base

        elif method == "linear":
            centre = bg.mean(axis=0)
            centre_value = float(function(centre[None, :])[0])

            def explain(rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
                n, d = rows.shape
                probes = np.repeat(centre[None, None, :], n, axis=0).repeat(d, axis=1)  # (n, d, d)
                probes[:, np.arange(d), np.arange(d)] = rows
                values = function(probes.reshape(n * d, d)).reshape(n, d) - centre_value
                return values, np.full(n, centre_value)

        elif method == "exact":
            explainer = shap.explainers.Exact(function, masker(bg))

            def explain(rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
                result = explainer(rows, silent=True)
                return result.values, result.base_values

        else:
            explainer = shap.explainers.Permutation(function, masker(bg), seed=seed)
            evals = max(int(max_evals), 2 * matrix.shape[1] + 2)

            def explain(rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
                result = explainer(rows, max_evals=evals, silent=True)
                return result.values, result.base_values

        label = name or type(model).__name__
        values, base, seconds = run_in_chunks(explain, matrix, progress=progress, label=f"SHAP of {label}",
                                              chunk=512 if method in ("tree", "linear") else 32)
        output = function(matrix)
    from sklearn.base import is_classifier

    threshold = None if not is_classifier(model) else (0.5 if explained.startswith("probability") else 0.0)
    return Explanation(values, base, matrix, names, output, label, explained, method, len(bg),
                       max_additivity_error=additivity_error(values, base, output), tolerance=tolerance(output),
                       seconds=seconds, index=index, threshold=threshold)
