"""The sisso engine end to end: planted descriptors, classification, units, options and interruption."""

from __future__ import annotations

import dataclasses
import json

import numpy as np
import pytest
import sympy as sp

from lawfind.exceptions import ConfigError, DataError, SearchError
from lawfind.law import internal_symbol
from lawfind.search import Engine
from lawfind.search._classify import classification_laws, classification_metrics, grouped_accuracy
from lawfind.search.sisso import SissoEngine

NO_PROGRESS = lambda fraction, message: None  # noqa: E731
x0, x1, x2 = (internal_symbol(i) for i in range(3))
SMALL = dict(operators=("+", "-", "*", "/", "^2", "sqrt"), sis_size=10, n_models=2, n_threads=1)


def _values(expr: sp.Expr, X: np.ndarray) -> np.ndarray:
    symbols = sorted(expr.free_symbols, key=lambda s: int(s.name[1:]))
    return np.broadcast_to(sp.lambdify(symbols, expr, "numpy")(*(X[:, int(s.name[1:])] for s in symbols)),
                           (len(X),))


def test_engine_contract():
    engine = SissoEngine()
    assert isinstance(engine, Engine) and dataclasses.is_dataclass(engine)
    assert (engine.name, engine.supports_classification, engine.supports_units) == ("sisso", True, True)
    config = engine.get_config()
    assert config["name"] == "sisso" and config["operators"][:4] == ["+", "-", "*", "/"]


def test_planted_descriptor_is_recovered():
    rng = np.random.default_rng(0)
    X = rng.uniform(0.5, 2.0, (40, 3))
    y = 2 * X[:, 0] / X[:, 1] ** 2
    result = SissoEngine(rung=2, max_dimension=1, **SMALL).search(X, y, time_limit=30, seed=0,
                                                                 progress=NO_PROGRESS)
    best = result.expressions[0]
    np.testing.assert_allclose(_values(best, X), y, rtol=1e-9, atol=1e-9)
    assert result.info["models"][0]["descriptors"][0]["expression"] == str(x0 / x1**2)
    assert result.decisions is None and not result.interrupted
    json.dumps(result.info)  # recorded in run.json as it is


def test_planted_two_descriptor_model_is_recovered():
    rng = np.random.default_rng(1)
    X = rng.uniform(0.5, 2.0, (50, 3))
    y = X[:, 0] / X[:, 1] + 3 * X[:, 2] ** 2
    result = SissoEngine(rung=1, max_dimension=2, **SMALL).search(X, y, time_limit=30, seed=0,
                                                                 progress=NO_PROGRESS)
    two = [m for m in result.info["models"] if m["dimension"] == 2][0]
    assert {d["expression"] for d in two["descriptors"]} == {str(x0 / x1), str(x2**2)}
    assert two["rmse"] < 1e-9
    assert result.info["stopped"].startswith("the 2-D model fits exactly")


def test_units_are_reported_per_descriptor():
    rng = np.random.default_rng(2)
    X = rng.uniform(0.5, 2.0, (40, 2))
    y = 5 * X[:, 0] / X[:, 1]
    engine = SissoEngine(rung=1, max_dimension=1, feature_units=("eV", "angstrom"), target_unit="eV/angstrom",
                         **SMALL)
    result = engine.search(X, y, time_limit=30, seed=0, progress=NO_PROGRESS)
    descriptor = result.info["models"][0]["descriptors"][0]
    assert descriptor["expression"] == str(x0 / x1)
    assert descriptor["unit"] == "eV/Å" and descriptor["coefficient_unit"] == "dimensionless"
    assert result.info["units"]["checked"] is True


def test_classification_on_a_planted_threshold_rule():
    rng = np.random.default_rng(3)
    X = rng.uniform(0.5, 2.0, (300, 3))
    y = np.where(X[:, 0] / X[:, 1] > 1.2, "big", "small").astype(object)
    engine = SissoEngine(task="classification", rung=1, max_dimension=1, **SMALL)
    result = engine.search(X, y, time_limit=30, seed=0, progress=NO_PROGRESS)
    assert len(result.decisions) == len(result.expressions)
    assert sp.simplify(result.expressions[0] - x0 / x1) == 0
    decision = result.decisions[0]
    assert (decision.below, decision.above) == ("small", "big")
    assert 1.1 < decision.threshold < 1.3
    laws = classification_laws(result.expressions, result.decisions, X, y, {"x0": "a", "x1": "b", "x2": "c"},
                               target="size", origin="sisso")
    assert laws[0].metrics == {"accuracy": 1.0, "balanced_accuracy": 1.0, "n_errors": 0.0}
    assert laws[0].decision == decision and laws[0].error == 0.0
    json.dumps(result.info)
    assert list(laws[0].predict(X)) == list(y)


