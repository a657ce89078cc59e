"""SHAP for laws and black boxes on the same background, and their comparison.

Every explanation here is *interventional*: a feature outside a coalition takes its values
from background rows, independently of the others (``shap.maskers.Independent``;
``shap.TreeExplainer(feature_perturbation="interventional")`` for trees, never the
tree-path-dependent variant), so a law and a black box explained against the same
background answer the same question.

* :func:`explain_model` — a fitted scikit-learn model: TreeExplainer for tree models,
  closed-form values for linear models (:func:`is_linear_model`), shap's Exact explainer
  up to 10 features, Permutation above;
* :func:`explain_law` — a :class:`~lawfind.law.Law`: exact closed-form values per term
  when the law is additive, shap's Exact/Permutation explainer on its own features otherwise;
* :func:`compare_explanations` — importance and rank agreement (Spearman, Kendall),
  descriptors the black box uses that the law ignores, rows where they disagree most;
* :func:`compare` (also ``lawfind.compare`` and ``lawfind compare RUN_DIR``) — all of it for
  a saved run: baselines on the same folds, SHAP, comparison, figures, ``<run>/compare/``.

shap is imported on first use (its first import compiles with numba and takes seconds).

>>> import numpy as np, pandas as pd
>>> from sklearn.linear_model import LinearRegression
>>> from lawfind import Law
>>> rng = np.random.default_rng(0)
>>> X = pd.DataFrame(rng.uniform(1, 2, (60, 3)), columns=["a", "b", "c"])
>>> y = 2 * X["a"] + X["b"] ** 2 + 0.5 * X["c"]
>>> law = Law.from_string("2*x0 + x1**2", {"x0": "a", "x1": "b"})
>>> bb = LinearRegression().fit(X, y)
>>> c = compare_explanations(explain_law(law, X, X), explain_model(bb, X, X), law.predict(X), bb.predict(X))
>>> c.ignored
['c']
"""

from lawfind.explain._compare import Comparison, compare_explanations, importance_table
from lawfind.explain._folds import check_folds_possible
from lawfind.explain._law import additive_terms, explain_law, law_explained_output, law_partial_dependence
from lawfind.explain._model import TREE_MODELS, explain_model, is_linear_model, is_tree_model, model_output
from lawfind.explain._result import PERTURBATION, Explanation, additivity_error
from lawfind.explain._run import COMPARE_FOLDER, CompareResult, compare
from lawfind.explain._shap import EXACT_MAX_FEATURES
from lawfind.explain._store import StoredComparison, comparison_figures, read_comparison, write_comparison

__all__ = [
    "Explanation",
    "explain_model",
    "explain_law",
    "compare_explanations",
    "Comparison",
    "importance_table",
    "compare",
    "CompareResult",
    "COMPARE_FOLDER",
    "StoredComparison",
    "read_comparison",
    "write_comparison",
    "comparison_figures",
    "additive_terms",
    "law_partial_dependence",
    "law_explained_output",
    "model_output",
    "is_tree_model",
    "is_linear_model",
    "TREE_MODELS",
    "additivity_error",
    "check_folds_possible",
    "PERTURBATION",
    "EXACT_MAX_FEATURES",
]
