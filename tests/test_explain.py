"""SHAP of black boxes and laws: additivity, exactness against shap, the comparison, bad input."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from lawfind import Law
from lawfind.exceptions import ConfigError, DataError
from lawfind.explain import (
    additive_terms,
    check_folds_possible,
    compare_explanations,
    explain_law,
    explain_model,
    is_linear_model,
    importance_table,
    law_partial_dependence,
)
from lawfind.law import Decision


def frame(n: int = 60, seed: int = 0, columns: str = "abc") -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    return pd.DataFrame({c: rng.uniform(1.0, 3.0, n) for c in columns})


def adds_up(e, output, rtol: float = 1e-9) -> None:
    """The SHAP values of every row add up to the model's output (and the result says so).

    ``rtol`` 1e-9 for explainers in double precision; shap's TreeExplainer works in float32.
    """
    np.testing.assert_allclose(e.values.sum(axis=1) + e.base_values, output, rtol=rtol, atol=1e-9)
    np.testing.assert_allclose(e.output, output, rtol=1e-12, atol=1e-12)
    assert e.additive and e.max_additivity_error <= e.tolerance
    assert e.perturbation == "interventional"


# ----------------------------------------------------------------- black boxes
def test_tree_models_add_up_to_their_predictions_and_probabilities():
    from sklearn.ensemble import RandomForestRegressor
    from sklearn.tree import DecisionTreeClassifier

    X = frame(80)
    y = 2 * X["a"] + X["b"] ** 2
    forest = RandomForestRegressor(n_estimators=10, random_state=0).fit(X, y)
    e = explain_model(forest, X.iloc[:30], X.iloc[30:70], name="forest")
    assert e.method == "tree" and e.explained == "prediction" and e.background_size == 40
    adds_up(e, forest.predict(X.iloc[:30]), rtol=1e-6)
    labels = np.where(X["a"] * X["b"] > 4, "yes", "no")
    tree = DecisionTreeClassifier(max_depth=3, random_state=0).fit(X, labels)
    e = explain_model(tree, X.iloc[:30], X.iloc[30:70], positive="no")
    assert e.explained == "probability of class 'no'" and e.threshold == 0.5
    adds_up(e, tree.predict_proba(X.iloc[:30])[:, list(tree.classes_).index("no")], rtol=1e-6)
    from sklearn.ensemble import HistGradientBoostingClassifier

    boosting = HistGradientBoostingClassifier(max_iter=20, random_state=0).fit(X, labels)
    e = explain_model(boosting, X.iloc[:30], X.iloc[30:70], positive="no")  # classes_[0]: the sign flips
    assert e.explained == "decision function (log-odds) of class 'no'"
    adds_up(e, -boosting.decision_function(X.iloc[:30]), rtol=1e-6)
    assert e.to_shap().values.shape == (30, 3)


def test_linear_models_get_closed_form_values_equal_to_shaps_exact_explainer():
    from sklearn.compose import TransformedTargetRegressor
    from sklearn.linear_model import LinearRegression, RidgeCV
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import PolynomialFeatures, StandardScaler

    X = frame(50)
    y = 1.0 + 2 * X["a"] - 0.5 * X["b"] + 0.25 * X["c"]
    model = LinearRegression().fit(X, y)
    background = X.iloc[25:]
    closed = explain_model(model, X.iloc[:25], background)
    assert closed.method == "linear" and is_linear_model(model)
    adds_up(closed, model.predict(X.iloc[:25]))
    # interventional SHAP of a linear model: w_j (x_j − mean of the background)
    expected = model.coef_ * (X.iloc[:25].to_numpy() - background.to_numpy().mean(axis=0))
    np.testing.assert_allclose(closed.values, expected, atol=1e-10)
    exact = explain_model(model, X.iloc[:25], background, algorithm="exact")
    np.testing.assert_allclose(closed.values, exact.values, atol=1e-10)
    # the ridge baseline: scaled inputs, scaled target; still affine, still closed form
    ridge = TransformedTargetRegressor(make_pipeline(StandardScaler(), RidgeCV()), transformer=StandardScaler())
    ridge.fit(X, y)
    closed = explain_model(ridge, X.iloc[:25], background)
    assert closed.method == "linear"
    np.testing.assert_allclose(closed.values, explain_model(ridge, X.iloc[:25], background, algorithm="exact").values,
                               atol=1e-10)
    curved = make_pipeline(PolynomialFeatures(2), LinearRegression()).fit(X, y)  # not affine in the inputs
    assert not is_linear_model(curved) and explain_model(curved, X.iloc[:5], background).method == "exact"


def test_knn_classifier_through_exact_and_a_decision_function_sign():
    from sklearn.linear_model import LogisticRegression
    from sklearn.neighbors import KNeighborsClassifier

    X = frame(60)
    labels = (X["a"] > X["b"]).astype(int).to_numpy()
    knn = KNeighborsClassifier(5).fit(X.to_numpy(), labels)
    e = explain_model(knn, X.to_numpy()[:12], X.to_numpy()[20:40])
    assert e.method == "exact" and e.explained == "probability of class 1"
    adds_up(e, knn.predict_proba(X.to_numpy()[:12])[:, 1])
    logistic = LogisticRegression().fit(X, labels)
    e = explain_model(logistic, X.iloc[:12], X.iloc[20:40], positive=0)  # the class on the negative side
    assert e.explained == "decision function (log-odds) of class 0" and e.threshold == 0.0
    adds_up(e, -logistic.decision_function(X.iloc[:12]))  # larger values favour class 0


def test_permutation_explainer_adds_up():
    from sklearn.linear_model import Ridge

    X = frame(40)
    model = Ridge(alpha=1.0).fit(X, X["a"] * 3 - X["c"])
    e = explain_model(model, X.iloc[:10], X.iloc[10:30], algorithm="permutation", max_evals=40, seed=1)
    assert e.method == "permutation"
    adds_up(e, model.predict(X.iloc[:10]))


def test_model_errors_are_clear():
    from sklearn.linear_model import LinearRegression

    X = frame(20)
    model = LinearRegression().fit(X, X["a"])
    with pytest.raises(ConfigError, match="algorithm must be one of"):
        explain_model(model, X, X, algorithm="kernel")
    with pytest.raises(ConfigError, match="needs a tree model"):
        explain_model(model, X, X, algorithm="tree")
    from sklearn.neighbors import KNeighborsRegressor

    with pytest.raises(ConfigError, match="needs a linear model"):
        explain_model(KNeighborsRegressor(3).fit(X, X["a"]), X, X, algorithm="linear")
    with pytest.raises(ConfigError, match="background's columns"):
        explain_model(model, X, X.rename(columns={"a": "z"}))
    bad = X.copy()
    bad.iloc[0, 0] = np.nan
    with pytest.raises(DataError, match="missing or infinite"):
        explain_model(model, bad, X)


# ----------------------------------------------------------------- laws
def test_additive_law_is_exact_and_equals_shap_exact_on_the_same_background():
    law = Law.from_string("1.5 + 2*x0 - 0.7*log(x1) + 3/x2", {"x0": "a", "x1": "b", "x2": "c"})
    X = frame(40, columns="abcd")
    background = X.iloc[20:]
    fast = explain_law(law, X.iloc[:20], background)
    assert fast.method == "additive"
    adds_up(fast, law.predict(X.iloc[:20]))
    slow = explain_law(law, X.iloc[:20], background, algorithm="exact")
    assert slow.method == "exact"
    np.testing.assert_allclose(fast.values, slow.values, rtol=0, atol=1e-8)
    np.testing.assert_allclose(fast.base_values, slow.base_values, rtol=0, atol=1e-8)
    assert np.all(fast.values[:, 3] == 0.0) and "does not use ['d']" in fast.notes[0]


def test_non_additive_law_adds_up_and_ignores_unused_columns():
    law = Law.from_string("x0*x1/x2**2 + x0", {"x0": "a", "x1": "b", "x2": "c"})
    X = frame(40, columns="abcd")
    assert additive_terms(law) is None
    e = explain_law(law, X.iloc[:15], X.iloc[15:])
    assert e.method == "exact"
    adds_up(e, law.predict(X.iloc[:15]))
    assert np.all(e.values[:, 3] == 0.0)
    p = explain_law(law, X.iloc[:15], X.iloc[15:], algorithm="permutation", max_evals=30)
    adds_up(p, law.predict(X.iloc[:15]))
    with pytest.raises(ConfigError, match="not additive"):
        explain_law(law, X, X, algorithm="additive")


def test_classification_law_explains_its_decision_score():
    law = Law.from_string("x0/x1", {"x0": "a", "x1": "b"}, decision=Decision(1.2, "no", "yes"))
    X = frame(30)
    e = explain_law(law, X.iloc[:10], X.iloc[10:])
    assert e.threshold == 1.2 and "class 'yes' when > 1.2" in e.explained
    adds_up(e, law.decision_function(X.iloc[:10]))


def test_additive_terms_expand_products_of_sums():
    law = Law.from_string("2*(x0 + x1**2) + 1", {"x0": "a", "x1": "b"})
    terms = additive_terms(law)
    assert terms is not None and set(terms) == {"", "a", "b"}
    assert additive_terms(Law.from_string("x0*x1", {"x0": "a", "x1": "b"})) is None


def test_partial_dependence_of_an_additive_law_is_its_shap_curve():
    law = Law.from_string("x0**2 + 1/x1", {"x0": "a", "x1": "b"})
    X = frame(30)
    e = explain_law(law, X, X)
    grid, pd_values = law_partial_dependence(law, X, "a", X["a"].to_numpy())
    np.testing.assert_allclose(grid, X["a"])
    np.testing.assert_allclose(pd_values, e.values[:, 0], atol=1e-10)
    _, flat = law_partial_dependence(law, X, "c")
    assert np.all(flat == 0.0)


def test_law_errors_are_clear():
    law = Law.from_string("log(x0 - x1)", {"x0": "a", "x1": "b"})
    X = pd.DataFrame({"a": [3.0, 4.0, 5.0], "b": [1.0, 2.0, 4.5]})
    with pytest.raises(DataError, match="interventional SHAP evaluates it"):
        explain_law(law, X, X)  # a=3 with b=4.5 from another row is outside the law's domain
    with pytest.raises(DataError, match="lack the column"):
        explain_law(law, X[["a"]], X[["a"]])
    with pytest.raises(ConfigError, match="algorithm must be one of"):
        explain_law(law, X, X, algorithm="kernel")


# ----------------------------------------------------------------- comparison
def test_planted_black_box_uses_a_descriptor_the_law_ignores():
    from scipy.stats import kendalltau, spearmanr
    from sklearn.linear_model import LinearRegression

    X = frame(80, columns="abcd")
    y = 2 * X["a"] + X["b"] ** 2 + 1.5 * X["c"]  # d plays no part
    law = Law.from_string("2*x0 + x1**2", {"x0": "a", "x1": "b"})  # misses c
    model = LinearRegression().fit(X, y)
    background = X.iloc[40:]
    law_e, bb_e = explain_law(law, X.iloc[:40], background), explain_model(model, X.iloc[:40], background)
    c = compare_explanations(law_e, bb_e, law.predict(X.iloc[:40]), model.predict(X.iloc[:40]), y=y.iloc[:40],
                             top=5)
    assert c.ignored == ["c"]
    table = c.importance.set_index("feature")
    assert not table.loc["c", "used_by_law"] and table.loc["c", "black_box_share"] > 0.15
    assert c.law_features_share == pytest.approx(1 - table.loc[["c", "d"], "black_box_share"].sum())
    law_imp, bb_imp = law_e.importance().to_numpy(), bb_e.importance().to_numpy()
    assert c.spearman == pytest.approx(spearmanr(law_imp, bb_imp).statistic)
    assert c.kendall == pytest.approx(kendalltau(law_imp, bb_imp).statistic)
    gaps = np.abs(model.predict(X.iloc[:40]) - law.predict(X.iloc[:40]))
    assert len(c.disagreements) == 5
    np.testing.assert_allclose(np.abs(c.disagreements["difference"]), np.sort(gaps)[::-1][:5])
    assert set(c.disagreements["most_different_attribution"]) == {"c"}  # what the law misses


def test_classification_disagreements_put_differing_labels_first():
    from sklearn.tree import DecisionTreeClassifier

    X = frame(60)
    labels = np.where(X["a"] + X["c"] > 4, "yes", "no")
    law = Law.from_string("x0", {"x0": "a"}, decision=Decision(2.0, "no", "yes"))
    tree = DecisionTreeClassifier(max_depth=4, random_state=0).fit(X, labels)
    law_e = explain_law(law, X, X.iloc[:30])
    bb_e = explain_model(tree, X, X.iloc[:30], positive="yes")
    c = compare_explanations(law_e, bb_e, law.predict(X), tree.predict(X), y=labels, top=60)
    assert not c.same_scale and c.task == "classification"
    differ = c.disagreements["labels_differ"].to_numpy()
    assert differ.any() and not differ[np.argmin(differ):].any()  # all True rows before all False rows
    assert "c" in c.ignored


def test_compare_refuses_mismatched_explanations():
    law = Law.from_string("x0", {"x0": "a"})
    X = frame(20)
    one, two = explain_law(law, X.iloc[:10], X), explain_law(law, X.iloc[10:], X)
    with pytest.raises(DataError, match="same rows"):
        compare_explanations(one, two, np.zeros(10), np.zeros(10))
    with pytest.raises(DataError, match="10 explained rows"):
        compare_explanations(one, one, np.zeros(9), np.zeros(10))
    with pytest.raises(ConfigError, match="min_share"):
        compare_explanations(one, one, np.zeros(10), np.zeros(10), min_share=1.5)
    assert list(importance_table(one, one)["feature"])[0] == "a"


# ----------------------------------------------------------------- folds
def test_fold_checks_name_the_problem():
    with pytest.raises(DataError, match="too few rows for 5-fold cross-validation: the data have 3 row"):
        check_folds_possible(np.arange(3.0), "regression", 5)
    with pytest.raises(DataError, match="use at most 40 folds"):  # the advice is a count that works
        check_folds_possible(np.arange(80.0), "regression", 41)
    check_folds_possible(np.arange(80.0), "regression", 40)
    with pytest.raises(DataError, match="one row cannot be cross-validated"):
        check_folds_possible(np.array(["a"] * 10 + ["b"], dtype=object), "classification", 2)
    with pytest.raises(DataError, match="single class"):
        check_folds_possible(np.array(["a"] * 10, dtype=object), "classification", 2)
    with pytest.raises(DataError, match="class 'b' has only 2"):
        check_folds_possible(np.array(["a"] * 10 + ["b"] * 2, dtype=object), "classification", 3)
    with pytest.raises(ConfigError, match="at least 2"):
        check_folds_possible(np.arange(10.0), "regression", 1)
    check_folds_possible(np.array(["a"] * 10 + ["b"] * 3, dtype=object), "classification", 3)


def test_public_names_match_dunder_all():
    import types

    import lawfind.explain as module

    public = {n for n, v in vars(module).items() if not n.startswith("_") and not isinstance(v, types.ModuleType)}
    assert set(module.__all__) == public