def test_two_descriptor_classification_finds_a_linear_separator():
    rng = np.random.default_rng(4)
    X = np.column_stack([rng.uniform(-2.0, 2.0, 200), rng.uniform(0.0, 4.0, 200)])
    y = np.where(X[:, 0] ** 2 + X[:, 1] > 3.0, 1, -1)  # a parabola: no line in (x0, x1) separates it
    engine = SissoEngine(task="classification", metric="accuracy", rung=1, max_dimension=2,
                         operators=("^2",), sis_size=4, n_models=1, n_threads=1)
    result = engine.search(X, y, time_limit=30, seed=0, progress=NO_PROGRESS)
    two = [m for m in result.info["models"] if m["dimension"] == 2][0]
    assert {d["expression"] for d in two["descriptors"]} == {str(x0**2), str(x1)}
    assert two["training_accuracy"] == 1.0
    index = [m["dimension"] for m in result.info["models"]].index(2)
    expr, decision = result.expressions[index], result.decisions[index]
    assert decision.threshold == 0.0 and (decision.below, decision.above) == (-1, 1)
    assert np.array_equal(decision.apply(_values(expr, X)), y)
    assert {d.metric for d in result.decisions} == {"accuracy"}  # the front ranks these laws by accuracy
    # the first descriptor's weight fixes the scale: an exact ±1, not a fitted 1.0
    assert any(abs(term.as_coeff_Mul()[0]) == 1 and term.as_coeff_Mul()[0].is_Integer for term in expr.args)
    assert not any(abs(float(f)) == 1.0 for f in expr.atoms(sp.Float))


def test_classification_needs_exactly_two_classes():
    X = np.random.default_rng(5).uniform(size=(30, 2))
    y = np.array(["a", "b", "c"] * 10, dtype=object)
    with pytest.raises(ConfigError, match=r"exactly two classes, the target has 3 \('a', 'b', 'c'\)"):
        SissoEngine(task="classification").search(X, y, time_limit=5, seed=0, progress=NO_PROGRESS)


def test_regression_on_labels_says_to_use_classification():
    X = np.random.default_rng(5).uniform(size=(30, 2))
    with pytest.raises(DataError, match="task='classification'"):
        SissoEngine().search(X, np.array(["a", "b"] * 15, dtype=object), time_limit=5, seed=0,
                             progress=NO_PROGRESS)


@pytest.mark.parametrize("options, message", [
    ({"rung": 4}, r"rung must be an integer from 1 to 3, got 4"),
    ({"rung": 0}, r"rung must be an integer from 1 to 3"),
    ({"operators": ("+", "expp")}, r"unknown operator 'expp'.*did you mean 'exp'"),
    ({"operators": ("+", "+")}, r"operator '\+' is listed twice"),
    ({"operators": "+-"}, r"operators must be a tuple"),
    ({"max_dimension": 0}, r"max_dimension \(CLI: --max-terms\) must be an integer >= 1"),
    ({"sis_size": 2.5}, r"sis_size must be an integer"),
    ({"n_residuals": 5, "n_models": 3}, r"n_residuals=5 cannot exceed n_models=3"),
    ({"max_complexity": 1, "rung": 2}, r"max_complexity must be None or an integer >= rung=2"),
    ({"memory_budget": 1000}, r"memory_budget must be a number of bytes >= 1,048,576"),
    ({"task": "regresion"}, r"task must be one of \['regression', 'classification'\]"),
    ({"metric": "f1"}, r"metric must be one of"),
    ({"feature_units": "eV"}, r"feature_units must be None or a tuple"),
    ({"feature_units": ("eV", "blorp")}, r"feature_units\[1\] has the unit 'blorp'"),
    ({"target_unit": "bananas"}, r"target_unit has the unit 'bananas', which pint does not understand"),
    ({"n_threads": 0}, r"n_threads must be a positive integer or None"),
    ({"max_size": 1}, r"max_size must be None or an integer from 2 to 15 \(nodes"),
    ({"max_size": 16}, r"max_size must be None or an integer from 2 to 15"),
    ({"max_size": 8, "rung": 2}, r"give rung \(grow the space by rungs\) or max_size \(by expression size\), not both"),
])
def test_bad_options_are_refused_with_precise_messages(options, message):
    with pytest.raises(ConfigError, match=message):
        SissoEngine(**options).validate()


def test_feature_units_must_match_the_columns():
    X = np.random.default_rng(6).uniform(size=(20, 3))
    with pytest.raises(ConfigError, match="feature_units has 2 entries but the data have 3 feature columns"):
        SissoEngine(feature_units=("eV", "eV")).search(X, X[:, 0], time_limit=5, seed=0, progress=NO_PROGRESS)


