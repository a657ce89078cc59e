"""LawRegressor follows the scikit-learn estimator contract."""

from __future__ import annotations

import pickle

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone
from sklearn.model_selection import KFold, cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import FunctionTransformer
from sklearn.utils.estimator_checks import check_estimator

from lawfind import LawRegressor, OperonEngine
from lawfind.exceptions import ConfigError


@pytest.fixture
def linear_data():
    rng = np.random.default_rng(0)
    X = rng.uniform(1, 3, (60, 3))
    return X, 1.5 + 2 * X[:, 0] - 0.7 * X[:, 1]


def test_check_estimator_sparse():
    check_estimator(LawRegressor(engine="sparse", time_limit=5, engine_options={"max_terms": 2}))


def test_pipeline_clone_and_cross_val_score(linear_data):
    X, y = linear_data
    model = make_pipeline(FunctionTransformer(), LawRegressor(engine="sparse", time_limit=5))
    scores = cross_val_score(model, X, y, cv=KFold(3, shuffle=True, random_state=0))
    assert np.all(scores > 1 - 1e-9)
    copy = clone(model)
    assert copy.get_params()["lawregressor__engine"] == "sparse"


def test_operon_regressor_pickles_and_names_dataframe_columns(linear_data):
    X, y = linear_data
    frame = pd.DataFrame(X, columns=["T (K)", "σ_y", "beta"])
    model = LawRegressor(engine=OperonEngine(max_length=15, population_size=300), time_limit=3).fit(frame, y)
    assert set(model.law_.features) <= {"T (K)", "σ_y", "beta"}
    again = pickle.loads(pickle.dumps(model))
    np.testing.assert_allclose(again.predict(frame), model.predict(frame))
    assert model.score(frame, y) > 0.99


def test_user_engine_object_is_not_changed(linear_data):
    X, y = linear_data
    engine = OperonEngine(max_length=12, population_size=200)
    before = engine.get_config()
    LawRegressor(engine=engine, time_limit=1).fit(X, y)
    assert engine.get_config() == before


@pytest.mark.parametrize(
    ("params", "match"),
    [
        ({"time_limit": 0}, "time_limit"),
        ({"time_limit": -3}, "time_limit"),
        ({"engine": "operom"}, "did you mean 'operon'"),
        ({"engine": "sparse", "engine_options": {"no_such_option": 1}}, "bad option"),
        ({"random_state": -1}, "seed"),
    ],
)
def test_bad_parameters_fail_at_fit_with_a_clear_message(linear_data, params, match):
    X, y = linear_data
    with pytest.raises(ConfigError, match=match):
        LawRegressor(**params).fit(X, y)


def test_string_labels_get_one_clear_error():
    from lawfind.exceptions import DataError

    with pytest.raises(DataError, match=r"LawRegressor needs a numeric y; for class labels use lawfind.discover"):
        LawRegressor(time_limit=1).fit([[1.0], [2.0], [3.0]], ["a", "b", "a"])