def test_ctrl_c_returns_the_models_found_so_far():
    rng = np.random.default_rng(7)
    X = rng.uniform(0.5, 2.0, (40, 3))
    y = X[:, 0] * X[:, 1] + rng.normal(scale=0.1, size=40)
    calls = []

    def progress(fraction: float, message: str) -> None:
        calls.append(message)
        if message.startswith("ℓ0 (2D)") or len(calls) > 200:
            raise KeyboardInterrupt

    engine = SissoEngine(rung=2, max_dimension=3, **{**SMALL, "sis_size": 40})
    result = engine.search(X, y, time_limit=30, seed=0, progress=progress)
    assert result.interrupted
    assert result.expressions and {m["dimension"] for m in result.info["models"]} <= {1, 2}


def test_time_limit_is_recorded_when_reached_while_screening():
    rng = np.random.default_rng(8)
    X = rng.uniform(0.5, 2.0, (30, 4))
    y = X[:, 0] + rng.normal(scale=0.1, size=30)
    result = SissoEngine(rung=1, max_dimension=2, **SMALL).search(X, y, time_limit=1e-4, seed=0,
                                                                 progress=NO_PROGRESS)
    assert result.info["time_limit_reached"] is True
    assert result.expressions  # the best of what was screened


def test_a_feature_space_that_cannot_be_built_in_time_is_an_error():
    rng = np.random.default_rng(8)
    X = rng.uniform(0.5, 2.0, (30, 4))
    with pytest.raises(SearchError, match="building rung 1 .* did not finish within the time limit"):
        SissoEngine(rung=2, **SMALL).search(X, X[:, 0], time_limit=1e-6, seed=0, progress=NO_PROGRESS)


def test_classification_metrics_and_grouped_accuracy():
    assert classification_metrics([1, 1, 1, -1], [1, 1, -1, 1]) == {
        "accuracy": 0.5, "balanced_accuracy": pytest.approx(1 / 3), "n_errors": 2.0}
    assert grouped_accuracy(["p", "p", "n", "n"], ["p", "n", "n", "n"], ["O", "F", "O", "F"]) == {
        "F": 0.5, "O": 1.0}
    with pytest.raises(DataError, match="same length"):
        grouped_accuracy([1], [1], ["O", "F"])


def test_size_growth_recovers_a_deep_regression_descriptor_beyond_rung_3():
    # x0 - x1*(x0 - x1/x2): 9 nodes, but nested four operators deep (rung 4)
    rng = np.random.default_rng(7)
    X = rng.uniform(0.5, 2.0, (60, 3))
    y = 2.0 + 3.0 * (X[:, 0] - X[:, 1] * (X[:, 0] - X[:, 1] / X[:, 2]))
    result = SissoEngine(max_size=9, max_dimension=1, operators=("+", "-", "*", "/", "^2"), sis_size=10, n_models=2,
                         n_threads=1).search(X, y, time_limit=60, seed=0, progress=NO_PROGRESS)
    model = result.info["models"][0]
    assert model["descriptors"][0]["expression"] == str(x0 - x1 * (x0 - x1 / x2))
    assert model["rmse"] < 1e-9
    space = result.info["feature_space"]
    assert space["growth"] == "size" and space["sizes"]["9"]["stored"] == 0
    assert space["sizes"]["8"]["stored"] > 0  # regression needs size 8 stored (unary operands of size 9)


def test_size_growth_finds_bartels_tau_as_a_threshold_rule():
    # labels from τ = x1 − x2·(x2 − x0/ln x0) (10 nodes, rung 5): found exactly, every rule correct
    rng = np.random.default_rng(0)
    X = np.c_[rng.uniform(1.2, 3.0, 200), rng.uniform(0.3, 2.0, 200), rng.integers(1, 4, 200).astype(float)]
    tau = X[:, 1] - X[:, 2] * (X[:, 2] - X[:, 0] / np.log(X[:, 0]))
    labels = np.where(tau < np.median(tau), "perovskite", "other")
    result = SissoEngine(max_size=10, max_dimension=1, operators=("+", "-", "*", "/", "log"), sis_size=20,
                         n_models=2, task="classification", metric="accuracy", n_threads=1).search(
        X, labels, time_limit=120, seed=0, progress=NO_PROGRESS)
    model = result.info["models"][0]
    assert model["descriptors"][0]["expression"] == str(x1 - x2 * (x2 - x0 / sp.log(x0)))
    assert model["score"] == 1.0
    sizes = result.info["feature_space"]["sizes"]
    # a 1-D threshold rule with monotone unary operators only: size 9 is screened, not stored
    assert sizes["9"]["stored"] == 0 and sizes["10"]["stored"] == 0 and sizes["8"]["stored"] > 0
